/**
 * What the engine captures and decides, against mosquitto: CONNACK
 * properties, packet sizes and raw bytes, publish properties, random client
 * IDs, the re-subscribe policies and the batched update stream.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mqttPacket from 'mqtt-packet';
import { ConnectionManager } from '../../../electron/core/client';
import type { ConnectionUpdate } from '../../../shared/connection';
import { startMosquitto, type RunningMosquitto } from '../helpers/mosquitto';
import { makeProfile, packetsSinceLastConnack, sleep, waitFor } from './fixtures';

const sub = (topic: string, qos: 0 | 1 | 2 = 1) => ({ topic, qos, noLocal: false, retainAsPublished: false, retainHandling: 0 as const });

describe('connection engine features (mosquitto)', () => {
  let broker: RunningMosquitto;
  let mgr: ConnectionManager;
  const updates: ConnectionUpdate[][] = [];
  const saved: Record<string, unknown[]> = {};

  beforeAll(async () => {
    broker = await startMosquitto('max_keepalive 30');
    mgr = new ConnectionManager({ batchIntervalMs: 30, onSubscriptionsChanged: (id, subs) => (saved[id] = subs) });
    mgr.onUpdate((u) => updates.push(u));
  });
  afterAll(async () => {
    await mgr?.closeAll();
    await broker?.stop();
  });

  it('records the 5.0 CONNACK with its properties and what was requested', async () => {
    const p = makeProfile(broker.port, { mqttVersion: '5.0', clean: false, sessionExpiryInterval: 120, keepalive: 60 });
    const st = await mgr.connect(p);
    expect(st.status).toBe('connected');
    const c = mgr.snapshot(p.id)!.connacks[0];
    expect(c).toMatchObject({ sessionPresent: false, reasonCode: 0, reasonName: 'Success', requested: { clean: false, sessionExpiryInterval: 120 } });
    expect(c.properties.serverKeepAlive).toBe(30);
    const connect = mgr.snapshot(p.id)!.packets.find((x) => x.type === 'connect')!;
    expect(connect.properties).toMatchObject({ sessionExpiryInterval: 120 });
    await mgr.disconnect({ profileId: p.id, sessionExpiryInterval: 0 });
  });

  it('sends Session Expiry 0 explicitly, and a connect on a connected profile is a no-op', async () => {
    const p = makeProfile(broker.port, { mqttVersion: '5.0', sessionExpiryInterval: 0 });
    await mgr.connect(p);
    const again = await mgr.connect(p);
    expect(again.status).toBe('connected');
    const s = mgr.snapshot(p.id)!;
    expect(s.connacks).toHaveLength(1);
    expect(s.packets.find((x) => x.type === 'connect')!.properties).toMatchObject({ sessionExpiryInterval: 0 });
    await mgr.disconnect({ profileId: p.id });
  });

  it('packet sizes match the re-encoded bytes; a published message round-trips its properties', async () => {
    const p = makeProfile(broker.port, { mqttVersion: '5.0' });
    await mgr.connect(p);
    await mgr.subscribe(p.id, sub('props/t'));
    const body = JSON.stringify({ big: 'y'.repeat(300) });
    await mgr.publish(p.id, {
      topic: 'props/t', qos: 1, retain: false, payload: body, format: 'json',
      properties: { contentType: 'application/json', userProperties: [{ key: 'k', value: 'v' }], correlationData: 'c1', messageExpiryInterval: 60 },
    });
    const s = await waitFor(mgr, p.id, (x) => x.messages.some((m) => m.dir === 'in'), 'loop-back message');
    const m = s.messages.find((x) => x.dir === 'in')!;
    expect(Buffer.from(m.payloadBase64, 'base64').toString()).toBe(body);
    expect(m.properties).toMatchObject({ contentType: 'application/json', userProperties: { k: 'v' }, correlationData: { base64: Buffer.from('c1').toString('base64') } });
    expect(m.label).toBe('live');
    expect(s.messages.find((x) => x.dir === 'out')!.label).toBe('sent');
    for (const rec of s.packets) {
      const bytes = mgr.packetBytes(p.id, rec.seq);
      expect(bytes, `${rec.summary}`).not.toBeNull();
      expect(bytes!.hex.length / 2, rec.summary).toBe(rec.size);
    }
    const inPub = s.packets.find((x) => x.type === 'publish' && x.dir === 'in')!;
    const parsed = mqttPacket.parser({ protocolVersion: 5 });
    let got: mqttPacket.Packet | null = null;
    parsed.on('packet', (pk) => (got = pk));
    parsed.parse(Buffer.from(mgr.packetBytes(p.id, inPub.seq)!.hex, 'hex'));
    expect((got as unknown as mqttPacket.IPublishPacket).topic).toBe('props/t');
    expect(inPub.summary).toMatch(/^PUBLISH q1 id=\d+ props\/t$/);
    await mgr.disconnect({ profileId: p.id });
  });

  it('random client ID per connect: a new ID each time, so the session never resumes', async () => {
    // 3.1: the generated IDs must fit its 23-character limit.
    const p = makeProfile(broker.port, { mqttVersion: '3.1', clientIdMode: 'random-per-connect', clean: false });
    const a = await mgr.connect(p);
    await mgr.disconnect({ profileId: p.id });
    const b = await mgr.connect(p);
    expect(a.clientId).toMatch(/^sessionscope[0-9a-f]{11}$/);
    expect(a.status).toBe('connected');
    expect(b.clientId).not.toBe(a.clientId);
    const c = mgr.snapshot(p.id)!.connacks;
    expect(c.map((x) => x.sessionPresent)).toEqual([false, false]);
    expect(c.map((x) => x.clientId)).toEqual([a.clientId, b.clientId]);
    await mgr.disconnect({ profileId: p.id });
  });

  it("re-subscribe policy 'always' re-sends even when the session is present; 'never' sends nothing after SP 0", async () => {
    const always = makeProfile(broker.port, { mqttVersion: '3.1.1', clean: false, resubscribe: 'always' });
    await mgr.connect(always);
    await mgr.subscribe(always.id, sub('pol/a'));
    await waitFor(mgr, always.id, (s) => s.subscriptions[0]?.status === 'granted', 'SUBACK');
    expect(saved[always.id]).toMatchObject([{ topic: 'pol/a', qos: 1 }]);
    await mgr.disconnect({ profileId: always.id });
    await mgr.connect(always);
    const s1 = await waitFor(mgr, always.id, (s) => s.subscriptions[0]?.status === 'granted', 'SUBACK again');
    expect(s1.connacks[1].sessionPresent).toBe(true);
    expect(packetsSinceLastConnack(s1).filter((x) => x.type === 'subscribe')).toHaveLength(1);
    await mgr.disconnect({ profileId: always.id });

    const never = makeProfile(broker.port, { mqttVersion: '3.1.1', clean: true, resubscribe: 'never', subscriptions: [sub('pol/n')] });
    await mgr.connect(never);
    await sleep(200);
    const s2 = mgr.snapshot(never.id)!;
    expect(s2.packets.filter((x) => x.type === 'subscribe')).toEqual([]);
    expect(s2.subscriptions).toMatchObject([{ topic: 'pol/n', status: 'unsubscribed', restoredBySession: false }]);
    await mgr.disconnect({ profileId: never.id });
  });

  it('streams batched updates: one array per tick, one entry per changed connection', async () => {
    const a = makeProfile(broker.port);
    const b = makeProfile(broker.port);
    updates.length = 0;
    await Promise.all([mgr.connect(a), mgr.connect(b)]);
    await sleep(100);
    expect(updates.length).toBeGreaterThan(0);
    for (const batch of updates) expect(new Set(batch.map((u) => u.profileId)).size).toBe(batch.length);
    const ids = new Set(updates.flat().map((u) => u.profileId));
    expect(ids.has(a.id) && ids.has(b.id)).toBe(true);
    expect(updates.flat().some((u) => u.profileId === a.id && u.connacks?.length === 1)).toBe(true);
    mgr.clearHistory(a.id);
    await sleep(80);
    expect(updates.flat().some((u) => u.profileId === a.id && u.reset)).toBe(true);
    expect(mgr.snapshot(a.id)!.packets).toEqual([]);
    await mgr.forget(a.id);
    expect(mgr.snapshot(a.id)).toBeNull();
    await mgr.disconnect({ profileId: b.id });
  });
});
