/**
 * The newest broker events, kept by the host so a page that loads later (a
 * reload, a second window) can show what already happened. Bounded by count:
 * past the capacity the oldest event is overwritten. Lives beside the broker,
 * not inside it: only the app keeps a history, the CLI broker and the
 * benchmarks do not pay for one.
 */
import type { BrokerEvent, BrokerEventHistory } from '../../../shared/broker';

export class EventHistory {
  private readonly buf: BrokerEvent[] = [];
  private head = 0;
  private recorded = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new Error(`EventHistory capacity must be a positive integer, got ${capacity}`);
  }

  push(events: readonly BrokerEvent[]): void {
    for (const e of events) {
      if (this.buf.length < this.capacity) this.buf.push(e);
      else {
        this.buf[this.head] = e;
        this.head = (this.head + 1) % this.capacity;
      }
    }
    this.recorded += events.length;
  }

  /** A copy, oldest first. */
  snapshot(): BrokerEventHistory {
    const events = this.buf.length < this.capacity ? this.buf.slice() : [...this.buf.slice(this.head), ...this.buf.slice(0, this.head)];
    return { events, capacity: this.capacity, total: this.recorded };
  }
}
