import { describe, expect, it } from 'vitest';
import type { DeliveryLabel, MessageRecord } from '../../shared/connection';
import { filterIndices, messageMatcher, NO_FILTER, type MessageFilter } from '../../renderer/src/features/messages/message-filter';
import { createRing, ringGet, ringPush, type Ring } from '../../renderer/src/stores/ring';
import { RingIndex, ringFilterAll, type RingIndexView } from '../../renderer/src/stores/ring-index';
import { message } from './fixtures';

/** Small deterministic PRNG so a failure can be replayed from its seed. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const LABELS: DeliveryLabel[] = ['live', 'queued', 'redelivered', 'retained', 'sent'];
const WORDS = ['alpha', 'Beta', 'gamma', 'NEEDLE', 'x y', 'ünï', '#12 '];

function randomMessage(seq: number, r: () => number): MessageRecord {
  const pick = <T>(a: readonly T[]) => a[Math.floor(r() * a.length)];
  const text = `${pick(WORDS)} ${seq} ${pick(WORDS)}`;
  const binary = r() < 0.1;
  const bytes = binary ? String.fromCharCode(0, 1, 2, Math.floor(r() * 256)) : unescape(encodeURIComponent(text));
  return message(seq, {
    dir: r() < 0.7 ? 'in' : 'out',
    label: pick(LABELS),
    topic: `${pick(['home', 'office', 'Lab'])}/${pick(['kitchen', 'hall', 'x'])}/${pick(['temp', 'hum'])}`,
    payloadBase64: btoa(bytes),
    payloadSize: r() < 0.05 ? 0 : bytes.length,
  });
}

function randomFilter(r: () => number): MessageFilter {
  const pick = <T>(a: readonly T[]) => a[Math.floor(r() * a.length)];
  return {
    dir: pick(['all', 'all', 'in', 'out'] as const),
    topic: pick(['', '', 'home/+/temp', '#', 'kitchen', 'Lab/#', '+/x/+', 'a/#/b']),
    label: pick(['all', 'all', ...LABELS] as const),
    text: pick(['', '', 'needle', 'BETA', ' 1', 'ünï', '0x', '(empty)', '#12 ']),
  };
}

const viewIndices = <T>(v: RingIndexView<T>) => Array.from({ length: v.count }, (_, i) => v.ringIndex(i));

describe('RingIndex (incremental filter)', () => {
  it('equals a full recompute after every batch, with evictions, scans in slices and resets (random data)', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const r = rng(seed);
      const capacity = 1 + Math.floor(r() * 300);
      let ring: Ring<MessageRecord> = createRing(capacity);
      let seq = 0;
      // Some history exists before the filter is set: it is scanned backwards in slices.
      ring = ringPush(ring, Array.from({ length: Math.floor(r() * 2 * capacity) }, () => randomMessage(++seq, r)));
      const filter = randomFilter(r);
      const predicate = messageMatcher(filter);
      const index = new RingIndex(predicate);
      index.sync(ring);
      let lastOrigin = index.view().origin;
      for (let batch = 0; batch < 60; batch++) {
        const action = r();
        if (action < 0.05) ring = createRing(capacity); // history cleared
        else {
          const n = Math.floor(r() * (r() < 0.1 ? 2 * capacity : 20));
          ring = ringPush(ring, Array.from({ length: n }, () => randomMessage(++seq, r)));
        }
        index.sync(ring);
        if (r() < 0.6) index.step(1 + Math.floor(r() * 50));
        const view = index.view();
        const full = ringFilterAll(ring, predicate);
        if (view.complete) expect(viewIndices(view), `seed ${seed} batch ${batch}`).toEqual(full);
        else {
          // While scanning, the view is the newest part of the full result.
          const shown = viewIndices(view);
          expect(shown, `seed ${seed} batch ${batch} (partial)`).toEqual(full.slice(full.length - shown.length));
        }
        for (let i = 0; i < view.count; i++) expect(view.get(i)).toBe(ringGet(ring, view.ringIndex(i)));
        expect(Number.isInteger(view.origin - lastOrigin)).toBe(true);
        lastOrigin = view.origin;
      }
      while (!index.step(7));
      expect(viewIndices(index.view()), `seed ${seed} final`).toEqual(ringFilterAll(ring, predicate));
      expect(viewIndices(index.view())).toEqual(filterIndices(ring, filter) ?? ringFilterAll(ring, () => true));
    }
  });

  it('moves its origin by the matches evicted from the front and prepended by the scan', () => {
    const even = (m: MessageRecord) => m.seq % 2 === 0;
    let ring = ringPush(createRing<MessageRecord>(10), Array.from({ length: 10 }, (_, i) => message(i + 1)));
    const index = new RingIndex(even);
    index.sync(ring);
    expect(index.view().count).toBe(0);
    index.step(4); // seqs 10..7: 10 and 8 match
    expect(index.view().origin).toBe(-2);
    expect(index.view().complete).toBe(false);
    expect(index.step(100)).toBe(true);
    expect(index.view().origin).toBe(-5);
    ring = ringPush(ring, [message(11), message(12), message(13), message(14)]); // evicts 1..4: 2 and 4 matched
    index.sync(ring);
    const v = index.view();
    expect(v.origin).toBe(-3);
    expect(Array.from({ length: v.count }, (_, i) => v.get(i).seq)).toEqual([6, 8, 10, 12, 14]);
  });

  it('ignores a stale ring wrapper and restarts on a replaced ring', () => {
    const all = () => true;
    const r1 = ringPush(createRing<MessageRecord>(5), [message(1), message(2)]);
    const r2 = ringPush(r1, [message(3)]);
    const index = new RingIndex<MessageRecord>(all);
    index.sync(r2);
    index.step(10);
    index.sync(r1); // rendered late: must not go back
    expect(index.view().count).toBe(3);
    const fresh = ringPush(createRing<MessageRecord>(5), [message(9)]);
    index.sync(fresh);
    expect(index.view().count).toBe(0);
    index.step(10);
    expect(index.view().get(0).seq).toBe(9);
    expect(index.view().origin).toBe(-1);
  });

  it('keeps memory bounded by the ring: compacts the forward list as matches are evicted', () => {
    const index = new RingIndex<MessageRecord>(() => true);
    let ring = createRing<MessageRecord>(100);
    index.sync(ring);
    for (let i = 0; i < 2000; i++) {
      ring = ringPush(ring, Array.from({ length: 50 }, (_, k) => message(i * 50 + k)));
      index.sync(ring);
    }
    const internal = index as unknown as { newer: number[]; older: number[] };
    expect(index.view().count).toBe(100);
    expect(internal.newer.length + internal.older.length).toBeLessThan(100 + 2 * 4096 + 100);
  });

  it('text filter matches what the full pass matches, with the decoded text cached', () => {
    const ring = ringPush(createRing<MessageRecord>(50), [message(1, { payloadBase64: btoa('Hello NEEDLE') }), message(2)]);
    const index = new RingIndex(messageMatcher({ ...NO_FILTER, text: 'needle' }));
    index.sync(ring);
    index.step(100);
    expect(viewIndices(index.view())).toEqual([0]);
  });
});
