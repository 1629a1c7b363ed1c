/**
 * MQTT.js / Node errors in words a user can act on. Socket errors keep
 * Node's message (it names the address); TLS errors say they are TLS.
 */
import type { Profile } from '../../../shared/profile';

const TLS_CODES = /^(ERR_SSL_|ERR_TLS_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|ERR_OSSL_|HOSTNAME_MISMATCH)/;

/** `beforeConnack`: the failure happened while still connecting (so possibly in the TLS handshake). */
export function describeError(err: Error, profile: Profile, beforeConnack = false): string {
  const code = (err as NodeJS.ErrnoException).code;
  const msg = err.message || String(err);
  const tls = profile.protocol === 'mqtts' || profile.protocol === 'wss';
  if (tls && beforeConnack && (code === 'ECONNRESET' || code === 'EPIPE')) {
    return `TLS handshake failed: ${msg} (does ${profile.host}:${profile.port} speak TLS?)`;
  }
  if (msg === 'connack timeout') return `No CONNACK within ${profile.connectTimeoutMs} ms (connect timeout)`;
  if (typeof code === 'string' && TLS_CODES.test(code)) return `TLS error: ${msg} (${code})`;
  if (/SSL|TLS|certificate/i.test(msg)) return `TLS error: ${msg}`;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NODATA' || code === 'EAI_NONAME') {
    return `Cannot resolve host ${profile.host} (${code}${code === 'EAI_AGAIN' ? ': DNS lookup timed out, try again' : ''})`;
  }
  if (msg === 'Keepalive timeout') return `Keep-alive timeout: no PINGRESP from the broker within ${profile.keepalive * 1.5} s`;
  return msg;
}
