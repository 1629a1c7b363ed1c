/**
 * A Map that allocates its table on the first insert (and drops it on clear). An idle session has three of them (subscriptions, in-flight both
 * ways); as plain Maps they would cost ~500 bytes per connected client.
 */
const EMPTY: ReadonlyMap<unknown, unknown> = new Map();

export class LazyMap<K, V> {
  private m: Map<K, V> | null = null;

  get size(): number {
    return this.m === null ? 0 : this.m.size;
  }

  get(key: K): V | undefined {
    return this.m === null ? undefined : this.m.get(key);
  }

  has(key: K): boolean {
    return this.m !== null && this.m.has(key);
  }

  set(key: K, value: V): this {
    (this.m ??= new Map()).set(key, value);
    return this;
  }

  delete(key: K): boolean {
    // The table stays once created: a session that had traffic is likely to have more.
    return this.m !== null && this.m.delete(key);
  }

  clear(): void {
    this.m = null;
  }

  values(): IterableIterator<V> {
    return (this.m ?? (EMPTY as unknown as ReadonlyMap<K, V>)).values();
  }

  keys(): IterableIterator<K> {
    return (this.m ?? (EMPTY as unknown as ReadonlyMap<K, V>)).keys();
  }

  [Symbol.iterator](): IterableIterator<[K, V]> {
    return (this.m ?? (EMPTY as unknown as ReadonlyMap<K, V>)).entries();
  }
}
