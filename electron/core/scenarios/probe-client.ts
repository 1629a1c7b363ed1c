/**
 * A thin MQTT.js wrapper for scenario steps: connect once (never reconnect, so
 * a takeover or a drop stays visible), keep the CONNACK, every message and the
 * packet trace, and turn every wait into a bounded, abortable one.
 */
import { connect, type IClientOptions, type IConnackPacket, type MqttClient, type Packet } from 'mqtt';
import { formatReason } from '../../../shared/mqtt/reason-codes';
import { abortError, bounded, ProbeError, sleep } from './bounded-wait';
import type { PacketTrace } from './packet-trace';
import type { ScenarioTls } from './types';

export interface ProbeWill {
  topic: string;
  payload: string;
  qos: 0 | 1 | 2;
  retain?: boolean;
  /** MQTT 5 Will Delay Interval, seconds. */
  delaySeconds?: number;
}

export interface ProbeConnectOptions {
  url: string;
  username?: string;
  password?: string;
  tls?: ScenarioTls;
  /** Label in traces and step results, e.g. "subscriber". */
  name: string;
  clientId: string;
  protocolVersion: 4 | 5;
  /** Clean Session (3.1.1) / Clean Start (5.0). */
  clean: boolean;
  /** MQTT 5 Session Expiry Interval, seconds; omitted = property not sent (0). */
  sessionExpiry?: number;
  will?: ProbeWill;
  timeoutMs: number;
  trace: PacketTrace;
  signal?: AbortSignal;
}

export interface ProbeMessage {
  topic: string;
  payload: string;
  qos: number;
  retain: boolean;
  dup: boolean;
  at: number;
}

export interface ProbeConnack {
  sessionPresent: boolean;
  reasonCode: number;
  properties: Record<string, unknown>;
}

/** Received messages kept per connection; the queue-limit probe needs a few thousand. */
const MAX_MESSAGES = 100_000;

/** Socket errors in words a user can act on. */
export function describeConnectError(err: unknown, url: string, protocolVersion: number): string {
  const e = err as { code?: unknown; message?: string };
  if (typeof e?.code === 'number') return `the broker refused the connection: ${formatReason(e.code, protocolVersion, 'connack')}`;
  switch (e?.code) {
    case 'ECONNREFUSED':
      return `cannot connect to ${url}: connection refused (is the broker running?)`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `cannot connect to ${url}: host not found`;
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `cannot connect to ${url}: host unreachable`;
    case 'ECONNRESET':
      return `cannot connect to ${url}: connection reset by the broker`;
    default:
      return `cannot connect to ${url}: ${e?.message || String(err)}`;
  }
}

export class ProbeClient {
  readonly name: string;
  readonly clientId: string;
  readonly protocolVersion: 4 | 5;
  readonly messages: ProbeMessage[] = [];
  connack: ProbeConnack | null = null;
  /** Reason code of a DISCONNECT the broker sent, if any. */
  serverDisconnect: number | null = null;
  closed = false;
  private readonly client: MqttClient;
  private readonly timeoutMs: number;
  private readonly signal?: AbortSignal;
  private waiters = new Set<() => void>();

  private constructor(client: MqttClient, opts: ProbeConnectOptions) {
    this.client = client;
    this.name = opts.name;
    this.clientId = opts.clientId;
    this.protocolVersion = opts.protocolVersion;
    this.timeoutMs = opts.timeoutMs;
    this.signal = opts.signal;
    client.on('packetsend', (p: Packet) => opts.trace.packet(this.name, 'out', p));
    client.on('packetreceive', (p: Packet) => opts.trace.packet(this.name, 'in', p));
    client.on('message', (topic, payload, packet) => {
      if (this.messages.length < MAX_MESSAGES) {
        this.messages.push({ topic, payload: payload.toString('utf8'), qos: packet.qos, retain: packet.retain, dup: packet.dup, at: Date.now() });
      }
      this.notify();
    });
    client.on('disconnect', (p) => {
      this.serverDisconnect = p.reasonCode ?? 0;
      this.notify();
    });
    client.on('close', () => {
      this.closed = true;
      this.notify();
    });
    // Errors after connect (resets, takeovers) are expected in scenarios; they show up as `closed`.
    client.on('error', () => undefined);
  }

  /** Connects and waits for CONNACK; rejects with a clear ProbeError otherwise. */
  static open(opts: ProbeConnectOptions): Promise<ProbeClient> {
    if (opts.signal?.aborted) return Promise.reject(abortError());
    const mqttOpts: IClientOptions = {
      clientId: opts.clientId,
      protocolVersion: opts.protocolVersion,
      clean: opts.clean,
      username: opts.username,
      password: opts.password,
      reconnectPeriod: 0,
      // Our own bound (below) gives the clearer message; MQTT.js's must not win the race.
      connectTimeout: opts.timeoutMs + 1000,
      keepalive: 30,
      resubscribe: false,
      queueQoSZero: false,
      // Listeners (packet trace) go on before the CONNECT is written.
      manualConnect: true,
    };
    if (opts.tls?.ca !== undefined) mqttOpts.ca = opts.tls.ca;
    if (opts.tls?.rejectUnauthorized !== undefined) mqttOpts.rejectUnauthorized = opts.tls.rejectUnauthorized;
    if (opts.protocolVersion === 5 && opts.sessionExpiry !== undefined) mqttOpts.properties = { sessionExpiryInterval: opts.sessionExpiry };
    if (opts.will) {
      mqttOpts.will = { topic: opts.will.topic, payload: Buffer.from(opts.will.payload), qos: opts.will.qos, retain: opts.will.retain ?? false };
      if (opts.protocolVersion === 5 && opts.will.delaySeconds !== undefined) mqttOpts.will.properties = { willDelayInterval: opts.will.delaySeconds };
    }
    let client: MqttClient;
    try {
      client = connect(opts.url, mqttOpts);
    } catch (err) {
      return Promise.reject(new ProbeError(describeConnectError(err, opts.url, opts.protocolVersion), 'connect'));
    }
    const probe = new ProbeClient(client, opts);
    const connected = new Promise<ProbeClient>((resolve, reject) => {
      const onConnect = (p: IConnackPacket) => {
        probe.connack = { sessionPresent: !!p.sessionPresent, reasonCode: p.reasonCode ?? p.returnCode ?? 0, properties: { ...(p.properties ?? {}) } };
        cleanup();
        resolve(probe);
      };
      const onError = (err: Error) => {
        cleanup();
        reject(new ProbeError(describeConnectError(err, opts.url, opts.protocolVersion), 'connect'));
      };
      const onClose = () => {
        cleanup();
        reject(new ProbeError(`cannot connect to ${opts.url}: the connection closed before CONNACK`, 'connect'));
      };
      const cleanup = () => {
        client.off('connect', onConnect);
        client.off('error', onError);
        client.off('close', onClose);
      };
      client.on('connect', onConnect);
      client.on('error', onError);
      client.on('close', onClose);
      client.connect();
    });
    return bounded(connected, opts.timeoutMs, `connect ${opts.name} to ${opts.url}`, opts.signal).catch((err: unknown) => {
      client.end(true);
      if (err instanceof ProbeError && err.kind === 'timeout') throw new ProbeError(`cannot connect to ${opts.url}: no CONNACK within ${opts.timeoutMs} ms`, 'connect');
      throw err;
    });
  }

  get sessionPresent(): boolean {
    return this.connack?.sessionPresent ?? false;
  }

  /** Returns the granted QoS, or the failure code (>= 0x80). */
  async subscribe(filter: string, qos: 0 | 1 | 2): Promise<number> {
    const granted = await bounded(this.client.subscribeAsync(filter, { qos }), this.timeoutMs, `${this.name} subscribe`, this.signal);
    return granted[0]?.qos ?? 0x80;
  }

  async publish(topic: string, payload: string, qos: 0 | 1 | 2, retain = false): Promise<void> {
    await bounded(this.client.publishAsync(topic, payload, { qos, retain }), this.timeoutMs, `${this.name} publish`, this.signal);
  }

  /**
   * Publishes payloads with at most `window` unacknowledged at a time: MQTT.js
   * has no in-flight limit for 3.1.1 and its packet ids wrap at 65,535.
   */
  async publishWindowed(topic: string, payloads: string[], qos: 1 | 2, window: number): Promise<void> {
    let next = 0;
    const worker = async () => {
      while (next < payloads.length) {
        const p = payloads[next++];
        await this.publish(topic, p, qos);
      }
    };
    await Promise.all(Array.from({ length: Math.min(window, payloads.length) }, worker));
  }

  messagesOn(topic: string): ProbeMessage[] {
    return this.messages.filter((m) => m.topic === topic);
  }

  /** Waits until `count` messages arrived on topic or ms passed; returns what arrived. */
  async waitForMessages(topic: string, count: number, ms: number): Promise<ProbeMessage[]> {
    await this.waitUntil(() => this.messagesOn(topic).length >= count, ms);
    return this.messagesOn(topic);
  }

  /** Waits until no new message arrived on topic for quietMs (max totalMs); returns all on topic. */
  async waitQuiet(topic: string, quietMs: number, totalMs: number): Promise<ProbeMessage[]> {
    const deadline = Date.now() + totalMs;
    let seen = -1;
    while (Date.now() < deadline) {
      const n = this.messagesOn(topic).length;
      if (n === seen) break;
      seen = n;
      await sleep(Math.min(quietMs, Math.max(0, deadline - Date.now())), this.signal);
    }
    return this.messagesOn(topic);
  }

  /** Waits until cond() holds (re-checked on every message, DISCONNECT and close) or ms passed. */
  async waitFor(cond: () => boolean, ms: number): Promise<boolean> {
    await this.waitUntil(cond, ms);
    return cond();
  }

  /** Waits for the connection to close (e.g. taken over); true when it did. */
  async waitClosed(ms: number): Promise<boolean> {
    await this.waitUntil(() => this.closed, ms);
    return this.closed;
  }

  /** Graceful DISCONNECT (optionally with a Session Expiry for 5.0), bounded. */
  async disconnect(sessionExpiry?: number): Promise<void> {
    if (this.closed) return;
    const opts = this.protocolVersion === 5 && sessionExpiry !== undefined ? { reasonCode: 0, properties: { sessionExpiryInterval: sessionExpiry } } : undefined;
    try {
      await bounded(this.client.endAsync(false, opts), this.timeoutMs, `${this.name} disconnect`);
    } catch {
      this.client.end(true);
    }
    this.closed = true;
  }

  /** Simulates a network drop: the socket goes away without DISCONNECT. */
  drop(): void {
    this.client.stream?.destroy();
    this.client.end(true);
  }

  /** Idempotent; used by cleanup. Graceful when possible so no will is triggered. */
  async close(): Promise<void> {
    if (this.closed) {
      this.client.end(true);
      return;
    }
    await this.disconnect();
  }

  private notify(): void {
    for (const w of [...this.waiters]) w();
  }

  private waitUntil(cond: () => boolean, ms: number): Promise<void> {
    if (cond()) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const check = () => {
        if (cond()) finish();
      };
      const onAbort = () => finish(abortError());
      const timer = setTimeout(() => finish(), ms);
      const finish = (err?: Error) => {
        clearTimeout(timer);
        this.waiters.delete(check);
        this.signal?.removeEventListener('abort', onAbort);
        if (err) reject(err);
        else resolve();
      };
      if (this.signal?.aborted) return finish(abortError());
      this.waiters.add(check);
      this.signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
}
