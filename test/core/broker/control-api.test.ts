import { afterEach, describe, expect, it } from 'vitest';
import { EmbeddedBroker } from '../../../electron/core/broker';
import { cleanup, connectClient, end, publish, startBroker, subscribe, uid, waitFor } from './helpers';

afterEach(cleanup);

describe('control API and events', () => {
  it('lists sessions with their state and reports events in batches', async () => {
    const b = await startBroker();
    const batches: number[] = [];
    b.broker.onEvent((e) => batches.push(e.length));
    const id = uid('list');
    const a = await connectClient(b.url, { clientId: id, clean: false, protocolVersion: 5, properties: { sessionExpiryInterval: 120 }, will: { topic: 'w', payload: Buffer.from('x'), qos: 0, retain: false, properties: { willDelayInterval: 30 } } });
    await subscribe(a.client, 'ls/#', { qos: 2, rap: true, properties: { subscriptionIdentifier: 5 } });
    const { sessions, total } = b.broker.listSessions();
    expect(total).toBe(1);
    expect(sessions[0]).toMatchObject({
      clientId: id,
      connected: true,
      protocolVersion: 5,
      cleanStart: false,
      sessionExpiryInterval: 120,
      expiresAt: null,
      subscriptions: [{ filter: 'ls/#', qos: 2, noLocal: false, retainAsPublished: true, retainHandling: 0, subscriptionIdentifier: 5 }],
      pendingWill: { topic: 'w', delaySeconds: 30, publishAt: null },
    });
    await end(a.client);
    const after = b.broker.getSession(id)!;
    expect(after.connected).toBe(false);
    expect(after.expiresAt).toBeGreaterThan(Date.now() + 100_000);
    expect(after.pendingWill).toBeNull(); // normal DISCONNECT discards the will
    expect(after.lastDisconnectReason).toMatch(/DISCONNECT/);
    await waitFor(() => b.events.some((e) => e.kind === 'client-disconnected'));
    const kinds = b.events.map((e) => e.kind);
    expect(kinds).toEqual(expect.arrayContaining(['client-connected', 'session-created', 'client-disconnected']));
    const connected = b.events.find((e) => e.kind === 'client-connected')!;
    expect(connected).toMatchObject({ clientId: id, sessionPresent: false, protocolVersion: 5, reasonCode: 0 });
    expect(batches.length).toBeLessThan(b.events.length); // batched, not one call per event
  });

  it('message events carry the delivery origin; originOf answers for live, queued, redelivered, retained', async () => {
    const b = await startBroker();
    const id = uid('orig');
    const a = await connectClient(b.url, { clientId: id, clean: false, protocolVersion: 4 });
    await subscribe(a.client, 'o/#', { qos: 1 });
    const p = await connectClient(b.url, { clientId: uid('p') });
    await publish(p.client, 'o/retained', 'r', { qos: 1, retain: true });
    await waitFor(() => a.msgs.length === 1);
    expect(b.broker.originOf(id, { packetId: a.wire[0].messageId, topic: 'o/retained', payloadLength: 1 })).toBe('live');
    await end(a.client);
    await publish(p.client, 'o/q', 'queued', { qos: 1 });
    const origins: (string | undefined)[] = [];
    const again = await connectClient(b.url, { clientId: id, clean: false, protocolVersion: 4 });
    again.client.on('packetreceive', () => {});
    await waitFor(() => again.msgs.length === 1);
    // the oracle is consulted when the client parses the PUBLISH; here we check events instead (acked → forgotten)
    await waitFor(() => b.events.some((e) => e.kind === 'message-delivered' && e.origin === 'queued'));
    const s = await connectClient(b.url, { clientId: uid('new'), protocolVersion: 4 });
    s.client.on('packetreceive', (pk) => {
      if (pk.cmd === 'publish' && pk.qos > 0) origins.push(b.broker.originOf(s.client.options.clientId!, { packetId: pk.messageId, topic: pk.topic, payloadLength: pk.payload.length }));
    });
    await subscribe(s.client, 'o/retained', { qos: 1 });
    await waitFor(() => origins.length === 1);
    expect(origins).toEqual(['retained']);
    const q0: (string | undefined)[] = [];
    s.client.on('packetreceive', (pk) => {
      if (pk.cmd === 'publish' && pk.qos === 0) q0.push(b.broker.originOf(s.client.options.clientId!, { topic: pk.topic, payloadLength: pk.payload.length }));
    });
    await subscribe(s.client, 'o/zero', { qos: 0 });
    await publish(p.client, 'o/zero', 'z', { qos: 0 });
    await waitFor(() => q0.length === 1);
    expect(q0).toEqual(['live']);
  });

  it('start rejects with a clear error when the port is in use; updateSettings rebinds ports', async () => {
    const b = await startBroker();
    const other = new EmbeddedBroker({ settings: { host: '127.0.0.1', port: b.port, wsPort: null } });
    await expect(other.start()).rejects.toThrow(/already in use/);
    expect(other.status().error).toMatch(/already in use/);
    expect(other.status().running).toBe(false);
    const id = uid('keep');
    const a = await connectClient(b.url, { clientId: id, clean: false });
    await end(a.client);
    const st = await b.broker.updateSettings({ wsPort: 0 });
    expect(st.wsPort).toBeGreaterThan(0);
    expect(b.broker.getSession(id)).not.toBeNull();
    const st2 = await b.broker.updateSettings({ maxQueuedMessages: 5 });
    expect(st2.settings.maxQueuedMessages).toBe(5);
    await expect(b.broker.updateSettings({ maxQueuedMessages: -1 })).rejects.toThrow();
  });

  it('restart keeps in-memory sessions and counts messages', async () => {
    const b = await startBroker();
    const id = uid('rs');
    const a = await connectClient(b.url, { clientId: id, clean: false });
    await subscribe(a.client, 'rs/t');
    const p = await connectClient(b.url, { clientId: uid('p') });
    await publish(p.client, 'rs/t', 'x', { qos: 1 });
    await waitFor(() => a.msgs.length === 1);
    const st = await b.broker.restart();
    expect(st.running).toBe(true);
    expect(st.counters.messagesIn).toBe(1);
    expect(st.counters.messagesOut).toBe(1);
    const again = await connectClient(`mqtt://127.0.0.1:${st.tcpPort}`, { clientId: id, clean: false });
    expect(again.connack.sessionPresent).toBe(true);
  });
});
