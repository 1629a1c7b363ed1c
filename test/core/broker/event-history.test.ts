import { describe, expect, it } from 'vitest';
import { EventHistory } from '../../../electron/core/broker/event-history';
import type { BrokerEvent } from '../../../shared/broker';

const ev = (seq: number): BrokerEvent => ({ seq, at: seq, kind: 'session-created' });

describe('EventHistory', () => {
  it('keeps the newest events in order and counts everything recorded', () => {
    const h = new EventHistory(3);
    h.push([ev(1), ev(2)]);
    expect(h.snapshot()).toEqual({ events: [ev(1), ev(2)], capacity: 3, total: 2 });
    h.push([ev(3), ev(4), ev(5)]);
    h.push([ev(6)]);
    expect(h.snapshot().events.map((e) => e.seq)).toEqual([4, 5, 6]);
    expect(h.snapshot().total).toBe(6);
  });

  it('hands out copies', () => {
    const h = new EventHistory(2);
    h.push([ev(1)]);
    h.snapshot().events.push(ev(99));
    expect(h.snapshot().events).toHaveLength(1);
  });

  it('refuses a capacity that is not a positive integer', () => {
    expect(() => new EventHistory(0)).toThrow();
  });
});
