/** Split view: two connections side by side with aligned headers; the sidebar and menus say what each click does. */
import { test, expect } from './app-fixture';
import { connectionItem, createProfile, openApp, pane, selectConnection } from './ui';

test('side by side: aligned headers, clicking the right one keeps the split, the menus explain themselves', async ({ page, app }) => {
  await openApp(page, app.url);
  await createProfile(page, { name: 'A connection with a rather long name indeed', version: '3.1.1' });
  await createProfile(page, { name: 'Short', version: '5.0' });
  await selectConnection(page, 'A connection with a rather long name indeed');

  const menuOf = async (name: string) => {
    await connectionItem(page, name).getByRole('button', { name: `Actions for ${name}`, exact: true }).click();
    return page.getByRole('menu');
  };
  let menu = await menuOf('Short');
  await menu.getByRole('menuitem', { name: 'Show side by side', exact: true }).click();
  const left = pane(page, 'A connection with a rather long name indeed');
  const right = pane(page, 'Short');
  await expect(left).toBeVisible();
  await expect(right).toBeVisible();

  // Both headers are the same height, so the panels below start at the same line.
  const lh = await left.getByTestId('connection-header').boundingBox();
  const rh = await right.getByTestId('connection-header').boundingBox();
  expect(lh!.height).toBeGreaterThan(0);
  expect(Math.abs(lh!.height - rh!.height)).toBeLessThan(1);
  // The long name is cut in the half-width header but readable in full on hover.
  await left.getByTestId('connection-title').hover();
  await expect(page.getByRole('tooltip')).toHaveText('A connection with a rather long name indeed');

  // Clicking the right pane's connection in the sidebar no longer closes the split.
  await connectionItem(page, 'Short').getByRole('button').first().click();
  await expect(left).toBeVisible();
  await expect(right).toBeVisible();

  // The selected (left) connection offers a neighbour instead of silently doing nothing.
  menu = await menuOf('A connection with a rather long name indeed');
  await expect(menu.getByRole('menuitem', { name: 'Show side by side with…' })).toBeVisible();
  await page.keyboard.press('Escape');

  menu = await menuOf('Short');
  await menu.getByRole('menuitem', { name: 'Close side by side', exact: true }).click();
  await expect(right).toBeHidden();
  await expect(left).toBeVisible();
});
