/**
 * A connection dropped in the middle of a QoS 2 exchange, after PUBREC and
 * before PUBCOMP, on the publisher side (PUBREL or PUBCOMP lost) and on the
 * subscriber side (PUBREL lost), against the embedded broker and mosquitto:
 * after the automatic reconnect the exchange completes and the message is
 * delivered exactly once, and the status never claims 'connected' falsely.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddedBroker } from '../../../electron/core/broker';
import { ConnectionManager } from '../../../electron/core/client';
import type { ConnectionSnapshot } from '../../../shared/connection';
import { startMosquitto, type RunningMosquitto } from '../helpers/mosquitto';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy';
import { makeProfile, packetsSinceLastConnack, sleep, waitFor } from './fixtures';
import { recordStatus } from './status-truth';

const sub = (topic: string, qos: 0 | 1 | 2 = 1) => ({ topic, qos, noLocal: false, retainAsPublished: false, retainHandling: 0 as const });
const texts = (s: ConnectionSnapshot) => s.messages.filter((m) => m.dir === 'in').map((m) => Buffer.from(m.payloadBase64, 'base64').toString());
const rand = () => Math.random().toString(36).slice(2, 8);
/** MQTT packet type of a whole packet (high nibble of byte 0). */
const type = (p: Buffer) => p[0] >> 4;
const PUBREL = 6;
const PUBCOMP = 7;

describe('QoS 2 exchange cut after PUBREC', () => {
  let mosq: RunningMosquitto;
  let embedded: EmbeddedBroker;
  let embeddedPort: number;
  let mgr: ConnectionManager;
  const proxies: TcpProxy[] = [];

  beforeAll(async () => {
    mosq = await startMosquitto();
    embedded = new EmbeddedBroker({ settings: { port: 0, wsPort: null } });
    embeddedPort = (await embedded.start()).tcpPort!;
    mgr = new ConnectionManager({ oracle: embedded, isEmbeddedBroker: (_h, port) => port === embeddedPort, batchIntervalMs: 20 });
  });
  afterAll(async () => {
    await mgr?.closeAll();
    for (const p of proxies) await p.stop();
    await embedded?.stop();
    await mosq?.stop();
  });

  async function proxyTo(port: number): Promise<TcpProxy> {
    const proxy = await startTcpProxy(port);
    proxies.push(proxy);
    return proxy;
  }

  for (const target of ['embedded', 'mosquitto'] as const) {
    const brokerPort = () => (target === 'embedded' ? embeddedPort : mosq.port);

    it(`${target}: publisher dropped after PUBREC and before PUBCOMP completes the QoS 2 exchange exactly once after reconnect`, async () => {
      for (const lost of ['PUBREL', 'PUBCOMP'] as const) {
        const proxy = await proxyTo(brokerPort());
        const topic = `q2mid/${lost}/${rand()}`;
        const watcher = makeProfile(brokerPort(), { mqttVersion: '5.0' });
        const pub = makeProfile(proxy.port, { mqttVersion: '5.0', clean: false, sessionExpiryInterval: 300, reconnect: true, reconnectPeriodMs: 100 });
        await mgr.connect(watcher);
        await mgr.subscribe(watcher.id, sub(topic, 2));
        await waitFor(mgr, watcher.id, (s) => s.subscriptions[0]?.status === 'granted', 'SUBACK');
        expect((await mgr.connect(pub)).status).toBe('connected');
        const rec = recordStatus(mgr, pub.id);
        // PUBREL lost on the way up, or PUBCOMP lost on the way down: either way the client saw PUBREC.
        proxy.setFilter((dir, pk) => !(lost === 'PUBREL' ? dir === 'up' && type(pk) === PUBREL : dir === 'down' && type(pk) === PUBCOMP));
        await mgr.publish(pub.id, { topic, qos: 2, retain: false, payload: 'exactly-once', format: 'text' });
        await waitFor(mgr, pub.id, (s) => s.inflight.some((e) => e.state === 'awaiting-pubcomp'), 'awaiting PUBCOMP');
        await sleep(150);
        expect(mgr.snapshot(pub.id)!.packets.filter((x) => x.type === 'pubcomp')).toEqual([]);
        proxy.setFilter(null);
        rec.down();
        proxy.cutAll();
        await waitFor(mgr, pub.id, (s) => s.state.status !== 'connected', 'loss noticed');
        rec.up();
        const done = await waitFor(mgr, pub.id, (s) => s.state.status === 'connected' && s.inflight.length === 0, 'PUBCOMP after reconnect', 8000);
        const after = packetsSinceLastConnack(done);
        expect(after.filter((x) => x.type === 'publish' && x.dir === 'out')).toEqual([]);
        expect(after.some((x) => x.type === 'pubrel' && x.dir === 'out')).toBe(true);
        expect(after.some((x) => x.type === 'pubcomp' && x.dir === 'in')).toBe(true);
        expect(done.connacks[done.connacks.length - 1].sessionPresent).toBe(true);
        await sleep(300);
        expect(texts(mgr.snapshot(watcher.id)!)).toEqual(['exactly-once']);
        rec.stop();
        rec.assertTruthful();
        await mgr.disconnect({ profileId: pub.id, sessionExpiryInterval: 0 });
        await mgr.disconnect({ profileId: watcher.id });
      }
    }, 20_000);

    it(`${target}: subscriber dropped after its PUBREC and before PUBREL gets the message exactly once after reconnect`, async () => {
      const proxy = await proxyTo(brokerPort());
      const topic = `q2sub/${rand()}`;
      const s = makeProfile(proxy.port, { mqttVersion: '5.0', clean: false, sessionExpiryInterval: 300, reconnect: true, reconnectPeriodMs: 100 });
      const pub = makeProfile(brokerPort(), { mqttVersion: '5.0' });
      await mgr.connect(s);
      await mgr.subscribe(s.id, sub(topic, 2));
      await waitFor(mgr, s.id, (x) => x.subscriptions[0]?.status === 'granted', 'SUBACK');
      const rec = recordStatus(mgr, s.id);
      proxy.setFilter((dir, pk) => !(dir === 'down' && type(pk) === PUBREL));
      await mgr.connect(pub);
      await mgr.publish(pub.id, { topic, qos: 2, retain: false, payload: 'once', format: 'text' });
      const mid = await waitFor(mgr, s.id, (x) => x.inflight.some((e) => e.dir === 'in' && e.state === 'awaiting-pubrel'), 'awaiting PUBREL');
      // MQTT.js hands a QoS 2 message over at PUBREL, so nothing is shown yet.
      expect(texts(mid)).toEqual([]);
      proxy.setFilter(null);
      rec.down();
      proxy.cutAll();
      await waitFor(mgr, s.id, (x) => x.state.status !== 'connected', 'loss noticed');
      rec.up();
      await waitFor(mgr, s.id, (x) => x.state.status === 'connected' && texts(x).length === 1 && x.inflight.length === 0, 'message after PUBREL', 8000);
      await sleep(300);
      const final = mgr.snapshot(s.id)!;
      expect(texts(final)).toEqual(['once']);
      expect(packetsSinceLastConnack(final).some((x) => x.type === 'pubrel' && x.dir === 'in')).toBe(true);
      rec.stop();
      rec.assertTruthful();
      await mgr.disconnect({ profileId: s.id, sessionExpiryInterval: 0 });
      await mgr.disconnect({ profileId: pub.id });
    }, 15_000);
  }

});
