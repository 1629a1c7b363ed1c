/** Message list filtering: direction, topic (MQTT wildcards or substring), delivery label, payload text. */
import type { DeliveryLabel, MessageRecord } from '../../../../shared/connection';
import { topicFilterError, topicMatches } from '../../../../shared/mqtt/topic';
import { decodePreview } from '../../components/payload';
import type { Ring } from '../../stores/ring';
import { ringFilterAll } from '../../stores/ring-index';

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

/**
 * Why a topic filter with wildcards is not a valid MQTT filter (it is then
 * matched as plain text, which the bar must say), or null.
 */
export function topicFilterProblem(input: string): string | null {
  const q = input.trim();
  if (!q.includes('+') && !q.includes('#')) return null;
  const err = topicFilterError(q);
  return err ? `Not a valid topic filter (${err}): matched as plain text` : null;
}

/** A topic test: a valid filter with wildcards matches like a subscription; anything else is a substring search. */
export function topicPredicate(input: string): (topic: string) => boolean {
  const q = input.trim();
  if (!q) return () => true;
  if ((q.includes('+') || q.includes('#')) && topicFilterError(q) === null) return (t) => topicMatches(q, t);
  return (t) => t.includes(q);
}

/** Characters of the payload the text filter searches. */
export const TEXT_SEARCH_CHARS = 2000;

/**
 * Lower-cased searchable payload text, decoded once per record: a text filter
 * used to decode every payload of the history on every batch. Held weakly, so
 * it is bounded by the history the rings keep.
 */
const searchCache = new WeakMap<MessageRecord, string>();
export function searchText(m: MessageRecord): string {
  let s = searchCache.get(m);
  if (s === undefined) searchCache.set(m, (s = decodePreview(m, TEXT_SEARCH_CHARS).toLowerCase()));
  return s;
}

/** Topics repeat a lot: their lower-case forms are shared (bounded: cleared when it grows past the cap). */
const lowerTopics = new Map<string, string>();
const LOWER_TOPICS_MAX = 10_000;
function lowerTopic(t: string): string {
  let l = lowerTopics.get(t);
  if (l === undefined) {
    if (lowerTopics.size >= LOWER_TOPICS_MAX) lowerTopics.clear();
    lowerTopics.set(t, (l = t.toLowerCase()));
  }
  return l;
}

export function messageMatcher(f: MessageFilter): (m: MessageRecord) => boolean {
  const topicOk = topicPredicate(f.topic);
  const text = f.text.trim().toLowerCase();
  return (m) =>
    (f.dir === 'all' || m.dir === f.dir) &&
    (f.label === 'all' || m.label === f.label) &&
    topicOk(m.topic) &&
    (!text || searchText(m).includes(text) || lowerTopic(m.topic).includes(text));
}

/** Ring indices of matching messages by a full pass, oldest first; null when nothing filters (identity). */
export function filterIndices(ring: Ring<MessageRecord>, f: MessageFilter): number[] | null {
  if (!isFiltering(f)) return null;
  return ringFilterAll(ring, messageMatcher(f));
}
