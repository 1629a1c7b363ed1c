/** Form conveniences: WebSocket to the embedded broker just works, Ctrl+Enter publishes, user properties are named right. */
import { test, expect } from './app-fixture';
import { button, connect, createProfile, field, openApp } from './ui';

test('Protocol ws suggests the embedded broker’s WebSocket port and path, and connects', async ({ page, app }) => {
  await openApp(page, app.url);
  const wsPort = /ws (\d+)/.exec((await page.getByTestId('broker-port').textContent()) ?? '')![1];
  await button(page, 'New Connection').click();
  const dialog = page.getByRole('dialog');
  await field(dialog, 'Name').fill('Over WS');
  await field(dialog, 'Protocol').selectOption('ws');
  await expect(field(dialog, 'Port')).toHaveValue(wsPort);
  await expect(field(dialog, 'Path')).toHaveValue('/mqtt');
  await expect(dialog.getByTestId('embedded-hint')).toContainText(`WebSocket on port ${wsPort}, path /mqtt`);
  await dialog.getByRole('button', { name: /^MQTT 5.0 connect properties/ }).click();
  await expect(button(dialog, '+ Add user property')).toBeVisible();
  await button(dialog, 'Save').click();
  await expect(dialog).toBeHidden();
  const p = await connect(page, 'Over WS');
  await expect(p.getByTestId('connection-header')).toContainText(`ws://127.0.0.1:${wsPort}/mqtt`);
});

test('Ctrl+Enter in Payload publishes', async ({ page, app }) => {
  await openApp(page, app.url);
  await createProfile(page, { name: 'Quick', version: '3.1.1' });
  const p = await connect(page, 'Quick');
  const pub = p.getByRole('region', { name: 'Publish', exact: true });
  await field(pub, 'Topic').fill('quick/t');
  await field(pub, 'Payload').fill('sent with the keyboard');
  await field(pub, 'Payload').press('Control+Enter');
  await expect(p.getByTestId('message-row').filter({ hasText: 'sent with the keyboard' })).toHaveCount(1);
  await expect(field(pub, 'Payload')).toHaveValue('sent with the keyboard');
});

test('5.0 DISCONNECT options: raising a 0 expiry is an inline error, Enter sends', async ({ page, app }) => {
  await openApp(page, app.url);
  await createProfile(page, { name: 'Leaving', version: '5.0', sessionExpiry: 0 });
  const p = await connect(page, 'Leaving');
  await button(p, 'DISCONNECT options (5.0)').click();
  const override = page.getByLabel('Session expiry override (s)');
  await override.fill('60');
  await expect(page.getByText(/forbids raising it at DISCONNECT/)).toBeVisible();
  await expect(button(page, 'Send DISCONNECT')).toBeDisabled();
  await override.fill('0');
  await expect(button(page, 'Send DISCONNECT')).toBeEnabled();
  await override.press('Enter');
  await expect(p.getByTestId('connection-status')).toHaveText('disconnected');
});

test('an invalid topic filter says so; 5.0 subscription options are listed', async ({ page, app }) => {
  await openApp(page, app.url);
  await createProfile(page, { name: 'Options', version: '5.0' });
  const p = await connect(page, 'Options');
  const sub = p.getByRole('region', { name: 'Subscribe', exact: true });
  await field(sub, 'Topic').fill('opts/#');
  await button(sub, '5.0 options').click();
  await field(sub, 'No Local').check();
  await field(sub, 'Retain Handling').selectOption('2');
  await field(sub, 'Subscription Identifier').fill('7');
  await button(sub, 'Subscribe').click();
  const item = p.locator('[data-testid="subscription-item"][data-topic="opts/#"]');
  await expect(item.getByTestId('subscription-options')).toHaveText('No Local · Retain Handling 2 (no retained messages) · Subscription Identifier 7');

  await p.getByLabel('Topic filter').fill('load/#/x');
  await expect(p.getByTestId('topic-filter-problem')).toContainText('Not a valid topic filter');
  await expect(p.getByLabel('Topic filter')).toHaveAttribute('aria-invalid', 'true');
  await p.getByLabel('Topic filter').fill('load/+/x');
  await expect(p.getByTestId('topic-filter-problem')).toHaveCount(0);
});

test('keyboard shortcuts are listed, and Alt+2 / Alt+1 switch views', async ({ page, app }) => {
  await openApp(page, app.url);
  await button(page, 'Keyboard shortcuts').click();
  const list = page.getByRole('table', { name: 'Keyboard shortcuts' });
  await expect(list).toContainText('Previous connection');
  await expect(list).toContainText('Broker view');
  await page.keyboard.press('Escape');
  await page.keyboard.press('Alt+2');
  await expect(page.getByRole('tab', { name: 'Broker', exact: true })).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('Alt+1');
  await expect(page.getByRole('tab', { name: 'Connections', exact: true })).toHaveAttribute('aria-selected', 'true');
});
