/** Which payload tab the message detail shows (pure, unit-tested). */
export type PayloadTab = 'text' | 'json' | 'hex' | 'props';

/** A JSON choice falls back to Text on a message that is not JSON; the choice is kept for the next JSON one. */
export function effectiveTab(chosen: PayloadTab, isJson: boolean): PayloadTab {
  return chosen === 'json' && !isJson ? 'text' : chosen;
}
