/** An out-of-range broker setting is explained at its field, with the allowed range, and nothing is sent. */
import { test, expect } from './app-fixture';
import { button, field, openApp, openMainTab } from './ui';

test('a stall timeout of 99999 shows the allowed range at the field and is not saved', async ({ page, app }) => {
  await openApp(page, app.url);
  await openMainTab(page, 'Broker');
  const settings = page.getByRole('region', { name: 'Broker settings' });
  const stall = field(settings, 'Stall timeout (s)');
  await expect(stall).toHaveValue('10');
  await stall.fill('99999');
  await expect(settings.getByText('Too big: at most 3,600 (allowed 1–3,600)')).toBeVisible();
  await expect(stall).toHaveAttribute('aria-invalid', 'true');
  await button(settings, 'Save settings').click();
  await expect(page.getByText(/Invalid request/)).toHaveCount(0);
  await expect(page.getByText('Broker settings saved')).toHaveCount(0);

  await stall.fill('30');
  await expect(stall).toHaveAttribute('aria-invalid', 'false');
  await button(settings, 'Save settings').click();
  await expect(page.getByText('Broker settings saved')).toBeVisible();
});
