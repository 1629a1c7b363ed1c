/** Restarting the embedded broker asks first (saying who is affected) and keeps its ports, so saved profiles still point at it. */
import { test, expect } from './app-fixture';
import { button, connect, createProfile, openApp, openMainTab, pane } from './ui';

test('Restart broker asks for confirmation with the number of connected clients, and keeps the TCP and WebSocket ports', async ({ page, app }) => {
  await openApp(page, app.url);
  await createProfile(page, { name: 'Client', version: '3.1.1', clientId: 'restart_client' });
  await connect(page, 'Client');

  await openMainTab(page, 'Broker');
  const tcp = await page.getByTestId('broker-tcp-port').textContent();
  const ws = await page.getByTestId('broker-ws-port').textContent();
  expect(Number(ws)).toBeGreaterThan(0);
  await expect(page.getByTestId('broker-ports-note')).toContainText(`WebSocket ${ws} was picked automatically`);

  // Asking is not doing: cancel leaves the client connected.
  await button(page, 'Restart broker').click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toContainText('1 connected client will be disconnected');
  await button(dialog, 'Cancel').click();
  await expect(dialog).toBeHidden();
  await openMainTab(page, 'Connections');
  await expect(pane(page, 'Client').getByTestId('connection-status')).toHaveText('connected');

  await openMainTab(page, 'Broker');
  for (let i = 0; i < 2; i++) {
    const started = await page.getByTestId('broker-started-at').textContent();
    await button(page, 'Restart broker').click();
    await button(page.getByRole('dialog'), 'Restart').click();
    await expect(page.getByRole('dialog')).toBeHidden();
    // Restarted (a new start time), and on the ports it had.
    await expect(page.getByTestId('broker-started-at')).not.toHaveText(started!);
    await expect(page.getByTestId('broker-tcp-port')).toHaveText(tcp!);
    await expect(page.getByTestId('broker-ws-port')).toHaveText(ws!);
  }
  await expect(page.getByTestId('broker-port-notice')).toHaveCount(0);
});
