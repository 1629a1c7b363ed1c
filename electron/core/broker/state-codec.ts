/**
 * Binary encoding of the pieces of broker state shared by the snapshot and
 * the append-only log: messages, session metadata (incl. the pending will),
 * subscriptions and subscription-identifier lists. One encoding for both so
 * a log record and a snapshot entry can never drift apart.
 */
import type { DeliveryOrigin } from '../../../shared/broker';
import type { BinReader, BinWriter } from './bin-codec';
import { bodyFrom, newMessage, payloadOf } from './message';
import { Session } from './session';
import type { ForwardProps, Message, OutState, Subscription } from './types';

export const ORIGINS: DeliveryOrigin[] = ['live', 'queued', 'redelivered', 'retained'];
export const STATES: OutState[] = ['awaiting-puback', 'awaiting-pubrec', 'awaiting-pubcomp'];

function propsToJson(p: ForwardProps): string {
  return JSON.stringify({ ...p, correlationData: p.correlationData ? p.correlationData.toString('base64') : undefined });
}

function propsFromJson(s: string): ForwardProps {
  const o = JSON.parse(s) as ForwardProps & { correlationData?: string };
  return { ...o, correlationData: o.correlationData ? Buffer.from(o.correlationData, 'base64') : undefined } as ForwardProps;
}

export function writeMessage(w: BinWriter, m: Message): void {
  w.str(m.topic);
  w.bytes(payloadOf(m));
  w.u8(m.qos | (m.retain ? 4 : 0));
  w.f64(m.expiresAt);
  w.str(m.from);
  w.f64(0); // was the creation time (never read); kept so the format does not change
  w.optStr(m.props ? propsToJson(m.props) : null);
}

export function readMessage(r: BinReader, jid: number): Message {
  const topic = r.str();
  const payload = r.bytes();
  const flags = r.u8();
  const expiresAt = r.f64();
  const from = r.str();
  r.f64(); // creation time, unused
  const props = r.optStr();
  return newMessage(topic, Buffer.from(topic), bodyFrom(payload), (flags & 3) as 0 | 1 | 2, (flags & 4) !== 0, props ? propsFromJson(props) : null, expiresAt, from, jid);
}

export function writeSubIds(w: BinWriter, ids: number[] | null): void {
  w.u32(ids ? ids.length : 0);
  if (ids) for (const id of ids) w.u32(id);
}

export function readSubIds(r: BinReader): number[] | null {
  const n = r.u32();
  if (n === 0) return null;
  if (n > 65536) throw new Error('implausible subscription identifier count');
  const ids: number[] = [];
  for (let i = 0; i < n; i++) ids.push(r.u32());
  return ids;
}

export function writeSub(w: BinWriter, sub: Subscription): void {
  w.str(sub.filter);
  w.str(sub.topicFilter);
  w.optStr(sub.share);
  w.u8(sub.qos);
  w.u8((sub.nl ? 1 : 0) | (sub.rap ? 2 : 0));
  w.u8(sub.rh);
  w.u32(sub.subId ?? 0);
}

export function readSub(r: BinReader, clientId: string): Subscription {
  const filter = r.str();
  const topicFilter = r.str();
  const share = r.optStr();
  const qos = r.u8() as 0 | 1 | 2;
  const flags = r.u8();
  const rh = r.u8() as 0 | 1 | 2;
  const subId = r.u32();
  return { filter, topicFilter, share, qos, nl: (flags & 1) !== 0, rap: (flags & 2) !== 0, rh, subId: subId || undefined, clientId };
}

function nullableTime(v: number | null): number {
  return v === null ? -1 : v;
}

/** Session fields other than subscriptions, queue and in-flight state. The will travels inline. */
export function writeSessionMeta(w: BinWriter, s: Session): void {
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
    writeMessage(w, s.will.msg);
    w.u32(s.will.delaySeconds);
    w.f64(s.will.expirySeconds ?? -1);
    w.f64(s.willPublishAt);
  } else w.u8(0);
}

export interface SessionMeta {
  clientId: string;
  connected: boolean;
  apply(s: Session): void;
}

/** Reads session metadata; `apply` copies it onto a (new or existing) session. */
export function readSessionMeta(r: BinReader): SessionMeta {
  const clientId = r.str();
  const protocolVersion = r.u8() as 3 | 4 | 5;
  const cleanStart = r.u8() === 1;
  const expiryInterval = r.u32();
  const connected = r.u8() === 1;
  const expiresAt = r.f64();
  const createdAt = r.f64();
  const lc = r.f64();
  const ld = r.f64();
  const lastDisconnectReason = r.optStr();
  const username = r.optStr();
  const droppedOverflow = r.f64();
  const droppedExpired = r.f64();
  let will: Session['will'] = null;
  let willPublishAt = 0;
  if (r.u8() === 1) {
    const msg = readMessage(r, 0);
    const delaySeconds = r.u32();
    const exp = r.f64();
    will = { msg, delaySeconds, expirySeconds: exp < 0 ? undefined : exp };
    willPublishAt = r.f64();
  }
  return {
    clientId,
    connected,
    apply(s: Session): void {
      s.protocolVersion = protocolVersion;
      s.cleanStart = cleanStart;
      s.expiryInterval = expiryInterval;
      s.expiresAt = expiresAt;
      s.createdAt = createdAt;
      s.lastConnectAt = lc < 0 ? null : lc;
      s.lastDisconnectAt = ld < 0 ? null : ld;
      s.lastDisconnectReason = lastDisconnectReason;
      s.username = username;
      s.droppedOverflow = droppedOverflow;
      s.droppedExpired = droppedExpired;
      s.will = will;
      s.willPublishAt = willPublishAt;
    },
  };
}
