import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, connectClient, end, publish, startBroker, subscribe, uid, waitFor } from './helpers';

afterEach(cleanup);

describe('3.1.1 sessions', () => {
  it('offline demo: clean=false subscriber gets both QoS 1 messages with Session Present 1', async () => {
    const b = await startBroker();
    const id = uid('sub');
    const first = await connectClient(b.url, { clientId: id, clean: false, protocolVersion: 4 });
    expect(first.connack.sessionPresent).toBe(false);
    await subscribe(first.client, 'clean_session_false', { qos: 1 });
    await end(first.client);
    const pub = await connectClient(b.url, { clientId: uid('pub'), protocolVersion: 4 });
    await publish(pub.client, 'clean_session_false', 'one', { qos: 1 });
    await publish(pub.client, 'clean_session_false', 'two', { qos: 1 });
    const s = b.broker.getSession(id);
    expect(s?.queued).toBe(2);
    const again = await connectClient(b.url, { clientId: id, clean: false, protocolVersion: 4 });
    const got = again.msgs;
    expect(again.connack.sessionPresent).toBe(true);
    await waitFor(() => got.length === 2);
    expect(got.map((m) => m.payload)).toEqual(['one', 'two']);
    expect(got.every((m) => m.packet.qos === 1)).toBe(true);
  });

  it('Session Present 1 for a resumed session without subscriptions', async () => {
    const b = await startBroker();
    const id = uid('nosubs');
    const a = await connectClient(b.url, { clientId: id, clean: false });
    await end(a.client);
    const c = await connectClient(b.url, { clientId: id, clean: false });
    expect(c.connack.sessionPresent).toBe(true);
  });

  it('clean=true discards the session and reports Session Present 0', async () => {
    const b = await startBroker();
    const id = uid('clean');
    const a = await connectClient(b.url, { clientId: id, clean: false });
    await subscribe(a.client, 't/clean');
    await end(a.client);
    const c = await connectClient(b.url, { clientId: id, clean: true });
    expect(c.connack.sessionPresent).toBe(false);
    expect(b.broker.getSession(id)?.subscriptions).toEqual([]);
    await end(c.client);
    await waitFor(() => b.broker.getSession(id) === null);
  });
});
