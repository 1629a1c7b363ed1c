/**
 * The broker's state and message flow: sessions, subscription index,
 * retained store, routing, delivery with in-flight windows and offline
 * queues, acknowledgements and the periodic sweep (keep-alive, will delay,
 * session expiry). One sweep timer for everything: no per-message timers.
 */
import { isUtf8 } from 'node:buffer';
import type { ISubscribePacket, IUnsubscribePacket } from 'mqtt-packet';
import type { ConnectRequest } from './connect-parser';
import type { BrokerSettings, DeliveryOrigin } from '../../../shared/broker';
import { parseSharedFilter, topicFilterError } from '../../../shared/mqtt/topic';
import { publishDenial, subscribeDenial } from './auth';
import type { InPublish } from './codec';
import { encodeSuback, encodeUnsuback } from './encoders';
import { afterProgress, block, checkHeldTooLong, highWater, release } from './flow-control';
import { connectFlow, connectionClosedFlow, endSession } from './session-lifecycle';
import type { Connection } from './connection';
import { writePublish } from './publish-out';
import { EventStream, type EventFields } from './event-stream';
import { SHIFT_EXPIRED, SHIFT_OVERFLOW, SHIFT_SENT, type Journal } from './journal';
import { expiryFrom, forwardProps, newMessage } from './message';
import { RetainedStore } from './retained-store';
import type { Session } from './session';
import { TopicTrie, type MatchVisitor } from './topic-trie';
import type { InflightOut, Message, Subscription } from './types';

const SWEEP_MS = 250;
const CONNECT_TIMEOUT_MS = 10_000;


export class BrokerCore {
  settings: BrokerSettings;
  readonly sessions = new Map<string, Session>();
  readonly trie = new TopicTrie();
  readonly retained = new RetainedStore();
  readonly events = new EventStream();
  readonly connections = new Set<Connection>();
  /** Disconnected sessions with an expiry or a pending will. */
  readonly timed = new Set<Session>();
  readonly counters = { messagesIn: 0, messagesOut: 0, dropped: 0 };
  /**
   * The persistence log, or null when persistence is off (then no journaling
   * code runs at all). Only sessions with a log id (`jid`) are journaled.
   */
  journal: Journal | null = null;
  /** Connections whose output waits for log records to become durable. */
  readonly held = new Set<Connection>();
  /** Set while the broker closes its connections on stop. */
  stopping = false;
  private flushList: Connection[] = [];
  private readonly flushAllCb = (): void => this.flushAll();
  private flushScheduled = false;
  private sweepTimer: NodeJS.Timeout | null = null;
  /** Plain subscriptions matched by the message being routed (reused: no allocation per message). */
  /** Only [0, hitCount) is valid: resetting `length` would make V8 drop and reallocate the backing store per message. */
  private readonly hits: (Subscription | null)[] = [];
  private hitCount = 0;
  /** Per-client aggregation when many subscriptions match (the pairwise check below is for a few). */
  private readonly many = new Map<string, { qos: 0 | 1 | 2; subIds: number[] | null; rap: boolean }>();
  private readonly sharedPicks: Subscription[] = [];
  /** The connection whose PUBLISH is being routed (backpressure pauses it); null for wills and retained. */
  private publisher: Connection | null = null;
  private readonly roundRobin = new WeakMap<Map<string, Subscription>, number>();
  private routingMsg: Message | null = null;
  private readonly visitor: MatchVisitor;

  constructor(settings: BrokerSettings) {
    this.settings = settings;
    this.visitor = {
      plain: (sub) => {
        if (sub.nl && sub.clientId === this.routingMsg!.from) return;
        this.hits[this.hitCount++] = sub;
      },
      shared: (_group, members) => {
        const pick = this.pickShared(members);
        if (pick) this.sharedPicks.push(pick);
      },
    };
  }

  startSweep(): void {
    if (this.sweepTimer) return;
    this.sweepTimer = setInterval(() => this.sweep(Date.now()), SWEEP_MS);
    this.sweepTimer.unref?.();
  }

  stopSweep(): void {
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    this.sweepTimer = null;
  }

  /** Log position to compare against after a change (0 without persistence). */
  get logSeq(): number {
    return this.journal !== null ? this.journal.seq : 0;
  }

  /** Holds the connection's output (from now on) until records appended since `before` are durable. */
  holdIfLogged(conn: Connection, before: number): void {
    const j = this.journal;
    if (j !== null && j.seq !== before) conn.holdFor(j.seq);
  }

  /** The log reached a new durable position: send what waited for it. */
  releaseHeld(): void {
    if (this.held.size === 0) return;
    const durable = this.journal!.durableSeq;
    for (const conn of this.held) {
      if (conn.holdUntil > durable) continue;
      this.held.delete(conn);
      conn.release();
    }
  }

  emit(kind: Parameters<EventStream['emit']>[0], fields: EventFields): void {
    this.events.emit(kind, fields);
  }

  // ---- connection plumbing ----

  queueFlush(conn: Connection): void {
    this.flushList.push(conn);
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(this.flushAllCb);
    }
  }

  private flushAll(): void {
    this.flushScheduled = false;
    const list = this.flushList;
    this.flushList = [];
    const limit = this.settings.outputBufferLimit;
    const now = Date.now();
    for (const conn of list) {
      conn.flush();
      if (conn.closed) continue;
      // The OS may take a big write at once (no 'drain' event then): resume what waited for room.
      if (conn.congestedSince !== 0 && !this.congested(conn)) this.drained(conn);
      else afterProgress(conn, limit, now);
    }
  }

  /**
   * Over the hard output limit (see flow-control): QoS 1/2 deliveries wait in the session queue
   * (bounded by maxQueuedMessages) and QoS 0 ones are dropped.
   */
  congested(conn: Connection): boolean {
    if (conn.pending() <= this.settings.outputBufferLimit) return false;
    conn.transport.watchDrain();
    if (conn.congestedSince === 0) conn.congestedSince = Date.now(); // a drain (or the sweep) resumes the queue
    return true;
  }

  /** Output went out: resume paused publishers and send what waited in the queue. */
  drained(conn: Connection): void {
    conn.congestedSince = 0;
    const now = Date.now();
    afterProgress(conn, this.settings.outputBufferLimit, now);
    const s = conn.session;
    if (s && s.conn === conn && s.queue.length > 0) this.pump(s, now);
  }

  /** A client that does not read: drop the connection, keep the session; later messages queue offline. */
  stuck(conn: Connection): void {
    this.emit('client-disconnected', { clientId: conn.clientId, reason: 'output buffer limit exceeded (client not reading)' });
    conn.destroy(`output buffer over ${highWater(this.settings.outputBufferLimit)} bytes for ${this.settings.stallTimeout} s (client not reading)`);
  }

  connect(conn: Connection, pkt: ConnectRequest): void {
    connectFlow(this, conn, pkt);
  }

  connectionClosed(conn: Connection): void {
    const now = Date.now();
    if (conn.blocking !== null) release(conn, now);
    connectionClosedFlow(this, conn, now);
  }

  /** `code` undefined: closed without a CONNACK (a 3.x malformed CONNECT has no return code). */
  noteRefused(conn: Connection, code: number | undefined, reason: string): void {
    this.emit('connect-refused', { clientId: conn.clientId || undefined, reasonCode: code, reason, protocolVersion: conn.version || undefined });
  }

  noteProtocolError(conn: Connection, code: number, reason: string): void {
    this.emit('protocol-error', { clientId: conn.clientId || undefined, reasonCode: code, reason, protocolVersion: conn.version || undefined });
  }

  // ---- inbound ----

  inboundPublish(conn: Connection, pub: InPublish): void {
    const session = conn.session!;
    const settings = this.settings;
    let topic = pub.topic;
    let topicBuf = pub.topicBuf;
    const props = pub.properties;
    if (conn.v5 && props) {
      if (props.subscriptionIdentifier !== undefined) return conn.protocolError(0x82, 'PUBLISH from a client carries a Subscription Identifier');
      const alias = props.topicAlias;
      if (alias !== undefined) {
        if (alias === 0 || alias > settings.topicAliasMaximum) return conn.protocolError(0x94, `Topic Alias ${alias} is outside 1..${settings.topicAliasMaximum}`);
        if (topic.length > 0) (conn.aliasesIn ??= new Map()).set(alias, topic);
        else {
          const known = conn.aliasesIn?.get(alias);
          if (known === undefined) return conn.protocolError(0x82, `Topic Alias ${alias} was never set on this connection`);
          topic = known;
          topicBuf = null;
        }
      }
    }
    if (topic.length === 0) return conn.protocolError(conn.v5 ? 0x82 : 0x81, 'PUBLISH with an empty topic name');
    if (topic.includes('+') || topic.includes('#')) return conn.protocolError(0x90, `wildcard in PUBLISH topic "${topic}"`);
    const qos = pub.qos;
    const id = pub.messageId;
    if (qos === 0 && pub.dup) return conn.protocolError(0x81, 'DUP set on a QoS 0 PUBLISH');
    if (qos > 0 && !id) return conn.protocolError(0x82, 'QoS > 0 PUBLISH with packet identifier 0');
    if (pub.retain && !settings.retainAvailable) return conn.protocolError(0x9a, 'retained messages are disabled on this broker');
    const v5 = conn.v5;
    this.counters.messagesIn++;
    const denied = publishDenial(settings.authRules, session.clientId, session.username, topic);
    if (denied) {
      const code = denied.reasonCode ?? 0x87;
      this.counters.dropped++;
      this.emit('message-dropped', { clientId: session.clientId, topic, qos, reason: 'publish not authorized', reasonCode: v5 ? code : undefined });
      // 3.x has no failure code: acknowledge and drop (MQTT-3.3.5-2).
      if (qos === 1) conn.writeAck(4, id, code);
      else if (qos === 2) {
        if (!v5) {
          const before = this.logSeq;
          session.inflightIn.set(id, Date.now());
          if (session.jid !== 0) this.journal!.inadd(session, id, Date.now());
          this.holdIfLogged(conn, before);
        }
        conn.writeAck(5, id, code);
      }
      return;
    }
    if (qos === 2) {
      if (session.inflightIn.has(id)) {
        // Resent before PUBREL: already routed once (exactly once), acknowledge again only (once that routing is durable).
        const j = this.journal;
        if (j !== null && session.jid !== 0) conn.holdFor(j.seq);
        conn.writeAck(5, id, 0);
        return;
      }
      if ((conn.qos2In?.size ?? 0) >= settings.receiveMaximum) return conn.protocolError(0x93, 'Receive Maximum exceeded');
    }
    if (v5 && props?.payloadFormatIndicator === 1 && !isUtf8(typeof pub.body === 'string' ? Buffer.from(pub.body, 'latin1') : pub.body)) {
      this.counters.dropped++;
      this.emit('message-dropped', { clientId: session.clientId, topic, qos, reason: 'payload is not UTF-8 although Payload Format Indicator says so' });
      if (qos === 1) conn.writeAck(4, id, 0x99);
      else if (qos === 2) conn.writeAck(5, id, 0x99);
      return;
    }
    const now = Date.now();
    if (topicBuf === null) {
      // Decoded by mqtt-packet or resolved from an alias: intern it like the fast path does.
      if (topic !== conn.lastTopic || conn.lastTopicBuf === null) {
        conn.lastTopic = topic;
        conn.lastTopicBuf = Buffer.from(topic, 'utf8');
      }
      topicBuf = conn.lastTopicBuf;
    }
    const expiresAt = v5 ? expiryFrom(props?.messageExpiryInterval, now) : 0;
    const msg = newMessage(topic, topicBuf, pub.body, qos, pub.retain, v5 ? forwardProps(props) : null, expiresAt, session.clientId, 0);
    const before = this.logSeq;
    if (qos === 2) {
      // Logged with (before) the routed copies, in the same commit: a resend after a crash is recognised, never routed twice.
      session.inflightIn.set(id, now);
      (conn.qos2In ??= new Set()).add(id);
      if (session.jid !== 0) this.journal!.inadd(session, id, now);
    }
    this.publisher = conn;
    const matched = this.route(msg, now);
    this.publisher = null;
    if (qos === 0) return;
    // Never acknowledge before what the acknowledgement promises is on disk.
    this.holdIfLogged(conn, before);
    conn.writeAck(qos === 1 ? 4 : 5, id, matched === 0 ? 0x10 : 0);
  }

  onPuback(session: Session, id: number): void {
    const f = session.inflightOut.get(id);
    if (!f || f.state !== 'awaiting-puback') return;
    session.inflightOut.delete(id);
    if (session.jid !== 0) this.journal!.idel(session, id);
    this.windowFreed(session);
  }

  /** An acknowledgement freed a place in the client's in-flight window. */
  private windowFreed(session: Session): void {
    if (session.queue.length > 0 || session.resendWaiting !== null) this.pump(session, Date.now());
  }

  onPubrec(conn: Connection, session: Session, id: number, reasonCode: number): void {
    const f = session.inflightOut.get(id);
    if (!f || f.state === 'awaiting-puback') {
      conn.writeAck(6, id, 0x92);
      return;
    }
    const durable = session.jid !== 0;
    if (reasonCode >= 0x80) {
      session.inflightOut.delete(id);
      if (durable) this.journal!.idel(session, id);
      this.windowFreed(session);
    } else {
      f.state = 'awaiting-pubcomp';
      f.msg = null;
      if (durable) {
        // PUBREL lets the client forget the packet id: the broker must not resend the PUBLISH after a crash.
        this.journal!.istate(session, id);
        conn.holdFor(this.journal!.seq);
      }
      conn.writeAck(6, id, 0);
    }
  }

  onPubcomp(session: Session, id: number): void {
    const f = session.inflightOut.get(id);
    if (!f || f.state !== 'awaiting-pubcomp') return;
    session.inflightOut.delete(id);
    if (session.jid !== 0) this.journal!.idel(session, id);
    this.windowFreed(session);
  }

  subscribe(conn: Connection, session: Session, pkt: ISubscribePacket): void {
    if (!pkt.messageId) return conn.protocolError(0x82, 'SUBSCRIBE with packet identifier 0');
    if (pkt.subscriptions.length === 0) return conn.protocolError(conn.v5 ? 0x82 : 0x81, 'SUBSCRIBE without a topic filter (MQTT-3.8.3-2/3)');
    const v5 = conn.v5;
    const before = this.logSeq;
    const subId = v5 ? pkt.properties?.subscriptionIdentifier : undefined;
    const codes: number[] = [];
    const withRetained: Subscription[] = [];
    for (const s of pkt.subscriptions) {
      const parsed = parseSharedFilter(s.topic);
      // 3.x has no shared subscriptions: a well-formed $share/group/filter is offered as an extension
      // (as mosquitto, EMQX and HiveMQ do), anything else starting with $share/ is an ordinary filter.
      const asShare = parsed !== 'invalid' || v5;
      const problem = topicFilterError(s.topic, asShare);
      if (problem) {
        codes.push(v5 ? 0x8f : 0x80);
        this.emit('protocol-error', { clientId: session.clientId, topic: s.topic, reason: `subscription refused: ${problem}` });
        continue;
      }
      const share = parsed && parsed !== 'invalid' ? parsed : null;
      if (share && s.nl) return conn.protocolError(0x82, 'No Local set on a shared subscription (MQTT-3.8.3-4)');
      const denied = subscribeDenial(this.settings.authRules, session.clientId, session.username, s.topic);
      if (denied) {
        const code = v5 ? (denied.reasonCode ?? 0x87) : 0x80;
        codes.push(code);
        this.emit('protocol-error', { clientId: session.clientId, topic: s.topic, reasonCode: code, reason: 'subscribe not authorized' });
        continue;
      }
      const existed = session.subs.has(s.topic);
      const sub: Subscription = {
        filter: s.topic,
        topicFilter: share ? share.filter : s.topic,
        share: share ? share.group : null,
        qos: s.qos,
        nl: !!s.nl,
        rap: !!s.rap,
        rh: (s.rh ?? 0) as 0 | 1 | 2,
        subId,
        clientId: session.clientId,
      };
      const prev = session.subs.get(s.topic);
      if (prev) this.trie.remove(prev);
      session.subs.set(s.topic, sub);
      this.trie.add(sub);
      if (session.jid !== 0) this.journal!.sub(session, sub);
      codes.push(s.qos);
      if (!share && (sub.rh === 0 || (sub.rh === 1 && !existed))) withRetained.push(sub);
    }
    this.holdIfLogged(conn, before);
    conn.write(encodeSuback(conn.version, pkt.messageId, codes));
    const now = Date.now();
    for (const sub of withRetained) {
      for (const m of this.retained.match(sub.topicFilter, now)) {
        this.deliver(session, m, Math.min(m.qos, sub.qos) as 0 | 1 | 2, true, sub.subId ? [sub.subId] : null, 'retained', now);
      }
    }
  }

  unsubscribe(conn: Connection, session: Session, pkt: IUnsubscribePacket): void {
    if (!pkt.messageId) return conn.protocolError(0x82, 'UNSUBSCRIBE with packet identifier 0');
    if (pkt.unsubscriptions.length === 0) return conn.protocolError(conn.v5 ? 0x82 : 0x81, 'UNSUBSCRIBE without a topic filter (MQTT-3.10.3-2)');
    const codes: number[] = [];
    const before = this.logSeq;
    for (const filter of pkt.unsubscriptions) {
      const sub = session.subs.get(filter);
      if (sub) {
        session.subs.delete(filter);
        this.trie.remove(sub);
        if (session.jid !== 0) this.journal!.unsub(session, filter);
        codes.push(0x00);
      } else codes.push(0x11);
    }
    this.holdIfLogged(conn, before);
    conn.write(encodeUnsuback(conn.version, pkt.messageId, codes));
  }

  // ---- routing and delivery ----

  /** Routes to every matching session; returns how many sessions got (or queued) it. */
  route(msg: Message, now: number): number {
    if (msg.retain && this.retained.put(msg) && this.journal !== null) {
      if (msg.body.length === 0) this.journal.unretain(msg.topic);
      else this.journal.retain(msg);
    }
    const hits = this.hits;
    const picks = this.sharedPicks;
    this.hitCount = 0;
    if (picks.length > 0) picks.length = 0;
    this.routingMsg = msg;
    this.trie.match(msg.topic, this.visitor);
    this.routingMsg = null;
    let n = 0;
    const count = this.hitCount;
    if (count > 16) n = this.deliverMany(msg, now);
    // deliver() never re-enters route(), so the reused arrays can be walked in place.
    else for (let i = 0; i < count; i++) {
      const sub = hits[i];
      if (sub === null) continue;
      const session = this.sessions.get(sub.clientId);
      if (!session) continue;
      n++;
      let qos = sub.qos;
      let rap = sub.rap;
      let subIds: number[] | null = sub.subId ? [sub.subId] : null;
      // Overlapping subscriptions of one client: one copy at the highest QoS, with every matching identifier (MQTT-3.3.4-2/3).
      for (let k = i + 1; k < count; k++) {
        const other = hits[k];
        if (other === null || other.clientId !== sub.clientId) continue;
        if (other.qos > qos) qos = other.qos;
        rap ||= other.rap;
        if (other.subId) (subIds ??= []).push(other.subId);
        hits[k] = null;
      }
      // 3.x and rap=0: RETAIN is cleared on messages for established subscriptions (MQTT-3.3.1-9 / 3.3.1-12).
      this.deliver(session, msg, msg.qos < qos ? msg.qos : qos, rap ? msg.retain : false, subIds, 'live', now);
    }
    for (const sub of picks) {
      const session = this.sessions.get(sub.clientId);
      if (!session) continue;
      n++;
      this.deliver(session, msg, (msg.qos < sub.qos ? msg.qos : sub.qos) as 0 | 1 | 2, sub.rap ? msg.retain : false, sub.subId ? [sub.subId] : null, 'live', now);
    }
    // Drop the references (not the array) so ended sessions' subscriptions can be collected.
    if (count > 1024) hits.length = 0; // a rare huge fan-out does not keep a huge array
    else for (let i = 0; i < count; i++) hits[i] = null;
    this.hitCount = 0;
    return n;
  }

  /** route() for many matching subscriptions: one aggregate per client through a map. */
  private deliverMany(msg: Message, now: number): number {
    const many = this.many;
    many.clear();
    for (let i = 0; i < this.hitCount; i++) {
      const sub = this.hits[i];
      const agg = many.get(sub!.clientId);
      if (!agg) many.set(sub!.clientId, { qos: sub!.qos, subIds: sub!.subId ? [sub!.subId] : null, rap: sub!.rap });
      else {
        if (sub!.qos > agg.qos) agg.qos = sub!.qos;
        if (sub!.subId) (agg.subIds ??= []).push(sub!.subId);
        agg.rap ||= sub!.rap;
      }
    }
    let n = 0;
    for (const [clientId, agg] of many) {
      const session = this.sessions.get(clientId);
      if (!session) continue;
      n++;
      this.deliver(session, msg, msg.qos < agg.qos ? msg.qos : agg.qos, agg.rap ? msg.retain : false, agg.subIds, 'live', now);
    }
    many.clear();
    return n;
  }

  private pickShared(members: Map<string, Subscription>): Subscription | null {
    const list = [...members.values()];
    if (list.length === 0) return null;
    const start = this.roundRobin.get(members) ?? 0;
    this.roundRobin.set(members, start + 1);
    // Prefer a connected member; an all-offline group still queues for one of them.
    for (let i = 0; i < list.length; i++) {
      const sub = list[(start + i) % list.length];
      const conn = this.sessions.get(sub.clientId)?.conn;
      if (conn && !conn.closed) return sub;
    }
    return list[start % list.length];
  }

  deliver(session: Session, msg: Message, qos: 0 | 1 | 2, retain: boolean, subIds: number[] | null, origin: DeliveryOrigin, now: number): void {
    if (msg.expiresAt !== 0 && msg.expiresAt <= now) {
      this.dropExpired(session, msg);
      return;
    }
    const conn = session.conn;
    if (conn && conn.accepted && !conn.closed) {
      const pending = conn.pending();
      const limit = this.settings.outputBufferLimit;
      let busy = false;
      if (pending > highWater(limit)) {
        conn.transport.watchDrain();
        // Slow down the publisher to this subscriber's pace rather than lose or pile up messages.
        const pub = this.publisher;
        const paused = !conn.shedding && pub !== null && !pub.closed;
        if (paused) block(pub, conn, now);
        // The message a now-paused publisher already sent still goes out: past the limit by at most
        // one message per paused publisher (each at most maxPacketSize), never an unbounded pile.
        busy = conn.shedding || (pending > limit && !paused);
        if (busy && conn.congestedSince === 0) conn.congestedSince = now;
      }
      if (qos === 0) {
        if (!busy) this.sendPublish(conn, session, msg, 0, retain, subIds, 0, false, origin, now);
        else {
          this.counters.dropped++;
          if (this.events.active) this.emit('message-dropped', { clientId: session.clientId, topic: msg.topic, qos: 0, reason: 'slow-subscriber' });
        }
      } else if (!busy && session.queue.length === 0 && session.inflightOut.size < conn.sendQuota) this.sendNew(conn, session, msg, qos, retain, subIds, origin, now);
      else this.enqueue(session, msg, qos, retain, subIds, origin === 'retained' ? 'retained' : 'live', now);
      return;
    }
    if (qos === 0 && !this.settings.queueQos0) {
      if (this.events.active) this.emit('message-dropped', { clientId: session.clientId, topic: msg.topic, qos: 0, reason: 'QoS 0 message for an offline client (queueQos0 is off)' });
      return;
    }
    this.enqueue(session, msg, qos, retain, subIds, origin === 'retained' ? 'retained' : 'queued', now);
  }

  private dropExpired(session: Session, msg: Message): void {
    session.droppedExpired++;
    this.counters.dropped++;
    if (this.events.active) this.emit('message-dropped', { clientId: session.clientId, topic: msg.topic, reason: 'message expired (Message Expiry Interval)' });
  }

  private enqueue(session: Session, msg: Message, qos: 0 | 1 | 2, retain: boolean, subIds: number[] | null, origin: 'live' | 'queued' | 'retained', now: number): void {
    const q = session.queue;
    if (q.length >= this.settings.maxQueuedMessages) {
      session.droppedOverflow++;
      this.counters.dropped++;
      if (this.settings.overflowPolicy === 'drop-new') {
        if (this.events.active) this.emit('message-dropped', { clientId: session.clientId, topic: msg.topic, qos, reason: 'queue full (drop-new)' });
        return;
      }
      const oldQos = q.headQos;
      const old = q.shift()!;
      if (session.jid !== 0) this.journal!.qshift(session, SHIFT_OVERFLOW);
      if (this.events.active) this.emit('message-dropped', { clientId: session.clientId, topic: old.topic, qos: oldQos, reason: 'queue full (drop-oldest)' });
    }
    q.push(msg, qos, retain, subIds, now, origin);
    if (session.jid !== 0) this.journal!.enq(session, msg, qos, retain, subIds, now, origin);
    if (this.events.active) this.emit('message-queued', { clientId: session.clientId, topic: msg.topic, qos, origin });
  }

  /** Sends queued messages while the client's in-flight window has room. */
  pump(session: Session, now: number): void {
    const conn = session.conn;
    if (!conn || conn.closed || !conn.accepted) return;
    const quota = conn.sendQuota;
    if (session.resendWaiting !== null && !this.resendMore(conn, session, quota, now)) return;
    const q = session.queue;
    // Fill the window only up to the high-water mark: the rest follows as the socket drains.
    const room = highWater(this.settings.outputBufferLimit);
    while (q.length > 0 && session.inflightOut.size < quota && !conn.closed) {
      if (conn.pending() > room) {
        conn.transport.watchDrain();
        if (conn.congestedSince === 0) conn.congestedSince = now; // drain / flush / sweep resume it
        break;
      }
      const qos = q.headQos;
      const retain = q.headRetain;
      const subIds = q.headSubIds;
      const origin = q.headOrigin;
      const msg = q.shift()!;
      if (msg.expiresAt !== 0 && msg.expiresAt <= now) {
        if (session.jid !== 0) this.journal!.qshift(session, SHIFT_EXPIRED);
        this.dropExpired(session, msg);
        continue;
      }
      if (qos === 0) {
        if (session.jid !== 0) this.journal!.qshift(session, SHIFT_SENT);
        this.sendPublish(conn, session, msg, 0, retain, subIds, 0, false, origin, now);
      } else this.sendNew(conn, session, msg, qos, retain, subIds, origin, now, true);
    }
  }

  /** `fromQueue`: the delivery is the session queue's head, just shifted (logged as one QSEND record). */
  private sendNew(conn: Connection, session: Session, msg: Message, qos: 1 | 2, retain: boolean, subIds: number[] | null, origin: DeliveryOrigin, now: number, fromQueue = false): void {
    const id = session.allocatePacketId();
    const f: InflightOut = { packetId: id, msg, qos, retain, subIds, state: qos === 1 ? 'awaiting-puback' : 'awaiting-pubrec', since: now, origin };
    const j = session.jid !== 0 ? this.journal! : null;
    if (j !== null) {
      if (fromQueue) j.qsend(session, id, now);
      else j.infl(session, f);
      // QoS 1 may go out at once (a lost record means a redelivery, allowed); QoS 2 waits until the
      // delivery is durable, or a crash could make the broker send it again under a new packet id.
      if (qos === 2) conn.holdFor(j.seq);
    }
    // In flight before it is written: the delivery oracle answers from the in-flight entry.
    session.inflightOut.set(id, f);
    if (!this.sendPublish(conn, session, msg, qos, retain, subIds, id, false, origin, now)) {
      session.inflightOut.delete(id);
      if (j !== null) j.idel(session, id);
    }
  }

  /**
   * In-flight messages first, with DUP and their original packet ids (MQTT-4.4.0-1), then the queue.
   * The new connection's Receive Maximum applies to them too: past it, the rest wait (in order) for acks.
   */
  resume(conn: Connection, session: Session, now: number): void {
    let sent = 0;
    let waiting: InflightOut[] | null = null;
    for (const f of [...session.inflightOut.values()]) {
      if (f.state === 'awaiting-pubcomp' || !f.msg) {
        conn.writeAck(6, f.packetId, 0);
        sent++;
      } else if (waiting !== null || sent >= conn.sendQuota) (waiting ??= []).push(f);
      else if (this.resend(conn, session, f, now)) sent++;
    }
    session.resendWaiting = waiting;
    this.pump(session, now);
  }

  /** Re-sends waiting in-flight messages while the window has room; true when none is left waiting. */
  private resendMore(conn: Connection, session: Session, quota: number, now: number): boolean {
    const waiting = session.resendWaiting!;
    while (waiting.length > 0 && session.inflightOut.size - waiting.length < quota && !conn.closed) {
      const f = waiting.shift()!;
      // Acknowledged meanwhile (an ack the client still owed from the last connection): nothing to send.
      if (session.inflightOut.get(f.packetId) === f) this.resend(conn, session, f, now);
    }
    if (waiting.length > 0) return false;
    session.resendWaiting = null;
    return true;
  }

  /** One in-flight PUBLISH again, with DUP; one now too large for the client is dropped as if delivered (MQTT-3.1.2-25). */
  private resend(conn: Connection, session: Session, f: InflightOut, now: number): boolean {
    f.origin = 'redelivered';
    if (this.sendPublish(conn, session, f.msg!, f.qos, f.retain, f.subIds, f.packetId, true, 'redelivered', now, true)) return true;
    session.inflightOut.delete(f.packetId);
    if (session.jid !== 0) this.journal!.idel(session, f.packetId);
    return false;
  }

  /** Encodes and writes one PUBLISH; false when it could not be sent (too large for the client). */
  sendPublish(
    conn: Connection,
    session: Session,
    msg: Message,
    qos: 0 | 1 | 2,
    retain: boolean,
    subIds: number[] | null,
    packetId: number,
    dup: boolean,
    origin: DeliveryOrigin,
    now: number,
    resend = false,
  ): boolean {
    if (!writePublish(conn, msg, qos, retain, subIds, packetId, dup, this.settings.serverTopicAliases, now)) return this.tooLarge(session, msg);
    if (qos === 0) session.recordOrigin0(msg.topic, msg.body.length, origin, now);
    this.counters.messagesOut++;
    if (this.events.active) this.emit('message-delivered', { clientId: session.clientId, topic: msg.topic, qos, origin, reason: resend ? 'resent with DUP after reconnect' : undefined });
    return true;
  }

  private tooLarge(session: Session, msg: Message): false {
    this.counters.dropped++;
    if (this.events.active) this.emit('message-dropped', { clientId: session.clientId, topic: msg.topic, reason: "larger than the client's Maximum Packet Size" });
    return false;
  }

  // ---- sweep ----

  sweep(now: number): void {
    const stallMs = this.settings.stallTimeout * 1000;
    const limit = this.settings.outputBufferLimit;
    const high = highWater(limit);
    for (const conn of this.connections) {
      if (conn.closed) continue;
      conn.idle();
      if (!conn.accepted) {
        if (now - conn.openedAt > CONNECT_TIMEOUT_MS) conn.close('no CONNECT within 10 s');
        continue;
      }
      const buffered = conn.transport.buffered();
      if (buffered > high) {
        // Over the high-water mark with no progress for the stall timeout: the client is not reading.
        if (conn.congestedSince === 0 || buffered < conn.lastBuffered) conn.congestedSince = now;
        conn.lastBuffered = buffered;
        if (now - conn.congestedSince > stallMs) {
          this.stuck(conn);
          continue;
        }
        checkHeldTooLong(conn, stallMs, now);
      } else if (conn.congestedSince !== 0 || conn.blocking !== null || conn.shedding || (conn.session !== null && conn.session.queue.length > 0)) {
        this.drained(conn); // WebSocket has no drain event: the sweep resumes its queue and its publishers
      }
      // A connection we paused cannot send PINGREQ or the rest of a packet: its clocks restart on resume.
      if (conn.pausedBy > 0) continue;
      if (conn.keepaliveMs > 0 && now - conn.lastRx > conn.keepaliveMs * 1.5) {
        conn.disconnectWith(0x8d, 'keep-alive timeout (no packet within 1.5 × keep-alive)');
      } else if (conn.reader.hasPartial && (now - conn.lastBytesAt > stallMs || now - conn.reader.partialSince > stallMs * 6)) {
        // No byte for the stall timeout, or one packet trickling in for 6× that (a slowloris): either way it holds a buffer.
        conn.disconnectWith(0x81, `stalled mid-packet (no complete packet within ${this.settings.stallTimeout} s)`);
      }
    }
    for (const session of this.timed) {
      if (session.conn) {
        this.timed.delete(session);
        continue;
      }
      if (session.willPublishAt !== 0 && now >= session.willPublishAt) this.publishWill(session, now);
      if (session.expiresAt !== 0 && now >= session.expiresAt) endSession(this, session, now, 'session-expired', 'Session Expiry Interval elapsed', true);
      else if (session.willPublishAt === 0 && session.expiresAt === 0) this.timed.delete(session);
    }
  }

  publishWill(session: Session, now: number): void {
    const will = session.will;
    session.will = null;
    session.willPublishAt = 0;
    if (!will) return;
    const m = will.msg;
    if (publishDenial(this.settings.authRules, session.clientId, session.username, m.topic)) {
      this.emit('message-dropped', { clientId: session.clientId, topic: m.topic, reason: 'will not authorized' });
      return;
    }
    // The will's Message Expiry Interval runs from when it is published.
    const msg = newMessage(m.topic, m.topicBuf, m.body, m.qos, m.retain, m.props, expiryFrom(will.expirySeconds, now), session.clientId, 0);
    this.emit('will-published', { clientId: session.clientId, topic: m.topic, qos: m.qos });
    this.counters.messagesIn++;
    if (session.jid !== 0) this.journal!.sess(session);
    this.route(msg, now);
  }
}
