/**
 * What the user asks a connection to do while it runs: subscribe,
 * unsubscribe, publish (or queue in the outbox), and sending the outbox.
 * Publishes are checked against the broker's CONNACK (Maximum QoS, Retain
 * Available, Topic Alias Maximum, Maximum Packet Size) before they reach
 * MQTT.js, which would otherwise send them to be refused, or keep a refused
 * QoS 1 message in its store and replay it on every reconnect. QoS 1/2 sends
 * stay within the broker's Receive Maximum (MQTT.js does not enforce it):
 * past it, messages wait in the outbox, in order. Bad input is a UserFacingError.
 */
import type { IClientPublishOptions } from 'mqtt';
import mqttPacket from 'mqtt-packet';
import type { PublishRequest, SubscribeRequest } from '../../../shared/connection';
import { formatReason } from '../../../shared/mqtt/reason-codes';
import { topicFilterError, topicNameError } from '../../../shared/mqtt/topic';
import { UserFacingError } from '../contract-dispatch';
import type { ConnectionContext } from './connection-context';
import { plainProperties } from './packet-record';
import { encodePayload, publishProperties } from './payload';
import { subscribeOptionGroups } from './subscribe-groups';

export class UserActions {
  /** QoS 1/2 PUBLISHes handed to the current MqttClient and not yet acknowledged (MQTT-3.3.4-7). */
  private sending = 0;
  /** Topic Alias → topic set on this connection (client → broker). */
  private readonly aliases = new Map<number, string>();

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
    if (this.online()) {
      // Checked now, against this connection's CONNACK, so a refusal is an answer to this click.
      const problem = this.limitProblem(req.topic, payload, req.qos, req.retain, props);
      if (problem) throw new UserFacingError(problem);
      // `ready`, not just connected: before the outbox is flushed a direct send would overtake it.
      if (ctx.ready && ctx.outbox.size === 0 && this.windowHasRoom(req.qos)) {
        this.sendPublish(req.topic, payload, req.qos, req.retain, props);
        return { outboxed: false };
      }
      // Connected, but the broker's Receive Maximum window is full (or the outbox is still flushing): wait in order.
    } else if (!ctx.profile.allowOfflinePublish) throw new UserFacingError('Not connected and this profile does not allow offline publishing');
    ctx.outbox.add(req.topic, req.qos, req.retain, payload, props, Date.now());
    ctx.changed('outbox');
    return { outboxed: true };
  }

  /** A new connection was accepted: a fresh send window and no topic aliases yet (both are per connection). */
  onConnectionAccepted(): void {
    this.sending = 0;
    this.aliases.clear();
  }

  /** Sends what waits in the outbox, oldest first, as far as the broker's Receive Maximum allows. */
  flushOutbox(): void {
    const ctx = this.ctx;
    if (!ctx.ready || !this.online()) return;
    let changed = false;
    const refused: string[] = [];
    for (let item = ctx.outbox.peek(); item !== undefined; item = ctx.outbox.peek()) {
      const { topic, qos, retain } = item.entry;
      if (!this.windowHasRoom(qos)) break;
      ctx.outbox.shift();
      changed = true;
      const problem = this.limitProblem(topic, item.payload, qos, retain, item.properties);
      if (problem) refused.push(`${topic || '(alias)'}: ${problem}`);
      else this.sendPublish(topic, item.payload, qos, retain, item.properties);
    }
    if (refused.length > 0) {
      ctx.error = `${refused.length} outbox message${refused.length === 1 ? '' : 's'} not sent (this broker's CONNACK does not allow ${refused.length === 1 ? 'it' : 'them'}): ${refused.slice(0, 3).join('; ')}${refused.length > 3 ? '; …' : ''}`;
    }
    if (changed) ctx.changed('outbox');
  }

  clearOutbox(): number {
    const n = this.ctx.outbox.size;
    this.ctx.outbox.clear();
    this.ctx.changed('outbox');
    return n;
  }

  private windowHasRoom(qos: number): boolean {
    return qos === 0 || this.sending < this.ctx.server.receiveMaximum;
  }

  /** Why the broker would refuse this PUBLISH, from what its CONNACK announced; null when it may go. */
  private limitProblem(topic: string, payload: Buffer, qos: 0 | 1 | 2, retain: boolean, props: IClientPublishOptions['properties']): string | null {
    const ctx = this.ctx;
    if (ctx.protocolVersion !== 5) return null;
    const lim = ctx.server;
    if (qos > lim.maximumQoS) return `QoS ${qos} is above the broker's Maximum QoS ${lim.maximumQoS} (CONNACK)`;
    if (retain && !lim.retainAvailable) return 'the broker does not support retained messages (CONNACK Retain Available 0)';
    const alias = props?.topicAlias;
    if (alias !== undefined) {
      if (alias < 1 || alias > lim.topicAliasMaximum) {
        return lim.topicAliasMaximum === 0
          ? 'the broker accepts no topic aliases (CONNACK Topic Alias Maximum 0)'
          : `Topic Alias ${alias} is outside 1..${lim.topicAliasMaximum} (the broker's Topic Alias Maximum)`;
      }
      if (topic === '' && !this.aliases.has(alias)) return `Topic Alias ${alias} is not set on this connection yet: publish once with the topic and the alias`;
    }
    if (lim.maximumPacketSize < 268435455) {
      const size = mqttPacket.generate({ cmd: 'publish', topic, payload, qos, retain, dup: false, messageId: qos > 0 ? 1 : undefined, properties: props } as mqttPacket.IPublishPacket, { protocolVersion: 5 }).length;
      if (size > lim.maximumPacketSize) return `the PUBLISH would be ${size} bytes, above the broker's Maximum Packet Size ${lim.maximumPacketSize} (CONNACK)`;
    }
    return null;
  }

  private sendPublish(topic: string, payload: Buffer, qos: 0 | 1 | 2, retain: boolean, properties: IClientPublishOptions['properties']): void {
    const ctx = this.ctx;
    const client = ctx.client;
    if (!client) return;
    ctx.log.addMessage({ seq: 0, at: Date.now(), dir: 'out', topic, qos, retain, dup: false, payload, label: 'sent', labelSource: 'none', properties: plainProperties(properties) });
    const opts: IClientPublishOptions = { qos, retain };
    if (properties) opts.properties = properties;
    if (properties?.topicAlias !== undefined && topic !== '') this.aliases.set(properties.topicAlias, topic);
    if (qos > 0) this.sending++;
    client.publish(topic, payload, opts, (err) => {
      if (ctx.client !== client) return;
      if (qos > 0) {
        this.sending--;
        // A place in the broker's window is free: the next waiting message may go.
        if (ctx.outbox.size > 0) this.flushOutbox();
      }
      if (err && !/Connection closed|client disconnecting/.test(err.message)) {
        ctx.error = `PUBLISH to ${topic || `alias ${properties?.topicAlias}`} failed: ${err.message}`;
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
