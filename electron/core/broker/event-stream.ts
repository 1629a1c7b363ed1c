/**
 * Batched broker events: collected and handed to listeners every ~50 ms so a
 * busy broker costs one callback per batch, not per message. Bounded: past
 * MAX_PENDING events in one window the rest are counted and reported as one
 * summary event instead of growing memory.
 */
import type { BrokerEvent, BrokerEventKind } from '../../../shared/broker';

const FLUSH_MS = 50;
const MAX_PENDING = 2000;

export type EventFields = Omit<BrokerEvent, 'seq' | 'at' | 'kind'>;

export class EventStream {
  private listeners = new Set<(events: BrokerEvent[]) => void>();
  private pending: BrokerEvent[] = [];
  private overflow = 0;
  private timer: NodeJS.Timeout | null = null;
  private seq = 0;

  /** True when someone listens; callers skip building events otherwise. */
  get active(): boolean {
    return this.listeners.size > 0;
  }

  on(listener: (events: BrokerEvent[]) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  emit(kind: BrokerEventKind, fields: EventFields): void {
    if (this.listeners.size === 0) return;
    if (this.pending.length >= MAX_PENDING) {
      this.overflow++;
    } else {
      this.pending.push({ seq: ++this.seq, at: Date.now(), kind, ...fields });
    }
    if (!this.timer) {
      this.timer = setTimeout(() => this.flush(), FLUSH_MS);
      this.timer.unref?.();
    }
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.pending.length === 0 && this.overflow === 0) return;
    const batch = this.pending;
    this.pending = [];
    if (this.overflow > 0) {
      batch.push({
        seq: ++this.seq,
        at: Date.now(),
        kind: 'message-dropped',
        reason: `${this.overflow} more events in this batch were not reported (event stream limit ${MAX_PENDING} per ${FLUSH_MS} ms)`,
      });
      this.overflow = 0;
    }
    for (const listener of this.listeners) {
      try {
        listener(batch);
      } catch {
        // A failing listener must not stop the broker or other listeners.
      }
    }
  }

  close(): void {
    this.flush();
  }
}
