/** A connect that never reaches a broker is still in the CONNACK panel: no Session Present claimed, and why. */
import net from 'node:net';
import { test, expect } from './app-fixture';
import { button, connectionItem, field, fillNewProfile, openApp, pane } from './ui';

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

test('connecting to a port where nothing listens shows "no CONNACK" with the reason, not Session Present 0', async ({ page, app }) => {
  await openApp(page, app.url);
  const dialog = await fillNewProfile(page, { name: 'Nowhere', version: '5.0' });
  await field(dialog, 'Port').fill(String(await freePort()));
  await button(dialog, 'Save').click();
  await expect(dialog).toBeHidden();
  await connectionItem(page, 'Nowhere').getByRole('button').first().click();
  const p = pane(page, 'Nowhere');
  await button(p, 'Connect').click();
  const connack = p.getByRole('region', { name: 'CONNACK' });
  await expect(connack).toContainText('No CONNACK yet');
  await expect(connack.getByTestId('connack-failed-attempts')).toContainText(/Nothing is listening/);
  await expect(connack.getByTestId('connack-session-present')).toHaveCount(0);
});
