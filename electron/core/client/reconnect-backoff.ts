/**
 * Auto-reconnect timing: exponential backoff from the profile's reconnect
 * period, capped, with jitter so many clients cut off by the same broker
 * restart do not all come back in the same millisecond. Also which CONNACK
 * refusals are worth retrying (the broker is busy) and which are not (bad
 * credentials will be refused again, forever).
 */

export interface BackoffOptions {
  /** Upper bound of the delay; the profile's period is used when it is larger. */
  maxDelayMs: number;
  /** Fraction of the delay taken off at random (0 = none, 0.2 = up to 20% shorter). */
  jitter: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { maxDelayMs: 30_000, jitter: 0.2 };

/**
 * Delay before reconnect attempt `attempt` (1 = first retry): base · 2^(attempt-1),
 * capped at max(base, maxDelayMs), then shortened by up to `jitter`. Jitter only
 * shortens, so a delay never exceeds the cap and never outgrows the exponential.
 */
export function backoffDelay(attempt: number, baseMs: number, opts: BackoffOptions, random: () => number = Math.random): number {
  const cap = Math.max(baseMs, opts.maxDelayMs);
  const exp = Math.min(cap, baseMs * 2 ** Math.min(Math.max(attempt - 1, 0), 30));
  const jitter = Math.min(Math.max(opts.jitter, 0), 1);
  return Math.max(1, Math.round(exp * (1 - jitter * random())));
}

/**
 * CONNACK codes that say "not now" rather than "never": 3.x Server unavailable,
 * 5.0 Server unavailable / busy, Quota exceeded, Connection rate exceeded.
 */
export function isTransientConnackRefusal(code: number, protocolVersion: number): boolean {
  if (protocolVersion < 5) return code === 0x03;
  return code === 0x88 || code === 0x89 || code === 0x97 || code === 0x9f;
}

/** One pending auto-reconnect: the timer, the attempt count and when it fires. */
export class ReconnectSchedule {
  private timer: NodeJS.Timeout | null = null;
  /** Attempts made since the last connection that stayed up (see STABLE_CONNECTION_MS). */
  attempt = 0;
  nextAttemptAt: number | null = null;
  delayMs: number | null = null;

  constructor(private readonly opts: BackoffOptions) {}

  get pending(): boolean {
    return this.timer !== null;
  }

  /** Schedules the next attempt; returns its delay. */
  schedule(baseMs: number, run: () => void): number {
    this.cancel();
    const delay = backoffDelay(this.attempt + 1, baseMs, this.opts);
    this.delayMs = delay;
    this.nextAttemptAt = Date.now() + delay;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.nextAttemptAt = null;
      this.attempt++;
      run();
    }, delay);
    return delay;
  }

  cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.nextAttemptAt = null;
  }

  /** A connection stayed up: the next drop starts from the base period again. */
  forgetAttempts(): void {
    this.attempt = 0;
    this.delayMs = null;
  }

  /** The user took over (connect, disconnect): no retry pending, the next drop starts from the base period. */
  reset(): void {
    this.cancel();
    this.attempt = 0;
    this.delayMs = null;
  }
}
