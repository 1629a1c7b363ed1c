/**
 * Replays one log file onto the state loaded from the snapshot. Frames are
 * applied whole or not at all: the first frame that is short (torn write) or
 * fails its checksum ends the replay of this file. Records that refer to a
 * session or message the state does not have are skipped (never a crash).
 */
import { crc32 } from 'node:zlib';
import { BinReader } from './bin-codec';
import type { BrokerCore } from './broker-core';
import { FRAME_HEAD, OP, SHIFT_EXPIRED, SHIFT_OVERFLOW } from './journal';
import { Session } from './session';
import type { LoadedState } from './snapshot';
import { ORIGINS, readMessage, readSessionMeta, readSub, readSubIds } from './state-codec';
import type { QueuedDelivery } from './types';

export interface ReplayResult {
  frames: number;
  records: number;
  /** Byte offset of the first frame that could not be applied; null when the whole file was good. */
  badAt: number | null;
  reason?: string;
}

export function replayLog(core: BrokerCore, buf: Buffer, st: LoadedState): ReplayResult {
  let pos = 0;
  let frames = 0;
  let records = 0;
  while (pos < buf.length) {
    if (buf.length - pos < FRAME_HEAD) return { frames, records, badAt: pos, reason: 'torn frame header' };
    const len = buf.readUInt32BE(pos);
    const sum = buf.readUInt32BE(pos + 4);
    if (buf.length - pos - FRAME_HEAD < len) return { frames, records, badAt: pos, reason: 'torn frame' };
    const body = buf.subarray(pos + FRAME_HEAD, pos + FRAME_HEAD + len);
    if (crc32(body) !== sum) return { frames, records, badAt: pos, reason: 'frame checksum mismatch' };
    const r = new BinReader(body);
    try {
      while (!r.done) {
        applyRecord(core, r, st);
        records++;
      }
    } catch (err) {
      // A checksummed frame that does not decode means a bug or a foreign file; stop rather than guess.
      return { frames, records, badAt: pos, reason: `undecodable record: ${err instanceof Error ? err.message : String(err)}` };
    }
    frames++;
    pos += FRAME_HEAD + len;
  }
  return { frames, records, badAt: null };
}

function dropSession(core: BrokerCore, st: LoadedState, s: Session): void {
  for (const sub of s.subs.values()) core.trie.remove(sub);
  s.subs.clear();
  if (core.sessions.get(s.clientId) === s) core.sessions.delete(s.clientId);
  st.sessions.delete(s.jid);
  st.connected.delete(s);
}

function applyRecord(core: BrokerCore, r: BinReader, st: LoadedState): void {
  const op = r.u8();
  switch (op) {
    case OP.MSG: {
      const jid = r.f64();
      st.messages.set(jid, readMessage(r, jid));
      if (jid >= st.ids.nextMsg) st.ids.nextMsg = jid + 1;
      return;
    }
    case OP.RETSET: {
      const m = st.messages.get(r.f64());
      if (m) core.retained.put(m);
      return;
    }
    case OP.RETDEL:
      core.retained.byTopic.delete(r.str());
      return;
    case OP.SESS: {
      const jid = r.u32();
      const meta = readSessionMeta(r);
      let s = st.sessions.get(jid);
      if (!s) {
        const old = core.sessions.get(meta.clientId);
        if (old) dropSession(core, st, old);
        s = new Session(meta.clientId, 0);
        s.jid = jid;
        st.sessions.set(jid, s);
        core.sessions.set(s.clientId, s);
      }
      meta.apply(s);
      if (meta.connected) st.connected.add(s);
      else st.connected.delete(s);
      if (jid >= st.ids.nextSess) st.ids.nextSess = jid + 1;
      return;
    }
  }
  const s = st.sessions.get(r.u32());
  switch (op) {
    case OP.SEND:
      if (s) dropSession(core, st, s);
      return;
    case OP.SUB: {
      const sub = readSub(r, s?.clientId ?? '');
      if (!s) return;
      const prev = s.subs.get(sub.filter);
      if (prev) core.trie.remove(prev);
      s.subs.set(sub.filter, sub);
      core.trie.add(sub);
      return;
    }
    case OP.UNSUB: {
      const filter = r.str();
      const prev = s?.subs.get(filter);
      if (s && prev) {
        core.trie.remove(prev);
        s.subs.delete(filter);
      }
      return;
    }
    case OP.ENQ: {
      const m = st.messages.get(r.f64());
      const flags = r.u8();
      const subIds = readSubIds(r);
      const enqueuedAt = r.f64();
      const origin = ORIGINS[r.u8()] as QueuedDelivery['origin'];
      if (!s || !m) return;
      s.queue.push(m, (flags & 3) as 0 | 1 | 2, (flags & 4) !== 0, subIds, enqueuedAt, origin);
      return;
    }
    case OP.QSHIFT: {
      const reason = r.u8();
      const m = s?.queue.shift();
      if (!s || !m) return;
      if (reason === SHIFT_OVERFLOW) s.droppedOverflow++;
      else if (reason === SHIFT_EXPIRED) s.droppedExpired++;
      return;
    }
    case OP.INFL: {
      const packetId = r.u16();
      const m = st.messages.get(r.f64());
      const flags = r.u8();
      const subIds = readSubIds(r);
      const since = r.f64();
      if (!s || !m) return;
      const qos = (flags & 3) as 1 | 2;
      s.inflightOut.set(packetId, { packetId, msg: m, qos, retain: (flags & 4) !== 0, subIds, state: qos === 1 ? 'awaiting-puback' : 'awaiting-pubrec', since, origin: 'live' });
      return;
    }
    case OP.QSEND: {
      const packetId = r.u16();
      const since = r.f64();
      if (!s || s.queue.length === 0) return;
      const q = s.queue;
      const qos = q.headQos;
      const retain = q.headRetain;
      const subIds = q.headSubIds;
      const origin = q.headOrigin;
      const m = q.shift()!;
      if (qos === 0) return;
      s.inflightOut.set(packetId, { packetId, msg: m, qos, retain, subIds, state: qos === 1 ? 'awaiting-puback' : 'awaiting-pubrec', since, origin });
      return;
    }
    case OP.ISTATE: {
      const f = s?.inflightOut.get(r.u16());
      if (f) {
        f.state = 'awaiting-pubcomp';
        f.msg = null;
      }
      return;
    }
    case OP.IDEL:
      s?.inflightOut.delete(r.u16());
      return;
    case OP.QCLEAR:
      s?.clearQueue();
      return;
    case OP.INADD: {
      const id = r.u16();
      const since = r.f64();
      s?.inflightIn.set(id, since);
      return;
    }
    case OP.INDEL:
      s?.inflightIn.delete(r.u16());
      return;
    default:
      throw new Error(`unknown record type ${op}`);
  }
}
