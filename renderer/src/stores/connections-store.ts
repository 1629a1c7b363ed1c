/**
 * Live per-connection state: status, CONNACK history, subscriptions,
 * in-flight and outbox. Updated once per `connection.batch` event.
 */
import { create } from 'zustand';
import type {
  ConnackRecord,
  ConnectionSnapshot,
  ConnectionState,
  ConnectionUpdate,
  InflightEntry,
  OutboxEntry,
  SubscriptionState,
} from '../../../shared/connection';

/** CONNACKs kept per connection: enough history to compare, bounded for long soak runs. */
export const MAX_CONNACKS = 200;

export interface ConnectionView {
  state: ConnectionState | null;
  connacks: ConnackRecord[];
  subscriptions: SubscriptionState[];
  inflight: InflightEntry[];
  outbox: OutboxEntry[];
}

const EMPTY_VIEW: ConnectionView = { state: null, connacks: [], subscriptions: [], inflight: [], outbox: [] };

interface ConnectionsState {
  byId: Map<string, ConnectionView>;
  setStates(states: ConnectionState[]): void;
  loadSnapshot(profileId: string, snapshot: ConnectionSnapshot | null): void;
  applyUpdates(updates: readonly ConnectionUpdate[]): void;
  setState(state: ConnectionState): void;
  forget(profileId: string): void;
}

const bounded = <T>(list: T[]): T[] => (list.length > MAX_CONNACKS ? list.slice(list.length - MAX_CONNACKS) : list);

export const useConnectionsStore = create<ConnectionsState>()((set) => ({
  byId: new Map(),
  setStates: (states) =>
    set((s) => {
      const byId = new Map(s.byId);
      for (const st of states) byId.set(st.profileId, { ...(byId.get(st.profileId) ?? EMPTY_VIEW), state: st });
      return { byId };
    }),
  loadSnapshot: (profileId, snap) =>
    set((s) => {
      const byId = new Map(s.byId);
      if (!snap) byId.set(profileId, { ...(byId.get(profileId) ?? EMPTY_VIEW) });
      else
        byId.set(profileId, {
          state: snap.state,
          connacks: bounded(snap.connacks),
          subscriptions: snap.subscriptions,
          inflight: snap.inflight,
          outbox: snap.outbox,
        });
      return { byId };
    }),
  applyUpdates: (updates) =>
    set((s) => {
      let byId: Map<string, ConnectionView> | null = null;
      for (const u of updates) {
        if (!u.reset && !u.state && !u.connacks?.length && !u.subscriptions && !u.inflight && !u.outbox) continue;
        byId ??= new Map(s.byId);
        const prev = byId.get(u.profileId) ?? EMPTY_VIEW;
        const base = u.reset ? { ...prev, connacks: [] } : prev;
        byId.set(u.profileId, {
          state: u.state ?? base.state,
          connacks: u.connacks?.length ? bounded([...base.connacks, ...u.connacks]) : base.connacks,
          subscriptions: u.subscriptions ?? base.subscriptions,
          inflight: u.inflight ?? base.inflight,
          outbox: u.outbox ?? base.outbox,
        });
      }
      return byId ? { byId } : {};
    }),
  setState: (state) =>
    set((s) => {
      const byId = new Map(s.byId);
      byId.set(state.profileId, { ...(byId.get(state.profileId) ?? EMPTY_VIEW), state });
      return { byId };
    }),
  forget: (profileId) =>
    set((s) => {
      const byId = new Map(s.byId);
      byId.delete(profileId);
      return { byId };
    }),
}));

export const resetConnectionsStore = (): void => useConnectionsStore.setState({ byId: new Map() });

export const selectConnection =
  (id: string | null) =>
  (s: ConnectionsState): ConnectionView =>
    (id && s.byId.get(id)) || EMPTY_VIEW;
export const selectConnectionState =
  (id: string | null) =>
  (s: ConnectionsState): ConnectionState | null =>
    (id && s.byId.get(id)?.state) || null;
export const selectLastConnack =
  (id: string | null) =>
  (s: ConnectionsState): ConnackRecord | null => {
    const list = (id && s.byId.get(id)?.connacks) || [];
    for (let i = list.length - 1; i >= 0; i--) if (list[i].failure === undefined) return list[i];
    return null;
  };
