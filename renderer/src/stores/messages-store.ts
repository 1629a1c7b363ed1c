/** Message history per connection: a bounded ring, one store update per batch. */
import { create } from 'zustand';
import type { ConnectionUpdate, MessageRecord } from '../../../shared/connection';
import { createRing, newerThan, ringFrom, ringPush, type Ring } from './ring';

export const MESSAGE_CAPACITY = 50_000;

interface MessagesState {
  byId: Map<string, Ring<MessageRecord>>;
  capacity: number;
  load(profileId: string, messages: readonly MessageRecord[]): void;
  applyUpdates(updates: readonly ConnectionUpdate[]): void;
  clear(profileId: string): void;
}

export const useMessagesStore = create<MessagesState>()((set) => ({
  byId: new Map(),
  capacity: MESSAGE_CAPACITY,
  load: (profileId, messages) =>
    set((s) => {
      const byId = new Map(s.byId);
      byId.set(profileId, ringFrom(s.capacity, messages));
      return { byId };
    }),
  applyUpdates: (updates) =>
    set((s) => {
      let byId: Map<string, Ring<MessageRecord>> | null = null;
      for (const u of updates) {
        if (!u.reset && !u.messages?.length) continue;
        byId ??= new Map(s.byId);
        let ring = u.reset ? createRing<MessageRecord>(s.capacity) : (byId.get(u.profileId) ?? createRing<MessageRecord>(s.capacity));
        if (u.messages?.length) ring = ringPush(ring, newerThan(ring, u.messages));
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

export const resetMessagesStore = (capacity = MESSAGE_CAPACITY): void => useMessagesStore.setState({ byId: new Map(), capacity });

const EMPTY = createRing<MessageRecord>(1);
export const selectMessages =
  (id: string | null) =>
  (s: MessagesState): Ring<MessageRecord> =>
    (id && s.byId.get(id)) || EMPTY;
