/**
 * Slow and stuck clients cannot make the broker's memory grow without bound:
 * a subscriber that never reads is cut off at the output buffer limit (its
 * session kept, later messages queued offline up to the queue limit, drops
 * counted), and a client that stops in the middle of a packet is timed out.
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { killChildren, spawnBroker } from './child-broker';
import { cleanup, connectClient, connectPacket, gen, packet, parsePackets, publish, rawConnect, sleep, startBroker, str, uid, waitFor, waitPackets } from './helpers';

afterEach(async () => {
  await cleanup();
  await killChildren();
});

function rssKb(pid: number): number {
  const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) : 0;
}

describe('slow and stuck clients', () => {
  it('a subscriber that never reads: broker RSS stays bounded while 192 MB are published at it; session kept, overflow counted', async () => {
    const queueLimit = 20;
    const b = await spawnBroker('-', 0, { settings: { outputBufferLimit: 1024 * 1024, maxQueuedMessages: queueLimit, stallTimeout: 1 } });
    const id = uid('stuck');
    const raw = await rawConnect(b.port);
    raw.socket.write(gen({ cmd: 'connect', clientId: id, clean: false, keepalive: 0, protocolId: 'MQTT', protocolVersion: 4 }));
    raw.socket.write(gen({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: 'big/t', qos: 1 }] }));
    await waitPackets(raw, (p) => p.some((x) => x.cmd === 'suback'));
    raw.socket.pause(); // never reads again
    const rss0 = rssKb(b.child.pid!);
    const p = await connectClient(b.url, { clientId: uid('p') });
    const payload = Buffer.alloc(64 * 1024, 1);
    let peak = rss0;
    for (let k = 0; k < 48; k++) {
      await Promise.all(Array.from({ length: 64 }, () => publish(p.client, 'big/t', payload, { qos: 1 })));
      peak = Math.max(peak, rssKb(b.child.pid!));
    }
    // 3,072 × 64 KB = 192 MB went to a client that reads nothing; the broker held at most ~1 MB of output
    // plus the 20-message queue (1.3 MB), and garbage not collected yet.
    expect(peak - rss0).toBeLessThan(96 * 1024);
    // The session was kept: reconnecting finds it; in-flight messages come back as DUP resends, then
    // exactly queueLimit queued ones (the rest of what arrived while it was offline was dropped and counted).
    raw.socket.destroy();
    const again = await connectClient(b.url, { clientId: id, clean: false });
    expect(again.connack.sessionPresent).toBe(true);
    let n = -1;
    for (let tries = 0; tries < 30 && again.wire.length !== n; tries++) {
      n = again.wire.length;
      await sleep(400);
    }
    expect(again.wire.filter((x) => !x.dup).length).toBe(queueLimit);
    expect(again.wire.filter((x) => x.dup).length).toBeGreaterThan(0);
  }, 30000);

  it('the in-process view: disconnect reason, queue capped, overflow drops counted', async () => {
    const b = await startBroker({ outputBufferLimit: 65536, maxQueuedMessages: 10, stallTimeout: 1 });
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
    expect(b.broker.getSession(id)!.lastDisconnectReason).toMatch(/output buffer/);
    const dropped0 = b.broker.status().counters.dropped;
    for (let i = 0; i < 25; i++) await publish(p.client, 'big/t', `after${i}`, { qos: 1 });
    const s = b.broker.getSession(id)!;
    expect(s.queued).toBe(10);
    expect(s.droppedOverflow).toBeGreaterThanOrEqual(15);
    expect(b.broker.status().counters.dropped - dropped0).toBeGreaterThanOrEqual(15);
  });

  it('a client that sends half a packet and stalls is disconnected after stallTimeout (DISCONNECT 0x81 in 5.0)', async () => {
    const b = await startBroker({ stallTimeout: 1 });
    const raw = await rawConnect(b.port);
    raw.socket.write(gen({ cmd: 'connect', clientId: uid('half'), clean: true, keepalive: 0, protocolId: 'MQTT', protocolVersion: 5 }, 5));
    await waitPackets(raw, (p) => p.some((x) => x.cmd === 'connack'), 5);
    const whole = packet(0x30, Buffer.concat([str('half/t'), Buffer.from([0]), Buffer.alloc(200, 1)]));
    raw.socket.write(whole.subarray(0, 40));
    const t0 = Date.now();
    await raw.waitClosed(5000);
    const elapsed = Date.now() - t0;
    expect(elapsed).toBeGreaterThanOrEqual(900);
    expect(elapsed).toBeLessThan(3000);
    const ps = await waitPackets(raw, (p) => p.some((x) => x.cmd === 'disconnect'), 5);
    expect(ps.find((x) => x.cmd === 'disconnect')).toMatchObject({ reasonCode: 0x81 });
    expect(b.broker.status().counters).toBeDefined();
  });

  it('a packet trickled in a byte at a time (slowloris) is cut off after 6 × stallTimeout', async () => {
    const b = await startBroker({ stallTimeout: 1 });
    const raw = await rawConnect(b.port);
    raw.socket.write(connectPacket(uid('trickle'), { keepalive: 0 }));
    await raw.waitBytes(4);
    const whole = packet(0x30, Buffer.concat([str('slow/t'), Buffer.alloc(500, 1)]));
    let i = 0;
    const t0 = Date.now();
    const timer = setInterval(() => {
      if (!raw.closed() && i < whole.length) raw.socket.write(whole.subarray(i, ++i));
    }, 300);
    try {
      await raw.waitClosed(10000);
    } finally {
      clearInterval(timer);
    }
    expect(Date.now() - t0).toBeGreaterThanOrEqual(5500);
    expect(i).toBeLessThan(whole.length);
  }, 15000);
});
