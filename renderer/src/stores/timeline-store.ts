/** Packet timeline per connection: a bounded ring (100k packets stay smooth). */
import { create } from 'zustand';
import type { ConnectionUpdate, PacketRecord } from '../../../shared/connection';
import { createRing, newerThan, ringFrom, ringPush, type Ring } from './ring';

export const PACKET_CAPACITY = 200_000;

interface TimelineState {
  byId: Map<string, Ring<PacketRecord>>;
  capacity: number;
  load(profileId: string, packets: readonly PacketRecord[]): void;
  applyUpdates(updates: readonly ConnectionUpdate[]): void;
  clear(profileId: string): void;
}

export const useTimelineStore = create<TimelineState>()((set) => ({
  byId: new Map(),
  capacity: PACKET_CAPACITY,
  load: (profileId, packets) =>
    set((s) => {
      const byId = new Map(s.byId);
      byId.set(profileId, ringFrom(s.capacity, packets));
      return { byId };
    }),
  applyUpdates: (updates) =>
    set((s) => {
      let byId: Map<string, Ring<PacketRecord>> | null = null;
      for (const u of updates) {
        if (!u.reset && !u.packets?.length) continue;
        byId ??= new Map(s.byId);
        let ring = u.reset ? createRing<PacketRecord>(s.capacity) : (byId.get(u.profileId) ?? createRing<PacketRecord>(s.capacity));
        if (u.packets?.length) ring = ringPush(ring, newerThan(ring, u.packets));
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

export const resetTimelineStore = (capacity = PACKET_CAPACITY): void => useTimelineStore.setState({ byId: new Map(), capacity });

const EMPTY = createRing<PacketRecord>(1);
export const selectPackets =
  (id: string | null) =>
  (s: TimelineState): Ring<PacketRecord> =>
    (id && s.byId.get(id)) || EMPTY;
