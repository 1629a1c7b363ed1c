import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, connectClient, gen, publish, rawConnect, startBroker, uid, waitFor, waitPackets } from './helpers';

afterEach(cleanup);

describe('per-connection output buffer limit', () => {
  it('a subscriber that never reads is disconnected, its session kept and later messages queued', async () => {
    const b = await startBroker({ outputBufferLimit: 65536, stallTimeout: 1 });
    const id = uid('slow');
    const raw = await rawConnect(b.port);
    raw.socket.write(gen({ cmd: 'connect', clientId: id, clean: false, keepalive: 0, protocolId: 'MQTT', protocolVersion: 4 }));
    raw.socket.write(gen({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: 'big/t', qos: 1 }] }));
    await waitPackets(raw, (p) => p.some((x) => x.cmd === 'suback'));
    raw.socket.pause();
    const p = await connectClient(b.url, { clientId: uid('p') });
    const payload = Buffer.alloc(64 * 1024, 1);
    for (let i = 0; i < 400 && b.broker.getSession(id)?.connected !== false; i++) await publish(p.client, 'big/t', payload, { qos: 1 });
    await waitFor(() => b.broker.getSession(id)?.connected === false);
    const s = b.broker.getSession(id)!;
    expect(s.lastDisconnectReason).toMatch(/output buffer/);
    await publish(p.client, 'big/t', 'after', { qos: 1 });
    expect(b.broker.getSession(id)!.queued).toBeGreaterThan(0);
    expect(process.memoryUsage().rss).toBeLessThan(1024 * 1024 * 1024);
  });
});
