/**
 * Issue 5: Drop network cuts the socket without DISCONNECT, so the broker
 * publishes the will to another connection; the packet timeline shows the
 * CONNACK (with its Session Present flag) and the PUBLISH flow.
 */
import { test, expect } from './app-fixture';
import { button, connect, createProfile, openApp, publish, selectConnection, subscribe } from './ui';

test('Drop network delivers the will to a subscriber; the timeline shows CONNACK SP and PUBLISH', async ({ page, app }) => {
  await openApp(page, app.url);
  await createProfile(page, { name: 'Watcher', version: '3.1.1', clientId: 'watcher_e2e' });
  await createProfile(page, {
    name: 'Dying',
    version: '3.1.1',
    clientId: 'dying_e2e',
    will: { topic: 'status/dying', payload: 'dying went away', qos: '1' },
  });

  const watcher = await connect(page, 'Watcher');
  await subscribe(watcher, 'status/#', '1');

  const dying = await connect(page, 'Dying');
  await publish(dying, 'status/dying', '1', ['dying is alive']);
  await button(dying, 'Drop network').click();
  await expect(dying.getByTestId('connection-status')).not.toHaveText(/^connected$/);

  const w = await selectConnection(page, 'Watcher');
  await expect(w.getByTestId('message-row').filter({ hasText: 'dying is alive' })).toHaveCount(1);
  const will = w.getByTestId('message-row').filter({ hasText: 'dying went away' });
  await expect(will).toHaveCount(1);
  await expect(will).toContainText('status/dying');

  // The watcher's packet timeline: CONNECT, CONNACK SP=0, SUBSCRIBE/SUBACK, then both PUBLISHes with PUBACKs.
  await w.getByRole('tab', { name: 'Packet timeline', exact: true }).click();
  const rows = w.getByTestId('packet-row');
  await expect(rows.filter({ hasText: /^.*CONNACK SP=0/ })).toHaveCount(1);
  await expect(w.locator('[data-testid="packet-row"][data-type="connect"]')).toHaveCount(1);
  await expect(w.locator('[data-testid="packet-row"][data-type="subscribe"]')).toHaveCount(1);
  await expect(w.locator('[data-testid="packet-row"][data-type="suback"]')).toHaveCount(1);
  await expect(w.locator('[data-testid="packet-row"][data-type="publish"]')).toHaveCount(2);
  await expect(w.locator('[data-testid="packet-row"][data-type="puback"]')).toHaveCount(2);
  // Clicking an arrow shows the decoded packet with its bytes.
  await w.locator('[data-testid="packet-row"][data-type="connack"]').click();
  await expect(w.getByTestId('packet-hex')).toContainText(/20 02 00 00/i);
});

test('the packet timeline is keyboard navigable like the message list', async ({ page, app }) => {
  await openApp(page, app.url);
  await createProfile(page, { name: 'Keys', version: '3.1.1' });
  const p = await connect(page, 'Keys');
  await subscribe(p, 'keys/#', '0');
  await p.getByRole('tab', { name: 'Packet timeline', exact: true }).click();
  const list = p.getByRole('listbox', { name: 'Packet timeline' });
  const rows = p.getByTestId('packet-row');
  await expect(rows).toHaveCount(4);
  const detail = p.getByRole('region', { name: 'Packet detail' });

  await list.focus();
  await page.keyboard.press('Home');
  await expect(rows.nth(0)).toHaveAttribute('aria-selected', 'true');
  await expect(detail).toContainText('CONNECT');
  await page.keyboard.press('ArrowDown');
  await expect(rows.nth(1)).toHaveAttribute('aria-selected', 'true');
  await expect(detail).toContainText('CONNACK');
  await page.keyboard.press('End');
  await expect(rows.nth(3)).toHaveAttribute('aria-selected', 'true');
  await expect(detail).toContainText('SUBACK');
  await page.keyboard.press('ArrowUp');
  await expect(rows.nth(2)).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('Escape');
  await expect(detail).toHaveCount(0);
  await expect(rows.nth(2)).toHaveAttribute('aria-selected', 'false');
});
