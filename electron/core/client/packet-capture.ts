/**
 * What one connection records from the wire: every packet into the
 * timeline, CONNACKs into their history, received messages with their
 * delivery label, and the in-flight and subscription bookkeeping the
 * packets imply. Runs once per packet, so it avoids per-packet work that
 * the UI does not need (see the capture benchmark in test/core/client).
 */
import type { Packet } from 'mqtt-packet';
import { formatReason } from '../../../shared/mqtt/reason-codes';
import type { ConnectionContext } from './connection-context';
import type { LabelResult } from './delivery-label';
import { plainProperties, receivedSize, sentSize } from './packet-record';

export interface ConnackResult {
  code: number;
  sessionPresent: boolean;
}

/**
 * The label decided when a PUBLISH arrived rides on the packet object itself until MQTT.js emits
 * the message (QoS 2: at PUBREL, from its store). A symbol key: invisible to mqtt-packet and
 * JSON, and cheaper for the GC than a WeakMap entry per message.
 */
const LABEL = Symbol('sessionscope.label');
type Labelled = { [LABEL]?: LabelResult };

export class PacketCapture {
  private subscribeTopics = new Map<number, string[]>();

  constructor(private readonly ctx: ConnectionContext) {}

  onPacket(p: Packet, dir: 'in' | 'out'): void {
    const ctx = this.ctx;
    const at = Date.now();
    const pv = ctx.protocolVersion;
    if (p.cmd === 'publish') {
      if (dir === 'in') {
        // The parser's payload may be a view into a 64 KB socket chunk: keep only our bytes.
        const pl = p.payload;
        if (Buffer.isBuffer(pl) && pl.length > 0 && pl.length < pl.buffer.byteLength) {
          const own = Buffer.allocUnsafe(pl.length);
          pl.copy(own);
          p.payload = own;
        }
        const topic = typeof p.topic === 'string' ? p.topic : String(p.topic);
        const retainAsPublished = p.retain && !ctx.deps.embedded && ctx.subs.retainAsPublishedMatches(topic);
        (p as Labelled)[LABEL] = ctx.labeler.label(ctx.effectiveClientId, { topic, payloadLength: p.payload.length, packetId: p.messageId, retain: p.retain, dup: p.dup, retainAsPublished }, at);
      } else {
        ctx.labeler.onOwnPublish(String(p.topic), typeof p.payload === 'string' ? Buffer.byteLength(p.payload) : p.payload.length);
        if (p.qos > 0 && p.messageId) {
          if (!p.dup) ctx.log.notePublishPacketId(String(p.topic), p.qos, p.messageId);
          // MQTT.js replays its store without DUP; mark our stored copy so a resend says DUP = 1.
          ctx.outgoingStore.get({ messageId: p.messageId } as Packet, (err, stored) => {
            if (!err && stored && stored.cmd === 'publish') stored.dup = true;
          });
        }
      }
    }
    const size = dir === 'in' ? receivedSize(p as { length?: number }) : sentSize(p, pv);
    ctx.log.addPacket(p, dir, size, pv, at);
    if (dir === 'out' ? ctx.inflight.onSend(p, at) : ctx.inflight.onReceive(p)) ctx.mark('inflight');
    if (p.cmd === 'subscribe' && p.messageId) {
      if (this.subscribeTopics.size > 1000) this.subscribeTopics.clear();
      this.subscribeTopics.set(p.messageId, p.subscriptions.map((s) => s.topic));
    } else if (p.cmd === 'suback') {
      const topics = this.subscribeTopics.get(p.messageId ?? -1) ?? [];
      this.subscribeTopics.delete(p.messageId ?? -1);
      const codes = (p.granted as (number | { qos: number })[]).map((g) => (typeof g === 'number' ? g : g.qos));
      ctx.subs.onSuback(topics, codes, pv);
      ctx.labeler.onSuback(at);
      ctx.mark('subs');
    }
    ctx.changed();
  }

  /** Records a CONNACK in the history; the lifecycle decides what it means for the status. */
  recordConnack(p: Packet & { cmd: 'connack' }, at: number): ConnackResult {
    const ctx = this.ctx;
    const v5 = ctx.protocolVersion === 5;
    const code = (v5 ? p.reasonCode : p.returnCode) ?? 0;
    const assigned = p.properties?.assignedClientIdentifier;
    if (code === 0 && assigned) ctx.assignedId = assigned;
    ctx.log.addConnack({
      at,
      clientId: ctx.effectiveClientId,
      requested: { clean: ctx.profile.clean, sessionExpiryInterval: v5 ? ctx.profile.sessionExpiryInterval : null },
      sessionPresent: !!p.sessionPresent,
      reasonCode: code,
      reasonName: formatReason(code, ctx.protocolVersion, 'connack').slice(5),
      properties: plainProperties(p.properties) ?? {},
    });
    ctx.labeler.onConnack(!!p.sessionPresent, at);
    return { code, sessionPresent: !!p.sessionPresent };
  }

  /** An attempt that ended without a CONNACK, in the CONNACK history (reasonCode -1, `failure` says why). */
  recordNoConnack(failure: string, at: number): void {
    const ctx = this.ctx;
    ctx.log.addConnack({
      at,
      clientId: ctx.effectiveClientId,
      requested: { clean: ctx.profile.clean, sessionExpiryInterval: ctx.protocolVersion === 5 ? ctx.profile.sessionExpiryInterval : null },
      sessionPresent: false,
      reasonCode: -1,
      reasonName: 'no CONNACK',
      properties: {},
      failure,
    });
  }

  onMessage(topic: string, payload: Buffer, packet: Packet): void {
    if (packet.cmd !== 'publish') return;
    const ctx = this.ctx;
    const at = Date.now();
    const label =
      (packet as Labelled)[LABEL] ??
      ctx.labeler.label(ctx.effectiveClientId, { topic, payloadLength: payload.length, packetId: packet.messageId, retain: packet.retain, dup: packet.dup }, at);
    ctx.log.addMessage({
      seq: 0,
      at,
      dir: 'in',
      topic,
      qos: packet.qos,
      retain: packet.retain,
      dup: packet.dup,
      packetId: packet.messageId,
      payload,
      label: label.label,
      labelSource: label.labelSource,
      properties: plainProperties(packet.properties),
    });
    ctx.changed();
  }
}
