/** Wording and checks shared by the scenario files. */
import type { Verdict } from '../../../shared/scenario';
import type { ProbeClient, ProbeMessage } from './probe-client';

/** How long "nothing arrives" is watched before it counts as nothing. */
export const QUIET_MS = 800;
/** Extra wait after the expected messages arrived, to catch duplicates. */
export const SETTLE_MS = 300;

export function sp(c: { sessionPresent: boolean }): string {
  return `Session Present ${c.sessionPresent ? 1 : 0}`;
}

export function verdict(ok: boolean): Verdict {
  return ok ? 'pass' : 'fail';
}

export function listPayloads(msgs: { payload: string }[]): string {
  if (msgs.length === 0) return 'no messages';
  const shown = msgs.slice(0, 10).map((m) => JSON.stringify(m.payload));
  return `${msgs.length} message${msgs.length === 1 ? '' : 's'}: ${shown.join(', ')}${msgs.length > 10 ? ', …' : ''}`;
}

export function samePayloads(msgs: ProbeMessage[], expected: string[]): boolean {
  return msgs.length === expected.length && msgs.every((m, i) => m.payload === expected[i]);
}

/** The CONNACK's Session Expiry Interval when the broker overrode the requested one. */
export function grantedExpiry(c: ProbeClient, requested: number): number {
  const v = c.connack?.properties.sessionExpiryInterval;
  return typeof v === 'number' ? v : requested;
}

export function connackText(c: ProbeClient): string {
  const rc = c.connack?.reasonCode ?? 0;
  return `CONNACK 0x${rc.toString(16).padStart(2, '0')}, ${sp(c)}`;
}
