/** The embedded broker as the UI sees it: status, sessions and a bounded event log. */
import { create } from 'zustand';
import { BROKER_EVENT_HISTORY, type BrokerEvent, type BrokerEventHistory, type BrokerStatus, type SessionSummary } from '../../../shared/broker';
import { NO_EVENT_FILTER, type EventFilter } from '../features/broker/event-kinds';
import { createRing, ringFrom, ringGet, ringPush, type Ring } from './ring';

/** Same bound as the host's history: after a reload the log shows as many events as before it. */
export const BROKER_EVENT_CAPACITY = BROKER_EVENT_HISTORY;

interface BrokerState {
  status: BrokerStatus | null;
  sessions: SessionSummary[];
  totalSessions: number;
  events: Ring<BrokerEvent>;
  /** Events no longer kept when the history was loaded (the ring counts its own evictions). */
  droppedBeforeLoad: number;
  /** Kept here, not in the log component, so switching tabs keeps what the user was looking at. */
  eventFilter: EventFilter;
  /** The event shown in full; kept as a copy so it stays readable after the ring drops it. */
  selectedEvent: BrokerEvent | null;
  setEventFilter(filter: EventFilter): void;
  selectEvent(e: BrokerEvent | null): void;
  setStatus(status: BrokerStatus): void;
  setSessions(list: { sessions: SessionSummary[]; total: number }): void;
  applyBatch(batch: { events: BrokerEvent[]; status?: BrokerStatus; sessions?: { sessions: SessionSummary[]; total: number } }): void;
  /**
   * Replaces the log with the host's history. `mark` is events.total taken just
   * before the history was asked for: events pushed since then came over the
   * same link, so those newer than the history's last one are kept after it.
   */
  loadEvents(history: BrokerEventHistory, mark: number): void;
}

const initial = () => ({
  status: null as BrokerStatus | null,
  sessions: [] as SessionSummary[],
  totalSessions: 0,
  events: createRing<BrokerEvent>(BROKER_EVENT_CAPACITY),
  droppedBeforeLoad: 0,
  eventFilter: NO_EVENT_FILTER,
  selectedEvent: null as BrokerEvent | null,
});

/** The ring's items pushed after `mark` (as many of them as it still holds). */
function pushedSince<T>(ring: Ring<T>, mark: number): T[] {
  const n = Math.min(ring.size, Math.max(0, ring.total - mark));
  const out: T[] = [];
  for (let i = ring.size - n; i < ring.size; i++) out.push(ringGet(ring, i)!);
  return out;
}

export const useBrokerStore = create<BrokerState>()((set) => ({
  ...initial(),
  setEventFilter: (eventFilter) => set({ eventFilter }),
  selectEvent: (selectedEvent) => set({ selectedEvent }),
  setStatus: (status) => set({ status }),
  setSessions: ({ sessions, total }) => set({ sessions, totalSessions: total }),
  applyBatch: (batch) =>
    set((s) => ({
      events: batch.events.length ? ringPush(s.events, batch.events) : s.events,
      ...(batch.status ? { status: batch.status } : {}),
      ...(batch.sessions ? { sessions: batch.sessions.sessions, totalSessions: batch.sessions.total } : {}),
    })),
  loadEvents: (history, mark) =>
    set((s) => {
      const last = history.events.length ? history.events[history.events.length - 1].seq : -Infinity;
      const live = pushedSince(s.events, mark).filter((e) => e.seq > last);
      // The new ring counts its own evictions (total - size); the host's are the events it recorded but no longer holds.
      return { events: ringFrom(BROKER_EVENT_CAPACITY, [...history.events, ...live]), droppedBeforeLoad: history.total - history.events.length };
    }),
}));

export const resetBrokerStore = (): void => useBrokerStore.setState(initial());

export const selectBrokerStatus = (s: BrokerState): BrokerStatus | null => s.status;
export const selectSessions = (s: BrokerState): SessionSummary[] => s.sessions;
export const selectBrokerEvents = (s: BrokerState): Ring<BrokerEvent> => s.events;
/** Events that happened but are no longer in the log (history cap on the host, ring cap here). */
export const selectDroppedEvents = (s: BrokerState): number => s.droppedBeforeLoad + s.events.total - s.events.size;
export const selectEventLogView = (s: BrokerState): { filter: EventFilter; selected: BrokerEvent | null } => ({ filter: s.eventFilter, selected: s.selectedEvent });
