/** Scaled-down connection load (500 persistent sessions, 2 client processes); `npx tsx test/soak/connections.ts` runs 5,000. */
import { describe, expect, it } from 'vitest';
import { runConnectionLoad } from '../../soak/connections';

describe('connection load (short)', () => {
  it('500 persistent sessions: queues filled offline stay at the limit, overflow counted, all resumed and drained', async () => {
    const r = await runConnectionLoad({ connections: 500, processes: 2, sharedMessages: 10, ownMessages: 10, overflowMessages: 10, queueLimit: 25 });
    expect(r.errors).toEqual([]);
    expect(r.queued).toBe(500 * 25);
    expect(r.overflowCounted).toBe(500 * 5);
    expect(r.droppedCounter).toBeGreaterThanOrEqual(500 * 5);
    expect(r.sessionPresent).toBe(500);
    expect(r.short).toBe(0);
    expect(r.perQueuedOwnB).toBeLessThan(2048);
  }, 60000);
});
