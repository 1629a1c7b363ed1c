/**
 * Messages not yet handed to MQTT.js: published while disconnected (when the
 * profile allows it), or while the broker's Receive Maximum window is full.
 * Kept in order and sent as the connection allows. Bounded by count and
 * bytes: at the bound a new publish is refused with a clear error rather
 * than silently dropping an older message the user already saw queued.
 */
import type { OutboxEntry } from '../../../shared/connection';
import { UserFacingError } from '../contract-dispatch';
import type { IClientPublishOptions } from 'mqtt';

export interface OutboxItem {
  entry: OutboxEntry;
  payload: Buffer;
  properties?: IClientPublishOptions['properties'];
}

export const OUTBOX_MAX_BYTES = 64 * 1024 * 1024;

export class Outbox {
  private items: OutboxItem[] = [];
  private bytes = 0;
  private nextId = 1;

  constructor(private readonly maxCount: number) {}

  get size(): number {
    return this.items.length;
  }

  add(topic: string, qos: 0 | 1 | 2, retain: boolean, payload: Buffer, properties: IClientPublishOptions['properties'] | undefined, at: number): OutboxEntry {
    if (this.items.length >= this.maxCount) {
      throw new UserFacingError(`Outbox is full (${this.maxCount} messages): connect to send them, or clear the outbox`);
    }
    if (this.bytes + payload.length > OUTBOX_MAX_BYTES) {
      throw new UserFacingError(`Outbox is full (${OUTBOX_MAX_BYTES / 1024 / 1024} MB of payload): connect to send them, or clear the outbox`);
    }
    const entry: OutboxEntry = { id: this.nextId++, topic, qos, retain, payloadSize: payload.length, queuedAt: at };
    this.items.push({ entry, payload, properties });
    this.bytes += payload.length;
    return entry;
  }

  /** The oldest waiting message. */
  peek(): OutboxItem | undefined {
    return this.items[0];
  }

  /** Removes and returns the oldest waiting message. */
  shift(): OutboxItem | undefined {
    const item = this.items.shift();
    if (item) this.bytes -= item.payload.length;
    return item;
  }

  clear(): void {
    this.items = [];
    this.bytes = 0;
  }

  /** The first `limit` entries (the state carries the total, `outboxCount`). */
  list(limit = 1000): OutboxEntry[] {
    return this.items.slice(0, limit).map((i) => ({ ...i.entry }));
  }
}
