/** Short kill -9 soak (3 cycles): acknowledged QoS 1/2 messages survive broker crashes; `npm run soak` runs the long one. */
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runKill9Soak } from '../../soak/kill9-soak';

const root = join(fileURLToPath(new URL('.', import.meta.url)), '..', '..', '..');

describe('kill -9 soak (short)', () => {
  it('3 kill -9 cycles under QoS 1 + QoS 2 load: nothing acknowledged lost, no QoS 2 duplicate, sessions back with their expiry', async () => {
    const r = await runKill9Soak({ cycles: 3, seed: 7, rate: 800, minUpMs: 400, maxUpMs: 1200, root });
    expect(r.acknowledged.qos1).toBeGreaterThan(100);
    expect(r.acknowledged.qos2).toBeGreaterThan(100);
    expect(r.errors).toEqual([]);
    for (const s of r.subscribers) {
      expect(s, s.name).toMatchObject({ lost: 0, duplicatesQos2: 0, sessionPresentMisses: 0, expiryOk: true });
    }
  }, 60000);
});
