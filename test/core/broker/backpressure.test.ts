/**
 * Output backpressure (electron/core/broker/flow-control.ts): a fast publisher
 * slows to the pace of a healthy subscriber instead of losing its QoS 0
 * messages, and a subscriber that stops reading holds publishers for at most
 * the stall timeout.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { MqttClient } from 'mqtt';
import { cleanup, connectClient, gen, rawConnect, startBroker, subscribe, uid, waitFor, waitPackets } from './helpers';

afterEach(cleanup);

/** Publishes `count` QoS 0 messages keeping at most `window` unwritten (as the benchmark's publisher does). */
function publishQos0(client: MqttClient, topic: string, count: number, payload: (i: number) => Buffer, window = 1000): Promise<void> {
  return new Promise((resolve, reject) => {
    let sent = 0;
    let done = 0;
    let scheduled = false;
    const pump = (): void => {
      while (sent < count && sent - done < window) {
        client.publish(topic, payload(sent++), { qos: 0 }, (err) => {
          if (err) return reject(err);
          if (++done === count) resolve();
          else if (!scheduled) {
            scheduled = true;
            setImmediate(() => {
              scheduled = false;
              pump();
            });
          }
        });
      }
    };
    pump();
  });
}

describe('output backpressure', () => {
  it('1→1 QoS 0, 200k messages at full speed to a normal MQTT.js subscriber: none lost (small output limit)', async () => {
    // The smallest allowed limit: without backpressure (drop past the limit) this loses messages at once.
    const b = await startBroker({ outputBufferLimit: 65536 });
    const sub = await connectClient(b.url, { clientId: uid('s') });
    let got = 0;
    let inOrder = true;
    sub.client.on('message', (_t, payload) => {
      if (payload.readUInt32BE(0) !== got) inOrder = false;
      got++;
    });
    await subscribe(sub.client, 'bp/t', { qos: 0 });
    const pub = await connectClient(b.url, { clientId: uid('p') });
    const n = 200_000;
    const t0 = Date.now();
    await publishQos0(pub.client, 'bp/t', n, (i) => {
      const payload = Buffer.alloc(64, 0x61);
      payload.writeUInt32BE(i, 0);
      return payload;
    });
    await waitFor(() => got === n || b.broker.status().counters.dropped > 0, 20_000, 'all deliveries');
    expect(b.broker.status().counters.dropped).toBe(0);
    expect(got).toBe(n);
    expect(inOrder).toBe(true);
    expect(Date.now() - t0).toBeLessThan(20_000);
  }, 30_000);

  it('a subscriber that never reads holds the publisher at most stallTimeout: the healthy subscriber still gets everything', async () => {
    const b = await startBroker({ outputBufferLimit: 65536, stallTimeout: 1 });
    const stuckId = uid('stuck');
    const raw = await rawConnect(b.port);
    raw.socket.write(gen({ cmd: 'connect', clientId: stuckId, clean: true, keepalive: 0, protocolId: 'MQTT', protocolVersion: 4 }));
    raw.socket.write(gen({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: 'bp/t', qos: 0 }] }));
    await waitPackets(raw, (p) => p.some((x) => x.cmd === 'suback'));
    raw.socket.pause(); // never reads again
    const healthy = await connectClient(b.url, { clientId: uid('ok') });
    let got = 0;
    healthy.client.on('message', () => got++);
    await subscribe(healthy.client, 'bp/t', { qos: 0 });
    const pub = await connectClient(b.url, { clientId: uid('p') });
    const n = 20_000;
    const t0 = Date.now();
    // 1 KB each: 20 MB, far more than the socket buffers of a client that reads nothing.
    await publishQos0(pub.client, 'bp/t', n, () => Buffer.alloc(1024, 0x62));
    await waitFor(() => got === n, 15_000, 'healthy subscriber got everything');
    // Held for about the stall timeout (then the stuck client was cut off), not for ever.
    expect(Date.now() - t0).toBeLessThan(12_000);
    await waitFor(() => b.events.some((e) => e.kind === 'client-disconnected' && e.clientId === stuckId && /output buffer/.test(e.reason ?? '')), 5000, 'stuck client cut off');
  }, 30_000);

  it('a slow but reading subscriber that holds the publisher past stallTimeout is shed: its QoS 0 drops are counted as slow-subscriber', async () => {
    const b = await startBroker({ outputBufferLimit: 65536, stallTimeout: 1 });
    const slowId = uid('slow');
    const raw = await rawConnect(b.port);
    raw.socket.write(gen({ cmd: 'connect', clientId: slowId, clean: true, keepalive: 0, protocolId: 'MQTT', protocolVersion: 4 }));
    raw.socket.write(gen({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: 'bp/t', qos: 0 }] }));
    await waitPackets(raw, (p) => p.some((x) => x.cmd === 'suback'));
    // Reads 4 KB every 20 ms (about 200 KB/s): always some progress, far slower than the publisher.
    raw.socket.pause();
    const reader = setInterval(() => raw.socket.read(4096), 20);
    try {
      const healthy = await connectClient(b.url, { clientId: uid('ok') });
      let got = 0;
      healthy.client.on('message', () => got++);
      await subscribe(healthy.client, 'bp/t', { qos: 0 });
      const pub = await connectClient(b.url, { clientId: uid('p') });
      const n = 20_000;
      await publishQos0(pub.client, 'bp/t', n, () => Buffer.alloc(1024, 0x63));
      await waitFor(() => got === n, 20_000, 'healthy subscriber got everything');
      await new Promise((r) => setTimeout(r, 100)); // events arrive in 50 ms batches
      const drops = b.events.filter((e) => e.kind === 'message-dropped' && e.clientId === slowId);
      const cut = b.events.some((e) => e.kind === 'client-disconnected' && e.clientId === slowId);
      // Either shed (drops counted, reason slow-subscriber) or, if the OS showed no progress, cut off: never silent.
      expect(drops.length > 0 || cut).toBe(true);
      for (const d of drops) expect(d.reason).toBe('slow-subscriber');
      expect(b.broker.status().counters.dropped).toBeGreaterThanOrEqual(drops.length);
    } finally {
      clearInterval(reader);
    }
  }, 30_000);
});
