/** The packet detail decodes CONNECT / CONNACK / SUBACK under spec names and never shows the password. */
import { test, expect } from './app-fixture';
import { button, connect, field, openApp, subscribe } from './ui';

test('packet detail: CONNECT fields without the password, CONNACK and SUBACK reason names', async ({ page, app }) => {
  await openApp(page, app.url);
  await button(page, 'New Connection').click();
  const dialog = page.getByRole('dialog');
  await field(dialog, 'Name').fill('Detail');
  await field(dialog, 'Client ID').fill('detail_e2e');
  await field(dialog, 'Username').fill('alice');
  await field(dialog, 'Password').fill('pw-never-shown');
  await button(dialog, 'Save').click();
  await expect(dialog).toBeHidden();

  const p = await connect(page, 'Detail');
  await subscribe(p, 'detail/#', '1');
  await p.getByRole('tab', { name: 'Packet timeline', exact: true }).click();

  const detail = p.getByRole('region', { name: 'Packet detail' });
  const row = (name: string) => detail.getByTestId('packet-fields').getByRole('row').filter({ has: page.getByRole('cell', { name, exact: true }) });
  await p.locator('[data-testid="packet-row"][data-type="connect"]').click();
  await expect(row('Client Identifier')).toContainText('detail_e2e');
  await expect(row('Protocol Level')).toContainText('5 (MQTT 5.0)');
  await expect(row('Clean Start')).toContainText('1 (on)');
  await expect(row('Keep Alive')).toContainText('60 s');
  await expect(row('User Name')).toContainText('alice');
  await expect(row('Password')).toContainText('set');
  await expect(row('Session Expiry Interval')).toContainText('0');
  await expect(detail.getByTestId('packet-hex')).toBeVisible();
  await expect(detail).not.toContainText('pw-never-shown');
  // The ASCII column of the dump is there, and masks the password.
  await expect(detail.getByTestId('packet-hex')).toContainText('alice');

  await p.locator('[data-testid="packet-row"][data-type="connack"]').click();
  await expect(row('Reason Code')).toContainText('0x00 Success');
  await expect(row('Session Present')).toContainText('0');

  await p.locator('[data-testid="packet-row"][data-type="suback"]').click();
  await expect(row('Reason Code 1')).toContainText('0x01 Granted QoS 1');
});
