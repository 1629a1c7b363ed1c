import { describe, expect, it } from 'vitest';
import { createRing, newerThan, ringFrom, ringGet, ringPush, ringToArray } from '../../renderer/src/stores/ring';

describe('ring', () => {
  it('keeps the newest items up to capacity, oldest first', () => {
    let r = createRing<number>(3);
    r = ringPush(r, [1, 2]);
    expect(ringToArray(r)).toEqual([1, 2]);
    r = ringPush(r, [3, 4, 5]);
    expect(ringToArray(r)).toEqual([3, 4, 5]);
    expect(r.total).toBe(5);
    expect(ringGet(r, 0)).toBe(3);
    expect(ringGet(r, 3)).toBeUndefined();
  });

  it('handles a batch larger than the capacity', () => {
    const r = ringFrom(4, Array.from({ length: 10 }, (_, i) => i));
    expect(ringToArray(r)).toEqual([6, 7, 8, 9]);
    expect(r.total).toBe(10);
  });

  it('returns a new wrapper per push and the same one for an empty push', () => {
    const a = createRing<number>(2);
    const b = ringPush(a, [1]);
    expect(b).not.toBe(a);
    expect(ringPush(b, [])).toBe(b);
  });

  it('rejects a bad capacity', () => {
    expect(() => createRing(0)).toThrow(/positive integer/);
  });

  it('newerThan drops items already in the ring by seq', () => {
    const r = ringFrom(10, [{ seq: 1 }, { seq: 2 }]);
    expect(newerThan(r, [{ seq: 2 }, { seq: 3 }]).map((x) => x.seq)).toEqual([3]);
    const fresh = [{ seq: 5 }];
    expect(newerThan(r, fresh)).toBe(fresh);
  });
});
