/** Issue 6 acceptance: run offline-messages-v3 from the Scenarios view and read its verdict and Session Present values. */
import { test, expect } from './app-fixture';
import { button, openApp, openMainTab } from './ui';

test('offline-messages-v3 runs from the Scenarios view: pass, Session Present 0 then 1', async ({ page, app }) => {
  await openApp(page, app.url);
  await openMainTab(page, 'Scenarios');
  const card = page.locator('[data-testid="scenario-card"][data-scenario-id="offline-messages-v3"]');
  await expect(card).toBeVisible();
  await button(card, 'Run').click();

  const verdict = card.getByTestId('scenario-verdict');
  await expect(verdict).toBeVisible({ timeout: 30_000 });
  await expect(verdict).toHaveAttribute('data-verdict', 'pass');
  await expect(verdict).toHaveText('pass');
  const sp = card.getByTestId('scenario-session-present');
  await expect(sp).toHaveAttribute('data-values', '0,1');
  await expect(sp).toHaveText('0, 1');
  // Both messages came from the session queue, and each step reported a result.
  await expect(card.getByTestId('scenario-received')).not.toHaveText('nothing');
  const steps = card.getByTestId('scenario-step');
  expect(await steps.count()).toBeGreaterThan(2);
  await expect(steps.getByRole('cell', { name: 'fail', exact: true })).toHaveCount(0);
  // The Run button is usable again once the run ended.
  await expect(button(card, 'Run')).toBeEnabled();
});
