/**
 * Cancelling a run: the interrupted scenario shows as cancelled (neutral),
 * not failed; the report counts it as cancelled and the status line says the
 * run was cancelled. Verdict badges stay readable (4.5:1) in both themes.
 */
import type { Page } from '@playwright/test';
import { test, expect } from './app-fixture';
import { button, openApp, openMainTab } from './ui';

/** Smallest text/background contrast over the visible verdict badges, from their computed colours. */
async function worstBadgeContrast(page: Page): Promise<number> {
  // The e2e project compiles without the DOM library: the page's globals are described here.
  return page.locator('[data-verdict]').evaluateAll((els) => {
    const { getComputedStyle } = globalThis as unknown as { getComputedStyle(e: unknown): { color: string; backgroundColor: string } };
    const rgb = (c: string) => (c.match(/[\d.]+/g) ?? []).slice(0, 3).map(Number);
    const lum = ([r, g, b]: number[]) =>
      [r, g, b].map((v) => (v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4).reduce((s, v, i) => s + v * [0.2126, 0.7152, 0.0722][i], 0);
    let worst = Infinity;
    for (const el of els) {
      const st = getComputedStyle(el);
      const [a, b] = [lum(rgb(st.color)), lum(rgb(st.backgroundColor))];
      worst = Math.min(worst, (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05));
    }
    return worst;
  });
}

test('a cancelled scenario shows as cancelled, not failed, and the status line says the run was cancelled', async ({ page, app }) => {
  await openApp(page, app.url);
  await openMainTab(page, 'Scenarios');
  const status = page.getByTestId('scenario-run-status');
  await button(page, 'Run all').click();
  // Session expiry waits a few seconds for the session to expire: cancel in the middle of it.
  await expect(status).toContainText('Running “Session expiry (MQTT 5)” (4 of 13) against embedded broker', { timeout: 30_000 });
  await button(page, 'Cancel run').click();
  await expect(status).toHaveText(/^Run cancelled against embedded broker \(mqtt:\/\/127\.0\.0\.1:\d+\): 3 of 13 scenarios finished; “Session expiry \(MQTT 5\)” was interrupted$/);
  await expect(page.getByText('Run finished')).toHaveCount(0);

  const card = page.locator('[data-testid="scenario-card"][data-scenario-id="session-expiry-v5"]');
  await expect(card.getByTestId('scenario-verdict')).toHaveAttribute('data-verdict', 'cancelled');
  await expect(card.getByTestId('scenario-verdict')).toHaveText('cancelled');
  await expect(card.getByTestId('scenario-cancelled-note')).toContainText('says nothing about the broker');
  await expect(card.getByRole('alert')).toHaveCount(0);
  await expect(page.locator('[data-verdict="fail"]')).toHaveCount(0);
  // Scenarios the cancel never reached have no verdict.
  await expect(page.locator('[data-testid="scenario-card"][data-scenario-id="queue-limit"]').getByTestId('scenario-verdict')).toHaveCount(0);

  const summary = page.getByTestId('scenario-report-summary');
  await expect(summary).toContainText('4 scenarios · 3 passed · 0 failed · 1 cancelled');
  await expect(summary).toContainText(/started \d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
  await expect(page.getByTestId('scenario-report-cancelled')).toBeVisible();

  expect(await worstBadgeContrast(page)).toBeGreaterThanOrEqual(4.5);
  await button(page, 'Toggle color scheme').click();
  await expect(page.locator('html')).toHaveAttribute('data-mantine-color-scheme', 'dark');
  expect(await worstBadgeContrast(page)).toBeGreaterThanOrEqual(4.5);
});
