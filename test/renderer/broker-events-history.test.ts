/** The event log after a reload: the host's history, then live events without duplicates or losses. */
import { beforeEach, describe, expect, it } from 'vitest';
import { BROKER_EVENT_CAPACITY, resetBrokerStore, selectBrokerEvents, selectDroppedEvents, useBrokerStore } from '../../renderer/src/stores/broker-store';
import { ringToArray } from '../../renderer/src/stores/ring';
import type { BrokerEvent } from '../../shared/broker';

const ev = (seq: number): BrokerEvent => ({ seq, at: seq, kind: 'client-connected', clientId: `c${seq}` });
const seqs = () => ringToArray(selectBrokerEvents(useBrokerStore.getState())).map((e) => e.seq);

beforeEach(() => resetBrokerStore());

describe('broker event history', () => {
  it('replaces what the page had with the history, then keeps live events newer than it', () => {
    const s = useBrokerStore.getState();
    s.applyBatch({ events: [ev(1), ev(2)] }); // from before a lost link: the history supersedes them
    const mark = useBrokerStore.getState().events.total;
    // Arrived after the history was asked for: 4 is in the history too, 5 is not.
    s.applyBatch({ events: [ev(4), ev(5)] });
    s.loadEvents({ events: [ev(2), ev(3), ev(4)], capacity: 2000, total: 4 }, mark);
    expect(seqs()).toEqual([2, 3, 4, 5]);
    expect(selectDroppedEvents(useBrokerStore.getState())).toBe(1);
    s.applyBatch({ events: [ev(6)] });
    expect(seqs()).toEqual([2, 3, 4, 5, 6]);
  });

  it('starts over with a restarted host (sequence numbers begin again)', () => {
    const s = useBrokerStore.getState();
    s.applyBatch({ events: [ev(40), ev(41)] });
    s.loadEvents({ events: [ev(1), ev(2)], capacity: 2000, total: 2 }, useBrokerStore.getState().events.total);
    expect(seqs()).toEqual([1, 2]);
  });

  it('stays bounded: at the cap the oldest events go and are counted as dropped', () => {
    const many = Array.from({ length: BROKER_EVENT_CAPACITY + 10 }, (_, i) => ev(i + 1));
    useBrokerStore.getState().loadEvents({ events: many, capacity: BROKER_EVENT_CAPACITY, total: many.length + 5 }, 0);
    const ring = selectBrokerEvents(useBrokerStore.getState());
    expect(ring.size).toBe(BROKER_EVENT_CAPACITY);
    expect(seqs()[0]).toBe(11);
    expect(selectDroppedEvents(useBrokerStore.getState())).toBe(15);
  });
});
