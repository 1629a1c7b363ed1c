/** Auto-reconnect progress in words (pure, unit-tested). */
import type { ConnectionState } from '../../../../shared/connection';

export type ReconnectInfo = NonNullable<ConnectionState['reconnect']>;

/**
 * "Reconnecting — attempt 3 in 4 s" while the next attempt is scheduled,
 * "Reconnecting — attempt 3 under way" while it runs. `attempts` counts the
 * attempts already made, so a scheduled one is attempts + 1.
 */
export function reconnectText(r: ReconnectInfo | undefined, now: number): string {
  if (!r) return 'Reconnecting…';
  if (r.nextAttemptAt === null) return r.attempts > 0 ? `Reconnecting — attempt ${r.attempts} under way` : 'Reconnecting…';
  const left = Math.max(0, Math.ceil((r.nextAttemptAt - now) / 1000));
  return `Reconnecting — attempt ${r.attempts + 1} ${left > 0 ? `in ${left} s` : 'starting'}`;
}
