import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, connectClient, end, publish, sleep, startBroker, subscribe, uid, waitFor } from './helpers';

afterEach(cleanup);

describe('5.0 sessions', () => {
  it('Clean Start 0 without Session Expiry: session ends at disconnect (Session Present 0 next time)', async () => {
    const b = await startBroker();
    const id = uid('v5noexp');
    const a = await connectClient(b.url, { clientId: id, clean: false, protocolVersion: 5 });
    await subscribe(a.client, 't/x');
    await end(a.client);
    await waitFor(() => b.broker.getSession(id) === null);
    const c = await connectClient(b.url, { clientId: id, clean: false, protocolVersion: 5 });
    expect(c.connack.sessionPresent).toBe(false);
  });

  it('Clean Start 0 + expiry keeps queued messages; Session Present 1 even with no subscriptions', async () => {
    const b = await startBroker();
    const id = uid('v5exp');
    const a = await connectClient(b.url, { clientId: id, clean: false, protocolVersion: 5, properties: { sessionExpiryInterval: 300 } });
    await subscribe(a.client, 'v5/q', { qos: 2 });
    await end(a.client);
    const p = await connectClient(b.url, { clientId: uid('p'), protocolVersion: 5 });
    await publish(p.client, 'v5/q', 'm1', { qos: 1 });
    await publish(p.client, 'v5/q', 'm2', { qos: 2 });
    const summary = b.broker.listSessions().sessions.find((s) => s.clientId === id)!;
    expect(summary.connected).toBe(false);
    expect(summary.queued).toBe(2);
    expect(summary.expiresAt).toBeGreaterThan(Date.now());
    const c = await connectClient(b.url, { clientId: id, clean: false, protocolVersion: 5, properties: { sessionExpiryInterval: 300 } });
    expect(c.connack.sessionPresent).toBe(true);
    await waitFor(() => c.msgs.length === 2);
    expect(c.msgs.map((m) => [m.payload, m.packet.qos])).toEqual([
      ['m1', 1],
      ['m2', 2],
    ]);
    // resumed without subscriptions
    const e = uid('empty');
    const x = await connectClient(b.url, { clientId: e, clean: false, protocolVersion: 5, properties: { sessionExpiryInterval: 60 } });
    await end(x.client);
    const y = await connectClient(b.url, { clientId: e, clean: false, protocolVersion: 5, properties: { sessionExpiryInterval: 60 } });
    expect(y.connack.sessionPresent).toBe(true);
  });

  it('session expires after its interval', async () => {
    const b = await startBroker();
    const id = uid('short');
    const a = await connectClient(b.url, { clientId: id, clean: false, protocolVersion: 5, properties: { sessionExpiryInterval: 1 } });
    await end(a.client);
    expect(b.broker.getSession(id)).not.toBeNull();
    await waitFor(() => b.broker.getSession(id) === null, 3000);
    await waitFor(() => b.events.some((e) => e.kind === 'session-expired' && e.clientId === id));
  });

  it('0xFFFFFFFF never expires (no expiresAt)', async () => {
    const b = await startBroker();
    const id = uid('never');
    const a = await connectClient(b.url, { clientId: id, clean: false, protocolVersion: 5, properties: { sessionExpiryInterval: 0xffffffff } });
    await end(a.client);
    const s = b.broker.getSession(id)!;
    expect(s.sessionExpiryInterval).toBe(0xffffffff);
    expect(s.expiresAt).toBeNull();
  });

  it('DISCONNECT raising expiry from 0 is a protocol error 0x82', async () => {
    const b = await startBroker();
    const id = uid('raise');
    const a = await connectClient(b.url, { clientId: id, protocolVersion: 5, clean: true });
    const got: number[] = [];
    a.client.on('disconnect', (p) => got.push(p.reasonCode ?? -1));
    // send DISCONNECT with expiry 60 via the raw stream
    (a.client as unknown as { _sendPacket: (p: unknown) => void })._sendPacket({ cmd: 'disconnect', reasonCode: 0, properties: { sessionExpiryInterval: 60 } });
    await waitFor(() => got.length === 1);
    expect(got[0]).toBe(0x82);
  });

  it('DISCONNECT can lower / set a non-zero expiry when CONNECT had one', async () => {
    const b = await startBroker();
    const id = uid('lower');
    const a = await connectClient(b.url, { clientId: id, protocolVersion: 5, clean: true, properties: { sessionExpiryInterval: 100 } });
    await new Promise<void>((r) => a.client.end(false, { properties: { sessionExpiryInterval: 0 } }, () => r()));
    await waitFor(() => b.broker.getSession(id) === null);
    const c = await connectClient(b.url, { clientId: id, protocolVersion: 5, clean: true, properties: { sessionExpiryInterval: 100 } });
    await new Promise<void>((r) => c.client.end(false, { properties: { sessionExpiryInterval: 500 } }, () => r()));
    await sleep(50);
    expect(b.broker.getSession(id)?.sessionExpiryInterval).toBe(500);
  });

  it('assigns a client identifier for an empty id', async () => {
    const b = await startBroker();
    const a = await connectClient(b.url, { clientId: '', protocolVersion: 5, clean: true });
    const assigned = a.connack.properties?.assignedClientIdentifier as string;
    expect(assigned).toMatch(/^auto-/);
    expect(b.broker.getSession(assigned)?.connected).toBe(true);
  });

  it('takeover: the old 5.0 connection gets DISCONNECT 0x8E and the session is resumed', async () => {
    const b = await startBroker();
    const id = uid('take');
    const a = await connectClient(b.url, { clientId: id, clean: false, protocolVersion: 5, properties: { sessionExpiryInterval: 60 } });
    await subscribe(a.client, 'take/t');
    const codes: number[] = [];
    a.client.on('disconnect', (p) => codes.push(p.reasonCode ?? -1));
    const c = await connectClient(b.url, { clientId: id, clean: false, protocolVersion: 5, properties: { sessionExpiryInterval: 60 } });
    expect(c.connack.sessionPresent).toBe(true);
    await waitFor(() => codes.length === 1);
    expect(codes[0]).toBe(0x8e);
    await waitFor(() => b.events.some((e) => e.kind === 'session-taken-over' && e.clientId === id));
    expect(b.broker.getSession(id)?.subscriptions.map((s) => s.filter)).toEqual(['take/t']);
  });

  it('maxSessionExpiry lowers the interval and says so in CONNACK', async () => {
    const b = await startBroker({ maxSessionExpiry: 30 });
    const a = await connectClient(b.url, { clientId: uid('cap'), clean: false, protocolVersion: 5, properties: { sessionExpiryInterval: 3000 } });
    expect(a.connack.properties?.sessionExpiryInterval).toBe(30);
  });
});
