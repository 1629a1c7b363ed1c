/** The MQTT 5.0 subscription options that differ from the defaults, in spec words (pure, unit-tested). */
import type { SubscriptionState } from '../../../../shared/connection';

const RETAIN_HANDLING = ['', 'Retain Handling 1 (retained only for a new subscription)', 'Retain Handling 2 (no retained messages)'];

export function subscriptionOptionsText(s: Pick<SubscriptionState, 'noLocal' | 'retainAsPublished' | 'retainHandling' | 'subscriptionIdentifier'>): string | null {
  const parts: string[] = [];
  if (s.noLocal) parts.push('No Local');
  if (s.retainAsPublished) parts.push('Retain As Published');
  if (s.retainHandling) parts.push(RETAIN_HANDLING[s.retainHandling]);
  if (s.subscriptionIdentifier !== undefined) parts.push(`Subscription Identifier ${s.subscriptionIdentifier}`);
  return parts.length ? parts.join(' · ') : null;
}
