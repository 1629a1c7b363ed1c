/** Read-only views of sessions for the contract (sessions list and detail). */
import type { InflightMessageView, QueuedMessageView, SessionDetail, SessionSummary } from '../../../shared/broker';
import { payloadOf } from './message';
import type { Session } from './session';

const PREVIEW_BYTES = 64;
const DETAIL_LIMIT = 500;

export function sessionSummary(s: Session): SessionSummary {
  return {
    clientId: s.clientId,
    connected: s.conn !== null && !s.conn.closed,
    protocolVersion: s.protocolVersion,
    cleanStart: s.cleanStart,
    sessionExpiryInterval: s.expiryInterval,
    expiresAt: s.conn ? null : s.expiresAt || null,
    subscriptions: [...s.subs.values()].map((sub) => ({
      filter: sub.filter,
      qos: sub.qos,
      noLocal: sub.nl,
      retainAsPublished: sub.rap,
      retainHandling: sub.rh,
      ...(sub.subId !== undefined ? { subscriptionIdentifier: sub.subId } : {}),
    })),
    queued: s.queue.length,
    queuedBytes: s.queuedBytes,
    inflightOut: s.inflightOut.size,
    inflightIn: s.inflightIn.size,
    pendingWill: s.will ? { topic: s.will.msg.topic, delaySeconds: s.will.delaySeconds, publishAt: s.willPublishAt || null } : null,
    lastConnectAt: s.lastConnectAt,
    lastDisconnectAt: s.lastDisconnectAt,
    lastDisconnectReason: s.lastDisconnectReason,
    username: s.username,
    droppedOverflow: s.droppedOverflow,
    droppedExpired: s.droppedExpired,
  };
}

export function sessionDetail(s: Session): SessionDetail {
  const queuedMessages: QueuedMessageView[] = [];
  let i = 0;
  for (const d of s.queue) {
    if (i++ >= DETAIL_LIMIT) break;
    queuedMessages.push({
      topic: d.msg.topic,
      qos: d.qos,
      retain: d.retain,
      bytes: d.msg.body.length,
      payloadPreview: payloadOf(d.msg).subarray(0, PREVIEW_BYTES).toString('base64'),
      enqueuedAt: d.enqueuedAt,
      expiresAt: d.msg.expiresAt || null,
    });
  }
  const inflight: InflightMessageView[] = [];
  for (const f of s.inflightOut.values()) {
    if (inflight.length >= DETAIL_LIMIT) break;
    inflight.push({ direction: 'to-client', packetId: f.packetId, topic: f.msg?.topic ?? null, qos: f.qos, state: f.state, since: f.since });
  }
  for (const [packetId, since] of s.inflightIn) {
    if (inflight.length >= DETAIL_LIMIT * 2) break;
    inflight.push({ direction: 'from-client', packetId, topic: null, qos: 2, state: 'awaiting-pubrel', since });
  }
  return { ...sessionSummary(s), queuedMessages, inflight };
}
