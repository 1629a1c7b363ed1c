/** The embedded broker as the UI sees it: status, sessions and a bounded event log. */
import { create } from 'zustand';
import type { BrokerEvent, BrokerStatus, SessionSummary } from '../../../shared/broker';
import { createRing, ringPush, type Ring } from './ring';

export const BROKER_EVENT_CAPACITY = 5000;

interface BrokerState {
  status: BrokerStatus | null;
  sessions: SessionSummary[];
  totalSessions: number;
  events: Ring<BrokerEvent>;
  setStatus(status: BrokerStatus): void;
  setSessions(list: { sessions: SessionSummary[]; total: number }): void;
  applyBatch(batch: { events: BrokerEvent[]; status?: BrokerStatus; sessions?: { sessions: SessionSummary[]; total: number } }): void;
}

const initial = () => ({
  status: null as BrokerStatus | null,
  sessions: [] as SessionSummary[],
  totalSessions: 0,
  events: createRing<BrokerEvent>(BROKER_EVENT_CAPACITY),
});

export const useBrokerStore = create<BrokerState>()((set) => ({
  ...initial(),
  setStatus: (status) => set({ status }),
  setSessions: ({ sessions, total }) => set({ sessions, totalSessions: total }),
  applyBatch: (batch) =>
    set((s) => ({
      events: batch.events.length ? ringPush(s.events, batch.events) : s.events,
      ...(batch.status ? { status: batch.status } : {}),
      ...(batch.sessions ? { sessions: batch.sessions.sessions, totalSessions: batch.sessions.total } : {}),
    })),
}));

export const resetBrokerStore = (): void => useBrokerStore.setState(initial());

export const selectBrokerStatus = (s: BrokerState): BrokerStatus | null => s.status;
export const selectSessions = (s: BrokerState): SessionSummary[] => s.sessions;
export const selectBrokerEvents = (s: BrokerState): Ring<BrokerEvent> => s.events;
