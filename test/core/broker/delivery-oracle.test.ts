/**
 * The delivery-origin oracle under load: the embedded broker records only the
 * QoS 0 deliveries that were not live (retained, queued), so at any rate an
 * engine connection labels live QoS 0 messages 'live' from the broker's
 * answer, never from inference because a record was evicted.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ConnectionManager } from '../../../electron/core/client';
import type { MessageRecord } from '../../../shared/connection';
import { makeProfile, waitFor as waitSnapshot } from '../client/fixtures';
import { cleanup, connectClient, publish, startBroker, uid, waitFor } from './helpers';

let mgr: ConnectionManager | null = null;
afterEach(async () => {
  await mgr?.closeAll();
  mgr = null;
  await cleanup();
});

describe('delivery oracle (originOf) under load', () => {
  it('20k QoS 0 messages at full speed to an engine connection: all labelled live by the broker; a retained one first is labelled retained', async () => {
    const b = await startBroker();
    const topic = `oracle/${uid('t')}`;
    const pub = await connectClient(b.url, { clientId: uid('p') });
    await publish(pub.client, topic, 'retained-first', { qos: 0, retain: true });

    mgr = new ConnectionManager({ oracle: b.broker, isEmbeddedBroker: (_h, port) => port === b.port, batchIntervalMs: 20 });
    const labels = new Map<string, number>();
    let got = 0;
    let firstIn: MessageRecord | null = null;
    mgr.onUpdate((updates) => {
      for (const u of updates) {
        for (const m of u.messages ?? []) {
          if (m.dir !== 'in') continue;
          firstIn ??= m;
          got++;
          const key = `${m.label}/${m.labelSource}`;
          labels.set(key, (labels.get(key) ?? 0) + 1);
        }
      }
    });
    const sub = makeProfile(b.port, { mqttVersion: '3.1.1' });
    expect((await mgr.connect(sub)).status).toBe('connected');
    await mgr.subscribe(sub.id, { topic, qos: 0, noLocal: false, retainAsPublished: false, retainHandling: 0 });
    await waitSnapshot(mgr, sub.id, (s) => s.subscriptions[0]?.status === 'granted', 'SUBACK');
    await waitFor(() => got === 1, 5000, 'the retained message');
    expect(firstIn).toMatchObject({ label: 'retained', labelSource: 'broker' });

    const n = 20_000;
    const payload = Buffer.alloc(64, 0x61);
    await new Promise<void>((resolve, reject) => {
      let sent = 0;
      let done = 0;
      let scheduled = false;
      const pump = (): void => {
        while (sent < n && sent - done < 1000) {
          sent++;
          pub.client.publish(topic, payload, { qos: 0 }, (err) => {
            if (err) return reject(err);
            if (++done === n) resolve();
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
    await waitFor(() => got === n + 1, 20_000, `${n} live messages`);
    expect(b.broker.status().counters.dropped).toBe(0);
    expect(Object.fromEntries(labels)).toEqual({ 'retained/broker': 1, 'live/broker': n });
  }, 30_000);
});
