/** Keyboard focus in the connection dialogs: starts on the first field, stays inside, and unsaved edits are not dropped silently. */
import type { Locator, Page } from '@playwright/test';
import { test, expect } from './app-fixture';
import { button, connectionItem, createProfile, field, openApp } from './ui';

/** Tabs through the dialog (forwards and back) and checks focus never leaves it. */
async function expectTabStaysInside(page: Page, dialog: Locator, presses = 40): Promise<void> {
  for (let i = 0; i < presses; i++) {
    await page.keyboard.press(i < presses / 2 ? 'Tab' : 'Shift+Tab');
    await expect(dialog.locator(':focus')).toHaveCount(1);
  }
}

const openFromMenu = async (page: Page, name: string, item: 'Edit' | 'Delete…') => {
  await connectionItem(page, name).getByRole('button', { name: `Actions for ${name}`, exact: true }).click();
  await page.getByRole('menuitem', { name: item, exact: true }).click();
  const dialog = page.getByRole('dialog');
  // As a user would: act once the dialog has taken focus.
  await expect(dialog.locator(':focus')).toHaveCount(1);
  return dialog;
};

test('New Connection and Edit start on Name and keep Tab inside; Delete starts on Cancel and returns focus to the menu button', async ({ page, app }) => {
  await openApp(page, app.url);
  await button(page, 'New Connection').click();
  let dialog = page.getByRole('dialog');
  await expect(field(dialog, 'Name')).toBeFocused();
  await expectTabStaysInside(page, dialog);
  await button(dialog, 'Cancel').click();
  await expect(dialog).toBeHidden();

  await createProfile(page, { name: 'Focus me', version: '5.0' });
  dialog = await openFromMenu(page, 'Focus me', 'Edit');
  await expect(field(dialog, 'Name')).toBeFocused();
  await expectTabStaysInside(page, dialog);
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();

  dialog = await openFromMenu(page, 'Focus me', 'Delete…');
  await expect(button(dialog, 'Cancel')).toBeFocused();
  await expect(dialog).toContainText('Clean Start on and Session Expiry Interval 0');
  await expectTabStaysInside(page, dialog, 8);
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(connectionItem(page, 'Focus me').getByRole('button', { name: 'Actions for Focus me', exact: true })).toBeFocused();
});

test('Escape with unsaved edits asks first; a failed save focuses the first invalid field', async ({ page, app }) => {
  await openApp(page, app.url);
  await createProfile(page, { name: 'Careful', version: '3.1.1' });
  let dialog = await openFromMenu(page, 'Careful', 'Edit');
  await field(dialog, 'Host').fill('example.invalid');
  await page.keyboard.press('Escape');
  const ask = dialog.getByRole('alertdialog', { name: 'Discard your changes?' });
  await expect(ask).toBeVisible();
  await expect(button(ask, 'Keep editing')).toBeFocused();
  await page.keyboard.press('Escape'); // = keep editing
  await expect(ask).toBeHidden();
  await expect(field(dialog, 'Host')).toHaveValue('example.invalid');
  await page.keyboard.press('Escape');
  await button(dialog.getByRole('alertdialog'), 'Discard changes').click();
  await expect(dialog).toBeHidden();
  await expect(connectionItem(page, 'Careful')).not.toContainText('example.invalid');

  // Without edits Escape just closes.
  dialog = await openFromMenu(page, 'Careful', 'Edit');
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();

  // The invalid field sits in a collapsed section: it is opened, scrolled to and focused.
  dialog = await openFromMenu(page, 'Careful', 'Edit');
  await dialog.getByRole('button', { name: /^Timing, reconnect/ }).click();
  await field(dialog, 'Keep-alive (s)').fill('70000');
  await dialog.getByRole('button', { name: /^Timing, reconnect/ }).click(); // collapse it again
  await button(dialog, 'Save').click();
  await expect(field(dialog, 'Keep-alive (s)')).toBeFocused();
  await expect(field(dialog, 'Keep-alive (s)')).toBeInViewport();
  // Two errors: the first in form order wins.
  await field(dialog, 'Port').fill('0');
  await button(dialog, 'Save').click();
  await expect(field(dialog, 'Port')).toBeFocused();
});
