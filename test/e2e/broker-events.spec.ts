/** The broker's event log: what happened before a reload is still there after it, readable in full and filterable. */
import { test, expect } from './app-fixture';
import { button, connect, createProfile, disconnect, field, openApp, openMainTab } from './ui';

test('broker events survive a page reload, can be filtered by client ID and read in full', async ({ page, app }) => {
  await openApp(page, app.url);
  await createProfile(page, { name: 'Sensor', version: '3.1.1', clientId: 'history_sensor', clean: false });
  await connect(page, 'Sensor');
  await disconnect(page, 'Sensor');

  await openMainTab(page, 'Broker');
  await page.getByRole('tab', { name: 'Event log' }).click();
  const log = page.getByRole('listbox', { name: 'Broker events' });
  const sensorEvents = log.locator('[data-testid="broker-event"][data-client-id="history_sensor"]');
  await expect(sensorEvents.and(page.locator('[data-kind="client-connected"]'))).toHaveCount(1);
  await expect(sensorEvents.and(page.locator('[data-kind="client-disconnected"]'))).toHaveCount(1);

  await page.reload();
  await expect(page.getByTestId('broker-status')).toContainText(/running/i);
  await openMainTab(page, 'Broker');
  await page.getByRole('tab', { name: 'Event log' }).click();
  await expect(sensorEvents.and(page.locator('[data-kind="client-connected"]'))).toHaveCount(1);
  await expect(sensorEvents.and(page.locator('[data-kind="session-created"]'))).toHaveCount(1);
  await expect(sensorEvents.and(page.locator('[data-kind="client-disconnected"]'))).toHaveCount(1);
  await expect(page.getByTestId('broker-event-cap')).toContainText('newest 2,000 events');

  // Only this client's events, then the connect read in full (the row itself may cut the text).
  await field(page, 'Client ID filter').fill('HISTORY_S');
  await expect(log.getByTestId('broker-event')).toHaveCount(3);
  await sensorEvents.and(page.locator('[data-kind="client-connected"]')).click();
  const detail = page.getByRole('region', { name: 'Event detail' });
  await expect(detail).toContainText('history_sensor');
  await expect(detail).toContainText(/Clean Session 0, expiry 7200 s, keep-alive 60 s/);

  await field(page, 'Client ID filter').fill('nobody-has-this-id');
  await expect(page.getByText('No events match the filter')).toBeVisible();
  await button(page, 'Clear client ID filter').click();
  await expect(log.getByTestId('broker-event')).not.toHaveCount(0);
});
