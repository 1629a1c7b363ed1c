/**
 * Users and authorization rules from the settings. Rules are evaluated in
 * order, the first match decides, no match allows (see shared/broker.ts).
 */
import { timingSafeEqual } from 'node:crypto';
import type { AuthRule, BrokerSettings } from '../../../shared/broker';
import { topicMatches } from '../../../shared/mqtt/topic';

export type AuthResult = 'ok' | 'bad-credentials' | 'not-authorized';

export function authenticate(settings: BrokerSettings, username: string | undefined, password: Buffer | undefined): AuthResult {
  if (username === undefined) {
    return settings.allowAnonymous ? 'ok' : 'not-authorized';
  }
  if (settings.users.length === 0) return settings.allowAnonymous ? 'ok' : 'not-authorized';
  const user = settings.users.find((u) => u.username === username);
  if (!user) return 'bad-credentials';
  const given = password ?? Buffer.alloc(0);
  const expected = Buffer.from(user.password, 'utf8');
  // Constant time for equal lengths: a wrong password takes as long to refuse whatever its prefix.
  return given.length === expected.length && timingSafeEqual(given, expected) ? 'ok' : 'bad-credentials';
}

/** A subscription filter is covered by a rule filter when the rule matches it level by level. */
function ruleCoversFilter(ruleFilter: string, subFilter: string): boolean {
  if (ruleFilter === subFilter) return true;
  const r = ruleFilter.split('/');
  const s = subFilter.split('/');
  for (let i = 0; i < r.length; i++) {
    if (r[i] === '#') return !(subFilter.startsWith('$') && i === 0);
    if (i >= s.length) return false;
    if (r[i] === '+') {
      if (s[i] === '#') return false;
      if (i === 0 && subFilter.startsWith('$')) return false;
      continue;
    }
    if (r[i] !== s[i]) return false;
  }
  return r.length === s.length;
}

function ruleApplies(rule: AuthRule, clientId: string, username: string | null): boolean {
  if (rule.clientId !== undefined && rule.clientId !== clientId) return false;
  if (rule.username !== undefined && rule.username !== username) return false;
  return true;
}

/** The deny rule that refuses publishing to `topic`, or null when it is allowed. */
export function publishDenial(rules: AuthRule[], clientId: string, username: string | null, topic: string): AuthRule | null {
  if (rules.length === 0) return null;
  for (const rule of rules) {
    if (rule.action === 'subscribe' || !ruleApplies(rule, clientId, username)) continue;
    if (topicMatches(rule.filter, topic)) return rule.permission === 'deny' ? rule : null;
  }
  return null;
}

/** The deny rule that refuses subscribing to `filter`, or null when it is allowed. */
export function subscribeDenial(rules: AuthRule[], clientId: string, username: string | null, filter: string): AuthRule | null {
  if (rules.length === 0) return null;
  for (const rule of rules) {
    if (rule.action === 'publish' || !ruleApplies(rule, clientId, username)) continue;
    if (ruleCoversFilter(rule.filter, filter)) return rule.permission === 'deny' ? rule : null;
  }
  return null;
}
