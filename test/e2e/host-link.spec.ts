/**
 * Browser mode when the host goes away: actions are disabled with a banner
 * saying why (no button spinning until a timeout), and a host restarted with
 * a new token is recognised instead of being retried forever.
 */
import { test, expect, startApp } from './app-fixture';
import { button, connect, createProfile, field, openApp } from './ui';

test('host stopped: banner, actions disabled; restarted with a new token: says to open the new address', async ({ page, app }) => {
  await openApp(page, app.url);
  await createProfile(page, { name: 'Linked', version: '3.1.1' });
  const p = await connect(page, 'Linked');
  await expect(button(p, 'Disconnect')).toBeEnabled();
  await field(p.getByRole('region', { name: 'Publish', exact: true }), 'Topic').fill('t');

  await app.stop();
  const banner = page.getByTestId('host-banner');
  await expect(banner).toContainText('Disconnected from the SessionScope host', { timeout: 5000 });
  await expect(banner).toContainText('paused');
  for (const name of ['Disconnect', 'Drop network', 'Publish', 'Subscribe']) await expect(button(p, name)).toBeDisabled();
  await expect(button(page, 'New Connection')).toBeDisabled();

  // The same port, a new process: a new access token this page does not have.
  const again = await startApp(app.dataDir, ['--port', new URL(app.url).port]);
  try {
    expect(again.token).not.toBe(app.token);
    await expect(banner).toContainText('SessionScope was restarted', { timeout: 15_000 });
    await expect(banner).toContainText('Open the address');
    await expect(button(p, 'Disconnect')).toBeDisabled();

    // The printed address works, and the profile is still there.
    await openApp(page, again.url);
    await expect(page.getByTestId('host-banner')).toHaveCount(0);
    await expect(page.locator('[data-testid="connection-item"][data-name="Linked"]')).toBeVisible();
  } finally {
    await again.stop();
  }
});
