/**
 * Session lifecycle: CONNECT (new / resumed / taken over / discarded by Clean
 * Start), connection loss (will scheduling, expiry), and session end. The
 * Session Present rule is simple and strict: 1 exactly when an existing
 * session is resumed, whatever it contains (MQTT-3.2.2-2/3).
 */
import { randomBytes } from 'node:crypto';
import type { IConnackPacket } from 'mqtt-packet';
import type { ConnectRequest } from './connect-parser';
import type { BrokerEventKind } from '../../../shared/broker';
import { topicNameError } from '../../../shared/mqtt/topic';
import { SESSION_EXPIRY_NEVER } from '../../../shared/mqtt/reason-codes';
import { authenticate } from './auth';
import { encodeConnack, type OutProps } from './encoders';
import type { BrokerCore } from './broker-core';
import type { Connection } from './connection';
import { forwardProps, makeMessage } from './message';
import { Session } from './session';

export function connectFlow(core: BrokerCore, conn: Connection, pkt: ConnectRequest): void {
  const s = core.settings;
  const now = Date.now();
  const before = core.logSeq;
  const v = conn.version as 3 | 4 | 5;
  const v5 = v === 5;
  conn.clientId = pkt.clientId;
  if (v5 && pkt.properties?.authenticationMethod !== undefined) return conn.refuseConnect(0x8c, 'enhanced authentication is not supported');
  if (pkt.will) {
    const problem = topicNameError(pkt.will.topic);
    if (problem) {
      if (v5) return conn.refuseConnect(0x90, `will topic: ${problem}`);
      return conn.close(`will topic: ${problem}`);
    }
    if (pkt.will.retain && !s.retainAvailable) return conn.refuseConnect(v5 ? 0x9a : 0x05, 'retained wills are disabled on this broker');
  }
  if (pkt.password !== undefined && pkt.username === undefined && v !== 5) return conn.close('password without user name (MQTT-3.1.2-22)');

  let clientId = pkt.clientId;
  let assigned = false;
  if (clientId === '') {
    // 5.0: assign one; 3.1.1: only for a clean session (MQTT-3.1.3-7/8); 3.1: never.
    if (v5 || (v === 4 && pkt.clean)) {
      clientId = `auto-${randomBytes(8).toString('hex')}`;
      assigned = v5;
    } else return conn.refuseConnect(v5 ? 0x85 : 0x02, 'empty client identifier needs Clean Session 1');
  } else if (v === 3 && clientId.length > 23) {
    // MQTT 3.1 allows 1 to 23 characters (return code 2); 3.1.1 and 5.0 leave longer ones to the server.
    return conn.refuseConnect(0x02, 'MQTT 3.1 client identifiers have at most 23 characters');
  }
  conn.clientId = clientId;
  const auth = authenticate(s, pkt.username, pkt.password);
  if (auth === 'bad-credentials') return conn.refuseConnect(v5 ? 0x86 : 0x04, 'bad user name or password');
  if (auth === 'not-authorized') return conn.refuseConnect(v5 ? 0x87 : 0x05, 'not authorized (anonymous access is off)');

  let existing = core.sessions.get(clientId);
  if (existing?.conn) {
    const old = existing.conn;
    core.emit('session-taken-over', { clientId, protocolVersion: v, reason: `new connection from ${conn.transport.remote}` });
    old.disconnectWith(0x8e, 'session taken over by a new connection');
    // Detach now (not when the old socket finishes closing) so the new connection owns the session.
    connectionClosedFlow(core, old, now);
    existing = core.sessions.get(clientId);
  }
  if (existing && existing.expiresAt !== 0 && existing.expiresAt <= now) {
    endSession(core, existing, now, 'session-expired', 'Session Expiry Interval elapsed', true);
    existing = undefined;
  }
  const cleanStart = !!pkt.clean;
  if (existing && cleanStart) {
    endSession(core, existing, now, 'session-discarded', v5 ? 'Clean Start 1' : 'Clean Session 1', true);
    existing = undefined;
  }
  let session: Session;
  const present = existing !== undefined;
  if (existing) {
    session = existing;
    core.timed.delete(session);
    session.expiresAt = 0;
    if (session.willPublishAt !== 0) {
      // Reconnected within the Will Delay Interval: the will is not sent (MQTT-3.1.3-9).
      session.willPublishAt = 0;
      core.emit('will-cancelled', { clientId, reason: 'client reconnected within the Will Delay Interval' });
    }
  } else {
    session = new Session(clientId, now);
    core.sessions.set(clientId, session);
  }
  session.protocolVersion = v;
  session.cleanStart = cleanStart;
  session.username = pkt.username ?? null;
  const requested = v5 ? (pkt.properties?.sessionExpiryInterval ?? 0) : cleanStart ? 0 : s.v3SessionExpiry === 0 ? SESSION_EXPIRY_NEVER : s.v3SessionExpiry;
  const granted = v5 ? Math.min(requested, s.maxSessionExpiry) : requested;
  session.expiryInterval = granted;
  conn.connectExpiry = v5 ? requested : granted;
  if (pkt.will) {
    const w = pkt.will;
    session.will = {
      msg: makeMessage(w.topic, w.payload, w.qos, w.retain, v5 ? forwardProps(w.properties) : null, undefined, clientId, now),
      delaySeconds: v5 ? (w.properties?.willDelayInterval ?? 0) : 0,
      expirySeconds: v5 ? w.properties?.messageExpiryInterval : undefined,
    };
  } else session.will = null;
  session.lastConnectAt = now;
  session.conn = conn;
  conn.session = session;
  conn.username = pkt.username ?? null;

  let keepalive = pkt.keepalive ?? 0;
  let serverKeepAlive: number | undefined;
  if (v5 && s.maxKeepAlive > 0 && (keepalive === 0 || keepalive > s.maxKeepAlive)) {
    keepalive = s.maxKeepAlive;
    serverKeepAlive = keepalive;
  }
  conn.keepaliveMs = keepalive * 1000;
  conn.sendQuota = v5 ? (pkt.properties?.receiveMaximum ?? 65535) : s.maxInflightV3;
  conn.clientMaxPacket = (v5 && pkt.properties?.maximumPacketSize) || 268435455;
  conn.clientTopicAliasMax = v5 ? (pkt.properties?.topicAliasMaximum ?? 0) : 0;

  let props: OutProps | null = null;
  if (v5) {
    const p: NonNullable<IConnackPacket['properties']> = {};
    if (s.receiveMaximum < 65535) p.receiveMaximum = s.receiveMaximum;
    if (s.maxPacketSize < 268435455) p.maximumPacketSize = s.maxPacketSize;
    if (s.topicAliasMaximum > 0) p.topicAliasMaximum = s.topicAliasMaximum;
    if (!s.retainAvailable) p.retainAvailable = false;
    if (assigned) p.assignedClientIdentifier = clientId;
    if (serverKeepAlive !== undefined) p.serverKeepAlive = serverKeepAlive;
    if (granted !== requested) p.sessionExpiryInterval = granted;
    props = p as OutProps;
  }
  // A persistent session is on disk before the client is told it exists (Session Present on the next connect).
  core.journal?.sess(session);
  core.holdIfLogged(conn, before);
  // 3.1 has no Session Present: that CONNACK byte is reserved (0).
  conn.write(encodeConnack(v, present && v !== 3, 0, props));
  conn.accepted = true;
  if (core.events.active) {
    // Built only when someone listens: the string is the costliest part of a connect otherwise.
    core.emit('client-connected', {
      clientId,
      protocolVersion: v,
      sessionPresent: present,
      reasonCode: 0,
      reason: `${conn.transport.kind} ${conn.transport.remote}, ${v5 ? 'Clean Start' : 'Clean Session'} ${cleanStart ? 1 : 0}, expiry ${granted === SESSION_EXPIRY_NEVER ? 'never' : `${granted} s`}, keep-alive ${keepalive} s${assigned ? ', assigned client id' : ''}`,
    });
  }
  core.emit(present ? 'session-resumed' : 'session-created', { clientId, protocolVersion: v, sessionPresent: present });
  if (present) core.resume(conn, session, now);
}

/** Detaches a closed (or taken-over) connection from its session; safe to call twice. */
export function connectionClosedFlow(core: BrokerCore, conn: Connection, now: number): void {
  core.connections.delete(conn);
  const session = conn.session;
  conn.session = null;
  if (!session || session.conn !== conn) return;
  session.conn = null;
  session.resendWaiting = null;
  session.forgetOrigins0();
  session.lastDisconnectAt = now;
  session.lastDisconnectReason = conn.closeReason ?? 'connection closed';
  core.emit('client-disconnected', { clientId: session.clientId, reason: session.lastDisconnectReason, reasonCode: conn.disconnectReasonCode });
  const willDue = conn.willOnClose && session.will !== null;
  // A normal DISCONNECT discards the will (MQTT-3.1.2-10); anything else keeps it to publish.
  if (!conn.willOnClose && session.will) {
    session.will = null;
  }
  if (session.expiryInterval === 0) {
    if (willDue) core.publishWill(session, now);
    endSession(core, session, now, 'session-expired', 'session ended with the connection (Session Expiry Interval 0)', false);
    return;
  }
  session.expiresAt = session.expiryInterval === SESSION_EXPIRY_NEVER ? 0 : now + session.expiryInterval * 1000;
  if (willDue) {
    const delay = session.will!.delaySeconds;
    // While the broker stops, wills stay pending (persisted) and go out from the next start's sweep.
    if (delay === 0 && !core.stopping) core.publishWill(session, now);
    else {
      // Published at the earlier of the Will Delay Interval and session end (MQTT 3.1.3.2.2).
      session.willPublishAt = now + delay * 1000;
      if (session.expiresAt !== 0 && session.expiresAt < session.willPublishAt) session.willPublishAt = session.expiresAt;
    }
  }
  if (session.expiresAt !== 0 || session.willPublishAt !== 0) core.timed.add(session);
  if (session.jid !== 0) core.journal!.sess(session);
}

/** Ends a session: subscriptions, queue and in-flight state go; a pending will is published if asked. */
export function endSession(core: BrokerCore, session: Session, now: number, kind: BrokerEventKind, reason: string, publishPendingWill: boolean): void {
  if (publishPendingWill && session.willPublishAt !== 0) core.publishWill(session, now);
  else if (session.willPublishAt !== 0) core.emit('will-cancelled', { clientId: session.clientId, reason });
  session.will = null;
  session.willPublishAt = 0;
  for (const sub of session.subs.values()) core.trie.remove(sub);
  session.subs.clear();
  if (core.sessions.get(session.clientId) === session) core.sessions.delete(session.clientId);
  core.timed.delete(session);
  session.clearQueue();
  session.inflightOut.clear();
  session.inflightIn.clear();
  core.journal?.end(session);
  core.emit(kind, { clientId: session.clientId, reason });
}
