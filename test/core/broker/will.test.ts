import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, connectClient, end, sleep, startBroker, subscribe, uid, waitFor } from './helpers';

afterEach(cleanup);

async function watcher(url: string, topic: string) {
  const w = await connectClient(url, { clientId: uid('watch'), protocolVersion: 5 });
  await subscribe(w.client, topic, { qos: 1 });
  return w;
}

describe('will messages', () => {
  it('3.1.1: published when the connection drops, not after DISCONNECT', async () => {
    const b = await startBroker();
    const w = await watcher(b.url, 'will/v3/#');
    const a = await connectClient(b.url, { clientId: uid('w1'), protocolVersion: 4, will: { topic: 'will/v3/a', payload: Buffer.from('gone'), qos: 1, retain: false } });
    (a.client as unknown as { stream: { destroy(): void } }).stream.destroy();
    await waitFor(() => w.msgs.length === 1);
    expect(w.msgs[0].payload).toBe('gone');
    const c = await connectClient(b.url, { clientId: uid('w2'), protocolVersion: 4, will: { topic: 'will/v3/c', payload: Buffer.from('no'), qos: 1, retain: false } });
    await end(c.client);
    await sleep(200);
    expect(w.msgs.length).toBe(1);
  });

  it('5.0: sent after DISCONNECT 0x04, not after a normal DISCONNECT', async () => {
    const b = await startBroker();
    const w = await watcher(b.url, 'will/v5/#');
    const a = await connectClient(b.url, { clientId: uid('w4'), protocolVersion: 5, will: { topic: 'will/v5/a', payload: Buffer.from('04'), qos: 0, retain: false } });
    await new Promise<void>((r) => a.client.end(false, { reasonCode: 0x04 }, () => r()));
    await waitFor(() => w.msgs.length === 1);
    const c = await connectClient(b.url, { clientId: uid('w0'), protocolVersion: 5, will: { topic: 'will/v5/c', payload: Buffer.from('00'), qos: 0, retain: false } });
    await end(c.client);
    await sleep(200);
    expect(w.msgs.map((m) => m.payload)).toEqual(['04']);
  });

  it('Will Delay Interval: cancelled by a reconnect within the delay, else published after it', async () => {
    const b = await startBroker();
    const w = await watcher(b.url, 'will/delay/#');
    const id = uid('wd');
    const opts = {
      clientId: id,
      protocolVersion: 5 as const,
      clean: false,
      properties: { sessionExpiryInterval: 60 },
      will: { topic: 'will/delay/x', payload: Buffer.from('late'), qos: 1 as const, retain: false, properties: { willDelayInterval: 1 } },
    };
    const a = await connectClient(b.url, opts);
    (a.client as unknown as { stream: { destroy(): void } }).stream.destroy();
    await waitFor(() => b.broker.getSession(id)?.pendingWill?.publishAt != null);
    const again = await connectClient(b.url, opts);
    expect(again.connack.sessionPresent).toBe(true);
    await sleep(1400);
    expect(w.msgs.length).toBe(0);
    await waitFor(() => b.events.some((e) => e.kind === 'will-cancelled' && e.clientId === id));
    const t0 = Date.now();
    (again.client as unknown as { stream: { destroy(): void } }).stream.destroy();
    await waitFor(() => w.msgs.length === 1, 3000);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(900);
    // the delay property does not leak into the will PUBLISH
    expect((w.msgs[0].packet.properties as Record<string, unknown> | undefined)?.willDelayInterval).toBeUndefined();
  });

  it('will is published at session end when that comes before the will delay', async () => {
    const b = await startBroker();
    const w = await watcher(b.url, 'will/end/#');
    const a = await connectClient(b.url, {
      clientId: uid('we'),
      protocolVersion: 5,
      properties: { sessionExpiryInterval: 0 },
      will: { topic: 'will/end/x', payload: Buffer.from('end'), qos: 0, retain: false, properties: { willDelayInterval: 100 } },
    });
    (a.client as unknown as { stream: { destroy(): void } }).stream.destroy();
    await waitFor(() => w.msgs.length === 1, 2000);
  });

  it('kick with will publishes it; kick without does not', async () => {
    const b = await startBroker();
    const w = await watcher(b.url, 'will/kick/#');
    const id1 = uid('k1');
    await connectClient(b.url, { clientId: id1, protocolVersion: 5, will: { topic: 'will/kick/1', payload: Buffer.from('1'), qos: 0, retain: false } });
    const id2 = uid('k2');
    await connectClient(b.url, { clientId: id2, protocolVersion: 5, will: { topic: 'will/kick/2', payload: Buffer.from('2'), qos: 0, retain: false } });
    expect(b.broker.kick(id1, { withWill: true })).toBe(true);
    expect(b.broker.kick(id2, { withWill: false })).toBe(true);
    expect(b.broker.kick('nobody', { withWill: false })).toBe(false);
    await sleep(200);
    expect(w.msgs.map((m) => m.payload)).toEqual(['1']);
  });
});
