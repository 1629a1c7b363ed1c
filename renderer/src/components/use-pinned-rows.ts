/**
 * Virtualization for long fixed-height lists that grow at the bottom and lose
 * rows at the top (bounded histories): which rows to render, pinned to the
 * newest row unless the user scrolls up, and anchored while scrolled up so the
 * rows under the reader do not move when old rows are evicted.
 *
 * Why not a general virtualizer: with a fixed row height every position is
 * arithmetic, so pinning needs no layout reads (a general one read
 * scrollHeight on every batch, 8–11 % of the renderer's time at 10k msg/s),
 * and the rendered range is derived from the row count during the render
 * itself, so a new batch costs one render and at most one scrollTop write.
 */
import { useCallback, useLayoutEffect, useRef, useState, type UIEvent } from 'react';

export interface PinnedRowsOptions {
  count: number;
  rowHeight: number;
  overscan?: number;
  /**
   * Rows removed from the top minus rows added at the top, cumulative (e.g.
   * items evicted from the history). Its change moves the scroll position so
   * the visible rows stay put.
   */
  origin: number;
  /** Changes when the row source changes (another filter): origins are then not comparable. */
  sourceKey: unknown;
}

export interface PinnedRows {
  scrollRef: (el: HTMLDivElement | null) => void;
  onScroll: (e: UIEvent<HTMLDivElement>) => void;
  /** Rows [start, end) to render; row i sits at i * rowHeight. */
  start: number;
  end: number;
  totalHeight: number;
  pinned: boolean;
  setPinned: (pinned: boolean) => void;
  /** Scrolls the minimum to show row i (keyboard navigation). */
  scrollToIndex: (i: number) => void;
  /**
   * React key for row i: its position modulo the window size. A row keeps its
   * key while it stays in the window (also across evictions, via the origin),
   * and a row that enters takes the key of one that left, so under load React
   * updates a few recycled elements instead of unmounting and mounting every
   * visible row on every frame.
   */
  keyOf: (i: number) => number;
}

interface Anchor {
  /** First visible row when it was measured, and the origin and source it was measured in. */
  row: number;
  origin: number;
  key: unknown;
}

export function usePinnedRows({ count, rowHeight: h, overscan = 10, origin, sourceKey }: PinnedRowsOptions): PinnedRows {
  const [viewport, setViewport] = useState(600);
  const [pinned, setPinnedState] = useState(true);
  // The scroll handler updates this at once; the state follows with React's scheduling. Effects trust the ref,
  // so a batch committed between a user's scroll and its re-render never yanks the list back to the bottom.
  const pinnedRef = useRef(true);
  const [anchor, setAnchor] = useState<Anchor>({ row: 0, origin, key: sourceKey });
  const latest = useRef({ origin, sourceKey, viewport });
  latest.current = { origin, sourceKey, viewport };

  const elRef = useRef<HTMLDivElement | null>(null);
  const setPinned = useCallback(
    (p: boolean) => {
      pinnedRef.current = p;
      setPinnedState(p);
      // Unpinned rows come from the anchor: start it where the list is now, not where the user last scrolled.
      const el = elRef.current;
      if (!p && el) {
        const { origin: o, sourceKey: key } = latest.current;
        setAnchor({ row: Math.floor(el.scrollTop / h), origin: o, key });
      }
    },
    [h],
  );

  const visibleRows = Math.ceil(viewport / h) + 1;
  let first: number;
  if (pinned) first = Math.floor(Math.max(0, count * h - viewport) / h);
  // A row's index plus the origin is stable while rows are evicted above it.
  else first = anchor.key === sourceKey ? anchor.row + anchor.origin - origin : anchor.row;
  first = Math.max(0, Math.min(first, count - 1));
  const start = Math.max(0, first - overscan);
  const end = Math.min(count, first + visibleRows + overscan);
  const slots = visibleRows + 2 * overscan + 1;
  const keyOf = (i: number) => (((i + origin) % slots) + slots) % slots;

  /** The last scrollTop we wrote while pinned (-1: none), and the source it was written for. */
  const written = useRef<{ top: number; origin: number; key: unknown }>({ top: -1, origin, key: sourceKey });
  // A callback ref: the scroll element may mount after the hook (an empty state shown first).
  const observer = useRef<ResizeObserver | null>(null);
  const scrollRef = useCallback((el: HTMLDivElement | null) => {
    observer.current?.disconnect();
    observer.current = null;
    elRef.current = el;
    written.current.top = -1;
    if (!el) return;
    setViewport(el.clientHeight || 600);
    observer.current = new ResizeObserver(() => setViewport(el.clientHeight || 600));
    observer.current.observe(el);
  }, []);

  // Pin or anchor after each commit: at most one scrollTop write, and none when nothing moved.
  useLayoutEffect(() => {
    const el = elRef.current;
    const prev = written.current;
    written.current = { top: prev.top, origin, key: sourceKey };
    if (!el) return;
    if (pinnedRef.current) {
      const top = Math.max(0, count * h - viewport);
      if (top !== prev.top) {
        el.scrollTop = top;
        written.current.top = top;
      }
    } else if (prev.key === sourceKey && origin !== prev.origin) {
      el.scrollTop = Math.max(0, el.scrollTop - (origin - prev.origin) * h);
      written.current.top = -1;
    }
  }, [count, origin, sourceKey, viewport, pinned, h]);

  const onScroll = useCallback(
    (e: UIEvent<HTMLDivElement>) => {
      const el = e.currentTarget;
      const top = el.scrollTop;
      // Our own pinning write (the common case under load): nothing to do, and no layout read.
      if (pinnedRef.current && top === written.current.top) return;
      const { origin: o, sourceKey: key } = latest.current;
      const atBottom = top + el.clientHeight >= el.scrollHeight - h;
      if (atBottom) {
        if (!pinnedRef.current) setPinned(true);
        return;
      }
      if (pinnedRef.current) setPinned(false);
      written.current.top = -1;
      const row = Math.floor(top / h);
      setAnchor((a) => (a.key === key && a.row + a.origin === row + o ? a : { row, origin: o, key }));
    },
    [h, setPinned],
  );

  const scrollToIndex = useCallback(
    (i: number) => {
      const el = elRef.current;
      if (!el) return;
      const top = i * h;
      const vh = latest.current.viewport;
      if (top < el.scrollTop) el.scrollTop = top;
      else if (top + h > el.scrollTop + vh) el.scrollTop = top + h - vh;
    },
    [h],
  );

  return { scrollRef, onScroll, start, end, totalHeight: count * h, pinned, setPinned, scrollToIndex, keyOf };
}
