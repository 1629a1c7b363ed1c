/**
 * MQTT.js / Node errors in words a user can act on: what happened and what
 * to check, with the original code or message kept in brackets so it can
 * still be searched for. TLS errors say they are TLS.
 */
import type { Profile } from '../../../shared/profile';
import { formatReason } from '../../../shared/mqtt/reason-codes';

const TLS_CODES = /^(ERR_SSL_|ERR_TLS_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|ERR_OSSL_|HOSTNAME_MISMATCH)/;
/** mqtt-packet's parse errors: what a non-MQTT server's first bytes produce (an HTTP reply parses as a PUBACK with bad flags). */
const PARSE_ERROR = /header flag bits|^Invalid |^Cannot parse|^Malformed|^Packet |^Wrong |^Not supported|^Unknown command/i;

/** `beforeConnack`: the failure happened while still connecting (so possibly in the TLS handshake). */
export function describeError(err: Error, profile: Profile, beforeConnack = false): string {
  const e = err as NodeJS.ErrnoException & { address?: string; port?: number };
  const code = e.code;
  const msg = err.message || String(err);
  const tls = profile.protocol === 'mqtts' || profile.protocol === 'wss';
  const where = e.address ? `${e.address}${e.port ? `:${e.port}` : ''}` : `${profile.host}:${profile.port}`;
  if (tls && beforeConnack && (code === 'ECONNRESET' || code === 'EPIPE')) {
    return `TLS handshake failed: ${msg} (does ${profile.host}:${profile.port} speak TLS?)`;
  }
  if (msg === 'connack timeout') return `No CONNACK within ${profile.connectTimeoutMs} ms (connect timeout)`;
  if (typeof code === 'string' && TLS_CODES.test(code)) return `TLS error: ${msg} (${code})`;
  if (/SSL|TLS|certificate/i.test(msg)) return `TLS error: ${msg}`;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NODATA' || code === 'EAI_NONAME') {
    return `Cannot resolve host ${profile.host} (${code}${code === 'EAI_AGAIN' ? ': DNS lookup timed out, try again' : ''})`;
  }
  if (code === 'ECONNREFUSED') return `Nothing is listening on ${where}: is the broker running, and is this its port? (${msg})`;
  if (code === 'ETIMEDOUT') return `No answer from ${where}: a firewall or a wrong address? (${msg})`;
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return `${profile.host} cannot be reached from this machine: check the address and the network (${msg})`;
  if (!code && PARSE_ERROR.test(msg)) {
    return beforeConnack
      ? `The server at ${profile.host}:${profile.port} did not answer in MQTT: is this the broker's MQTT port (not HTTP or WebSocket)? (${msg})`
      : `The broker sent a packet SessionScope cannot parse (${msg})`;
  }
  if (msg === 'Keepalive timeout') return `Keep-alive timeout: no PINGRESP from the broker within ${profile.keepalive * 1.5} s`;
  return msg;
}

/** CONNACK refusals that are about who is connecting, and what to check for them. */
const CREDENTIAL_HINTS: Record<'v3' | 'v5', Readonly<Record<number, string>>> = {
  v3: {
    0x04: 'check the username and password',
    0x05: 'check the username and password, and what the broker’s ACL allows this client',
  },
  v5: {
    0x86: 'check the username and password',
    0x87: 'check the username and password, and what the broker’s ACL allows this client',
  },
};

/** "CONNACK 0x86 Bad User Name or Password — check the username and password": the exact code and name, then a hint when there is one. */
export function describeConnackRefusal(code: number, protocolVersion: number): string {
  const base = `CONNACK ${formatReason(code, protocolVersion, 'connack')}`;
  const hint = CREDENTIAL_HINTS[protocolVersion === 5 ? 'v5' : 'v3'][code];
  return hint ? `${base} — ${hint}` : base;
}
