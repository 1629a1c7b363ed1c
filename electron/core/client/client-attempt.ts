/**
 * One MQTT.js client per connect attempt, and what its events mean for the
 * status. The rule every path keeps: 'connected' only between a successful
 * CONNACK and the socket closing (or the broker's DISCONNECT).
 *
 * Each attempt gets a new MqttClient over the same QoS 1/2 stores, so
 * whatever was in flight is replayed by the next client. Auto-reconnect is
 * ours, not MQTT.js's (its reconnectPeriod is a fixed interval): exponential
 * backoff with a cap and jitter, shown in the state, and CONNACK refusals
 * are retried only when the broker said "not now" (see reconnect-backoff.ts).
 */
import { connect as mqttConnect, type MqttClient } from 'mqtt';
import type { IConnackPacket, IDisconnectPacket, Packet } from 'mqtt-packet';
import { randomClientId } from '../../../shared/profile';
import { formatReason } from '../../../shared/mqtt/reason-codes';
import { UserFacingError } from '../contract-dispatch';
import { brokerUrl, buildClientOptions } from './client-options';
import { NO_SERVER_LIMITS, type ConnectionContext, type ServerLimits } from './connection-context';
import { describeConnackRefusal, describeError } from './errors';
import type { PacketCapture } from './packet-capture';
import { isTransientConnackRefusal } from './reconnect-backoff';
import { subscribeOptionGroups } from './subscribe-groups';
import type { UserActions } from './user-actions';

/** Slack over MQTT.js's own connect timeout before the watchdog gives up on an attempt. */
const WATCHDOG_SLACK_MS = 1500;
/**
 * A connection that lasted this long counts as working: the next drop starts the backoff
 * again from the profile's period. A shorter one (accepted, then kicked: a client-id
 * takeover loop, an ACL disconnect) keeps backing off instead of hammering the broker.
 */
export const STABLE_CONNECTION_MS = 10_000;

/** The limits an accepted CONNACK announces (5.0 properties; absent = the spec's default). */
function serverLimits(p: IConnackPacket, protocolVersion: number): ServerLimits {
  if (protocolVersion !== 5) return { ...NO_SERVER_LIMITS };
  const props = p.properties ?? {};
  return {
    receiveMaximum: props.receiveMaximum ?? NO_SERVER_LIMITS.receiveMaximum,
    maximumQoS: (props.maximumQoS ?? 2) as 0 | 1 | 2,
    retainAvailable: props.retainAvailable ?? true,
    maximumPacketSize: props.maximumPacketSize ?? NO_SERVER_LIMITS.maximumPacketSize,
    topicAliasMaximum: props.topicAliasMaximum ?? 0,
  };
}

/** MQTT.js replays a kept store one message at a time, each after the previous one's ack. */
function storeHasMessages(store: unknown): boolean {
  const inflights = (store as { _inflights?: Map<number, unknown> })._inflights;
  return inflights instanceof Map && inflights.size > 0;
}

export class ClientAttempt {
  /** The user asked to disconnect: the close that follows ends in 'disconnected', with no error. */
  userClosing = false;
  /** The user pressed Drop network: the close that follows is expected, not an error. */
  dropping = false;
  /** CONNACK refusal code of the current attempt. */
  private refusal: number | null = null;
  private lastSessionPresent = false;
  /** An attempt is under way and has had no CONNACK yet: if it ends so, the history says why. */
  private awaitingConnack = false;
  private connectWaiters: (() => void)[] = [];
  private watchdog: NodeJS.Timeout | null = null;

  constructor(
    private readonly ctx: ConnectionContext,
    private readonly capture: PacketCapture,
    private readonly actions: UserActions,
  ) {}

  /** A promise for the outcome of the attempt about to start (connected, failed, or handed to auto-reconnect). */
  settled(): Promise<void> {
    return new Promise<void>((resolve) => this.connectWaiters.push(resolve));
  }

  /** Resolves every pending connect() (the attempt reached an outcome). */
  settleConnect(): void {
    const waiters = this.connectWaiters;
    this.connectWaiters = [];
    for (const w of waiters) w();
  }

  /** Opens a new MqttClient over the kept stores and sends CONNECT. */
  startAttempt(): void {
    const ctx = this.ctx;
    const profile = ctx.profile;
    this.refusal = null;
    this.dropping = false;
    this.awaitingConnack = true;
    ctx.assignedId = null;
    ctx.ready = false;
    let client: MqttClient;
    try {
      const opts = buildClientOptions(profile, ctx.clientId);
      client = mqttConnect(brokerUrl(profile), { ...opts, incomingStore: ctx.incomingStore, outgoingStore: ctx.outgoingStore });
    } catch (err) {
      ctx.status = 'error';
      ctx.error = err instanceof UserFacingError ? err.message : `Cannot connect: ${err instanceof Error ? err.message : String(err)}`;
      this.awaitingConnack = false;
      this.capture.recordNoConnack(ctx.error, Date.now());
      ctx.reconnect.reset();
      ctx.changed();
      this.settleConnect();
      return;
    }
    ctx.client = client;
    this.attach(client);
    ctx.status = 'connecting';
    ctx.changed();
    this.armWatchdog(client);
    client.connect();
    // MQTT.js drops stream errors without a code (a CONNECT mqtt-packet cannot encode, a WebSocket
    // upgrade answered 404): without this the user would only see "closed before CONNACK".
    client.stream?.on('error', (err: Error & { code?: unknown }) => {
      if (ctx.client !== client || err.code || this.userClosing) return;
      const http = /Unexpected server response: (\d+)/.exec(err.message);
      ctx.error = http
        ? `WebSocket handshake refused: HTTP ${http[1]} (does the broker serve MQTT on path ${ctx.profile.path}?)`
        : `Connection failed: ${err.message}`;
    });
  }

  private reconnectNow(): void {
    const ctx = this.ctx;
    this.retireClient();
    if (ctx.profile.clientIdMode === 'random-per-connect') {
      ctx.clientId = randomClientId();
      ctx.subs.forgetSession();
    }
    this.startAttempt();
  }

  private scheduleReconnect(): void {
    this.ctx.status = 'reconnecting';
    this.ctx.reconnect.schedule(this.ctx.profile.reconnectPeriodMs, () => this.reconnectNow());
  }

  /** MQTT.js bounds an attempt with connectTimeout; this backstop makes sure every attempt ends. */
  private armWatchdog(client: MqttClient): void {
    this.clearWatchdog();
    const ms = this.ctx.profile.connectTimeoutMs;
    this.watchdog = setTimeout(() => {
      this.watchdog = null;
      if (this.ctx.client !== client || this.ctx.status !== 'connecting') return;
      this.ctx.error = `No CONNACK within ${ms} ms (connect timeout)`;
      this.retireClient();
      this.afterClose();
    }, ms + WATCHDOG_SLACK_MS);
  }

  clearWatchdog(): void {
    if (this.watchdog) clearTimeout(this.watchdog);
    this.watchdog = null;
  }

  /** Detaches and force-closes the current MqttClient, if any. The stores stay. */
  retireClient(): void {
    const c = this.ctx.client;
    this.ctx.ready = false;
    if (!c) return;
    this.ctx.client = null;
    c.removeAllListeners();
    c.on('error', () => {});
    try {
      c.end(true);
    } catch {
      /* already closed */
    }
  }

  private attach(client: MqttClient): void {
    const mine = () => this.ctx.client === client;
    client.on('packetsend', (p: Packet) => mine() && this.capture.onPacket(p, 'out'));
    client.on('packetreceive', (p: Packet) => {
      if (!mine()) return;
      this.capture.onPacket(p, 'in');
      if (p.cmd === 'connack') this.onConnack(p);
      else if (p.cmd === 'disconnect') this.onServerDisconnect(p, client);
    });
    client.on('message', (topic, payload, packet) => mine() && this.capture.onMessage(topic, payload, packet));
    client.on('connect', () => mine() && this.onConnected());
    client.on('error', (err) => mine() && this.onError(err));
    client.on('close', () => mine() && this.onClose());
  }

  // ---- MQTT.js events ------------------------------------------------------

  private onConnack(p: IConnackPacket): void {
    const ctx = this.ctx;
    const at = Date.now();
    this.awaitingConnack = false;
    const r = this.capture.recordConnack(p, at);
    this.lastSessionPresent = r.sessionPresent;
    if (r.code !== 0) {
      this.refusal = r.code;
      ctx.error = describeConnackRefusal(r.code, ctx.protocolVersion);
      ctx.status = ctx.profile.reconnect && isTransientConnackRefusal(r.code, ctx.protocolVersion) ? 'reconnecting' : 'error';
      ctx.changed();
      return;
    }
    const resumed = !ctx.profile.clean && (ctx.protocolVersion < 4 || r.sessionPresent);
    if (!resumed && ctx.inflight.clearIncoming()) ctx.mark('inflight');
    this.clearWatchdog();
    // The attempt count stays until the connection proves stable (see afterClose).
    ctx.reconnect.cancel();
    ctx.server = serverLimits(p, ctx.protocolVersion);
    this.actions.onConnectionAccepted();
    ctx.status = 'connected';
    ctx.error = null;
    ctx.connectedAt = at;
    ctx.changed();
    // MQTT.js signals 'connect' only once every stored message is replayed and acknowledged, one
    // at a time: connect() should not wait for that (nor hang if the broker never acks one).
    if (storeHasMessages(ctx.outgoingStore)) this.settleConnect();
  }

  /** MQTT.js finished replaying its store after a successful CONNACK: subscriptions, then the outbox. */
  private onConnected(): void {
    const ctx = this.ctx;
    const client = ctx.client;
    if (!client) return;
    const plan = ctx.subs.plan(this.lastSessionPresent, ctx.profile.resubscribe);
    if (plan.unsubscribe.length > 0) client.unsubscribe(plan.unsubscribe, () => {});
    for (const group of subscribeOptionGroups(plan.subscribe, ctx.protocolVersion)) {
      client.subscribe(group.map, group.opts, (err) => {
        if (err && !/Subscribe error/.test(err.message)) ctx.subs.onSubscribeError(Object.keys(group.map), err.message);
      });
    }
    ctx.mark('subs');
    ctx.ready = true;
    this.actions.flushOutbox();
    ctx.changed();
    this.settleConnect();
  }

  /** 5.0 server DISCONNECT: the session on this socket is over now, not when the socket closes. */
  private onServerDisconnect(p: IDisconnectPacket, client: MqttClient): void {
    const ctx = this.ctx;
    const reason = p.properties?.reasonString;
    ctx.error = `Broker sent DISCONNECT ${formatReason(p.reasonCode ?? 0, ctx.protocolVersion, 'disconnect')}${reason ? `: ${reason}` : ''}`;
    ctx.ready = false;
    this.connectionEnded();
    ctx.status = ctx.profile.reconnect ? 'reconnecting' : 'disconnected';
    ctx.changed();
    // The sender closes the connection; close ours too rather than trust it to.
    setImmediate(() => {
      if (ctx.client === client) client.stream?.destroy();
    });
  }

  /** The accepted connection is over; one that lasted resets the backoff. */
  private connectionEnded(): void {
    const ctx = this.ctx;
    if (ctx.connectedAt !== null && Date.now() - ctx.connectedAt >= STABLE_CONNECTION_MS) ctx.reconnect.forgetAttempts();
    ctx.connectedAt = null;
  }

  private onError(err: Error): void {
    const ctx = this.ctx;
    if (this.userClosing) return;
    // A refused CONNACK is already recorded with its name; MQTT.js repeats it as an error.
    if (this.refusal !== null && /Connection refused/.test(err.message)) return;
    ctx.error = describeError(err, ctx.profile, ctx.status !== 'connected');
    if (ctx.status === 'connecting' && !ctx.profile.reconnect) ctx.status = 'error';
    ctx.changed();
    // With auto-reconnect the 'close' that follows settles connect() as 'reconnecting'.
    if (ctx.status === 'error') this.settleConnect();
  }

  private onClose(): void {
    this.clearWatchdog();
    this.afterClose();
  }

  /** The attempt or connection is over: decide between disconnected, error and a scheduled reconnect. */
  private afterClose(): void {
    const ctx = this.ctx;
    const profile = ctx.profile;
    ctx.labeler.onClose();
    ctx.ready = false;
    const wasConnecting = ctx.status === 'connecting';
    this.connectionEnded();
    if (this.userClosing) ctx.status = 'disconnected';
    else if (this.refusal !== null) {
      if (profile.reconnect && isTransientConnackRefusal(this.refusal, ctx.protocolVersion)) this.scheduleReconnect();
      else ctx.status = 'error';
    } else if (ctx.status === 'error') {
      /* a failed attempt without auto-reconnect: keep its error */
    } else if (profile.reconnect) {
      if (!ctx.error && !this.dropping) ctx.error = 'Connection lost: the socket closed without DISCONNECT';
      this.scheduleReconnect();
    } else if (wasConnecting) {
      ctx.status = 'error';
      ctx.error ??= 'Connection closed before CONNACK';
    } else {
      ctx.status = 'disconnected';
      if (!ctx.error && !this.dropping) ctx.error = 'Connection lost: the socket closed without DISCONNECT';
    }
    if (this.awaitingConnack) {
      this.awaitingConnack = false;
      // One history entry per attempt, also for those that never got an answer.
      if (!this.userClosing) this.capture.recordNoConnack(ctx.error ?? 'the connection closed before a CONNACK', Date.now());
    }
    ctx.changed();
    this.settleConnect();
  }
}
