/**
 * A hand-driven MQTT connection (mqtt-packet over a socket) for the steps
 * MQTT.js cannot be made to do: withholding PUBREC/PUBCOMP so a QoS 2 message
 * is still in flight when the network drops.
 */
import { createConnection, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import type { Duplex } from 'node:stream';
import mqttPacket, { type Packet } from 'mqtt-packet';
import WebSocket, { createWebSocketStream } from 'ws';
import { abortError, bounded, ProbeError } from './bounded-wait';
import { describeConnectError } from './probe-client';
import type { PacketTrace } from './packet-trace';
import type { ScenarioTls } from './types';

export interface RawConnectOptions {
  url: string;
  username?: string;
  password?: string;
  tls?: ScenarioTls;
  name: string;
  clientId: string;
  clean: boolean;
  timeoutMs: number;
  trace: PacketTrace;
  signal?: AbortSignal;
  /** Called for every packet after CONNACK, before anyone awaits it (retransmissions follow CONNACK at once). */
  onPacket?: (client: RawClient, packet: Packet) => void;
}

/** Packets kept per connection; the scenario exchanges a handful. */
const MAX_PACKETS = 1000;
const PROTOCOL_VERSION = 4;

function openStream(url: URL, tls: ScenarioTls = {}): Duplex {
  const port = (fallback: number) => (url.port ? Number(url.port) : fallback);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  switch (url.protocol) {
    case 'mqtt:':
    case 'tcp:':
      return createConnection({ host, port: port(1883) });
    case 'mqtts:':
    case 'ssl:':
      return tlsConnect({ host, port: port(8883), servername: host, ca: tls.ca, rejectUnauthorized: tls.rejectUnauthorized });
    case 'ws:':
    case 'wss:': {
      const ws = new WebSocket(url.href, ['mqtt'], { ca: tls.ca, rejectUnauthorized: tls.rejectUnauthorized });
      return createWebSocketStream(ws);
    }
    default:
      throw new ProbeError(`unsupported broker URL scheme ${url.protocol}`, 'connect');
  }
}

export class RawClient {
  readonly name: string;
  readonly packets: Packet[] = [];
  sessionPresent = false;
  closed = false;
  private readonly stream: Duplex;
  private readonly trace: PacketTrace;
  private waiters = new Set<() => void>();

  private constructor(stream: Duplex, opts: RawConnectOptions) {
    this.stream = stream;
    this.name = opts.name;
    this.trace = opts.trace;
    const parser = mqttPacket.parser({ protocolVersion: PROTOCOL_VERSION });
    parser.on('packet', (p: Packet) => {
      this.trace.packet(this.name, 'in', p);
      if (this.packets.length < MAX_PACKETS) this.packets.push(p);
      if (p.cmd !== 'connack') opts.onPacket?.(this, p);
      this.notify();
    });
    parser.on('error', () => this.destroy());
    stream.on('data', (chunk: Buffer) => parser.parse(chunk));
    stream.on('error', () => undefined);
    stream.on('close', () => {
      this.closed = true;
      this.notify();
    });
  }

  static async open(opts: RawConnectOptions): Promise<RawClient> {
    if (opts.signal?.aborted) throw abortError();
    let stream: Duplex;
    try {
      stream = openStream(new URL(opts.url), opts.tls);
    } catch (err) {
      throw err instanceof ProbeError ? err : new ProbeError(describeConnectError(err, opts.url, PROTOCOL_VERSION), 'connect');
    }
    const client = new RawClient(stream, opts);
    const failed = new Promise<never>((_, reject) => {
      stream.once('error', (err) => reject(new ProbeError(describeConnectError(err, opts.url, PROTOCOL_VERSION), 'connect')));
    });
    failed.catch(() => undefined);
    try {
      client.send({
        cmd: 'connect',
        protocolId: 'MQTT',
        protocolVersion: PROTOCOL_VERSION,
        clientId: opts.clientId,
        clean: opts.clean,
        keepalive: 30,
        username: opts.username,
        password: opts.password === undefined ? undefined : Buffer.from(opts.password),
      });
      const connack = await bounded(
        Promise.race([client.waitFor((p) => p.cmd === 'connack', opts.timeoutMs), failed]),
        opts.timeoutMs,
        `connect ${opts.name}`,
        opts.signal,
      );
      if (!connack || connack.cmd !== 'connack') throw new ProbeError(`cannot connect to ${opts.url}: no CONNACK`, 'connect');
      const code = connack.returnCode ?? connack.reasonCode ?? 0;
      if (code !== 0) throw new ProbeError(describeConnectError({ code }, opts.url, PROTOCOL_VERSION), 'connect');
      client.sessionPresent = !!connack.sessionPresent;
      return client;
    } catch (err) {
      client.destroy();
      throw err;
    }
  }

  send(packet: Packet): void {
    if (this.closed) return;
    this.trace.packet(this.name, 'out', packet);
    this.stream.write(mqttPacket.generate(packet, { protocolVersion: PROTOCOL_VERSION }));
  }

  /** First packet after index `from` matching pred, or null after ms. */
  async waitFor(pred: (p: Packet) => boolean, ms: number, from = 0): Promise<Packet | null> {
    const find = () => this.packets.slice(from).find(pred) ?? null;
    const now = find();
    if (now || this.closed) return now;
    await new Promise<void>((resolve) => {
      const check = () => {
        if (find() || this.closed) done();
      };
      const timer = setTimeout(() => done(), ms);
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve();
      };
      this.waiters.add(check);
    });
    return find();
  }

  /** Network drop: no DISCONNECT, the broker keeps whatever is in flight. */
  destroy(): void {
    if (!this.closed) this.trace.add(this.name, 'note', 'network dropped (socket destroyed, no DISCONNECT)');
    this.closed = true;
    (this.stream as Socket).destroy();
  }

  /** Graceful end for cleanup. */
  close(): void {
    if (this.closed) return;
    this.send({ cmd: 'disconnect' });
    this.stream.end();
    this.closed = true;
  }

  private notify(): void {
    for (const w of [...this.waiters]) w();
  }
}
