/**
 * React binding of RingIndex: the matches of `predicate` in the latest ring,
 * updated in O(batch) per render. A new predicate scans the history in time
 * slices (the first one inside the render, so cheap filters answer at once;
 * the rest in later tasks, each followed by a render showing more matches),
 * so no filter change blocks the main thread for long.
 */
import { useEffect, useMemo, useState } from 'react';
import type { Ring } from '../stores/ring';
import { RingIndex, type RingIndexView } from '../stores/ring-index';

/** Scan budget inside a render and per later slice. */
const RENDER_SLICE_MS = 8;
const IDLE_SLICE_MS = 12;

/**
 * `latest` must return the store's current ring: rings are mutated in place,
 * so a slice run after the store moved on must not read an older wrapper.
 */
export function useRingIndex<T>(ring: Ring<T>, predicate: ((item: T) => boolean) | null, latest: () => Ring<T>): RingIndexView<T> | null {
  const index = useMemo(() => (predicate ? new RingIndex(predicate) : null), [predicate]);
  const [tick, setTick] = useState(0);
  const view = useMemo(() => {
    if (!index) return null;
    index.sync(latest());
    if (!index.complete) index.runFor(RENDER_SLICE_MS);
    return index.view();
    // `ring` and `tick` are the triggers; the data comes from latest().
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [index, ring, tick]);

  const pending = !!view && !view.complete;
  useEffect(() => {
    if (!index || !pending) return;
    const timer = setTimeout(() => {
      index.sync(latest());
      index.runFor(IDLE_SLICE_MS);
      setTick((t) => t + 1);
    }, 0);
    return () => clearTimeout(timer);
  }, [index, pending, tick, latest]);

  return view;
}
