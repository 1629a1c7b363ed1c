/** Message detail: JSON falls back to Text, binary payloads say so, 5.0 properties under spec names, one label colour. */
import { test, expect } from './app-fixture';
import { button, connect, createProfile, field, openApp } from './ui';

test('message detail: tab fallback, binary note, correlation data as text', async ({ page, app }) => {
  await openApp(page, app.url);
  await createProfile(page, { name: 'Details', version: '5.0' });
  const p = await connect(page, 'Details');
  const pub = p.getByRole('region', { name: 'Publish', exact: true });
  const rows = p.getByTestId('message-row');

  await field(pub, 'Topic').fill('detail/json');
  await field(pub, 'Format').selectOption('json');
  await field(pub, 'Payload').fill('{"on":true}');
  await button(pub, '5.0 properties').click();
  await field(pub, 'Correlation Data').fill('corr-1');
  await button(pub, 'Publish').click();
  await expect(rows).toHaveCount(1);

  await field(pub, 'Correlation Data').fill('');
  await field(pub, 'Format').selectOption('text');
  await field(pub, 'Payload').fill(`long ${'word '.repeat(80)}end`);
  await button(pub, 'Publish').click();
  await expect(rows).toHaveCount(2);

  await field(pub, 'Format').selectOption('hex');
  await field(pub, 'Payload').fill('00 ff 10 80');
  await button(pub, 'Publish').click();
  await expect(rows).toHaveCount(3);

  const detail = p.getByRole('region', { name: 'Message detail' });
  await rows.nth(0).click();
  await detail.getByRole('tab', { name: 'JSON', exact: true }).click();
  await expect(detail.getByRole('tab', { name: 'JSON', exact: true })).toHaveAttribute('aria-selected', 'true');
  await detail.getByRole('tab', { name: /^Properties/ }).click();
  const props = detail.getByTestId('message-properties');
  await expect(props.getByRole('row').filter({ hasText: 'Correlation Data' })).toContainText('corr-1');
  await expect(props).not.toContainText('base64');
  await detail.getByRole('tab', { name: 'JSON', exact: true }).click();

  // A text message: the JSON tab cannot stay selected on an empty pane.
  await rows.nth(1).click();
  await expect(detail.getByRole('tab', { name: 'Text', exact: true })).toHaveAttribute('aria-selected', 'true');
  const text = detail.getByTestId('message-text');
  await expect(text).toContainText('end');
  // Long payloads wrap inside the pane instead of running off to the right.
  const box = await text.boundingBox();
  const pane = await detail.boundingBox();
  expect(box!.width).toBeLessThanOrEqual(pane!.width);

  await rows.nth(2).click();
  await expect(detail.getByTestId('binary-payload-note')).toContainText('Binary payload, 4 B');
  await button(detail, 'Show Hex').click();
  await expect(detail.getByRole('tab', { name: 'Hex', exact: true })).toHaveAttribute('aria-selected', 'true');
  await expect(detail).toContainText('00 ff 10 80');

  // The label's colour is the same in the list and in the detail.
  const listBg = await rows.nth(2).getByTestId('message-label').evaluate((e) => e.ownerDocument.defaultView!.getComputedStyle(e).color);
  const detailBg = await detail.getByTestId('message-detail-label').evaluate((e) => e.ownerDocument.defaultView!.getComputedStyle(e).color);
  expect(detailBg).toBe(listBg);
});
