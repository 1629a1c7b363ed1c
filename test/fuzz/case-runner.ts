/**
 * Plays one fuzz case over a raw TCP connection and classifies how the
 * broker reacted: which CONNACK / DISCONNECT reason codes it sent, whether it
 * closed the connection or left it open, or refused/never answered.
 */
import { connect, type Socket } from 'node:net';
import mqttPacket from 'mqtt-packet';
import { formatReason } from '../../shared/mqtt/reason-codes';
import type { FuzzCase } from './case-gen';

export interface CaseOutcome {
  index: number;
  /** Packets the socket accepted before the broker closed. */
  packetsWritten: number;
  mutatedWritten: number;
  /** How the connection ended, in words (the tally key). */
  ending: string;
  /** Reason codes the broker sent (CONNACK and DISCONNECT), formatted. */
  reasons: string[];
  refused: boolean;
  connectTimedOut: boolean;
}

const CONNECT_TIMEOUT_MS = 5000;
const CLOSE_AFTER_EOF_MS = 2000;

const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function runCase(c: FuzzCase, host: string, port: number): Promise<CaseOutcome> {
  return new Promise((resolve) => {
    const out: CaseOutcome = { index: c.index, packetsWritten: 0, mutatedWritten: 0, ending: '', reasons: [], refused: false, connectTimedOut: false };
    const received: Buffer[] = [];
    let receivedBytes = 0;
    let brokerEnded = false;
    let weEnded = false;
    let errorCode: string | null = null;
    let connected = false;
    let settled = false;
    const sock: Socket = connect({ host, port });
    sock.setNoDelay(true);
    const connectTimer = setTimeout(() => {
      out.connectTimedOut = true;
      sock.destroy();
    }, CONNECT_TIMEOUT_MS);
    let wakeOnClose: (() => void) | null = null;

    sock.on('data', (d: Buffer) => {
      // Keep at most 64 KB of replies: enough for CONNACK/DISCONNECT, bounded for floods.
      if (receivedBytes < 65536) received.push(d);
      receivedBytes += d.length;
    });
    sock.on('end', () => {
      if (!weEnded) brokerEnded = true;
    });
    sock.on('error', (err: NodeJS.ErrnoException) => {
      errorCode = err.code ?? err.message;
      if (err.code === 'ECONNREFUSED') out.refused = true;
    });
    sock.on('close', () => {
      clearTimeout(connectTimer);
      wakeOnClose?.();
      if (settled) return;
      settled = true;
      classify();
      resolve(out);
    });

    sock.on('connect', () => {
      clearTimeout(connectTimer);
      connected = true;
      void play();
    });

    async function play(): Promise<void> {
      for (let w = 0; w < c.writes.length; w++) {
        if (sock.destroyed || brokerEnded) break;
        const group = c.writes[w];
        const ok = await new Promise<boolean>((r) => sock.write(Buffer.concat(group.map((p) => p.buf)), (err) => r(!err)));
        if (!ok) break;
        out.packetsWritten += group.length;
        out.mutatedWritten += group.filter((p) => p.mutated).length;
        if (c.gapMs && w < c.writes.length - 1) await delay(c.gapMs);
      }
      // Give the broker time to react, then half-close and wait for it to close too.
      await Promise.race([delay(c.lingerMs), new Promise<void>((r) => (wakeOnClose = r))]);
      if (sock.destroyed) return;
      weEnded = true;
      sock.end();
      await Promise.race([delay(CLOSE_AFTER_EOF_MS), new Promise<void>((r) => (wakeOnClose = r))]);
      sock.destroy();
    }

    function classify(): void {
      if (out.refused) {
        out.ending = 'connection refused';
        return;
      }
      if (out.connectTimedOut) {
        out.ending = 'no TCP accept within 5 s';
        return;
      }
      if (!connected) {
        out.ending = `connect error ${errorCode}`;
        return;
      }
      const replies = parseReplies(Buffer.concat(received), c.version);
      let headline: string | null = null;
      for (const p of replies) {
        if (p.cmd === 'connack') {
          // The broker answers in the version it read, which a mutated CONNECT may have changed.
          const v = p.reasonCode !== undefined ? 5 : 4;
          const code = p.reasonCode ?? p.returnCode ?? 0;
          const text = `CONNACK ${formatReason(code, v, 'connack')}`;
          out.reasons.push(text);
          if (code !== 0) headline = text;
        } else if (p.cmd === 'disconnect') {
          const r = `DISCONNECT ${formatReason(p.reasonCode ?? 0, 5, 'disconnect')}`;
          out.reasons.push(r);
          headline = r;
        }
      }
      const who = brokerEnded || (!weEnded && errorCode) ? 'closed by broker' : weEnded ? 'closed after our EOF' : 'closed';
      if (headline) out.ending = `${who}: ${headline}`;
      else if (errorCode === 'ECONNRESET' && !weEnded) out.ending = 'reset by broker, no reason code';
      else if (brokerEnded) out.ending = 'closed by broker, no reason code';
      else out.ending = who;
    }
  });
}

type Reply = { cmd: string; reasonCode?: number; returnCode?: number };

/**
 * The broker answers in the version it parsed, which a mutated CONNECT may
 * have changed: try the case's version, then the other one.
 */
function parseReplies(buf: Buffer, version: number): Reply[] {
  if (!buf.length) return [];
  // A CONNACK's length gives its version away: 2 bytes in 3.x, more in 5.0.
  if (buf[0] === 0x20 && buf.length > 1) version = buf[1] === 2 ? 4 : 5;
  const first = parseAs(buf, version === 5 ? 5 : 4);
  if (first) return first;
  return parseAs(buf, version === 5 ? 4 : 5) ?? [];
}

function parseAs(buf: Buffer, protocolVersion: number): Reply[] | null {
  const parser = mqttPacket.parser({ protocolVersion });
  const packets: Reply[] = [];
  let failed = false;
  parser.on('packet', (p: Reply) => packets.push(p));
  parser.on('error', () => {
    failed = true;
  });
  parser.parse(buf);
  return failed ? null : packets;
}
