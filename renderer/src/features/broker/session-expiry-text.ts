/** The full story of a session's expiry, for the sessions table's tooltip (pure, unit-tested). */
import type { SessionSummary } from '../../../../shared/broker';
import { SESSION_EXPIRY_NEVER } from '../../../../shared/mqtt/reason-codes';
import { expiryCountdown, formatDateTime, formatDuration } from '../../components/format';

export function expiryTooltip(s: Pick<SessionSummary, 'expiresAt' | 'sessionExpiryInterval' | 'connected' | 'protocolVersion'>, now: number): string {
  const lines = [`Expiry: ${expiryCountdown(s.expiresAt, s.sessionExpiryInterval, s.connected, now)}`];
  const interval = s.sessionExpiryInterval;
  const what = s.protocolVersion === 5 ? 'Session Expiry Interval' : 'Session lifetime (broker setting for 3.x)';
  lines.push(`${what}: ${interval === SESSION_EXPIRY_NEVER ? 'never expires' : interval === 0 ? '0 (the session ends with the connection)' : `${interval} s (${formatDuration(interval)})`}`);
  if (!s.connected && s.expiresAt !== null) lines.push(`Expires at ${formatDateTime(s.expiresAt)}`);
  return lines.join('\n');
}
