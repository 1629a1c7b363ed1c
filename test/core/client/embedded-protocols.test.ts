/**
 * Transports and protocol levels against the embedded broker: MQTT over
 * WebSocket (ws://, path /mqtt), MQTT 3.1 (protocol level 3, "MQIsdp"), and
 * the refusals a user can provoke: bad credentials, anonymous access off,
 * an identifier the broker rejects, a WebSocket path nobody serves.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddedBroker } from '../../../electron/core/broker';
import { ConnectionManager } from '../../../electron/core/client';
import type { ConnectionSnapshot } from '../../../shared/connection';
import { makeProfile, waitFor } from './fixtures';

const sub = (topic: string, qos: 0 | 1 | 2 = 1) => ({ topic, qos, noLocal: false, retainAsPublished: false, retainHandling: 0 as const });
const texts = (s: ConnectionSnapshot) => s.messages.filter((m) => m.dir === 'in').map((m) => Buffer.from(m.payloadBase64, 'base64').toString());

describe('embedded broker: ws://, MQTT 3.1 and refusals', () => {
  let open: EmbeddedBroker;
  let locked: EmbeddedBroker;
  let tcpPort: number;
  let wsPort: number;
  let lockedPort: number;
  let mgr: ConnectionManager;

  beforeAll(async () => {
    open = new EmbeddedBroker({ settings: { port: 0, wsPort: 0 } });
    const st = await open.start();
    tcpPort = st.tcpPort!;
    wsPort = st.wsPort!;
    locked = new EmbeddedBroker({ settings: { port: 0, wsPort: null, allowAnonymous: false, users: [{ username: 'u', password: 'p' }] } });
    lockedPort = (await locked.start()).tcpPort!;
    mgr = new ConnectionManager({
      oracle: open,
      isEmbeddedBroker: (_h, port) => port === tcpPort || port === wsPort,
      batchIntervalMs: 20,
    });
  });
  afterAll(async () => {
    await mgr?.closeAll();
    await open?.stop();
    await locked?.stop();
  });

  for (const version of ['3.1.1', '5.0'] as const) {
    it(`ws:// ${version}: connects on /mqtt, round-trips a message with exact labels and packet sizes`, async () => {
      const p = makeProfile(wsPort, { protocol: 'ws', path: '/mqtt', mqttVersion: version });
      const st = await mgr.connect(p);
      expect(st).toMatchObject({ status: 'connected', brokerUrl: `ws://127.0.0.1:${wsPort}/mqtt`, embeddedBroker: true });
      await mgr.subscribe(p.id, sub('ws/t'));
      await mgr.publish(p.id, { topic: 'ws/t', qos: 1, retain: false, payload: 'over websocket', format: 'text' });
      const s = await waitFor(mgr, p.id, (x) => texts(x).length === 1, 'loop-back over ws');
      expect(texts(s)).toEqual(['over websocket']);
      expect(s.messages.find((m) => m.dir === 'in')).toMatchObject({ label: 'live', labelSource: 'broker' });
      for (const rec of s.packets) expect(mgr.packetBytes(p.id, rec.seq)!.hex.length / 2, rec.summary).toBe(rec.size);
      expect(open.getSession(st.clientId)?.protocolVersion).toBe(version === '5.0' ? 5 : 4);
      await mgr.disconnect({ profileId: p.id });
    });
  }

  it('ws:// on a path the broker does not serve: a clear error, no hang', async () => {
    const st = await mgr.connect(makeProfile(wsPort, { protocol: 'ws', path: '/nope' }));
    expect(st.status).toBe('error');
    expect(st.error).toMatch(/^WebSocket handshake refused: HTTP 4\d\d \(does the broker serve MQTT on path \/nope\?\)$/);
  });

  it('MQTT 3.1 (MQIsdp, level 3): connects, subscribes, receives; the broker sees level 3', async () => {
    const p = makeProfile(tcpPort, { mqttVersion: '3.1', clientId: `v31_${Math.random().toString(36).slice(2, 10)}` });
    const st = await mgr.connect(p);
    expect(st).toMatchObject({ status: 'connected', protocolVersion: 3 });
    const c = mgr.snapshot(p.id)!.connacks[0];
    expect(c).toMatchObject({ reasonCode: 0, reasonName: 'Connection Accepted', sessionPresent: false, requested: { sessionExpiryInterval: null } });
    expect(open.getSession(p.clientId)?.protocolVersion).toBe(3);
    await mgr.subscribe(p.id, sub('v31/t', 2));
    await mgr.publish(p.id, { topic: 'v31/t', qos: 2, retain: false, payload: 'level 3', format: 'text' });
    const s = await waitFor(mgr, p.id, (x) => texts(x).length === 1 && x.inflight.length === 0, 'QoS 2 loop-back on 3.1');
    expect(texts(s)).toEqual(['level 3']);
    expect(s.subscriptions[0]).toMatchObject({ status: 'granted', grantedQos: 2, reasonName: 'Granted QoS 2' });
    await mgr.disconnect({ profileId: p.id });
  });

  it('bad credentials: 3.1.1 and 5.0 refusals are named, nothing is retried, good ones connect', async () => {
    const v4 = await mgr.connect(makeProfile(lockedPort, { mqttVersion: '3.1.1', username: 'u', password: 'wrong' }));
    expect(v4).toMatchObject({ status: 'error', error: expect.stringMatching(/^CONNACK 0x04 Bad user name or password — check the username and password/) });
    const p5 = makeProfile(lockedPort, { mqttVersion: '5.0', username: 'u', password: 'wrong' });
    const v5 = await mgr.connect(p5);
    expect(v5).toMatchObject({ status: 'error', error: expect.stringMatching(/^CONNACK 0x86 Bad User Name or Password — check the username and password/) });
    expect(mgr.snapshot(p5.id)!.connacks[0]).toMatchObject({ reasonCode: 0x86, reasonName: 'Bad User Name or Password', sessionPresent: false });
    const anon = await mgr.connect(makeProfile(lockedPort, { mqttVersion: '5.0' }));
    expect(anon).toMatchObject({ status: 'error', error: expect.stringMatching(/^CONNACK 0x87 Not authorized — check the username and password/) });
    const anon3 = await mgr.connect(makeProfile(lockedPort, { mqttVersion: '3.1.1' }));
    expect(anon3).toMatchObject({ status: 'error', error: expect.stringMatching(/^CONNACK 0x05 Not authorized — check the username and password/) });
    const ok = await mgr.connect({ ...p5, password: 'p' });
    expect(ok).toMatchObject({ status: 'connected', error: null });
    await mgr.disconnect({ profileId: p5.id });
  });

  // The embedded broker answers 0x02 only to an empty client ID on 3.1, or on 3.1.1 with Clean Session off:
  // CONNECTs MQTT.js will not encode. So the engine refuses them first, in words, sending nothing
  // (a broker-side 0x02 is covered against mosquitto in errors.test.ts).
  it('identifier the broker would reject: refused before sending, with the reason', async () => {
    const v31 = makeProfile(tcpPort, { mqttVersion: '3.1', clientId: '' });
    expect(await mgr.connect(v31)).toMatchObject({ status: 'error', error: 'MQTT 3.1 requires a client ID of 1 to 23 characters' });
    const v311 = makeProfile(tcpPort, { mqttVersion: '3.1.1', clientId: '', clean: false });
    expect(await mgr.connect(v311)).toMatchObject({ status: 'error', error: expect.stringMatching(/^A persistent session \(Clean Session off\) needs a client ID/) });
    for (const p of [v31, v311]) expect(mgr.snapshot(p.id)!.packets).toEqual([]);
  });

  it('5.0 with an empty client ID: the broker assigns one and the state shows it', async () => {
    const p = makeProfile(tcpPort, { mqttVersion: '5.0', clientId: '' });
    const st = await mgr.connect(p);
    expect(st.status).toBe('connected');
    const c = mgr.snapshot(p.id)!.connacks[0];
    expect(c.properties.assignedClientIdentifier).toMatch(/^auto-/);
    expect(st.clientId).toBe(c.properties.assignedClientIdentifier);
    expect(c.clientId).toBe(st.clientId);
    await mgr.disconnect({ profileId: p.id });
  });
});
