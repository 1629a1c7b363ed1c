/**
 * Binary snapshot of everything that must survive a restart: retained
 * messages and persistent sessions (subscriptions, queue, in-flight both ways,
 * pending will, counters), plus the log position it covers and the next log
 * ids. Messages shared by many sessions are written once. The snapshot is the
 * base the append-only log (journal.ts) is replayed onto at startup.
 */
import { BinReader, BinWriter } from './bin-codec';
import type { BrokerCore } from './broker-core';
import { Session } from './session';
import { ORIGINS, readMessage, readSessionMeta, readSub, readSubIds, STATES, writeMessage, writeSessionMeta, writeSub, writeSubIds } from './state-codec';
import type { InflightOut, Message, QueuedDelivery } from './types';

const VERSION = 2;

/** Log ids handed out so far; the snapshot stores them so ids are never reused. */
export interface LogIds {
  nextMsg: number;
  nextSess: number;
}

/** What loading a snapshot yields besides the restored core state (used by log replay). */
export interface LoadedState {
  firstLog: number;
  ids: LogIds;
  messages: Map<number, Message>;
  sessions: Map<number, Session>;
  /** Sessions that were connected when the state was written (their connection is gone now). */
  connected: Set<Session>;
}

export function encodeSnapshot(core: BrokerCore, firstLog: number, ids: LogIds): Buffer {
  const index = new Map<Message, number>();
  const list: Message[] = [];
  const ref = (m: Message): void => {
    if (index.has(m)) return;
    if (m.jid === 0) m.jid = ids.nextMsg++;
    index.set(m, list.length);
    list.push(m);
  };
  const durable: Session[] = [];
  for (const s of core.sessions.values()) if (s.jid !== 0) durable.push(s);
  // First pass: collect messages so the table precedes the references.
  for (const m of core.retained.byTopic.values()) ref(m);
  // The queue hands out fresh objects on each walk (it stores bytes, not Messages): walk it once.
  const queues = new Map<Session, QueuedDelivery[]>();
  for (const s of durable) {
    const list = [...s.queue];
    queues.set(s, list);
    for (const d of list) ref(d.msg);
    for (const f of s.inflightOut.values()) if (f.msg) ref(f.msg);
  }
  const w = new BinWriter(1024 * 1024);
  w.u8(VERSION);
  w.u32(firstLog);
  w.f64(ids.nextMsg);
  w.u32(ids.nextSess);
  w.u32(list.length);
  for (const m of list) {
    w.f64(m.jid);
    writeMessage(w, m);
  }
  w.u32(core.retained.byTopic.size);
  for (const m of core.retained.byTopic.values()) w.u32(index.get(m)!);
  w.u32(durable.length);
  for (const s of durable) {
    w.u32(s.jid);
    writeSessionMeta(w, s);
    w.u32(s.subs.size);
    for (const sub of s.subs.values()) writeSub(w, sub);
    const queued = queues.get(s)!;
    w.u32(queued.length);
    for (const d of queued) {
      w.u32(index.get(d.msg)!);
      w.u8(d.qos | (d.retain ? 4 : 0));
      writeSubIds(w, d.subIds);
      w.f64(d.enqueuedAt);
      w.u8(ORIGINS.indexOf(d.origin));
    }
    w.u32(s.inflightOut.size);
    for (const f of s.inflightOut.values()) {
      w.u16(f.packetId);
      w.u8(f.qos | (f.retain ? 4 : 0));
      writeSubIds(w, f.subIds);
      w.u8(STATES.indexOf(f.state));
      w.f64(f.since);
      w.f64(f.msg ? index.get(f.msg)! : -1);
    }
    w.u32(s.inflightIn.size);
    for (const [id, since] of s.inflightIn) {
      w.u16(id);
      w.f64(since);
    }
  }
  return w.result();
}

/** Restores state into an empty core. Throws on any inconsistency (the caller sets the file aside). */
export function decodeSnapshot(core: BrokerCore, buf: Buffer): LoadedState {
  const r = new BinReader(buf);
  if (r.u8() !== VERSION) throw new Error('unknown snapshot version');
  const firstLog = r.u32();
  const ids: LogIds = { nextMsg: r.f64(), nextSess: r.u32() };
  const list: Message[] = [];
  const messages = new Map<number, Message>();
  const count = r.u32();
  for (let i = 0; i < count; i++) {
    const jid = r.f64();
    const m = readMessage(r, jid);
    list.push(m);
    messages.set(jid, m);
  }
  const msgAt = (i: number): Message => {
    const m = list[i];
    if (!m) throw new Error('snapshot refers to a missing message');
    return m;
  };
  const retained = r.u32();
  for (let i = 0; i < retained; i++) core.retained.put(msgAt(r.u32()));
  const sessions = new Map<number, Session>();
  const connected = new Set<Session>();
  const n = r.u32();
  for (let i = 0; i < n; i++) {
    const jid = r.u32();
    const meta = readSessionMeta(r);
    const s = new Session(meta.clientId, 0);
    meta.apply(s);
    s.jid = jid;
    const subs = r.u32();
    for (let j = 0; j < subs; j++) {
      const sub = readSub(r, s.clientId);
      s.subs.set(sub.filter, sub);
      core.trie.add(sub);
    }
    const queued = r.u32();
    for (let j = 0; j < queued; j++) {
      const msg = msgAt(r.u32());
      const flags = r.u8();
      const subIds = readSubIds(r);
      const enqueuedAt = r.f64();
      s.queue.push(msg, (flags & 3) as 0 | 1 | 2, (flags & 4) !== 0, subIds, enqueuedAt, ORIGINS[r.u8()] as QueuedDelivery['origin']);
    }
    const inflight = r.u32();
    for (let j = 0; j < inflight; j++) {
      const packetId = r.u16();
      const flags = r.u8();
      const subIds = readSubIds(r);
      const state = STATES[r.u8()];
      const since = r.f64();
      const mi = r.f64();
      const f: InflightOut = { packetId, msg: mi < 0 ? null : msgAt(mi), qos: (flags & 3) as 1 | 2, retain: (flags & 4) !== 0, subIds, state, since, origin: 'queued' };
      s.inflightOut.set(packetId, f);
    }
    const inflightIn = r.u32();
    for (let j = 0; j < inflightIn; j++) s.inflightIn.set(r.u16(), r.f64());
    sessions.set(jid, s);
    core.sessions.set(s.clientId, s);
    if (meta.connected) connected.add(s);
  }
  if (!r.done) throw new Error('snapshot has trailing bytes');
  return { firstLog, ids, messages, sessions, connected };
}
