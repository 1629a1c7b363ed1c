/**
 * Each connection keeps its own forms, filters and tab: what is typed on one
 * never shows on another, and it is still there when you come back.
 */
import { test, expect } from './app-fixture';
import { button, createProfile, field, openApp, selectConnection } from './ui';

test('subscribe, publish, filters and the open tab belong to one connection', async ({ page, app }) => {
  await openApp(page, app.url);
  await createProfile(page, { name: 'Alpha', version: '5.0' });
  await createProfile(page, { name: 'Beta', version: '5.0' });

  const a = await selectConnection(page, 'Alpha');
  const sub = (p: typeof a) => p.getByRole('region', { name: 'Subscribe', exact: true });
  const pub = (p: typeof a) => p.getByRole('region', { name: 'Publish', exact: true });
  await field(sub(a), 'Topic').fill('alpha/sub/#');
  await field(sub(a), 'QoS').selectOption('2');
  await field(pub(a), 'Topic').fill('alpha/pub');
  await field(pub(a), 'QoS').selectOption('1');
  await field(pub(a), 'Format').selectOption('json');
  await field(pub(a), 'Payload').fill('{"from":"alpha"}');
  await a.getByLabel('Topic filter').fill('alpha/#');

  const b = await selectConnection(page, 'Beta');
  await expect(field(sub(b), 'Topic')).toHaveValue('');
  await expect(field(sub(b), 'QoS')).toHaveValue('0');
  await expect(field(pub(b), 'Topic')).toHaveValue('');
  await expect(field(pub(b), 'QoS')).toHaveValue('0');
  await expect(field(pub(b), 'Format')).toHaveValue('text');
  await expect(field(pub(b), 'Payload')).toHaveValue('');
  await expect(b.getByLabel('Topic filter')).toHaveValue('');
  // Beta's own tab choice, while Alpha stays on Messages.
  await b.getByRole('tab', { name: 'Packet timeline', exact: true }).click();
  await field(pub(b), 'Payload').fill('beta draft');

  const back = await selectConnection(page, 'Alpha');
  await expect(back.getByRole('tab', { name: 'Messages', exact: true })).toHaveAttribute('aria-selected', 'true');
  await expect(field(sub(back), 'Topic')).toHaveValue('alpha/sub/#');
  await expect(field(sub(back), 'QoS')).toHaveValue('2');
  await expect(field(pub(back), 'Topic')).toHaveValue('alpha/pub');
  await expect(field(pub(back), 'QoS')).toHaveValue('1');
  await expect(field(pub(back), 'Format')).toHaveValue('json');
  await expect(field(pub(back), 'Payload')).toHaveValue('{"from":"alpha"}');
  await expect(back.getByLabel('Topic filter')).toHaveValue('alpha/#');

  const beta = await selectConnection(page, 'Beta');
  await expect(beta.getByRole('tab', { name: 'Packet timeline', exact: true })).toHaveAttribute('aria-selected', 'true');
  await expect(field(pub(beta), 'Payload')).toHaveValue('beta draft');
  await expect(button(pub(beta), 'Publish')).toBeVisible();
});
