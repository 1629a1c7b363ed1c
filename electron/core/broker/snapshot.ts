/**
 * Binary snapshot of everything that must survive a restart: retained
 * messages and sessions (subscriptions, queue, in-flight both ways, pending
 * will, counters). Messages shared by many sessions are written once.
 */
import type { DeliveryOrigin } from '../../../shared/broker';
import { BinReader, BinWriter } from './bin-codec';
import type { BrokerCore } from './broker-core';
import { Session } from './session';
import type { ForwardProps, InflightOut, Message, OutState, QueuedDelivery } from './types';

const VERSION = 1;
const ORIGINS: DeliveryOrigin[] = ['live', 'queued', 'redelivered', 'retained'];
const STATES: OutState[] = ['awaiting-puback', 'awaiting-pubrec', 'awaiting-pubcomp'];

function propsToJson(p: ForwardProps): string {
  return JSON.stringify({ ...p, correlationData: p.correlationData ? p.correlationData.toString('base64') : undefined });
}

function propsFromJson(s: string): ForwardProps {
  const o = JSON.parse(s) as ForwardProps & { correlationData?: string };
  return { ...o, correlationData: o.correlationData ? Buffer.from(o.correlationData, 'base64') : undefined } as ForwardProps;
}

function nullableTime(v: number | null): number {
  return v === null ? -1 : v;
}

export function encodeSnapshot(core: BrokerCore): Buffer {
  const messages = new Map<Message, number>();
  const list: Message[] = [];
  const ref = (m: Message): number => {
    let i = messages.get(m);
    if (i === undefined) {
      i = list.length;
      messages.set(m, i);
      list.push(m);
    }
    return i;
  };
  // First pass: collect messages so the table precedes the references.
  for (const m of core.retained.byTopic.values()) ref(m);
  for (const s of core.sessions.values()) {
    for (const d of s.queue) ref(d.msg);
    for (const f of s.inflightOut.values()) if (f.msg) ref(f.msg);
    if (s.will) ref(s.will.msg);
  }
  const w = new BinWriter();
  w.u8(VERSION);
  w.u32(list.length);
  for (const m of list) {
    w.str(m.topic);
    w.bytes(m.payload);
    w.u8(m.qos);
    w.u8(m.retain ? 1 : 0);
    w.f64(m.expiresAt);
    w.str(m.from);
    w.f64(m.createdAt);
    w.optStr(m.props ? propsToJson(m.props) : null);
  }
  w.u32(core.retained.byTopic.size);
  for (const m of core.retained.byTopic.values()) w.u32(messages.get(m)!);
  const subIds = (ids: number[] | null): void => {
    w.u32(ids ? ids.length : 0);
    if (ids) for (const id of ids) w.u32(id);
  };
  w.u32(core.sessions.size);
  for (const s of core.sessions.values()) {
    w.str(s.clientId);
    w.u8(s.protocolVersion);
    w.u8(s.cleanStart ? 1 : 0);
    w.u32(s.expiryInterval);
    w.u8(s.conn ? 1 : 0);
    w.f64(s.expiresAt);
    w.f64(s.createdAt);
    w.f64(nullableTime(s.lastConnectAt));
    w.f64(nullableTime(s.lastDisconnectAt));
    w.optStr(s.lastDisconnectReason);
    w.optStr(s.username);
    w.f64(s.droppedOverflow);
    w.f64(s.droppedExpired);
    if (s.will) {
      w.u8(1);
      w.u32(messages.get(s.will.msg)!);
      w.u32(s.will.delaySeconds);
      w.f64(s.will.expirySeconds ?? -1);
      w.f64(s.willPublishAt);
    } else w.u8(0);
    w.u32(s.subs.size);
    for (const sub of s.subs.values()) {
      w.str(sub.filter);
      w.str(sub.topicFilter);
      w.optStr(sub.share);
      w.u8(sub.qos);
      w.u8((sub.nl ? 1 : 0) | (sub.rap ? 2 : 0));
      w.u8(sub.rh);
      w.u32(sub.subId ?? 0);
    }
    w.u32(s.queue.length);
    for (const d of s.queue) {
      w.u32(messages.get(d.msg)!);
      w.u8(d.qos);
      w.u8(d.retain ? 1 : 0);
      subIds(d.subIds);
      w.f64(d.enqueuedAt);
      w.u8(ORIGINS.indexOf(d.origin));
    }
    w.u32(s.inflightOut.size);
    for (const f of s.inflightOut.values()) {
      w.u32(f.packetId);
      w.u8(f.qos);
      w.u8(f.retain ? 1 : 0);
      subIds(f.subIds);
      w.u8(STATES.indexOf(f.state));
      w.f64(f.since);
      w.f64(f.msg ? messages.get(f.msg)! : -1);
    }
    w.u32(s.inflightIn.size);
    for (const [id, since] of s.inflightIn) {
      w.u32(id);
      w.f64(since);
    }
  }
  return w.result();
}

/** Restores state into an empty core. Sessions that were connected at snapshot time come back disconnected now. */
export function decodeSnapshot(core: BrokerCore, buf: Buffer, now: number): void {
  const r = new BinReader(buf);
  if (r.u8() !== VERSION) throw new Error('unknown snapshot version');
  const list: Message[] = [];
  const count = r.u32();
  for (let i = 0; i < count; i++) {
    const topic = r.str();
    const payload = r.bytes();
    const qos = r.u8() as 0 | 1 | 2;
    const retain = r.u8() === 1;
    const expiresAt = r.f64();
    const from = r.str();
    const createdAt = r.f64();
    const props = r.optStr();
    list.push({ topic, topicBuf: Buffer.from(topic), payload, qos, retain, expiresAt, from, createdAt, props: props ? propsFromJson(props) : null });
  }
  const retained = r.u32();
  for (let i = 0; i < retained; i++) core.retained.put(list[r.u32()]);
  const subIds = (): number[] | null => {
    const n = r.u32();
    if (n === 0) return null;
    const ids: number[] = [];
    for (let i = 0; i < n; i++) ids.push(r.u32());
    return ids;
  };
  const sessions = r.u32();
  for (let i = 0; i < sessions; i++) {
    const s = new Session(r.str(), now);
    s.protocolVersion = r.u8() as 3 | 4 | 5;
    s.cleanStart = r.u8() === 1;
    s.expiryInterval = r.u32();
    const wasConnected = r.u8() === 1;
    s.expiresAt = r.f64();
    s.createdAt = r.f64();
    const lc = r.f64();
    const ld = r.f64();
    s.lastConnectAt = lc < 0 ? null : lc;
    s.lastDisconnectAt = ld < 0 ? null : ld;
    s.lastDisconnectReason = r.optStr();
    s.username = r.optStr();
    s.droppedOverflow = r.f64();
    s.droppedExpired = r.f64();
    if (r.u8() === 1) {
      const msg = list[r.u32()];
      const delaySeconds = r.u32();
      const exp = r.f64();
      s.will = { msg, delaySeconds, expirySeconds: exp < 0 ? undefined : exp };
      s.willPublishAt = r.f64();
    }
    const subs = r.u32();
    for (let j = 0; j < subs; j++) {
      const filter = r.str();
      const topicFilter = r.str();
      const share = r.optStr();
      const qos = r.u8() as 0 | 1 | 2;
      const flags = r.u8();
      const rh = r.u8() as 0 | 1 | 2;
      const subId = r.u32();
      const sub = { filter, topicFilter, share, qos, nl: (flags & 1) !== 0, rap: (flags & 2) !== 0, rh, subId: subId || undefined, clientId: s.clientId };
      s.subs.set(filter, sub);
      core.trie.add(sub);
    }
    const queued = r.u32();
    for (let j = 0; j < queued; j++) {
      const msg = list[r.u32()];
      const d: QueuedDelivery = { msg, qos: r.u8() as 0 | 1 | 2, retain: r.u8() === 1, subIds: subIds(), enqueuedAt: r.f64(), origin: ORIGINS[r.u8()] as QueuedDelivery['origin'] };
      s.queue.push(d);
      s.queuedBytes += msg.payload.length;
    }
    const inflight = r.u32();
    for (let j = 0; j < inflight; j++) {
      const packetId = r.u32();
      const qos = r.u8() as 1 | 2;
      const retain = r.u8() === 1;
      const ids = subIds();
      const state = STATES[r.u8()];
      const since = r.f64();
      const mi = r.f64();
      const f: InflightOut = { packetId, qos, retain, subIds: ids, state, since, msg: mi < 0 ? null : list[mi] };
      s.inflightOut.set(packetId, f);
    }
    const inflightIn = r.u32();
    for (let j = 0; j < inflightIn; j++) s.inflightIn.set(r.u32(), r.f64());
    if (wasConnected) {
      // The broker died with this client connected: the connection is lost as of now.
      s.lastDisconnectAt = now;
      s.lastDisconnectReason = 'broker stopped unexpectedly';
      if (s.expiryInterval === 0) continue;
      s.expiresAt = s.expiryInterval === 0xffffffff ? 0 : now + s.expiryInterval * 1000;
      if (s.will) s.willPublishAt = now + s.will.delaySeconds * 1000;
    }
    core.sessions.set(s.clientId, s);
    if (s.expiresAt !== 0 || s.willPublishAt !== 0) core.timed.add(s);
  }
  if (!r.done) throw new Error('snapshot has trailing bytes');
}
