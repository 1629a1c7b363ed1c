/**
 * Issue 2 acceptance: profiles are created through the form, survive a reload
 * with the same session settings, and invalid input shows field errors.
 */
import { test, expect } from './app-fixture';
import { button, connect, connectionItem, createProfile, field, fillNewProfile, openApp } from './ui';

test('a 3.1.1 profile (Clean Session off) and a 5.0 profile (Clean Start off, expiry 300) survive a reload', async ({ page, app }) => {
  await openApp(page, app.url);
  await createProfile(page, { name: 'V3 persistent', version: '3.1.1', clientId: 'e2e-v3-fixed', clean: false });
  await createProfile(page, { name: 'V5 persistent', version: '5.0', clientId: 'e2e-v5-fixed', clean: false, sessionExpiry: 300 });

  await page.reload();
  await expect(page.getByTestId('connection-item')).toHaveCount(2);

  const openEditor = async (name: string) => {
    await connectionItem(page, name).getByRole('button', { name: `Actions for ${name}`, exact: true }).click();
    await page.getByRole('menuitem', { name: 'Edit', exact: true }).click();
    const dialog = page.getByRole('dialog');
    await expect(field(dialog, 'Name')).toHaveValue(name);
    return dialog;
  };

  let dialog = await openEditor('V3 persistent');
  await expect(field(dialog, 'MQTT Version')).toHaveValue('3.1.1');
  await expect(field(dialog, 'Client ID')).toHaveValue('e2e-v3-fixed');
  await expect(field(dialog, 'Clean Session')).not.toBeChecked();
  await expect(field(dialog, 'Clean Start')).toHaveCount(0);
  await button(dialog, 'Cancel').click();
  await expect(dialog).toBeHidden();

  dialog = await openEditor('V5 persistent');
  await expect(field(dialog, 'MQTT Version')).toHaveValue('5.0');
  await expect(field(dialog, 'Client ID')).toHaveValue('e2e-v5-fixed');
  await expect(field(dialog, 'Clean Start')).not.toBeChecked();
  await expect(field(dialog, 'Session Expiry Interval')).toHaveValue('300');
  await button(dialog, 'Cancel').click();
  await expect(dialog).toBeHidden();

  // The sidebar's summary line shows the same values without opening the form.
  await expect(connectionItem(page, 'V3 persistent')).toContainText('3.1.1');
  await expect(connectionItem(page, 'V5 persistent')).toContainText('5.0');
});

test('an invalid port and an empty client ID with Clean Session off show field errors', async ({ page, app }) => {
  await openApp(page, app.url);
  const dialog = await fillNewProfile(page, { name: 'Broken', version: '3.1.1', clientId: '', clean: false });
  await field(dialog, 'Port').fill('70000');
  await button(dialog, 'Save').click();
  // Mantine marks the input invalid and shows the message under it.
  await expect(field(dialog, 'Port')).toHaveAttribute('aria-invalid', 'true');
  await expect(dialog.getByText('Port must be between 1 and 65535', { exact: true })).toBeVisible();

  // The client-ID rule is cross-field (empty ID + Clean Session off, 3.x); it is checked once the port is valid.
  await field(dialog, 'Port').fill('1883');
  await button(dialog, 'Save').click();
  await expect(field(dialog, 'Port')).toHaveAttribute('aria-invalid', 'false');
  await expect(field(dialog, 'Client ID')).toHaveAttribute('aria-invalid', 'true');
  await expect(dialog.getByText(/persistent session \(Clean Session off\) needs a client ID/)).toBeVisible();
  // Nothing was saved.
  await expect(dialog).toBeVisible();
  await button(dialog, 'Cancel').click();
  await expect(page.getByTestId('connection-item')).toHaveCount(0);

  // With Clean Session on, an empty client ID is allowed (the broker assigns one) and a valid port saves.
  const again = await fillNewProfile(page, { name: 'Fine', version: '3.1.1', clientId: '', clean: true });
  await button(again, 'Save').click();
  await expect(again).toBeHidden();
  await expect(connectionItem(page, 'Fine')).toBeVisible();
});

test('saving a connected profile says the change applies on the next connect', async ({ page, app }) => {
  await openApp(page, app.url);
  await createProfile(page, { name: 'Live', version: '3.1.1' });
  await connect(page, 'Live');
  await connectionItem(page, 'Live').getByRole('button', { name: 'Actions for Live', exact: true }).click();
  await page.getByRole('menuitem', { name: 'Edit', exact: true }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByRole('button', { name: /^Timing, reconnect/ }).click();
  await field(dialog, 'Keep-alive (s)').fill('30');
  await button(dialog, 'Save').click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('alert').filter({ hasText: 'apply on the next connect' })).toBeVisible();
});

test('after a reload the connection you had selected is still selected', async ({ page, app }) => {
  await openApp(page, app.url);
  await createProfile(page, { name: 'First one', version: '3.1.1' });
  await createProfile(page, { name: 'Second one', version: '5.0' });
  await connectionItem(page, 'First one').getByRole('button').first().click();
  await expect(page.locator('[data-testid="connection-pane"][data-name="First one"]')).toBeVisible();
  await page.reload();
  await expect(page.locator('[data-testid="connection-pane"][data-name="First one"]')).toBeVisible();
  await expect(page.locator('[data-testid="connection-pane"]')).toHaveCount(1);
});
