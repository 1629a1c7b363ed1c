/**
 * Network faults on the client side, over real sockets: broker restarts,
 * refused connections with backoff, DNS failures, a half-open connection
 * (the QoS 2 handshake cut is in qos2-handshake-drop.test.ts). In every test the
 * update stream must tell the truth about 'connected' (status-truth.ts) and
 * nothing published while offline is lost.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import mqttPacket from 'mqtt-packet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddedBroker } from '../../../electron/core/broker';
import { ConnectionManager } from '../../../electron/core/client';
import type { DeliveryOracle } from '../../../electron/core/delivery-oracle';
import type { ConnectionSnapshot } from '../../../shared/connection';
import { freePort, startMosquitto, type RunningMosquitto } from '../helpers/mosquitto';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy';
import { makeProfile, packetsSinceLastConnack, sleep, waitFor } from './fixtures';
import { recordStatus } from './status-truth';

const sub = (topic: string, qos: 0 | 1 | 2 = 1) => ({ topic, qos, noLocal: false, retainAsPublished: false, retainHandling: 0 as const });
const texts = (s: ConnectionSnapshot, dir: 'in' | 'out' = 'in') => s.messages.filter((m) => m.dir === dir).map((m) => Buffer.from(m.payloadBase64, 'base64').toString());
const rand = () => Math.random().toString(36).slice(2, 8);

describe('network faults (client side)', () => {
  let mosq: RunningMosquitto;
  let dataDir: string;
  let embedded: EmbeddedBroker;
  let embeddedPort: number;
  /** The oracle follows whichever embedded broker instance is current (restarts make a new one). */
  const oracle: DeliveryOracle = { originOf: (id, p) => embedded.originOf(id, p) };
  let mgr: ConnectionManager;
  const closers: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    mosq = await startMosquitto();
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'faults-'));
    embedded = new EmbeddedBroker({ settings: { port: 0, wsPort: null }, dataDir });
    embeddedPort = (await embedded.start()).tcpPort!;
    mgr = new ConnectionManager({
      oracle,
      isEmbeddedBroker: (_h, port) => port === embeddedPort,
      batchIntervalMs: 20,
      backoff: { maxDelayMs: 800 },
    });
  });
  afterAll(async () => {
    await mgr?.closeAll();
    for (const c of closers) await c().catch(() => undefined);
    await embedded?.stop();
    await mosq?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  async function proxyTo(port: number): Promise<TcpProxy> {
    const proxy = await startTcpProxy(port);
    closers.push(() => proxy.stop());
    return proxy;
  }

  it('embedded broker restarts (persistent): reconnecting, never a stale connected, back with Session Present 1, outbox flushed in order', async () => {
    const topic = `restart/${rand()}`;
    const p = makeProfile(embeddedPort, { mqttVersion: '5.0', clean: false, sessionExpiryInterval: 300, reconnect: true, reconnectPeriodMs: 100 });
    expect((await mgr.connect(p)).status).toBe('connected');
    await mgr.subscribe(p.id, sub(topic));
    await waitFor(mgr, p.id, (s) => s.subscriptions[0]?.status === 'granted', 'SUBACK');
    const rec = recordStatus(mgr, p.id);

    rec.down();
    await embedded.stop();
    const down = await waitFor(mgr, p.id, (s) => s.state.status === 'reconnecting', 'reconnecting');
    expect(down.state.error).toMatch(/^(Broker sent DISCONNECT 0x8b Server shutting down|Nothing is listening on .*ECONNREFUSED|Connection lost)/);
    for (const [i, qos] of ([0, 1, 2] as const).entries()) {
      expect(await mgr.publish(p.id, { topic, qos, retain: false, payload: `offline-${i}`, format: 'text' })).toEqual({ outboxed: true });
    }
    // A few refused attempts while the broker is away, each one counted and scheduled.
    const waiting = await waitFor(mgr, p.id, (s) => (s.state.reconnect?.attempts ?? 0) >= 2 && s.state.status === 'reconnecting', 'two failed attempts', 8000);
    expect(waiting.state.error).toMatch(/ECONNREFUSED/);
    expect(waiting.outbox.map((o) => o.qos)).toEqual([0, 1, 2]);

    // A new broker process on the same port and data dir.
    embedded = new EmbeddedBroker({ settings: { port: embeddedPort, wsPort: null }, dataDir });
    await embedded.start();
    rec.up();
    const back = await waitFor(mgr, p.id, (s) => s.state.status === 'connected' && texts(s).length === 3, 'reconnected and flushed', 8000);
    expect(texts(back)).toEqual(['offline-0', 'offline-1', 'offline-2']);
    expect(back.outbox).toEqual([]);
    expect(back.state.reconnect).toBeUndefined();
    const last = back.connacks[back.connacks.length - 1];
    // The first connect and the resume got CONNACKs; the refused attempts between them are recorded as such.
    expect(back.connacks.filter((c) => c.failure === undefined)).toHaveLength(2);
    expect(back.connacks.filter((c) => c.failure !== undefined).length).toBeGreaterThanOrEqual(2);
    expect(last).toMatchObject({ sessionPresent: true, reasonCode: 0 });
    expect(packetsSinceLastConnack(back).filter((x) => x.type === 'subscribe')).toEqual([]);
    expect(back.subscriptions).toMatchObject([{ topic, status: 'restored', restoredBySession: true }]);
    rec.stop();
    rec.assertTruthful();
    await mgr.disconnect({ profileId: p.id, sessionExpiryInterval: 0 });
  }, 20_000);

  it('without auto-reconnect a broker restart leaves it disconnected with the reason, and the outbox waits for the next connect', async () => {
    const topic = `restart-manual/${rand()}`;
    const p = makeProfile(embeddedPort, { mqttVersion: '3.1.1', clean: false, reconnect: false });
    await mgr.connect(p);
    await mgr.subscribe(p.id, sub(topic));
    await waitFor(mgr, p.id, (s) => s.subscriptions[0]?.status === 'granted', 'SUBACK');
    const rec = recordStatus(mgr, p.id);
    rec.down();
    await embedded.stop();
    const down = await waitFor(mgr, p.id, (s) => s.state.status === 'disconnected', 'disconnected');
    expect(down.state.error).toBe('Connection lost: the socket closed without DISCONNECT');
    await mgr.publish(p.id, { topic, qos: 1, retain: false, payload: 'kept', format: 'text' });
    await sleep(300);
    expect(mgr.snapshot(p.id)!.state.status).toBe('disconnected');
    expect(mgr.snapshot(p.id)!.packets.filter((x) => x.type === 'connect')).toHaveLength(1);
    embedded = new EmbeddedBroker({ settings: { port: embeddedPort, wsPort: null }, dataDir });
    await embedded.start();
    rec.up();
    expect((await mgr.connect(p)).status).toBe('connected');
    const s = await waitFor(mgr, p.id, (x) => texts(x).length === 1, 'flushed message');
    expect(texts(s)).toEqual(['kept']);
    expect(s.connacks[s.connacks.length - 1].sessionPresent).toBe(true);
    rec.stop();
    rec.assertTruthful();
    await mgr.disconnect({ profileId: p.id });
  }, 15_000);

  it('refused connections back off exponentially, capped, with jitter, and show the next attempt', async () => {
    const port = await freePort();
    const p = makeProfile(port, { reconnect: true, reconnectPeriodMs: 100 });
    const rec = recordStatus(mgr, p.id);
    const st = await mgr.connect(p);
    expect(st.status).toBe('reconnecting');
    expect(st.error).toMatch(/ECONNREFUSED/);
    await waitFor(mgr, p.id, (s) => (s.state.reconnect?.attempts ?? 0) >= 6, 'six failed attempts', 10_000);
    await mgr.disconnect({ profileId: p.id });
    await sleep(300);
    rec.stop();
    // Each schedule is one state with a delay; the delay for attempt n is in [0.8, 1] · min(800, 100 · 2^(n-1)).
    const schedules = new Map<number, number>();
    for (const e of rec.events) {
      const r = e.state.reconnect;
      if (r && r.delayMs !== null && r.nextAttemptAt !== null && !schedules.has(r.attempts + 1)) schedules.set(r.attempts + 1, r.delayMs);
    }
    const delays = [...schedules.entries()].sort((a, b) => a[0] - b[0]);
    expect(delays.length).toBeGreaterThanOrEqual(6);
    for (const [n, d] of delays.slice(0, 6)) {
      const nominal = Math.min(800, 100 * 2 ** (n - 1));
      expect(d, `delay before attempt ${n}`).toBeGreaterThanOrEqual(Math.floor(0.8 * nominal));
      expect(d, `delay before attempt ${n}`).toBeLessThanOrEqual(nominal);
    }
    // Jitter: the capped delays are not all the same number.
    const capped = delays.filter(([n]) => n >= 4).map(([, d]) => d);
    expect(new Set(capped).size).toBeGreaterThan(1);
    expect(rec.events.some((e) => e.status === 'connected')).toBe(false);
    // After the user's disconnect nothing is retried.
    const final = mgr.snapshot(p.id)!;
    expect(final.state.status).toBe('disconnected');
    expect(final.state.reconnect).toBeUndefined();
    expect(rec.events[rec.events.length - 1].status).toBe('disconnected');
    rec.assertTruthful();
  }, 15_000);

  it('a CONNACK "server unavailable" is retried with backoff; bad credentials are not', async () => {
    // A minimal broker that answers every CONNECT with return code 3 (Server unavailable).
    const sockets = new Set<net.Socket>();
    let connects = 0;
    const busy = net.createServer((s) => {
      sockets.add(s);
      const parser = mqttPacket.parser();
      parser.on('packet', (pk) => {
        if (pk.cmd !== 'connect') return;
        connects++;
        s.write(mqttPacket.generate({ cmd: 'connack', returnCode: 3, sessionPresent: false }));
      });
      s.on('data', (d) => parser.parse(d));
      s.on('error', () => undefined);
      s.on('close', () => sockets.delete(s));
    });
    await new Promise<void>((r) => busy.listen(0, '127.0.0.1', r));
    closers.push(async () => {
      sockets.forEach((s) => s.destroy());
      await new Promise((r) => busy.close(r));
    });
    const p = makeProfile((busy.address() as net.AddressInfo).port, { mqttVersion: '3.1.1', reconnect: true, reconnectPeriodMs: 100 });
    const rec = recordStatus(mgr, p.id);
    const st = await mgr.connect(p);
    expect(st).toMatchObject({ status: 'reconnecting', error: 'CONNACK 0x03 Server unavailable' });
    await waitFor(mgr, p.id, (s) => s.connacks.length >= 3, 'three refused CONNACKs');
    await mgr.disconnect({ profileId: p.id });
    expect(connects).toBeGreaterThanOrEqual(3);
    rec.stop();
    rec.assertTruthful();

    const locked = new EmbeddedBroker({ settings: { port: 0, wsPort: null, allowAnonymous: false, users: [{ username: 'u', password: 'p' }] } });
    const port = (await locked.start()).tcpPort!;
    closers.push(() => locked.stop());
    const bad = makeProfile(port, { mqttVersion: '5.0', username: 'u', password: 'wrong', reconnect: true, reconnectPeriodMs: 100 });
    const refused = await mgr.connect(bad);
    expect(refused).toMatchObject({ status: 'error', error: expect.stringMatching(/^CONNACK 0x86 Bad User Name or Password — check the username and password/) });
    await sleep(500);
    const s = mgr.snapshot(bad.id)!;
    expect(s.state.status).toBe('error');
    expect(s.packets.filter((x) => x.type === 'connect')).toHaveLength(1);
  }, 15_000);

  it('mosquitto: the host refuses connections for a while; the outbox survives and is flushed in order', async () => {
    const proxy = await proxyTo(mosq.port);
    const topic = `refuse/${rand()}`;
    const watcher = makeProfile(mosq.port);
    const p = makeProfile(proxy.port, { mqttVersion: '3.1.1', reconnect: true, reconnectPeriodMs: 100 });
    await mgr.connect(watcher);
    await mgr.subscribe(watcher.id, sub(topic, 2));
    await waitFor(mgr, watcher.id, (s) => s.subscriptions[0]?.status === 'granted', 'SUBACK');
    await mgr.connect(p);
    const rec = recordStatus(mgr, p.id);
    await proxy.pause();
    rec.down();
    proxy.cutAll();
    await waitFor(mgr, p.id, (s) => s.state.status === 'reconnecting', 'reconnecting');
    for (let i = 0; i < 20; i++) await mgr.publish(p.id, { topic, qos: ((i % 3) as 0 | 1 | 2), retain: false, payload: `m${i}`, format: 'text' });
    await waitFor(mgr, p.id, (s) => (s.state.reconnect?.attempts ?? 0) >= 2, 'refused attempts');
    expect(mgr.snapshot(p.id)!.outbox).toHaveLength(20);
    await proxy.resume();
    rec.up();
    await waitFor(mgr, p.id, (s) => s.state.status === 'connected' && s.outbox.length === 0, 'flushed', 8000);
    const all = Array.from({ length: 20 }, (_, i) => `m${i}`);
    // Sent in the order published (the outbox flush), on the wire too.
    const sent = mgr.snapshot(p.id)!;
    expect(texts(sent, 'out')).toEqual(all);
    expect(packetsSinceLastConnack(sent).filter((x) => x.type === 'publish' && x.dir === 'out').map((x) => x.qos)).toEqual(all.map((_, i) => i % 3));
    // Each exactly once; MQTT orders per QoS level only (QoS 2 is handed over at PUBREL, a round trip later).
    const got = await waitFor(mgr, watcher.id, (s) => texts(s).length === 20, 'all 20 delivered');
    await sleep(200);
    const received = texts(mgr.snapshot(watcher.id)!);
    expect([...received].sort()).toEqual([...all].sort());
    for (const q of [0, 1, 2]) expect(received.filter((m) => Number(m.slice(1)) % 3 === q)).toEqual(all.filter((_, i) => i % 3 === q));
    expect(got.state.counters.messagesIn).toBe(20);
    rec.stop();
    rec.assertTruthful();
    await mgr.disconnect({ profileId: p.id });
    await mgr.disconnect({ profileId: watcher.id });
  }, 15_000);

  it('a half-open connection (no bytes either way) is noticed by keep-alive, not shown as connected', async () => {
    const proxy = await proxyTo(mosq.port);
    const p = makeProfile(proxy.port, { mqttVersion: '3.1.1', keepalive: 1, reconnect: true, reconnectPeriodMs: 100 });
    await mgr.connect(p);
    const rec = recordStatus(mgr, p.id);
    proxy.setFilter(() => false);
    rec.down();
    // Keep-alive 1 s: MQTT.js gives up after 1.5 s without a PINGRESP.
    const lost = await waitFor(mgr, p.id, (s) => s.state.status !== 'connected', 'keep-alive timeout', 5000);
    expect(lost.state.error).toMatch(/^Keep-alive timeout/);
    proxy.setFilter(null);
    rec.up();
    await waitFor(mgr, p.id, (s) => s.state.status === 'connected', 'reconnected', 8000);
    rec.stop();
    rec.assertTruthful({ reportMs: 3000, graceMs: 2500 });
    await mgr.disconnect({ profileId: p.id });
  }, 15_000);

  it('DNS failure: a clear "cannot resolve host" error, quickly, with and without auto-reconnect', async () => {
    const t0 = Date.now();
    const st = await mgr.connect(makeProfile(1883, { host: 'no-such-host.invalid' }));
    expect(Date.now() - t0).toBeLessThan(8000);
    expect(st.status).toBe('error');
    expect(st.error).toMatch(/^Cannot resolve host no-such-host\.invalid \((ENOTFOUND|EAI_AGAIN)/);
    const ws = await mgr.connect(makeProfile(80, { host: 'no-such-host.invalid', protocol: 'ws' }));
    expect(ws.status).toBe('error');
    expect(ws.error).toMatch(/^Cannot resolve host no-such-host\.invalid/);
    const p = makeProfile(1883, { host: 'no-such-host.invalid', reconnect: true, reconnectPeriodMs: 100 });
    const r = await mgr.connect(p);
    expect(r.status).toBe('reconnecting');
    expect(r.error).toMatch(/^Cannot resolve host/);
    expect(r.reconnect?.nextAttemptAt).toBeGreaterThan(Date.now() - 1000);
    expect((await mgr.disconnect({ profileId: p.id })).status).toBe('disconnected');
  }, 20_000);
});
