/**
 * A ring of records bounded by count and by bytes (the caller says how many
 * bytes each record costs). Oldest records are evicted first; the number
 * evicted is returned so counters stay exact. Records carry increasing `seq`
 * numbers, so lookup by seq is a binary search.
 */
export class BoundedHistory<T extends { seq: number }> {
  private items: (T | undefined)[];
  private costs: Float64Array;
  private head = 0;
  private count = 0;
  private bytesUsed = 0;

  constructor(
    private readonly maxCount: number,
    private readonly maxBytes: number,
  ) {
    const cap = Math.max(1, Math.floor(maxCount));
    this.items = new Array<T | undefined>(cap);
    this.costs = new Float64Array(cap);
  }

  get size(): number {
    return this.count;
  }

  get bytes(): number {
    return this.bytesUsed;
  }

  /** Adds a record; returns how many old records were evicted to make room. */
  push(item: T, cost: number): number {
    let evicted = 0;
    const cap = this.items.length;
    while (this.count > 0 && (this.count >= cap || this.bytesUsed + cost > this.maxBytes)) {
      this.shift();
      evicted++;
    }
    const idx = (this.head + this.count) % cap;
    this.items[idx] = item;
    this.costs[idx] = cost;
    this.count++;
    this.bytesUsed += cost;
    return evicted;
  }

  private shift(): void {
    this.bytesUsed -= this.costs[this.head];
    this.items[this.head] = undefined;
    this.head = (this.head + 1) % this.items.length;
    this.count--;
  }

  at(i: number): T {
    return this.items[(this.head + i) % this.items.length] as T;
  }

  find(seq: number): T | undefined {
    let lo = 0;
    let hi = this.count - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const s = this.at(mid).seq;
      if (s === seq) return this.at(mid);
      if (s < seq) lo = mid + 1;
      else hi = mid - 1;
    }
    return undefined;
  }

  toArray<R>(map: (item: T) => R): R[] {
    const out: R[] = new Array(this.count);
    for (let i = 0; i < this.count; i++) out[i] = map(this.at(i));
    return out;
  }

  clear(): void {
    this.items = new Array<T | undefined>(this.items.length);
    this.costs.fill(0);
    this.head = 0;
    this.count = 0;
    this.bytesUsed = 0;
  }
}
