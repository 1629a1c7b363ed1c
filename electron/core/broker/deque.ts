/**
 * Growable ring buffer: O(1) push/shift at both ends without the O(n)
 * Array.prototype.shift that would make draining a 100k offline queue quadratic.
 */
export class Deque<T> {
  private buf: (T | undefined)[];
  private head = 0;
  private len = 0;

  constructor(initialCapacity = 4) {
    this.buf = new Array(initialCapacity);
  }

  get length(): number {
    return this.len;
  }

  push(item: T): void {
    if (this.len === this.buf.length) this.grow();
    this.buf[(this.head + this.len) % this.buf.length] = item;
    this.len++;
  }

  unshift(item: T): void {
    if (this.len === this.buf.length) this.grow();
    this.head = (this.head - 1 + this.buf.length) % this.buf.length;
    this.buf[this.head] = item;
    this.len++;
  }

  shift(): T | undefined {
    if (this.len === 0) return undefined;
    const item = this.buf[this.head];
    this.buf[this.head] = undefined;
    this.head = (this.head + 1) % this.buf.length;
    this.len--;
    if (this.len === 0) this.head = 0;
    return item;
  }

  peek(): T | undefined {
    return this.len === 0 ? undefined : this.buf[this.head];
  }

  at(i: number): T | undefined {
    if (i < 0 || i >= this.len) return undefined;
    return this.buf[(this.head + i) % this.buf.length];
  }

  clear(): void {
    this.buf = new Array(4);
    this.head = 0;
    this.len = 0;
  }

  /** Keeps only items for which `keep` returns true (O(n), for rare sweeps). */
  filter(keep: (item: T) => boolean): number {
    const kept: T[] = [];
    for (let i = 0; i < this.len; i++) {
      const item = this.buf[(this.head + i) % this.buf.length] as T;
      if (keep(item)) kept.push(item);
    }
    const removed = this.len - kept.length;
    if (removed > 0) {
      this.buf = kept.length >= 4 ? kept : [...kept, ...new Array(4 - kept.length)];
      this.head = 0;
      this.len = kept.length;
      if (this.buf.length === this.len) this.grow();
    }
    return removed;
  }

  *[Symbol.iterator](): IterableIterator<T> {
    for (let i = 0; i < this.len; i++) yield this.buf[(this.head + i) % this.buf.length] as T;
  }

  private grow(): void {
    const next = new Array<T | undefined>(Math.max(4, this.buf.length * 2));
    for (let i = 0; i < this.len; i++) next[i] = this.buf[(this.head + i) % this.buf.length];
    this.buf = next;
    this.head = 0;
  }
}
