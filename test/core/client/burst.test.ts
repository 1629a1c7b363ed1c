/**
 * A burst of 100k messages: history stays within its count and byte bounds,
 * counters are exact, updates stay batched, and memory does not grow with
 * the number of messages.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import v8 from 'node:v8';
import vm from 'node:vm';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConnectionManager } from '../../../electron/core/client';
import { startMosquitto, type RunningMosquitto } from '../helpers/mosquitto';
import { makeProfile, waitFor } from './fixtures';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

function memory(): number {
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

const TOTAL = 100_000;
const PAYLOAD = 500;

describe('100k message burst', () => {
  let broker: RunningMosquitto;
  let mgr: ConnectionManager;

  beforeAll(async () => {
    broker = await startMosquitto('max_queued_messages 0\nmax_queued_bytes 0');
    mgr = new ConnectionManager({
      batchIntervalMs: 50,
      limits: { messages: 1000, messageBytes: 256 * 1024, packets: 2000, packetBytes: 512 * 1024, displayPayloadBytes: 64 },
    });
  });
  afterAll(async () => {
    await mgr?.closeAll();
    await broker?.stop();
  });

  it('keeps history bounded and counters exact', async () => {
    const sub = makeProfile(broker.port, { mqttVersion: '5.0' });
    await mgr.connect(sub);
    await mgr.subscribe(sub.id, { topic: 'burst/#', qos: 1, noLocal: false, retainAsPublished: false, retainHandling: 0 });
    await waitFor(mgr, sub.id, (s) => s.subscriptions[0]?.status === 'granted', 'SUBACK');

    let batches = 0;
    let streamed = 0;
    let maxPerBatch = 0;
    let duplicateProfileInBatch = false;
    const off = mgr.onUpdate((updates) => {
      batches++;
      const ids = new Set(updates.map((u) => u.profileId));
      if (ids.size !== updates.length) duplicateProfileInBatch = true;
      for (const u of updates) {
        const n = u.messages?.length ?? 0;
        streamed += n;
        maxPerBatch = Math.max(maxPerBatch, n);
      }
    });

    const before = memory();
    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    // A plain MQTT.js publisher with a sliding window of QoS 1 messages (MQTT.js has no
    // in-flight limit of its own); QoS 1 so the broker drops none and counts can be exact.
    const pub = await mqtt.connectAsync(`mqtt://127.0.0.1:${broker.port}`, { clientId: 'burst-pub' });
    const payload = Buffer.alloc(PAYLOAD, 120);
    let acked = 0;
    let sent = 0;
    await new Promise<void>((resolve, reject) => {
      const pump = () => {
        while (sent - acked < 500 && sent < TOTAL) {
          sent++;
          pub.publish('burst/a', payload, { qos: 1 }, (err) => {
            if (err) return reject(err);
            acked++;
            if (acked === TOTAL) resolve();
            else pump();
          });
        }
      };
      pump();
    });
    const snap = await waitFor(mgr, sub.id, (s) => s.state.counters.messagesIn >= TOTAL, `${TOTAL} messages`, 20_000);
    delay.disable();
    await pub.endAsync();
    await new Promise((r) => setTimeout(r, 120));
    off();
    // Socket buffers still being released can inflate one sample: take the lower of two.
    const first = memory();
    await new Promise((r) => setTimeout(r, 300));
    const grown = Math.min(first, memory()) - before;

    const c = snap.state.counters;
    expect(c.messagesIn).toBe(TOTAL);
    expect(snap.messages.length).toBeLessThanOrEqual(1000);
    expect(c.messagesDroppedFromHistory).toBe(c.messagesIn + c.messagesOut - snap.messages.length);
    expect(c.packetsDroppedFromTimeline).toBe(c.packetsIn + c.packetsOut - snap.packets.length);
    const bytes = mgr.historyBytes(sub.id)!;
    expect(bytes.messages).toBeLessThanOrEqual(256 * 1024);
    expect(bytes.packets).toBeLessThanOrEqual(512 * 1024);
    // Display cap: only 64 bytes travel, the full payload is fetched on demand.
    const last = snap.messages[snap.messages.length - 1];
    expect(last.payloadTruncated).toBe(true);
    expect(Buffer.from(last.payloadBase64, 'base64').length).toBe(64);
    expect(Buffer.from(mgr.messagePayload(sub.id, last.seq)!.base64, 'base64').length).toBe(PAYLOAD);
    // Batched: far fewer update arrays than messages, each at most the history bound, one entry per connection.
    expect(batches).toBeLessThan(TOTAL / 50);
    expect(maxPerBatch).toBeLessThanOrEqual(1000);
    expect(duplicateProfileInBatch).toBe(false);
    expect(streamed).toBeGreaterThan(0);
    // 100k × 500 B = 50 MB of payload went through; what is kept must not scale with it.
    expect(grown, `memory grew ${grown} bytes`).toBeLessThan(30 * 1024 * 1024);
    console.info(`burst: ${batches} batches, memory grew ${(grown / 1048576).toFixed(1)} MB, event-loop delay max ${(delay.max / 1e6).toFixed(0)} ms`);
    await mgr.disconnect({ profileId: sub.id });
  }, 30_000);
});
