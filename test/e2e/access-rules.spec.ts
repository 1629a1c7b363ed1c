/** Access rules in the Broker view: the demo rule is there, a new deny rule takes effect at once, SUBACK codes show it. */
import { test, expect } from './app-fixture';
import { button, connect, createProfile, field, openApp, openMainTab, subscribe } from './ui';

test('a deny rule added in the Broker view refuses the next SUBSCRIBE with its code; the demo rule refuses test/nosubscribe', async ({ page, app }) => {
  await openApp(page, app.url);
  await openMainTab(page, 'Broker');
  const card = page.getByRole('region', { name: 'Access rules' });
  await expect(card.getByTestId('access-rules')).toContainText('test/nosubscribe');
  const form = card.getByRole('form', { name: 'Add an access rule' });
  await field(form, 'Topic filter').fill('secret/#');
  await button(form, 'Add rule').click();
  await expect(page.getByText('Rule added: deny subscribe secret/#')).toBeVisible();
  await expect(card.getByTestId('access-rules')).toContainText('secret/#');

  await openMainTab(page, 'Connections');
  await createProfile(page, { name: 'ACL', version: '5.0' });
  const p = await connect(page, 'ACL');
  await subscribe(p, 'secret/x', '1');
  await expect(p.locator('[data-testid="subscription-item"][data-topic="secret/x"]')).toContainText(/0x87/);
  await subscribe(p, 'test/nosubscribe', '1');
  await expect(p.locator('[data-testid="subscription-item"][data-topic="test/nosubscribe"]')).toContainText(/0x80/);
  await subscribe(p, 'open/x', '1');
  await expect(p.locator('[data-testid="subscription-item"][data-topic="open/x"]')).not.toContainText(/0x8/);

  await openMainTab(page, 'Broker');
  await card.getByRole('button', { name: 'Remove rule 2' }).click();
  await expect(card.getByTestId('access-rules')).not.toContainText('secret/#');
});
