/**
 * A zustand store holding one bounded ring per connection, fed by the engine's
 * batched ConnectionUpdates: one store update per batch, a new Map per update.
 * The message list and the packet timeline are both this shape.
 */
import { create } from 'zustand';
import type { ConnectionUpdate } from '../../../shared/connection';
import { createRing, newerThan, ringFrom, ringPush, type Ring } from './ring';

export interface RingStoreState<T> {
  byId: Map<string, Ring<T>>;
  capacity: number;
  load(profileId: string, items: readonly T[]): void;
  applyUpdates(updates: readonly ConnectionUpdate[]): void;
  clear(profileId: string): void;
}

export function createRingStore<T extends { seq: number }>(capacity: number, itemsOf: (u: ConnectionUpdate) => readonly T[] | undefined) {
  const useStore = create<RingStoreState<T>>()((set) => ({
    byId: new Map(),
    capacity,
    load: (profileId, items) =>
      set((s) => {
        const byId = new Map(s.byId);
        byId.set(profileId, ringFrom(s.capacity, items));
        return { byId };
      }),
    applyUpdates: (updates) =>
      set((s) => {
        let byId: Map<string, Ring<T>> | null = null;
        for (const u of updates) {
          const items = itemsOf(u);
          if (!u.reset && !items?.length) continue;
          byId ??= new Map(s.byId);
          let ring = u.reset ? createRing<T>(s.capacity) : (byId.get(u.profileId) ?? createRing<T>(s.capacity));
          if (items?.length) ring = ringPush(ring, newerThan(ring, items));
          byId.set(u.profileId, ring);
        }
        return byId ? { byId } : {};
      }),
    clear: (profileId) =>
      set((s) => {
        const byId = new Map(s.byId);
        byId.delete(profileId);
        return { byId };
      }),
  }));
  const empty = createRing<T>(1);
  return {
    useStore,
    reset: (cap = capacity): void => useStore.setState({ byId: new Map(), capacity: cap }),
    select:
      (id: string | null) =>
      (s: RingStoreState<T>): Ring<T> =>
        (id && s.byId.get(id)) || empty,
  };
}
