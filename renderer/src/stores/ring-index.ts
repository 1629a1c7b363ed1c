/**
 * The items of a ring that match a predicate, kept up to date incrementally.
 * Re-filtering a 50k history on every batch was the biggest per-batch cost of
 * the message list; here a batch costs O(new items + evicted matches).
 *
 * Matches are stored as absolute positions (the ring's push count at the time
 * the item was pushed), so evictions never renumber them. A new predicate
 * starts an index that scans the existing history backwards, newest first, in
 * slices (`step`), while new items keep being matched as they arrive; the
 * newest matches (what a pinned list shows) are therefore available first.
 * Two stacks make that a deque: `older` holds the backward-scan results in
 * descending order, `newer` the forward results in ascending order.
 */
import { ringGet, type Ring } from './ring';

export interface RingIndexView<T> {
  /** The ring the view was built against (the latest one seen). */
  readonly ring: Ring<T>;
  readonly count: number;
  /** False while the backward scan of the history is still running. */
  readonly complete: boolean;
  /**
   * Matches added at the front minus matches evicted from the front, negated:
   * it grows by one per evicted match and shrinks by one per match the scan
   * prepends. A list anchors its scroll position on the change of this value.
   */
  readonly origin: number;
  /** Ring index (0 = oldest kept item) of the i-th match, oldest first. */
  ringIndex(i: number): number;
  get(i: number): T;
}

/** Compact the forward stack once this many dead slots sit before its head. */
const COMPACT_AT = 4096;

export class RingIndex<T> {
  private buf: T[] | null = null;
  private ring: Ring<T> | null = null;
  /** Positions below `seen` have been looked at by the forward pass. */
  private seen = 0;
  /** The backward scan still has to look at [oldest, low). */
  private low = 0;
  private older: number[] = [];
  private newer: number[] = [];
  private newerHead = 0;
  private originCount = 0;

  constructor(private readonly predicate: (item: T) => boolean) {}

  /** Brings the index up to `ring` (a newer wrapper of the same ring, or a replacement after a reset/load). */
  sync(ring: Ring<T>): void {
    if (ring.buf !== this.buf || ring.capacity !== this.ring?.capacity) return this.restart(ring);
    if (ring.total < this.seen) return; // a stale wrapper (rendered late): the index is already newer
    const oldest = ring.total - ring.size;
    while (this.older.length && this.older[this.older.length - 1] < oldest) {
      this.older.pop();
      this.originCount++;
    }
    while (this.newerHead < this.newer.length && this.newer[this.newerHead] < oldest) {
      this.newerHead++;
      this.originCount++;
    }
    if (this.newerHead >= COMPACT_AT && this.newerHead * 2 >= this.newer.length) {
      this.newer = this.newer.slice(this.newerHead);
      this.newerHead = 0;
    }
    if (this.low < oldest) this.low = oldest;
    for (let p = Math.max(this.seen, oldest); p < ring.total; p++) if (this.predicate(ringGet(ring, p - oldest)!)) this.newer.push(p);
    this.seen = ring.total;
    this.ring = ring;
  }

  /** Scans up to `maxItems` more of the older history; true when the whole history has been scanned. */
  step(maxItems: number): boolean {
    const ring = this.ring;
    if (!ring) return true;
    const oldest = ring.total - ring.size;
    const stop = Math.max(oldest, this.low - maxItems);
    for (let p = this.low - 1; p >= stop; p--) {
      if (this.predicate(ringGet(ring, p - oldest)!)) {
        this.older.push(p);
        this.originCount--;
      }
    }
    this.low = stop;
    return this.complete;
  }

  /** Scans until done or until `budgetMs` has passed. */
  runFor(budgetMs: number, now: () => number = () => performance.now()): boolean {
    const deadline = now() + budgetMs;
    while (!this.step(1024)) if (now() >= deadline) return false;
    return true;
  }

  get complete(): boolean {
    return !this.ring || this.low <= this.ring.total - this.ring.size;
  }

  get count(): number {
    return this.older.length + this.newer.length - this.newerHead;
  }

  /** A snapshot for rendering; read it before the next sync/step. */
  view(): RingIndexView<T> {
    const ring = this.ring!;
    const { older, newer, newerHead } = this;
    const olderLen = older.length;
    const count = this.count;
    const oldest = ring.total - ring.size;
    const ringIndex = (i: number) => (i < olderLen ? older[olderLen - 1 - i] : newer[newerHead + i - olderLen]) - oldest;
    return { ring, count, complete: this.complete, origin: this.originCount, ringIndex, get: (i) => ringGet(ring, ringIndex(i))! };
  }

  private restart(ring: Ring<T>): void {
    this.buf = ring.buf;
    this.ring = ring;
    this.seen = ring.total;
    this.low = ring.total;
    this.older = [];
    this.newer = [];
    this.newerHead = 0;
    this.originCount = 0;
  }
}

/** The same result by a full pass, oldest first (tests compare the two). */
export function ringFilterAll<T>(ring: Ring<T>, predicate: (item: T) => boolean): number[] {
  const out: number[] = [];
  for (let i = 0; i < ring.size; i++) if (predicate(ringGet(ring, i)!)) out.push(i);
  return out;
}
