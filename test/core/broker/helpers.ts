/** Shared helpers for broker tests: a broker on free ports, MQTT.js clients, raw sockets. */
import { connect as netConnect, type Socket } from 'node:net';
import mqttPacket from 'mqtt-packet';
import mqtt, { type IClientOptions, type MqttClient, type Packet } from 'mqtt';
import { EmbeddedBroker } from '../../../electron/core/broker';
import type { BrokerSettings, BrokerEvent } from '../../../shared/broker';

export interface TestBroker {
  broker: EmbeddedBroker;
  port: number;
  wsPort: number | null;
  url: string;
  events: BrokerEvent[];
}

const brokers: EmbeddedBroker[] = [];
const clients: MqttClient[] = [];
const sockets: Socket[] = [];

export async function startBroker(settings: Partial<BrokerSettings> = {}, dataDir: string | null = null): Promise<TestBroker> {
  const broker = new EmbeddedBroker({ settings: { host: '127.0.0.1', port: 0, wsPort: null, ...settings }, dataDir });
  brokers.push(broker);
  const st = await broker.start();
  const events: BrokerEvent[] = [];
  broker.onEvent((batch) => events.push(...batch));
  return { broker, port: st.tcpPort!, wsPort: st.wsPort, url: `mqtt://127.0.0.1:${st.tcpPort}`, events };
}

export type Received = { topic: string; payload: string; packet: mqtt.IPublishPacket }[];

export interface Conn {
  client: MqttClient;
  /** Messages received, collected from before CONNACK (resumed sessions deliver right after it). */
  msgs: Received;
  /** PUBLISH packets in wire order (QoS 2 'message' events fire only after PUBREL). */
  wire: mqtt.IPublishPacket[];
  connack: Packet & { sessionPresent: boolean; reasonCode?: number; returnCode?: number; properties?: Record<string, unknown> };
}

/** Connects once (no auto reconnect) and resolves with the CONNACK. */
export function connectClient(url: string, opts: IClientOptions): Promise<Conn> {
  return new Promise((resolve, reject) => {
    const client = mqtt.connect(url, { reconnectPeriod: 0, connectTimeout: 5000, ...opts });
    clients.push(client);
    const msgs = collect(client);
    const wire: mqtt.IPublishPacket[] = [];
    client.on('packetreceive', (p) => {
      if (p.cmd === 'publish') wire.push(p);
    });
    client.once('connect', (connack) => resolve({ client, msgs, wire, connack: connack as Conn['connack'] }));
    client.once('error', (err) => {
      client.end(true);
      reject(err);
    });
  });
}

export function collect(client: MqttClient): Received {
  const out: Received = [];
  client.on('message', (topic, payload, packet) => out.push({ topic, payload: payload.toString(), packet }));
  return out;
}

export async function waitFor(cond: () => boolean, timeoutMs = 5000, what = 'condition'): Promise<void> {
  const start = Date.now();
  while (!cond()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

export function end(client: MqttClient, force = false): Promise<void> {
  return new Promise((resolve) => client.end(force, {}, () => resolve()));
}

export function subscribe(client: MqttClient, topic: string | string[], opts: mqtt.IClientSubscribeOptions = { qos: 1 }): Promise<mqtt.ISubscriptionGrant[]> {
  return new Promise((resolve, reject) => client.subscribe(topic, opts, (err, granted) => (err ? reject(err) : resolve(granted ?? []))));
}

export function publish(client: MqttClient, topic: string, payload: string | Buffer, opts: mqtt.IClientPublishOptions = {}): Promise<mqtt.Packet | undefined> {
  return new Promise((resolve, reject) => client.publish(topic, payload, opts, (err, pkt) => (err ? reject(err) : resolve(pkt))));
}

/** A raw TCP socket collecting every byte received. */
export interface Raw {
  socket: Socket;
  data: () => Buffer;
  closed: () => boolean;
  waitClosed(timeoutMs?: number): Promise<void>;
  waitBytes(n: number, timeoutMs?: number): Promise<Buffer>;
}

export function rawConnect(port: number): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const socket = netConnect({ host: '127.0.0.1', port });
    sockets.push(socket);
    let buf = Buffer.alloc(0);
    let closed = false;
    socket.on('data', (d) => (buf = Buffer.concat([buf, d])));
    socket.on('close', () => (closed = true));
    socket.on('error', () => {});
    socket.once('connect', () =>
      resolve({
        socket,
        data: () => buf,
        closed: () => closed,
        waitClosed: (t = 5000) => waitFor(() => closed, t, 'socket close'),
        waitBytes: async (n, t = 5000) => {
          await waitFor(() => buf.length >= n, t, `${n} bytes`);
          return buf;
        },
      }),
    );
    socket.once('error', reject);
  });
}

/** Builds an MQTT packet from a first byte and a body (Remaining Length computed). */
export function packet(first: number, body: number[] | Buffer): Buffer {
  const b = Buffer.isBuffer(body) ? body : Buffer.from(body);
  const len: number[] = [];
  let n = b.length;
  do {
    let d = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) d |= 0x80;
    len.push(d);
  } while (n > 0);
  return Buffer.concat([Buffer.from([first, ...len]), b]);
}

export function str(s: string | Buffer): Buffer {
  const b = Buffer.isBuffer(s) ? s : Buffer.from(s, 'utf8');
  const l = Buffer.alloc(2);
  l.writeUInt16BE(b.length);
  return Buffer.concat([l, b]);
}

/** CONNECT body for 3.1.1 (level 4) or 5 (empty properties). */
export function connectPacket(clientId: string, opts: { level?: 3 | 4 | 5; clean?: boolean; keepalive?: number } = {}): Buffer {
  const level = opts.level ?? 4;
  const flags = opts.clean === false ? 0 : 0x02;
  const ka = opts.keepalive ?? 60;
  const parts = [str(level === 3 ? 'MQIsdp' : 'MQTT'), Buffer.from([level, flags, ka >> 8, ka & 0xff])];
  if (level === 5) parts.push(Buffer.from([0]));
  parts.push(str(clientId));
  return packet(0x10, Buffer.concat(parts));
}

export async function cleanup(): Promise<void> {
  for (const c of clients.splice(0)) c.end(true);
  for (const s of sockets.splice(0)) s.destroy();
  await Promise.all(brokers.splice(0).map((b) => b.stop().catch(() => {})));
}

let idSeq = 0;
export function uid(prefix: string): string {
  return `${prefix}-${process.pid}-${++idSeq}`;
}

/** Decodes every whole packet in `buf` (broker → client direction). */
export function parsePackets(buf: Buffer, protocolVersion: 3 | 4 | 5 = 4): mqtt.Packet[] {
  const parser = mqttPacket.parser({ protocolVersion });
  const out: mqtt.Packet[] = [];
  parser.on('packet', (p: mqtt.Packet) => out.push(p));
  parser.on('error', (e: Error) => out.push({ cmd: 'error', message: e.message } as unknown as mqtt.Packet));
  parser.parse(buf);
  return out;
}

export function gen(p: mqtt.Packet, protocolVersion: 3 | 4 | 5 = 4): Buffer {
  return mqttPacket.generate(p as mqttPacket.Packet, { protocolVersion });
}

/** Waits until the raw socket has received packets matching `pred`. */
export async function waitPackets(raw: Raw, pred: (ps: mqtt.Packet[]) => boolean, v: 3 | 4 | 5 = 4, timeoutMs = 5000): Promise<mqtt.Packet[]> {
  let ps: mqtt.Packet[] = [];
  await waitFor(() => pred((ps = parsePackets(raw.data(), v))), timeoutMs, 'packets');
  return ps;
}

/** Subscribes and resolves with the raw SUBACK codes (MQTT.js rejects v5 failure codes). */
export function subackCodes(client: MqttClient, topic: string | string[], opts: mqtt.IClientSubscribeOptions = { qos: 1 }): Promise<number[]> {
  return new Promise((resolve) => {
    const onPacket = (pk: mqtt.Packet) => {
      if (pk.cmd !== 'suback') return;
      client.off('packetreceive', onPacket);
      resolve((pk as unknown as { granted: number[] }).granted);
    };
    client.on('packetreceive', onPacket);
    client.subscribe(topic, opts, () => {});
  });
}
