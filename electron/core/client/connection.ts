/**
 * One profile's connection: drives an MQTT.js client and records what the
 * session did. A new MqttClient is made per user connect (fresh options and
 * client ID); the QoS 1/2 stores outlive it, so a resumed session can finish
 * what was in flight before a drop or a disconnect.
 */
import { connect as mqttConnect, Store, type MqttClient, type IClientOptions, type IClientPublishOptions } from 'mqtt';
import type { Packet } from 'mqtt-packet';
import type { ConnectionState, ConnectionStatus, ConnectionUpdate, ConnectionSnapshot, DisconnectRequest, PublishRequest, SubscribeRequest } from '../../../shared/connection';
import { PROTOCOL_VERSION, randomClientId, type Profile, type SavedSubscription } from '../../../shared/profile';
import { formatReason } from '../../../shared/mqtt/reason-codes';
import { topicFilterError, topicNameError } from '../../../shared/mqtt/topic';
import { UserFacingError } from '../contract-dispatch';
import type { DeliveryOracle } from '../delivery-oracle';
import { brokerUrl, buildClientOptions } from './client-options';
import { ConnectionLog, type HistoryLimits } from './connection-log';
import { DeliveryLabeler, type LabelResult } from './delivery-label';
import { describeError } from './errors';
import { InflightTracker } from './inflight';
import { Outbox } from './outbox';
import { plainProperties, receivedSize, sentSize } from './packet-record';
import { encodePayload, publishProperties } from './payload';
import { SubscriptionTable } from './subscriptions';
import { subscribeOptionGroups } from './subscribe-groups';

export interface ConnectionDeps {
  limits: HistoryLimits;
  oracle?: DeliveryOracle;
  embedded: boolean;
  onChange(): void;
  onSubscriptionsChanged?(subs: SavedSubscription[]): void;
}

/** A session store that keeps its content when MQTT.js closes the client. */
function sessionStore(): Store {
  return new Store({ clean: false });
}

export class Connection {
  private client: MqttClient | null = null;
  private status: ConnectionStatus = 'idle';
  private error: string | null = null;
  private clientId = '';
  /** Assigned Client Identifier from a 5.0 CONNACK, when the broker chose it. */
  private assignedId: string | null = null;
  private connectedAt: number | null = null;
  private protocolVersion: 3 | 4 | 5;
  readonly log: ConnectionLog;
  private subs: SubscriptionTable;
  private inflight = new InflightTracker();
  private outbox: Outbox;
  private labeler: DeliveryLabeler;
  private incomingStore = sessionStore();
  private outgoingStore = sessionStore();
  private labels = new WeakMap<object, LabelResult>();
  private subscribeTopics = new Map<number, string[]>();
  private userClosing = false;
  private connackRefused = false;
  private lastSessionPresent = false;
  private profileSubsJson: string;
  private connectWaiters: (() => void)[] = [];
  private dirty = { state: false, subs: false, inflight: false, outbox: false };

  constructor(
    private profile: Profile,
    private readonly deps: ConnectionDeps,
  ) {
    this.protocolVersion = PROTOCOL_VERSION[profile.mqttVersion];
    this.log = new ConnectionLog(deps.limits);
    this.subs = new SubscriptionTable(profile.subscriptions);
    this.outbox = new Outbox(deps.limits.outbox);
    this.labeler = new DeliveryLabeler(deps.embedded ? deps.oracle : undefined);
    this.clientId = profile.clientId;
    this.profileSubsJson = JSON.stringify(profile.subscriptions);
  }

  get profileId(): string {
    return this.profile.id;
  }

  get embedded(): boolean {
    return this.deps.embedded;
  }

  /** The embedded broker started or stopped (or the profile now points elsewhere). */
  setEmbedded(embedded: boolean, oracle: DeliveryOracle | undefined): void {
    this.deps.embedded = embedded;
    this.deps.oracle = oracle;
    if (!this.isActive()) this.labeler = new DeliveryLabeler(embedded ? oracle : undefined);
  }

  state(): ConnectionState {
    return {
      profileId: this.profile.id,
      status: this.status,
      error: this.error,
      clientId: this.assignedId ?? this.clientId,
      protocolVersion: this.protocolVersion,
      brokerUrl: brokerUrl(this.profile),
      embeddedBroker: this.deps.embedded,
      connectedAt: this.connectedAt,
      counters: { ...this.log.counters },
    };
  }

  private changed(what: keyof Connection['dirty'] | null = null): void {
    this.dirty.state = true;
    if (what) this.dirty[what] = true;
    this.deps.onChange();
  }

  private isActive(): boolean {
    return this.status === 'connecting' || this.status === 'connected' || this.status === 'reconnecting';
  }

  // ---- connect / disconnect ------------------------------------------------

  async connect(profile: Profile): Promise<ConnectionState> {
    if (this.isActive()) return this.state();
    this.profile = profile;
    this.protocolVersion = PROTOCOL_VERSION[profile.mqttVersion];
    // Adopt the saved list only when it was edited outside the engine since we last saw it.
    const subsJson = JSON.stringify(profile.subscriptions);
    if (subsJson !== this.profileSubsJson) this.subs.sync(profile.subscriptions);
    this.profileSubsJson = subsJson;
    this.retireClient();
    this.clientId = profile.clientIdMode === 'random-per-connect' ? randomClientId() : profile.clientId;
    this.assignedId = null;
    if (profile.clean || profile.clientIdMode === 'random-per-connect') this.startFreshSession();
    this.error = null;
    this.userClosing = false;
    this.connackRefused = false;
    let opts: IClientOptions;
    let client: MqttClient;
    try {
      opts = buildClientOptions(profile, this.clientId);
      client = mqttConnect(brokerUrl(profile), { ...opts, incomingStore: this.incomingStore, outgoingStore: this.outgoingStore });
    } catch (err) {
      this.status = 'error';
      this.error = err instanceof UserFacingError ? err.message : `Cannot connect: ${err instanceof Error ? err.message : String(err)}`;
      this.changed();
      return this.state();
    }
    this.client = client;
    this.attach(client);
    this.status = 'connecting';
    this.changed();
    const done = new Promise<void>((resolve) => this.connectWaiters.push(resolve));
    // MQTT.js bounds the attempt with connectTimeout; this is a backstop so connect() always settles.
    const backstop = setTimeout(() => {
      if (this.client === client && this.status === 'connecting') {
        this.error = `No CONNACK within ${profile.connectTimeoutMs} ms (connect timeout)`;
        this.status = profile.reconnect ? 'reconnecting' : 'error';
        if (!profile.reconnect) this.retireClient();
        this.changed();
      }
      this.settleConnect();
    }, profile.connectTimeoutMs + 1500);
    client.connect();
    await done;
    clearTimeout(backstop);
    return this.state();
  }

  private settleConnect(): void {
    const waiters = this.connectWaiters;
    this.connectWaiters = [];
    for (const w of waiters) w();
  }

  /** Clean Start / new client ID: nothing of the old session can come back. */
  private startFreshSession(): void {
    this.incomingStore = sessionStore();
    this.outgoingStore = sessionStore();
    if (this.inflight.size > 0) {
      this.inflight.clear();
      this.dirty.inflight = true;
    }
    this.subs.forgetSession();
  }

  /** Detaches and force-closes the current MqttClient, if any. */
  private retireClient(): void {
    const c = this.client;
    if (!c) return;
    this.client = null;
    c.removeAllListeners();
    c.on('error', () => {});
    try {
      c.end(true);
    } catch {
      /* already closed */
    }
  }

  private attach(client: MqttClient): void {
    const mine = () => this.client === client;
    client.on('packetsend', (p: Packet) => mine() && this.onPacket(p, 'out'));
    client.on('packetreceive', (p: Packet) => mine() && this.onPacket(p, 'in'));
    client.on('message', (topic, payload, packet) => mine() && this.onMessage(topic, payload, packet));
    client.on('connect', () => mine() && this.onConnected());
    client.on('error', (err) => mine() && this.onError(err));
    client.on('close', () => mine() && this.onClose());
    client.on('reconnect', () => {
      if (!mine()) return;
      if (this.profile.clientIdMode === 'random-per-connect') {
        this.clientId = randomClientId();
        client.options.clientId = this.clientId;
        this.subs.forgetSession();
      }
      this.assignedId = null;
      this.connackRefused = false;
      this.status = 'connecting';
      this.changed();
    });
  }

  async disconnect(req: DisconnectRequest): Promise<ConnectionState> {
    const client = this.client;
    if (!client || !this.isActive()) {
      this.retireClient();
      if (this.isActive()) this.status = 'disconnected';
      this.changed();
      return this.state();
    }
    const opts: { reasonCode?: number; properties?: { sessionExpiryInterval?: number } } = {};
    if (this.protocolVersion === 5) {
      if (req.sessionExpiryInterval !== undefined && req.sessionExpiryInterval > 0 && this.profile.sessionExpiryInterval === 0) {
        throw new UserFacingError('The CONNECT sent Session Expiry 0: MQTT 5.0 forbids raising it in DISCONNECT (the broker would answer Protocol Error)');
      }
      if (req.reasonCode !== undefined) opts.reasonCode = req.reasonCode;
      if (req.sessionExpiryInterval !== undefined) opts.properties = { sessionExpiryInterval: req.sessionExpiryInterval };
    }
    this.userClosing = true;
    if (this.status !== 'connected') {
      this.retireClient();
      this.status = 'disconnected';
      this.connectedAt = null;
      this.changed();
      this.settleConnect();
      return this.state();
    }
    await new Promise<void>((resolve) => {
      // A graceful end waits for outstanding acks; never let that hang the caller.
      const t = setTimeout(() => {
        client.stream?.destroy();
        resolve();
      }, 3000);
      client.end(false, opts, () => {
        clearTimeout(t);
        resolve();
      });
    });
    if (this.client === client) {
      this.retireClient();
      this.status = 'disconnected';
      this.connectedAt = null;
      this.changed();
    }
    return this.state();
  }

  /** Closes the socket without DISCONNECT: the broker publishes the will and keeps the session. */
  async dropNetwork(): Promise<ConnectionState> {
    const client = this.client;
    if (!client || !client.stream || this.status === 'idle' || this.status === 'disconnected') return this.state();
    await new Promise<void>((resolve) => {
      const t = setTimeout(resolve, 2000);
      client.once('close', () => {
        clearTimeout(t);
        resolve();
      });
      client.stream.destroy();
    });
    return this.state();
  }

  async close(): Promise<void> {
    if (this.status === 'connected') await this.disconnect({ profileId: this.profile.id });
    this.retireClient();
    if (this.isActive()) this.status = 'disconnected';
    this.settleConnect();
  }

  // ---- MQTT.js events ------------------------------------------------------

  private onPacket(p: Packet, dir: 'in' | 'out'): void {
    const at = Date.now();
    const pv = this.protocolVersion;
    if (dir === 'in' && p.cmd === 'publish') {
      // The parser's payload may be a view into a 64 KB socket chunk: keep only our bytes.
      if (Buffer.isBuffer(p.payload) && p.payload.length > 0) p.payload = Buffer.from(p.payload);
      const topic = String(p.topic);
      this.labels.set(p, this.labeler.label(this.assignedId ?? this.clientId, { topic, payloadLength: p.payload.length, packetId: p.messageId, retain: p.retain, dup: p.dup }, at));
    }
    if (dir === 'out' && p.cmd === 'publish') {
      this.labeler.onOwnPublish(String(p.topic), typeof p.payload === 'string' ? Buffer.byteLength(p.payload) : p.payload.length);
      if (p.qos > 0 && p.messageId) {
        // MQTT.js replays its store without DUP; mark our stored copy so a resend says DUP = 1.
        this.outgoingStore.get({ messageId: p.messageId } as Packet, (err, stored) => {
          if (!err && stored && stored.cmd === 'publish') stored.dup = true;
        });
      }
    }
    const size = dir === 'in' ? receivedSize(p as { length?: number }) : sentSize(p, pv);
    this.log.addPacket(p, dir, size, pv, at);
    if (dir === 'out' ? this.inflight.onSend(p, at) : this.inflight.onReceive(p)) this.dirty.inflight = true;
    if (p.cmd === 'connack') this.onConnack(p, at);
    else if (p.cmd === 'subscribe' && p.messageId) {
      if (this.subscribeTopics.size > 1000) this.subscribeTopics.clear();
      this.subscribeTopics.set(p.messageId, p.subscriptions.map((s) => s.topic));
    } else if (p.cmd === 'suback') {
      const topics = this.subscribeTopics.get(p.messageId ?? -1) ?? [];
      this.subscribeTopics.delete(p.messageId ?? -1);
      const codes = (p.granted as (number | { qos: number })[]).map((g) => (typeof g === 'number' ? g : g.qos));
      this.subs.onSuback(topics, codes, pv);
      this.labeler.onSuback();
      this.dirty.subs = true;
    }
    this.changed();
  }

  private onConnack(p: Packet & { cmd: 'connack' }, at: number): void {
    const v5 = this.protocolVersion === 5;
    const code = (v5 ? p.reasonCode : p.returnCode) ?? 0;
    const props = plainProperties(p.properties) ?? {};
    const assigned = p.properties?.assignedClientIdentifier;
    if (code === 0 && assigned) this.assignedId = assigned;
    this.log.addConnack({
      at,
      clientId: this.assignedId ?? this.clientId,
      requested: { clean: this.profile.clean, sessionExpiryInterval: v5 ? this.profile.sessionExpiryInterval : null },
      sessionPresent: !!p.sessionPresent,
      reasonCode: code,
      reasonName: formatReason(code, this.protocolVersion, 'connack').slice(5),
      properties: props,
    });
    this.labeler.onConnack(!!p.sessionPresent, at);
    this.lastSessionPresent = !!p.sessionPresent;
    if (code !== 0) {
      this.connackRefused = true;
      this.status = 'error';
      this.error = `CONNACK ${formatReason(code, this.protocolVersion, 'connack')}`;
      return;
    }
    const resumed = !this.profile.clean && (this.protocolVersion < 4 || !!p.sessionPresent);
    if (!resumed && this.inflight.clearIncoming()) this.dirty.inflight = true;
    this.status = 'connected';
    this.error = null;
    this.connectedAt = at;
  }

  /** MQTT.js finished replaying its store after a successful CONNACK. */
  private onConnected(): void {
    const client = this.client;
    if (!client) return;
    const sp = this.lastSessionPresent;
    const plan = this.subs.plan(sp, this.profile.resubscribe);
    if (plan.unsubscribe.length > 0) client.unsubscribe(plan.unsubscribe, () => {});
    for (const group of subscribeOptionGroups(plan.subscribe, this.protocolVersion)) {
      client.subscribe(group.map, group.opts, (err) => {
        if (err && !/Subscribe error/.test(err.message)) this.subs.onSubscribeError(Object.keys(group.map), err.message);
      });
    }
    this.dirty.subs = true;
    const queued = this.outbox.takeAll();
    for (const item of queued) this.sendPublish(item.entry.topic, item.payload, item.entry.qos, item.entry.retain, item.properties);
    if (queued.length > 0) this.dirty.outbox = true;
    this.changed();
    this.settleConnect();
  }

  private onMessage(topic: string, payload: Buffer, packet: Packet): void {
    if (packet.cmd !== 'publish') return;
    const at = Date.now();
    const label =
      this.labels.get(packet) ??
      this.labeler.label(this.assignedId ?? this.clientId, { topic, payloadLength: payload.length, packetId: packet.messageId, retain: packet.retain, dup: packet.dup }, at);
    this.log.addMessage({
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
    this.changed();
  }

  private onError(err: Error): void {
    if (this.userClosing) return;
    if (this.connackRefused && /Connection refused/.test(err.message)) {
      this.settleConnect();
      return;
    }
    this.error = describeError(err, this.profile, this.status !== 'connected');
    if (this.status === 'connecting' && !this.profile.reconnect) this.status = 'error';
    this.changed();
    // With auto-reconnect the 'close' that follows settles connect() as 'reconnecting'.
    if (this.status === 'error') this.settleConnect();
  }

  private onClose(): void {
    this.labeler.onClose();
    const client = this.client;
    const wasConnected = this.status === 'connected';
    if (this.userClosing) this.status = 'disconnected';
    else if (this.status === 'error' && !client?.reconnecting) this.status = 'error';
    else if (client && this.profile.reconnect && !this.connackRefused) this.status = 'reconnecting';
    else if (this.status === 'connecting' && !wasConnected) this.status = this.error ? 'error' : 'disconnected';
    else this.status = 'disconnected';
    if (this.status === 'error' && !this.error) this.error = 'Connection closed before CONNACK';
    this.connectedAt = null;
    this.changed();
    this.settleConnect();
  }

  // ---- user actions --------------------------------------------------------

  async subscribe(sub: SubscribeRequest): Promise<void> {
    const err = topicFilterError(sub.topic);
    if (err) throw new UserFacingError(err);
    const connected = this.status === 'connected' && !!this.client?.connected;
    this.subs.add(sub, connected);
    this.deps.onSubscriptionsChanged?.(this.subs.saved());
    this.changed('subs');
    if (!connected || !this.client) return;
    const client = this.client;
    const [group] = subscribeOptionGroups([sub], this.protocolVersion);
    await new Promise<void>((resolve, reject) => {
      client.subscribe(group.map, group.opts, (e) => {
        if (!e) return resolve();
        if (/Subscribe error/.test(e.message)) return reject(new UserFacingError(`Subscription to ${sub.topic} refused: ${e.message.replace('Subscribe error: ', '')}`));
        this.subs.onSubscribeError([sub.topic], e.message);
        this.changed('subs');
        reject(new UserFacingError(`Subscribe to ${sub.topic} failed: ${e.message}`));
      });
    });
  }

  async unsubscribe(topic: string): Promise<void> {
    const connected = this.status === 'connected' && !!this.client?.connected;
    if (!this.subs.remove(topic, connected)) throw new UserFacingError(`Not subscribed to ${topic}`);
    this.deps.onSubscriptionsChanged?.(this.subs.saved());
    this.changed('subs');
    if (!connected || !this.client) return;
    const client = this.client;
    await new Promise<void>((resolve) => client.unsubscribe(topic, () => resolve()));
  }

  async publish(req: PublishRequest): Promise<{ outboxed: boolean }> {
    const aliasOnly = this.protocolVersion === 5 && req.topic === '' && req.properties?.topicAlias !== undefined;
    const topicErr = aliasOnly ? null : topicNameError(req.topic);
    if (topicErr) throw new UserFacingError(topicErr);
    const payload = encodePayload(req.payload, req.format);
    const props = this.protocolVersion === 5 ? publishProperties(req) : undefined;
    if (this.status === 'connected' && this.client?.connected) {
      this.sendPublish(req.topic, payload, req.qos, req.retain, props);
      return { outboxed: false };
    }
    if (!this.profile.allowOfflinePublish) throw new UserFacingError('Not connected and this profile does not allow offline publishing');
    this.outbox.add(req.topic, req.qos, req.retain, payload, props, Date.now());
    this.changed('outbox');
    return { outboxed: true };
  }

  private sendPublish(topic: string, payload: Buffer, qos: 0 | 1 | 2, retain: boolean, properties: IClientPublishOptions['properties']): void {
    const client = this.client;
    if (!client) return;
    this.log.addMessage({ at: Date.now(), dir: 'out', topic, qos, retain, dup: false, payload, label: 'sent', labelSource: 'none', properties: plainProperties(properties) });
    const opts: IClientPublishOptions = { qos, retain };
    if (properties) opts.properties = properties;
    client.publish(topic, payload, opts, (err) => {
      if (err && this.client === client && !/Connection closed|client disconnecting/.test(err.message)) {
        this.error = `PUBLISH to ${topic} failed: ${err.message}`;
        this.changed();
      }
    });
    this.changed();
  }

  clearHistory(): void {
    this.log.clear();
    this.changed();
  }

  // ---- views ---------------------------------------------------------------

  snapshot(): ConnectionSnapshot {
    return {
      state: this.state(),
      connacks: this.log.connackList(),
      packets: this.log.packetList(),
      messages: this.log.messageList(),
      subscriptions: this.subs.list(),
      inflight: this.inflight.list(),
      outbox: this.outbox.list(),
    };
  }

  takeUpdate(): ConnectionUpdate | null {
    const delta = this.log.takeDelta();
    const d = this.dirty;
    if (!delta && !d.state && !d.subs && !d.inflight && !d.outbox) return null;
    const u: ConnectionUpdate = { profileId: this.profile.id, state: this.state() };
    if (delta) {
      if (delta.reset) u.reset = true;
      if (delta.connacks.length > 0) u.connacks = delta.connacks;
      if (delta.packets.length > 0) u.packets = delta.packets;
      if (delta.messages.length > 0) u.messages = delta.messages;
    }
    if (d.subs || delta?.reset) u.subscriptions = this.subs.list();
    if (d.inflight || delta?.reset) u.inflight = this.inflight.list();
    if (d.outbox || delta?.reset) u.outbox = this.outbox.list();
    this.dirty = { state: false, subs: false, inflight: false, outbox: false };
    return u;
  }
}
