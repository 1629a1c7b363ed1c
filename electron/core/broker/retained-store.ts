/**
 * Retained messages by topic. Not session state: they survive session end
 * and are replaced or cleared (empty payload) by later retained publishes.
 */
import { topicMatches } from '../../../shared/mqtt/topic';
import type { Message } from './types';

export class RetainedStore {
  readonly byTopic = new Map<string, Message>();

  /** Stores or clears; returns true when the store changed. */
  put(msg: Message): boolean {
    if (msg.body.length === 0) return this.byTopic.delete(msg.topic);
    this.byTopic.set(msg.topic, msg);
    return true;
  }

  /** Matching, unexpired retained messages; expired ones are removed on the way. */
  match(filter: string, now: number): Message[] {
    const out: Message[] = [];
    if (!filter.includes('+') && !filter.includes('#')) {
      const m = this.byTopic.get(filter);
      if (m) {
        if (m.expiresAt && m.expiresAt <= now) this.byTopic.delete(filter);
        else out.push(m);
      }
      return out;
    }
    for (const [topic, m] of this.byTopic) {
      if (!topicMatches(filter, topic)) continue;
      if (m.expiresAt && m.expiresAt <= now) {
        this.byTopic.delete(topic);
        continue;
      }
      out.push(m);
    }
    return out;
  }

  get size(): number {
    return this.byTopic.size;
  }
}
