/**
 * The acceptance scenarios of the connection engine, written once and run
 * against each broker (mosquitto, the embedded broker).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConnectionManager } from '../../../electron/core/client';
import type { DeliveryOracle } from '../../../electron/core/delivery-oracle';
import { DELIVERY_LABEL_TEXT } from '../../../shared/connection';
import { startTcpProxy } from '../helpers/tcp-proxy';
import { makeProfile, packetsSinceLastConnack, sleep, waitFor } from './fixtures';

export interface BrokerUnderTest {
  port: number;
  oracle?: DeliveryOracle;
  stop(): Promise<void>;
}

export function defineSessionScenarios(name: string, start: () => Promise<BrokerUnderTest>, labelSource: 'broker' | 'inferred'): void {
  describe(`session scenarios against ${name}`, () => {
    let broker: BrokerUnderTest;
    let mgr: ConnectionManager;

    beforeAll(async () => {
      broker = await start();
      mgr = new ConnectionManager({
        oracle: broker.oracle,
        isEmbeddedBroker: (_h, port) => !!broker.oracle && port === broker.port,
        batchIntervalMs: 20,
      });
    });
    afterAll(async () => {
      await mgr?.closeAll();
      await broker?.stop();
    });

    async function offlineDemo(version: '3.1.1' | '5.0') {
      const topic = `clean_session_false/${version}/${Math.random().toString(36).slice(2, 8)}`;
      const sub = makeProfile(broker.port, { mqttVersion: version, clean: false, sessionExpiryInterval: 300 });
      const pub = makeProfile(broker.port, { mqttVersion: version });
      expect((await mgr.connect(sub)).status).toBe('connected');
      await mgr.subscribe(sub.id, { topic, qos: 1, noLocal: false, retainAsPublished: false, retainHandling: 0 });
      await waitFor(mgr, sub.id, (s) => s.subscriptions[0]?.status === 'granted', 'SUBACK');
      expect((await mgr.disconnect({ profileId: sub.id })).status).toBe('disconnected');

      expect((await mgr.connect(pub)).status).toBe('connected');
      await mgr.publish(pub.id, { topic, qos: 1, retain: false, payload: 'first', format: 'text' });
      await mgr.publish(pub.id, { topic, qos: 1, retain: false, payload: 'second', format: 'text' });
      await waitFor(mgr, pub.id, (s) => s.packets.filter((p) => p.type === 'puback').length === 2, 'two PUBACKs');

      const st = await mgr.connect(sub);
      expect(st.status).toBe('connected');
      const snap = await waitFor(mgr, sub.id, (s) => s.messages.filter((m) => m.dir === 'in').length >= 2, 'two queued messages');
      await sleep(300);
      const final = mgr.snapshot(sub.id)!;
      const last = final.connacks[final.connacks.length - 1];
      expect(last.sessionPresent).toBe(true);
      expect(last.requested.clean).toBe(false);
      const incoming = final.messages.filter((m) => m.dir === 'in');
      expect(incoming.map((m) => Buffer.from(m.payloadBase64, 'base64').toString())).toEqual(['first', 'second']);
      for (const m of incoming) {
        expect(m.label).toBe('queued');
        expect(DELIVERY_LABEL_TEXT[m.label]).toBe('queued while offline');
        expect(m.labelSource).toBe(labelSource);
      }
      expect(packetsSinceLastConnack(final).filter((p) => p.dir === 'out' && p.type === 'subscribe')).toEqual([]);
      expect(final.subscriptions).toMatchObject([{ topic, status: 'restored', restoredBySession: true }]);
      expect(snap.state.counters.messagesIn).toBeGreaterThanOrEqual(2);
      await mgr.disconnect({ profileId: sub.id, ...(version === '5.0' ? { sessionExpiryInterval: 0 } : {}) });
      await mgr.disconnect({ profileId: pub.id });
    }

    it('3.1.1 offline-message demo: Session Present 1, both messages queued while offline, no SUBSCRIBE', async () => {
      await offlineDemo('3.1.1');
    });

    it('5.0 Clean Start off + expiry 300: the same demo', async () => {
      await offlineDemo('5.0');
    });

    it('Clean Session on: Session Present 0, nothing received, the saved subscription is re-sent', async () => {
      const topic = `clean_on/${Math.random().toString(36).slice(2, 8)}`;
      const sub = makeProfile(broker.port, { mqttVersion: '3.1.1', clean: true });
      const pub = makeProfile(broker.port, { mqttVersion: '3.1.1' });
      await mgr.connect(sub);
      await mgr.subscribe(sub.id, { topic, qos: 1, noLocal: false, retainAsPublished: false, retainHandling: 0 });
      await waitFor(mgr, sub.id, (s) => s.subscriptions[0]?.status === 'granted', 'SUBACK');
      await mgr.disconnect({ profileId: sub.id });
      await mgr.connect(pub);
      await mgr.publish(pub.id, { topic, qos: 1, retain: false, payload: 'lost', format: 'text' });
      await waitFor(mgr, pub.id, (s) => s.packets.some((p) => p.type === 'puback'), 'PUBACK');
      await mgr.connect(sub);
      const snap = await waitFor(mgr, sub.id, (s) => s.subscriptions[0]?.status === 'granted', 'SUBACK after reconnect');
      await sleep(300);
      const final = mgr.snapshot(sub.id)!;
      expect(final.connacks[final.connacks.length - 1].sessionPresent).toBe(false);
      expect(final.messages.filter((m) => m.dir === 'in')).toEqual([]);
      expect(packetsSinceLastConnack(snap).filter((p) => p.type === 'subscribe')).toHaveLength(1);
      expect(final.subscriptions[0].restoredBySession).toBe(false);
      await mgr.disconnect({ profileId: sub.id });
      await mgr.disconnect({ profileId: pub.id });
    });

    it('5.0 session expiry elapsed: Session Present 0', async () => {
      const sub = makeProfile(broker.port, { mqttVersion: '5.0', clean: false, sessionExpiryInterval: 1 });
      await mgr.connect(sub);
      await mgr.subscribe(sub.id, { topic: 'expiry/x', qos: 1, noLocal: false, retainAsPublished: false, retainHandling: 0 });
      await waitFor(mgr, sub.id, (s) => s.subscriptions[0]?.status === 'granted', 'SUBACK');
      await mgr.disconnect({ profileId: sub.id });
      await sleep(2600);
      await mgr.connect(sub);
      const snap = await waitFor(mgr, sub.id, (s) => s.subscriptions[0]?.status === 'granted', 're-SUBSCRIBE (session absent)');
      const last = snap.connacks[snap.connacks.length - 1];
      expect(last.sessionPresent).toBe(false);
      expect(last.requested.sessionExpiryInterval).toBe(1);
      await mgr.disconnect({ profileId: sub.id, sessionExpiryInterval: 0 });
    });

    it('drop network: the will is delivered to another client and the session stays', async () => {
      const willTopic = `will/${Math.random().toString(36).slice(2, 8)}`;
      const watcher = makeProfile(broker.port, { mqttVersion: '5.0' });
      const victim = makeProfile(broker.port, {
        mqttVersion: '5.0',
        clean: false,
        sessionExpiryInterval: 300,
        will: { enabled: true, topic: willTopic, payload: 'gone', qos: 1, retain: false, userProperties: [] },
      });
      await mgr.connect(watcher);
      await mgr.subscribe(watcher.id, { topic: willTopic, qos: 1, noLocal: false, retainAsPublished: false, retainHandling: 0 });
      await waitFor(mgr, watcher.id, (s) => s.subscriptions[0]?.status === 'granted', 'SUBACK');
      await mgr.connect(victim);
      const dropped = await mgr.dropNetwork(victim.id);
      expect(dropped.status).toBe('disconnected');
      const snap = await waitFor(mgr, watcher.id, (s) => s.messages.some((m) => m.topic === willTopic), 'will message');
      expect(Buffer.from(snap.messages.find((m) => m.topic === willTopic)!.payloadBase64, 'base64').toString()).toBe('gone');
      expect(mgr.snapshot(victim.id)!.packets.some((p) => p.type === 'disconnect')).toBe(false);
      const again = await mgr.connect(victim);
      expect(again.status).toBe('connected');
      const v = mgr.snapshot(victim.id)!;
      expect(v.connacks[v.connacks.length - 1].sessionPresent).toBe(true);
      await mgr.disconnect({ profileId: victim.id, sessionExpiryInterval: 0 });
      await mgr.disconnect({ profileId: watcher.id });
    });

    it('outbox: publishes while offline are visible and flushed in order on connect', async () => {
      const topic = `outbox/${Math.random().toString(36).slice(2, 8)}`;
      const sub = makeProfile(broker.port);
      const pub = makeProfile(broker.port, { allowOfflinePublish: true });
      await mgr.connect(sub);
      await mgr.subscribe(sub.id, { topic, qos: 1, noLocal: false, retainAsPublished: false, retainHandling: 0 });
      await waitFor(mgr, sub.id, (s) => s.subscriptions[0]?.status === 'granted', 'SUBACK');
      await mgr.connect(pub);
      await mgr.disconnect({ profileId: pub.id });
      for (const [i, qos] of ([0, 1, 2] as const).entries()) {
        expect(await mgr.publish(pub.id, { topic, qos, retain: false, payload: `m${i}`, format: 'text' })).toEqual({ outboxed: true });
      }
      expect(mgr.snapshot(pub.id)!.outbox.map((o) => o.qos)).toEqual([0, 1, 2]);
      await mgr.connect(pub);
      const snap = await waitFor(mgr, sub.id, (s) => s.messages.filter((m) => m.dir === 'in').length === 3, 'three flushed messages');
      expect(snap.messages.map((m) => Buffer.from(m.payloadBase64, 'base64').toString())).toEqual(['m0', 'm1', 'm2']);
      expect(mgr.snapshot(pub.id)!.outbox).toEqual([]);
      await mgr.disconnect({ profileId: pub.id });
      await mgr.disconnect({ profileId: sub.id });
    });

    it("re-subscribe 'always' on a resume with 200 queued messages: every one is still labelled queued while offline", async () => {
      // mosquitto interleaves the SUBACK with a long queue: a SUBACK must not end the "queued" burst.
      const topic = `resub/${Math.random().toString(36).slice(2, 8)}`;
      const sub = makeProfile(broker.port, { clean: false, sessionExpiryInterval: 300, resubscribe: 'always' });
      const pub = makeProfile(broker.port);
      await mgr.connect(sub);
      await mgr.subscribe(sub.id, { topic, qos: 1, noLocal: false, retainAsPublished: false, retainHandling: 0 });
      await waitFor(mgr, sub.id, (s) => s.subscriptions[0]?.status === 'granted', 'SUBACK');
      await mgr.disconnect({ profileId: sub.id });
      await mgr.connect(pub);
      for (let i = 0; i < 200; i++) await mgr.publish(pub.id, { topic, qos: 1, retain: false, payload: `q${i}`, format: 'text' });
      await waitFor(mgr, pub.id, (s) => s.packets.filter((p) => p.type === 'puback').length === 200, '200 PUBACKs');
      await mgr.connect(sub);
      const snap = await waitFor(mgr, sub.id, (s) => s.messages.filter((m) => m.dir === 'in').length === 200, '200 queued messages', 10_000);
      const labels = snap.messages.filter((m) => m.dir === 'in').map((m) => m.label);
      expect(labels.filter((l) => l !== 'queued')).toEqual([]);
      expect(packetsSinceLastConnack(snap).some((p) => p.type === 'subscribe')).toBe(true);
      await mgr.disconnect({ profileId: pub.id });
      await mgr.disconnect({ profileId: sub.id });
    });

    it('a QoS 2 PUBLISH in flight across a drop is delivered exactly once (publisher side)', async () => {
      const proxy = await startTcpProxy(broker.port);
      try {
        const topic = `q2/${Math.random().toString(36).slice(2, 8)}`;
        const sub = makeProfile(broker.port);
        const pub = makeProfile(proxy.port, { mqttVersion: '5.0', clean: false, sessionExpiryInterval: 300 });
        await mgr.connect(sub);
        await mgr.subscribe(sub.id, { topic, qos: 2, noLocal: false, retainAsPublished: false, retainHandling: 0 });
        await waitFor(mgr, sub.id, (s) => s.subscriptions[0]?.status === 'granted', 'SUBACK');
        await mgr.connect(pub);
        proxy.holdDownstream(true);
        await mgr.publish(pub.id, { topic, qos: 2, retain: false, payload: 'once', format: 'text' });
        await waitFor(mgr, pub.id, (s) => s.inflight.some((e) => e.state === 'awaiting-pubrec'), 'in flight awaiting PUBREC');
        await sleep(200);
        await mgr.dropNetwork(pub.id);
        proxy.holdDownstream(false);
        expect(mgr.snapshot(pub.id)!.inflight).toMatchObject([{ dir: 'out', qos: 2, state: 'awaiting-pubrec', topic }]);
        expect((await mgr.connect(pub)).status).toBe('connected');
        await waitFor(mgr, pub.id, (s) => s.inflight.length === 0 && s.packets.some((p) => p.type === 'pubcomp'), 'PUBCOMP after resume');
        const resent = packetsSinceLastConnack(mgr.snapshot(pub.id)!).find((p) => p.type === 'publish' && p.dir === 'out');
        expect(resent?.dup).toBe(true);
        await sleep(400);
        const got = mgr.snapshot(sub.id)!.messages.filter((m) => m.dir === 'in');
        expect(got.map((m) => Buffer.from(m.payloadBase64, 'base64').toString())).toEqual(['once']);
        await mgr.disconnect({ profileId: pub.id, sessionExpiryInterval: 0 });
        await mgr.disconnect({ profileId: sub.id });
      } finally {
        await proxy.stop();
      }
    });

    it('a QoS 2 PUBLISH to a subscriber that drops is redelivered once after resume (subscriber side)', async () => {
      const proxy = await startTcpProxy(broker.port);
      try {
        const topic = `q2in/${Math.random().toString(36).slice(2, 8)}`;
        const sub = makeProfile(proxy.port, { mqttVersion: '5.0', clean: false, sessionExpiryInterval: 300 });
        const pub = makeProfile(broker.port, { mqttVersion: '5.0' });
        await mgr.connect(sub);
        await mgr.subscribe(sub.id, { topic, qos: 2, noLocal: false, retainAsPublished: false, retainHandling: 0 });
        await waitFor(mgr, sub.id, (s) => s.subscriptions[0]?.status === 'granted', 'SUBACK');
        proxy.holdDownstream(true);
        await mgr.connect(pub);
        await mgr.publish(pub.id, { topic, qos: 2, retain: false, payload: 'exactly-once', format: 'text' });
        await waitFor(mgr, pub.id, (s) => s.packets.some((p) => p.type === 'pubcomp'), 'publisher PUBCOMP');
        await sleep(200);
        await mgr.dropNetwork(sub.id);
        proxy.holdDownstream(false);
        expect(mgr.snapshot(sub.id)!.messages.filter((m) => m.dir === 'in')).toEqual([]);
        await mgr.connect(sub);
        await waitFor(mgr, sub.id, (s) => s.messages.some((m) => m.dir === 'in'), 'redelivered message');
        await sleep(400);
        const s = mgr.snapshot(sub.id)!;
        const got = s.messages.filter((m) => m.dir === 'in');
        expect(got).toHaveLength(1);
        expect(Buffer.from(got[0].payloadBase64, 'base64').toString()).toBe('exactly-once');
        expect(got[0].label).toBe('redelivered');
        expect(got[0].dup).toBe(true);
        expect(s.inflight).toEqual([]);
        await mgr.disconnect({ profileId: sub.id, sessionExpiryInterval: 0 });
        await mgr.disconnect({ profileId: pub.id });
      } finally {
        await proxy.stop();
      }
    });
  });
}
