/**
 * Topic name / topic filter rules (MQTT 3.1.1 section 4.7, MQTT 5.0 section 4.7)
 * shared by the broker, the engine, profile validation and the renderer's filters.
 */

const MAX_TOPIC_BYTES = 65535;

function utf8Length(s: string): number {
  return new TextEncoder().encode(s).length;
}

/** Returns an error message, or null when `topic` is a valid topic name (for PUBLISH / will). */
export function topicNameError(topic: string): string | null {
  if (topic.length === 0) return 'Topic must not be empty';
  if (utf8Length(topic) > MAX_TOPIC_BYTES) return 'Topic is longer than 65,535 bytes';
  if (topic.includes('\u0000')) return 'Topic must not contain the null character';
  if (topic.includes('+') || topic.includes('#')) return 'Wildcards (+ and #) are not allowed in a topic name';
  return null;
}

/**
 * Returns an error message, or null when `filter` is a valid topic filter (for SUBSCRIBE).
 * `shares` false: `$share/...` is an ordinary filter (MQTT 3.1.1 has no shared subscriptions).
 */
export function topicFilterError(filter: string, shares = true): string | null {
  if (filter.length === 0) return 'Topic filter must not be empty';
  if (utf8Length(filter) > MAX_TOPIC_BYTES) return 'Topic filter is longer than 65,535 bytes';
  if (filter.includes('\u0000')) return 'Topic filter must not contain the null character';
  const shared = shares ? parseSharedFilter(filter) : null;
  if (shared === 'invalid') return 'A shared subscription is $share/{group}/{filter}; the group must not contain + # or /';
  const levels = (shared ? shared.filter : filter).split('/');
  for (let i = 0; i < levels.length; i++) {
    const level = levels[i];
    if (level.includes('#') && (level !== '#' || i !== levels.length - 1)) {
      return '# must be a whole level and the last one';
    }
    if (level.includes('+') && level !== '+') return '+ must occupy a whole level';
  }
  return null;
}

/** `$share/group/filter` → { group, filter }; a plain filter → null; a broken share → 'invalid'. */
export function parseSharedFilter(filter: string): { group: string; filter: string } | null | 'invalid' {
  if (!filter.startsWith('$share/')) return null;
  const rest = filter.slice('$share/'.length);
  const slash = rest.indexOf('/');
  if (slash <= 0) return 'invalid';
  const group = rest.slice(0, slash);
  const inner = rest.slice(slash + 1);
  if (/[+#]/.test(group) || inner.length === 0) return 'invalid';
  return { group, filter: inner };
}

/**
 * Whether `topic` (a topic name) matches `filter`. Topics starting with `$`
 * are not matched by a filter starting with a wildcard (MQTT 4.7.2).
 */
export function topicMatches(filter: string, topic: string): boolean {
  if (topic.startsWith('$') && (filter.startsWith('+') || filter.startsWith('#'))) return false;
  const f = filter.split('/');
  const t = topic.split('/');
  for (let i = 0; i < f.length; i++) {
    const level = f[i];
    if (level === '#') return true;
    if (i >= t.length) return false;
    if (level !== '+' && level !== t[i]) return false;
  }
  return f.length === t.length;
}
