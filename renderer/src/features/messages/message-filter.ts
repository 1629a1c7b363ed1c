/** Message list filtering (pure): direction, topic (MQTT wildcards or substring), delivery label, payload text. */
import type { DeliveryLabel, MessageRecord } from '../../../../shared/connection';
import { topicFilterError, topicMatches } from '../../../../shared/mqtt/topic';
import { payloadPreview } from '../../components/payload';
import { ringGet, type Ring } from '../../stores/ring';

export interface MessageFilter {
  dir: 'all' | 'in' | 'out';
  topic: string;
  label: 'all' | DeliveryLabel;
  text: string;
}

export const NO_FILTER: MessageFilter = { dir: 'all', topic: '', label: 'all', text: '' };

export function isFiltering(f: MessageFilter): boolean {
  return f.dir !== 'all' || f.topic.trim() !== '' || f.label !== 'all' || f.text.trim() !== '';
}

/** A topic test: a valid filter with wildcards matches like a subscription; anything else is a substring search. */
export function topicPredicate(input: string): (topic: string) => boolean {
  const q = input.trim();
  if (!q) return () => true;
  if ((q.includes('+') || q.includes('#')) && topicFilterError(q) === null) return (t) => topicMatches(q, t);
  return (t) => t.includes(q);
}

export function messageMatcher(f: MessageFilter): (m: MessageRecord) => boolean {
  const topicOk = topicPredicate(f.topic);
  const text = f.text.trim().toLowerCase();
  return (m) =>
    (f.dir === 'all' || m.dir === f.dir) &&
    (f.label === 'all' || m.label === f.label) &&
    topicOk(m.topic) &&
    (!text || payloadPreview(m, 2000).toLowerCase().includes(text) || m.topic.toLowerCase().includes(text));
}

/** Ring indices of matching messages, oldest first; null when nothing filters (identity). */
export function filterIndices(ring: Ring<MessageRecord>, f: MessageFilter): number[] | null {
  if (!isFiltering(f)) return null;
  const match = messageMatcher(f);
  const out: number[] = [];
  for (let i = 0; i < ring.size; i++) if (match(ringGet(ring, i)!)) out.push(i);
  return out;
}
