import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, connectClient, end, publish, sleep, startBroker, subscribe, uid, waitFor } from './helpers';

afterEach(cleanup);

async function offlineSubscriber(url: string, topic: string, qos: 0 | 1 | 2 = 1, v: 4 | 5 = 4) {
  const id = uid('off');
  const opts = { clientId: id, clean: false, protocolVersion: v, ...(v === 5 ? { properties: { sessionExpiryInterval: 300 } } : {}) };
  const a = await connectClient(url, opts);
  await subscribe(a.client, topic, { qos });
  await end(a.client);
  return { id, opts };
}

describe('offline queue', () => {
  it('drop-oldest keeps the newest maxQueuedMessages and counts drops', async () => {
    const b = await startBroker({ maxQueuedMessages: 3 });
    const { id, opts } = await offlineSubscriber(b.url, 'dq/t');
    const p = await connectClient(b.url, { clientId: uid('p') });
    for (let i = 0; i < 5; i++) await publish(p.client, 'dq/t', `${i}`, { qos: 1 });
    const s = b.broker.getSession(id)!;
    expect(s.queued).toBe(3);
    expect(s.droppedOverflow).toBe(2);
    expect(s.queuedMessages.map((m) => Buffer.from(m.payloadPreview, 'base64').toString())).toEqual(['2', '3', '4']);
    const again = await connectClient(b.url, opts);
    await waitFor(() => again.msgs.length === 3);
    expect(again.msgs.map((m) => m.payload)).toEqual(['2', '3', '4']);
    expect(again.msgs.every((m) => b.broker.originOf(id, { topic: m.topic, payloadLength: 1, packetId: m.packet.messageId }) !== 'live')).toBe(true);
  });

  it('drop-new keeps the oldest', async () => {
    const b = await startBroker({ maxQueuedMessages: 2, overflowPolicy: 'drop-new' });
    const { id } = await offlineSubscriber(b.url, 'dn/t');
    const p = await connectClient(b.url, { clientId: uid('p') });
    for (let i = 0; i < 4; i++) await publish(p.client, 'dn/t', `${i}`, { qos: 1 });
    const s = b.broker.getSession(id)!;
    expect(s.queuedMessages.map((m) => Buffer.from(m.payloadPreview, 'base64').toString())).toEqual(['0', '1']);
    expect(s.droppedOverflow).toBe(2);
    expect(b.broker.status().counters.dropped).toBe(2);
  });

  it('QoS 0 is not queued for offline clients unless queueQos0', async () => {
    const b = await startBroker();
    const { id } = await offlineSubscriber(b.url, 'q0/t', 0);
    const p = await connectClient(b.url, { clientId: uid('p') });
    await publish(p.client, 'q0/t', 'x', { qos: 0 });
    await sleep(50);
    expect(b.broker.getSession(id)!.queued).toBe(0);
    await b.broker.updateSettings({ queueQos0: true });
    await publish(p.client, 'q0/t', 'y', { qos: 0 });
    await waitFor(() => b.broker.getSession(id)!.queued === 1);
  });

  it('message expiry: expired queued messages are dropped and counted; remaining interval is sent', async () => {
    const b = await startBroker();
    const { id, opts } = await offlineSubscriber(b.url, 'exp/t', 1, 5);
    const p = await connectClient(b.url, { clientId: uid('p'), protocolVersion: 5 });
    await publish(p.client, 'exp/t', 'short', { qos: 1, properties: { messageExpiryInterval: 1 } });
    await publish(p.client, 'exp/t', 'long', { qos: 1, properties: { messageExpiryInterval: 100 } });
    await sleep(1200);
    const again = await connectClient(b.url, opts);
    await waitFor(() => again.msgs.length === 1);
    await sleep(100);
    expect(again.msgs.map((m) => m.payload)).toEqual(['long']);
    const left = again.msgs[0].packet.properties?.messageExpiryInterval as number;
    expect(left).toBeGreaterThan(90);
    expect(left).toBeLessThanOrEqual(99);
    expect(b.broker.getSession(id)!.droppedExpired).toBe(1);
  });

  it('clearQueue and discardSession', async () => {
    const b = await startBroker();
    const { id } = await offlineSubscriber(b.url, 'cq/t');
    const p = await connectClient(b.url, { clientId: uid('p') });
    for (let i = 0; i < 3; i++) await publish(p.client, 'cq/t', `${i}`, { qos: 1 });
    expect(b.broker.clearQueue(id)).toBe(3);
    expect(b.broker.getSession(id)!.queued).toBe(0);
    expect(b.broker.discardSession(id)).toBe(true);
    expect(b.broker.getSession(id)).toBeNull();
    expect(b.broker.discardSession(id)).toBe(false);
  });

  it('3.x persistent sessions expire after v3SessionExpiry', async () => {
    const b = await startBroker({ v3SessionExpiry: 1 });
    const { id } = await offlineSubscriber(b.url, 'v3e/t');
    expect(b.broker.getSession(id)!.sessionExpiryInterval).toBe(1);
    await waitFor(() => b.broker.getSession(id) === null, 3000);
  });
});
