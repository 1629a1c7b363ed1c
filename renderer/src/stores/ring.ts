/**
 * A bounded ring buffer for long histories (messages, packets). The backing
 * array is mutated in place and every push returns a new small wrapper, so a
 * zustand update is O(batch) instead of O(history) and React still sees a new
 * reference. Read a ring only through its latest wrapper.
 */
export interface Ring<T> {
  readonly buf: T[];
  /** Index of the oldest item in buf. */
  readonly head: number;
  readonly size: number;
  readonly capacity: number;
  /** Items ever pushed (also counts evicted ones): a cheap change marker. */
  readonly total: number;
}

export function createRing<T>(capacity: number): Ring<T> {
  if (!Number.isInteger(capacity) || capacity < 1) throw new Error(`Ring capacity must be a positive integer, got ${capacity}`);
  return { buf: [], head: 0, size: 0, capacity, total: 0 };
}

export function ringPush<T>(ring: Ring<T>, items: readonly T[]): Ring<T> {
  if (items.length === 0) return ring;
  const { buf, capacity } = ring;
  let { head, size } = ring;
  // Only the last `capacity` items can survive this push.
  const start = Math.max(0, items.length - capacity);
  for (let i = start; i < items.length; i++) {
    if (size < capacity) {
      buf[(head + size) % capacity] = items[i];
      size++;
    } else {
      buf[head] = items[i];
      head = (head + 1) % capacity;
    }
  }
  return { buf, head, size, capacity, total: ring.total + items.length };
}

/** i = 0 is the oldest kept item. */
export function ringGet<T>(ring: Ring<T>, i: number): T | undefined {
  if (i < 0 || i >= ring.size) return undefined;
  return ring.buf[(ring.head + i) % ring.capacity];
}

export function ringToArray<T>(ring: Ring<T>): T[] {
  const out = new Array<T>(ring.size);
  for (let i = 0; i < ring.size; i++) out[i] = ring.buf[(ring.head + i) % ring.capacity];
  return out;
}

export function ringFrom<T>(capacity: number, items: readonly T[]): Ring<T> {
  return ringPush(createRing<T>(capacity), items);
}

/**
 * Items newer than the ring's last one by `seq`: a snapshot loaded while a batch
 * was in flight must not show the same packet twice.
 */
export function newerThan<T extends { seq: number }>(ring: Ring<T>, items: readonly T[]): readonly T[] {
  if (ring.size === 0 || items.length === 0) return items;
  const last = ringGet(ring, ring.size - 1)!.seq;
  return items[0].seq > last ? items : items.filter((x) => x.seq > last);
}
