/**
 * Scenario results are kept per broker: after Run all on the embedded broker,
 * one scenario run against another broker shows only that result for it, says
 * where each result came from, and the embedded results come back with its URL.
 */
import { EmbeddedBroker } from '../../electron/core/broker';
import { test, expect } from './app-fixture';
import { button, field, openApp, openMainTab } from './ui';

test('cards say which broker a result came from, and a run against another broker does not show the embedded results', async ({ page, app }) => {
  test.setTimeout(120_000);
  const other = new EmbeddedBroker({ settings: { host: '127.0.0.1', port: 0, wsPort: null }, dataDir: null });
  const otherUrl = `mqtt://127.0.0.1:${(await other.start()).tcpPort}`;
  try {
    await openApp(page, app.url);
    await openMainTab(page, 'Scenarios');
    const card = (id: string) => page.locator(`[data-testid="scenario-card"][data-scenario-id="${id}"]`);
    const cards = page.getByTestId('scenario-card');
    const count = await cards.count();

    await button(page, 'Run all').click();
    await expect(page.getByTestId('scenario-run-status')).toHaveText(/^Run finished against embedded broker/, { timeout: 90_000 });
    await expect(page.getByTestId('scenario-verdict')).toHaveCount(count);
    await expect(card('clean-session-v3').getByTestId('scenario-result-source')).toContainText('Result from embedded broker (mqtt://127.0.0.1:');

    await field(page, 'Broker URL').fill(otherUrl);
    // Nothing has run against that broker yet: no card claims a verdict for it.
    await expect(page.getByTestId('scenario-verdict')).toHaveCount(0);
    await expect(page.getByRole('region', { name: 'Scenario report' })).toHaveCount(0);
    await expect(card('clean-session-v3').getByTestId('scenario-other-results')).toContainText('Not run against this broker yet');
    await expect(card('clean-session-v3').getByTestId('scenario-other-result')).toContainText('embedded broker');

    await button(card('offline-messages-v3'), 'Run').click();
    await expect(card('offline-messages-v3').getByTestId('scenario-verdict')).toHaveAttribute('data-verdict', 'pass', { timeout: 30_000 });
    await expect(card('offline-messages-v3').getByTestId('scenario-result-source')).toContainText(`Result from ${otherUrl} ·`);
    await expect(page.getByRole('region', { name: 'Scenario report' })).toContainText(`Report: ${otherUrl}`);
    // Still only the one result for this broker; the embedded ones are listed apart, as another broker's.
    await expect(page.getByTestId('scenario-verdict')).toHaveCount(1);
    await expect(card('offline-messages-v3').getByTestId('scenario-other-result')).toContainText('embedded broker');

    // Back to the embedded broker: its results, untouched.
    await field(page, 'Broker URL').fill('');
    await expect(page.getByTestId('scenario-verdict')).toHaveCount(count);
    await expect(card('offline-messages-v3').getByTestId('scenario-result-source')).toContainText('Result from embedded broker');
    await expect(card('offline-messages-v3').getByTestId('scenario-other-result')).toContainText(otherUrl);
  } finally {
    await other.stop();
  }
});
