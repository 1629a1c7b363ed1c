/**
 * What the user asks a connection to do while it runs: subscribe,
 * unsubscribe, publish (or queue in the offline outbox), and the outbox
 * flush after a successful connect. Bad input is a UserFacingError.
 */
import type { IClientPublishOptions } from 'mqtt';
import type { PublishRequest, SubscribeRequest } from '../../../shared/connection';
import { formatReason } from '../../../shared/mqtt/reason-codes';
import { topicFilterError, topicNameError } from '../../../shared/mqtt/topic';
import { UserFacingError } from '../contract-dispatch';
import type { ConnectionContext } from './connection-context';
import { plainProperties } from './packet-record';
import { encodePayload, publishProperties } from './payload';
import { subscribeOptionGroups } from './subscribe-groups';

export class UserActions {
  constructor(private readonly ctx: ConnectionContext) {}

  private online(): boolean {
    return this.ctx.status === 'connected' && !!this.ctx.client?.connected;
  }

  async subscribe(sub: SubscribeRequest): Promise<void> {
    const ctx = this.ctx;
    const err = topicFilterError(sub.topic);
    if (err) throw new UserFacingError(err);
    const connected = this.online();
    ctx.subs.add(sub, connected);
    ctx.deps.onSubscriptionsChanged?.(ctx.subs.saved());
    ctx.changed('subs');
    if (!connected || !ctx.client) return;
    const client = ctx.client;
    const [group] = subscribeOptionGroups([sub], ctx.protocolVersion);
    await new Promise<void>((resolve, reject) => {
      client.subscribe(group.map, group.opts, (e) => {
        if (!e) return resolve();
        if (/Subscribe error/.test(e.message)) return reject(new UserFacingError(this.refusalText(sub.topic, e.message)));
        ctx.subs.onSubscribeError([sub.topic], e.message);
        ctx.changed('subs');
        reject(new UserFacingError(`Subscribe to ${sub.topic} failed: ${e.message}`));
      });
    });
  }

  /**
   * MQTT.js names a SUBACK failure with its 5.0 name even on 3.1.1 ("Unspecified error" for 0x80);
   * say what the subscription list says: the code with its name for this version.
   */
  private refusalText(topic: string, mqttJsMessage: string): string {
    const st = this.ctx.subs.list().find((s) => s.topic === topic);
    if (st?.status === 'failed' && st.reasonCode !== undefined) {
      return `Subscription to ${topic} refused: SUBACK ${formatReason(st.reasonCode, this.ctx.protocolVersion, 'suback')}`;
    }
    return `Subscription to ${topic} refused: ${mqttJsMessage.replace('Subscribe error: ', '')}`;
  }

  async unsubscribe(topic: string): Promise<void> {
    const ctx = this.ctx;
    const connected = this.online();
    if (!ctx.subs.remove(topic, connected)) throw new UserFacingError(`Not subscribed to ${topic}`);
    ctx.deps.onSubscriptionsChanged?.(ctx.subs.saved());
    ctx.changed('subs');
    if (!connected || !ctx.client) return;
    const client = ctx.client;
    await new Promise<void>((resolve) => client.unsubscribe(topic, () => resolve()));
  }

  async publish(req: PublishRequest): Promise<{ outboxed: boolean }> {
    const ctx = this.ctx;
    const aliasOnly = ctx.protocolVersion === 5 && req.topic === '' && req.properties?.topicAlias !== undefined;
    const topicErr = aliasOnly ? null : topicNameError(req.topic);
    if (topicErr) throw new UserFacingError(topicErr);
    const payload = encodePayload(req.payload, req.format);
    const props = ctx.protocolVersion === 5 ? publishProperties(req) : undefined;
    // `ready`, not just connected: between CONNACK and the outbox flush a direct send would overtake the outbox.
    if (ctx.ready && this.online()) {
      this.sendPublish(req.topic, payload, req.qos, req.retain, props);
      return { outboxed: false };
    }
    if (!ctx.profile.allowOfflinePublish) throw new UserFacingError('Not connected and this profile does not allow offline publishing');
    ctx.outbox.add(req.topic, req.qos, req.retain, payload, props, Date.now());
    ctx.changed('outbox');
    return { outboxed: true };
  }

  /** Sends everything queued while offline, oldest first (right after a successful connect). */
  flushOutbox(): void {
    const queued = this.ctx.outbox.takeAll();
    for (const item of queued) this.sendPublish(item.entry.topic, item.payload, item.entry.qos, item.entry.retain, item.properties);
    if (queued.length > 0) this.ctx.mark('outbox');
  }

  private sendPublish(topic: string, payload: Buffer, qos: 0 | 1 | 2, retain: boolean, properties: IClientPublishOptions['properties']): void {
    const ctx = this.ctx;
    const client = ctx.client;
    if (!client) return;
    ctx.log.addMessage({ seq: 0, at: Date.now(), dir: 'out', topic, qos, retain, dup: false, payload, label: 'sent', labelSource: 'none', properties: plainProperties(properties) });
    const opts: IClientPublishOptions = { qos, retain };
    if (properties) opts.properties = properties;
    client.publish(topic, payload, opts, (err) => {
      if (err && ctx.client === client && !/Connection closed|client disconnecting/.test(err.message)) {
        ctx.error = `PUBLISH to ${topic} failed: ${err.message}`;
        ctx.changed();
      }
    });
    ctx.changed();
  }

  clearHistory(): void {
    this.ctx.log.clear();
    this.ctx.changed();
  }
}
