/**
 * The contract end to end over the browser-mode transport: real core, real
 * embedded broker, real MQTT.js connections, driven only through WebSocket
 * frames as the renderer sends them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Profile, ProfileInput } from '../../shared/profile';
import type { BrokerStatus, SessionDetail, SessionSummary } from '../../shared/broker';
import type { ConnectionSnapshot, ConnectionState, ConnectionUpdate } from '../../shared/connection';
import type { ScenarioInfo, ScenarioReport } from '../../shared/scenario';
import { startHost, WsContractClient, type HostFixture } from './host-fixture';

let h: HostFixture;
let c: WsContractClient;
beforeAll(async () => {
  h = await startHost();
  c = await WsContractClient.open(h.web);
});
afterAll(async () => {
  c.close();
  await h.close();
});

async function waitFor<T>(probe: () => T | undefined, what: string, ms = 5000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('profiles over WebSocket', () => {
  it('creates, lists, updates, duplicates, reorders and deletes; invalid input gets field errors', async () => {
    const defaults = await c.ok<ProfileInput>('profiles.defaults');
    const broker = await c.ok<BrokerStatus>('broker.status');
    expect(defaults.host).toBe('127.0.0.1');
    expect(defaults.port).toBe(broker.tcpPort);

    const a = await c.ok<Profile>('profiles.create', { ...defaults, name: 'A', mqttVersion: '3.1.1', clean: false, clientId: 'ws-a' });
    const updated = await c.ok<Profile>('profiles.update', { ...a, keepalive: 30 });
    expect(updated.keepalive).toBe(30);
    const copy = await c.ok<Profile>('profiles.duplicate', { id: a.id });
    expect(copy.name).toBe('A (copy)');
    expect(copy.clientId).not.toBe(a.clientId);
    const reordered = await c.ok<Profile[]>('profiles.reorder', { ids: [copy.id, a.id] });
    expect(reordered.map((p) => p.id)).toEqual([copy.id, a.id]);
    await c.ok('profiles.delete', { id: copy.id });
    expect((await c.ok<Profile[]>('profiles.list')).map((p) => p.name)).toEqual(['A']);

    const bad = await c.call('profiles.create', { ...defaults, port: 70000, mqttVersion: '3.1.1', clean: false, clientId: '' });
    expect(bad).toMatchObject({ ok: false, error: { fields: { port: 'Port must be between 1 and 65535', clientId: expect.stringContaining('needs a client ID') } } });
  });
});

describe('connections and the broker over WebSocket', () => {
  it('runs the offline-message demo through calls and events', async () => {
    const defaults = await c.ok<ProfileInput>('profiles.defaults');
    const sub = await c.ok<Profile>('profiles.create', { ...defaults, name: 'MQTT_V3', mqttVersion: '3.1.1', clean: false, clientId: 'ws-demo-sub' });
    const pub = await c.ok<Profile>('profiles.create', { ...defaults, name: 'MQTT_V3_Publish', mqttVersion: '3.1.1', clean: true });

    expect((await c.ok<ConnectionState>('connections.connect', { profileId: sub.id })).status).toBe('connected');
    await c.ok('connections.subscribe', { profileId: sub.id, subscription: { topic: 'clean_session_false', qos: 1 } });
    await c.ok('connections.disconnect', { profileId: sub.id });
    await c.ok('connections.connect', { profileId: pub.id });
    for (const payload of ['one', 'two']) {
      await c.ok('connections.publish', { profileId: pub.id, message: { topic: 'clean_session_false', qos: 1, retain: false, payload, format: 'text' } });
    }

    let queued: SessionDetail | null = null;
    const end = Date.now() + 5000;
    while (Date.now() < end) {
      queued = await c.ok<SessionDetail | null>('broker.session', { clientId: 'ws-demo-sub' });
      if (queued && queued.queued === 2) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(queued?.connected).toBe(false);
    expect(queued?.queued).toBe(2);
    expect((await c.ok<{ sessions: SessionSummary[] }>('broker.sessions')).sessions.map((s) => s.clientId)).toContain('ws-demo-sub');

    const state = await c.ok<ConnectionState>('connections.connect', { profileId: sub.id });
    expect(state.status).toBe('connected');
    let snapshot: ConnectionSnapshot | null = null;
    const end2 = Date.now() + 5000;
    while (Date.now() < end2) {
      snapshot = await c.ok<ConnectionSnapshot | null>('connections.snapshot', { profileId: sub.id });
      if (snapshot && snapshot.messages.filter((m) => m.dir === 'in').length === 2) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const received = snapshot!.messages.filter((m) => m.dir === 'in');
    expect(received.map((m) => Buffer.from(m.payloadBase64, 'base64').toString())).toEqual(['one', 'two']);
    expect(received.every((m) => m.label === 'queued' && m.labelSource === 'broker')).toBe(true);
    expect(snapshot!.connacks.map((k) => k.sessionPresent)).toEqual([false, true]);

    // The same facts arrived as batched events.
    const inbound = () =>
      c.events
        .filter((e) => e.event === 'connection.batch')
        .flatMap((e) => (e.payload as { updates: ConnectionUpdate[] }).updates)
        .filter((u) => u.profileId === sub.id)
        .flatMap((u) => u.messages ?? [])
        .filter((m) => m.dir === 'in');
    const evMessages = await waitFor(() => (inbound().length >= 2 ? inbound() : undefined), 'two messages in connection.batch events');
    expect(evMessages.map((m) => m.label)).toEqual(['queued', 'queued']);
    expect(c.events.some((e) => e.event === 'broker.batch')).toBe(true);

    const connack = snapshot!.packets.find((p) => p.type === 'connack' && p.sessionPresent === true)!;
    const bytes = await c.ok<{ hex: string }>('connections.packetBytes', { profileId: sub.id, seq: connack.seq });
    expect(bytes.hex.replace(/\s/g, '').toLowerCase()).toBe('20020100');
    const payload = await c.ok<{ base64: string }>('connections.messagePayload', { profileId: sub.id, seq: received[0].seq });
    expect(Buffer.from(payload.base64, 'base64').toString()).toBe('one');

    expect((await c.ok<ConnectionState>('connections.disconnect', { profileId: sub.id })).status).toBe('disconnected');
    expect(await c.ok<boolean>('broker.discardSession', { clientId: 'ws-demo-sub' })).toBe(true);
    expect(await c.ok<SessionDetail | null>('broker.session', { clientId: 'ws-demo-sub' })).toBeNull();
    const status = await c.ok<BrokerStatus>('broker.updateSettings', { maxQueuedMessages: 5 });
    expect(status.settings.maxQueuedMessages).toBe(5);
    await c.ok('connections.disconnect', { profileId: pub.id });
  });

  it('refuses actions on unknown profiles with a readable error', async () => {
    const r = await c.call('connections.connect', { profileId: 'no-such-profile' });
    expect(r).toMatchObject({ ok: false, error: { message: expect.stringContaining('no-such-profile') } });
  });
});

describe('scenarios over WebSocket', () => {
  it('lists the scenarios and streams a run to its report', async () => {
    const list = await c.ok<ScenarioInfo[]>('scenarios.list');
    expect(list).toHaveLength(13);
    const { runId } = await c.ok<{ runId: string }>('scenarios.run', { ids: ['offline-messages-v3'], target: {} });
    const report = await waitFor(() => {
      const done = c.events.find((e) => e.event === 'scenario.progress' && (e.payload as { runId: string; report?: ScenarioReport }).runId === runId && (e.payload as { report?: unknown }).report);
      return done ? (done.payload as { report: ScenarioReport }).report : undefined;
    }, 'the scenario report', 15_000);
    expect(report.results[0]).toMatchObject({ id: 'offline-messages-v3', verdict: 'pass', sessionPresent: [0, 1] });
  });
});
