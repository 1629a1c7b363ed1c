/**
 * How a scenario or step verdict is shown (pure, unit-tested). Shades are
 * fixed, so a filled badge has the same text contrast in both themes; each
 * pair reaches WCAG AA for small text (4.5:1). Mantine's default filled
 * yellow with white text, for example, is 1.86:1.
 */
import type { ScenarioResult, StepResult, Verdict } from '../../../../shared/scenario';

/** A verdict as the UI shows it: a cancelled run is neither a pass nor the broker's failure. */
export type ShownVerdict = Verdict | 'cancelled';

export const VERDICT_STYLE: Record<ShownVerdict, { color: string; text: 'white' | 'black'; label: string }> = {
  pass: { color: 'teal.9', text: 'white', label: 'pass' },
  fail: { color: 'red.9', text: 'white', label: 'fail' },
  'broker-choice': { color: 'yellow.6', text: 'black', label: 'broker choice' },
  cancelled: { color: 'gray.7', text: 'white', label: 'cancelled' },
};

export function shownVerdict(r: Pick<ScenarioResult, 'verdict' | 'cancelled'> | Pick<StepResult, 'verdict' | 'cancelled'>): ShownVerdict {
  return r.cancelled ? 'cancelled' : r.verdict;
}
