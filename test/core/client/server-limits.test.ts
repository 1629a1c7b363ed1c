/**
 * The engine keeps to what the broker's CONNACK allows, over real sockets:
 * the outbox is sent within the broker's Receive Maximum (MQTT-3.3.4-7),
 * publishes beyond Maximum QoS / Topic Alias Maximum / Maximum Packet Size
 * are refused before they reach the wire (so a refused QoS 1 message never
 * poisons the store), connect() does not wait for MQTT.js's one-by-one replay
 * of stored messages, and an accept-then-kick loop keeps backing off.
 */
import net from 'node:net';
import mqttPacket from 'mqtt-packet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddedBroker } from '../../../electron/core/broker';
import { ConnectionManager } from '../../../electron/core/client';
import { startMosquitto, type RunningMosquitto } from '../helpers/mosquitto';
import { makeProfile, sleep, waitFor } from './fixtures';

const sub = (topic: string, qos: 0 | 1 | 2 = 2) => ({ topic, qos, noLocal: false, retainAsPublished: false, retainHandling: 0 as const });
const rand = () => Math.random().toString(36).slice(2, 8);

describe('CONNACK limits', () => {
  let broker: EmbeddedBroker;
  let port: number;
  let mosq: RunningMosquitto;
  let mgr: ConnectionManager;

  beforeAll(async () => {
    // Receive Maximum 5: a client sending a sixth unacknowledged QoS 2 PUBLISH gets DISCONNECT 0x93.
    broker = new EmbeddedBroker({ settings: { port: 0, wsPort: null, receiveMaximum: 5 }, dataDir: null });
    port = (await broker.start()).tcpPort!;
    mosq = await startMosquitto(['max_qos 1', 'max_topic_alias 2', 'max_packet_size 1000'].join('\n'));
    mgr = new ConnectionManager({ isEmbeddedBroker: () => false, batchIntervalMs: 20 });
  });
  afterAll(async () => {
    await mgr?.closeAll();
    await broker?.stop();
    await mosq?.stop();
  });

  it('an outbox of 60 QoS 2 messages goes out within Receive Maximum 5: all delivered, in order, no 0x93', async () => {
    const topic = `rm/${rand()}`;
    const receiver = makeProfile(port, { mqttVersion: '5.0', subscriptions: [sub(topic)] });
    await mgr.connect(receiver);
    const sender = makeProfile(port, { mqttVersion: '5.0', allowOfflinePublish: true });
    await mgr.connect(sender);
    await mgr.disconnect({ profileId: sender.id });
    for (let i = 0; i < 60; i++) await mgr.publish(sender.id, { topic, qos: 2, retain: false, payload: `m${i}`, format: 'text' });
    expect(mgr.snapshot(sender.id)!.state.outboxCount).toBe(60);
    await mgr.connect(sender);
    const got = await waitFor(mgr, receiver.id, (s) => s.messages.filter((m) => m.dir === 'in').length === 60, 'all 60 delivered', 10_000);
    const texts = got.messages.filter((m) => m.dir === 'in').map((m) => Buffer.from(m.payloadBase64, 'base64').toString());
    expect(texts).toEqual(Array.from({ length: 60 }, (_, i) => `m${i}`));
    const s = mgr.snapshot(sender.id)!;
    expect(s.state.status).toBe('connected');
    expect(s.state.error).toBeNull();
    expect(s.state.outboxCount).toBe(0);
  });

  it("refuses, with the CONNACK's reason, publishes over Maximum QoS, Topic Alias Maximum and Maximum Packet Size; the connection stays up", async () => {
    const p = makeProfile(mosq.port, { mqttVersion: '5.0' });
    await mgr.connect(p);
    const topic = `lim/${rand()}`;
    await expect(mgr.publish(p.id, { topic, qos: 2, retain: false, payload: 'x', format: 'text' })).rejects.toThrow(/Maximum QoS 1/);
    await expect(mgr.publish(p.id, { topic, qos: 1, retain: false, payload: 'x', format: 'text', properties: { topicAlias: 3 } })).rejects.toThrow(/Topic Alias Maximum|1\.\.2/);
    await expect(mgr.publish(p.id, { topic: '', qos: 1, retain: false, payload: 'x', format: 'text', properties: { topicAlias: 1 } })).rejects.toThrow(/not set on this connection/);
    await expect(mgr.publish(p.id, { topic, qos: 1, retain: false, payload: 'x'.repeat(2000), format: 'text' })).rejects.toThrow(/Maximum Packet Size 1000/);
    // Set alias 1, then use it alone: both accepted.
    await mgr.publish(p.id, { topic, qos: 1, retain: false, payload: 'a', format: 'text', properties: { topicAlias: 1 } });
    await mgr.publish(p.id, { topic: '', qos: 1, retain: false, payload: 'b', format: 'text', properties: { topicAlias: 1 } });
    await sleep(300);
    const s = mgr.snapshot(p.id)!;
    expect(s.state.status).toBe('connected');
    expect(s.state.error).toBeNull();
    expect(s.packets.filter((x) => x.dir === 'out' && x.type === 'publish')).toHaveLength(2);
  });
});

/** A broker that accepts every CONNECT and never acknowledges a PUBLISH. */
async function silentBroker(): Promise<{ port: number; publishes: () => number; close(): Promise<void> }> {
  let publishes = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    const parser = mqttPacket.parser({ protocolVersion: 4 });
    parser.on('packet', (pkt) => {
      if (pkt.cmd === 'connect') socket.write(mqttPacket.generate({ cmd: 'connack', sessionPresent: !pkt.clean, returnCode: 0 }));
      else if (pkt.cmd === 'publish') publishes++;
      else if (pkt.cmd === 'pingreq') socket.write(mqttPacket.generate({ cmd: 'pingresp' }));
    });
    socket.on('data', (d) => parser.parse(d));
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    publishes: () => publishes,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

describe('reconnects', () => {
  it('connect() settles at the CONNACK while a replayed message is still unacknowledged', async () => {
    const fake = await silentBroker();
    const mgr = new ConnectionManager({ isEmbeddedBroker: () => false, batchIntervalMs: 20 });
    try {
      const p = makeProfile(fake.port, { mqttVersion: '3.1.1', clean: false });
      await mgr.connect(p);
      await mgr.publish(p.id, { topic: 'never/acked', qos: 1, retain: false, payload: 'x', format: 'text' });
      await waitFor(mgr, p.id, () => fake.publishes() === 1, 'the PUBLISH reached the broker');
      await mgr.dropNetwork(p.id);
      const t0 = Date.now();
      const st = await Promise.race([mgr.connect(p), sleep(3000).then(() => null)]);
      expect(st?.status).toBe('connected');
      expect(Date.now() - t0).toBeLessThan(2000);
      // MQTT.js replays the stored PUBLISH on the new connection (it is still in flight, unacknowledged).
      await waitFor(mgr, p.id, () => fake.publishes() === 2, 'the PUBLISH replayed');
    } finally {
      await mgr.closeAll();
      await fake.close();
    }
  });

  it('two profiles taking over the same client ID back off instead of reconnecting at the base period forever', async () => {
    const broker = new EmbeddedBroker({ settings: { port: 0, wsPort: null }, dataDir: null });
    const port = (await broker.start()).tcpPort!;
    const mgr = new ConnectionManager({ isEmbeddedBroker: () => false, batchIntervalMs: 20, backoff: { maxDelayMs: 5000, jitter: 0 } });
    try {
      const clientId = `loop-${rand()}`;
      const a = makeProfile(port, { mqttVersion: '5.0', clientId, reconnect: true, reconnectPeriodMs: 100 });
      const b = makeProfile(port, { mqttVersion: '5.0', clientId, reconnect: true, reconnectPeriodMs: 100 });
      const delays: number[] = [];
      await mgr.connect(a);
      await mgr.connect(b);
      const deadline = Date.now() + 6000;
      while (Date.now() < deadline && delays.length < 40) {
        for (const id of [a.id, b.id]) {
          const d = mgr.snapshot(id)!.state.reconnect?.delayMs;
          if (d && delays[delays.length - 1] !== d) delays.push(d);
        }
        await sleep(20);
      }
      // Without backoff every delay would be the 100 ms base; each kick doubles it instead.
      expect(Math.max(...delays)).toBeGreaterThanOrEqual(800);
    } finally {
      await mgr.closeAll();
      await broker.stop();
    }
  });
});
