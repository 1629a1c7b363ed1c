/**
 * README screenshots, taken from the real app: starts `sessionscope web` with
 * a throwaway data dir, drives it in Debian's chromium the way a user would
 * (the offline-message demo, a 5.0 resume, a scenario run) and saves
 * docs/screenshots/*.png at 1400×900.
 *
 *   npx tsx scripts/screenshots.ts [--out DIR]
 */
import { chromium, expect, type Page } from '@playwright/test';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startApp } from '../test/e2e/launch-app';
import { brokerSessionRow, button, connect, createProfile, disconnect, field, fillNewProfile, openApp, openMainTab, publish, selectConnection, subscribe } from '../test/e2e/ui';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const outArg = process.argv.indexOf('--out');
const OUT = outArg > 0 ? resolve(process.argv[outArg + 1]) : join(ROOT, 'docs', 'screenshots');
const VIEWPORT = { width: 1400, height: 900 };

async function shot(page: Page, name: string): Promise<void> {
  // Let hover/tooltips and entry transitions settle so the image shows the resting state.
  await page.mouse.move(VIEWPORT.width - 5, VIEWPORT.height - 5);
  await page.evaluate('new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))');
  const path = join(OUT, `${name}.png`);
  await page.screenshot({ path });
  console.log(`wrote ${path}`);
}

async function run(page: Page): Promise<void> {
  // 1. The form, filled for the classic persistent 3.1.1 subscriber.
  const dialog = await fillNewProfile(page, { name: 'MQTT_V3', version: '3.1.1', clientId: 'mqtt_v3_demo', clean: false });
  await expect(dialog.getByText(/Clean Session off: the broker keeps this session/)).toBeVisible();
  await field(dialog, 'Name').focus();
  await shot(page, 'new-connection');
  await button(dialog, 'Save').click();
  await expect(dialog).toBeHidden();

  // 2. Subscribe at QoS 1, go offline; a second connection publishes two QoS 1 messages.
  let sub = await connect(page, 'MQTT_V3');
  await subscribe(sub, 'clean_session_false', '1');
  await disconnect(page, 'MQTT_V3');
  await createProfile(page, { name: 'MQTT_V3_Publish', version: '3.1.1', clientId: 'mqtt_v3_publish' });
  const pub = await connect(page, 'MQTT_V3_Publish');
  await publish(pub, 'clean_session_false', '1', ['hello one']);
  // A person's pace between the two publishes (the broker view's session list refreshes at most every 250 ms).
  await page.waitForTimeout(400);
  await publish(pub, 'clean_session_false', '1', ['hello two']);

  // 3. The broker holds the offline session with both messages queued.
  await openMainTab(page, 'Broker');
  const row = brokerSessionRow(page, 'mqtt_v3_demo');
  await expect(row.getByTestId('session-queued')).toHaveText('2', { timeout: 15_000 });
  await row.click();
  await expect(page.getByText('hello two').first()).toBeVisible();
  await shot(page, 'broker');

  // 4. Reconnect: Session Present 1 and both messages, labelled queued while offline.
  await openMainTab(page, 'Connections');
  sub = await connect(page, 'MQTT_V3');
  await expect(sub.getByTestId('connack-session-present')).toHaveText('1');
  await expect(sub.getByTestId('message-row').filter({ hasText: 'queued while offline' })).toHaveCount(2);
  await shot(page, 'connection');

  // 5. The packet timeline of that resume, with the CONNACK arrow opened.
  await sub.getByRole('tab', { name: 'Packet timeline', exact: true }).click();
  const connacks = sub.locator('[data-testid="packet-row"][data-type="connack"]');
  await expect(connacks).toHaveCount(2);
  await connacks.last().click();
  await expect(sub.getByTestId('packet-hex')).toBeVisible();
  await shot(page, 'timeline');
  await sub.getByRole('tab', { name: 'Messages', exact: true }).click();

  // 6. CONNACK of a 5.0 resume: Session Present, reason, properties and the earlier connect.
  await createProfile(page, { name: 'MQTT_V5', version: '5.0', clientId: 'mqtt_v5_demo', clean: false, sessionExpiry: 300 });
  let v5 = await connect(page, 'MQTT_V5');
  await subscribe(v5, 'clean_start_false', '1');
  await disconnect(page, 'MQTT_V5');
  await selectConnection(page, 'MQTT_V3_Publish');
  await publish(pub, 'clean_start_false', '1', ['v5 hello']);
  v5 = await connect(page, 'MQTT_V5');
  await expect(v5.getByTestId('connack-session-present')).toHaveText('1');
  await expect(v5.getByTestId('connack-properties')).toContainText('Session Expiry Interval');
  await expect(v5.getByTestId('message-row')).toHaveCount(1);
  await shot(page, 'connack');

  // 7. The classic scenario, run from the Scenarios view.
  await openMainTab(page, 'Scenarios');
  for (const id of ['offline-messages-v3', 'clean-session-v3']) {
    const card = page.locator(`[data-testid="scenario-card"][data-scenario-id="${id}"]`);
    await button(card, 'Run').click();
    await expect(card.getByTestId('scenario-verdict')).toBeVisible({ timeout: 30_000 });
    await expect(button(card, 'Run')).toBeEnabled();
  }
  await page.locator('[data-testid="scenario-card"][data-scenario-id="offline-messages-v3"]').scrollIntoViewIfNeeded();
  await shot(page, 'scenarios');
}

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  const dataDir = mkdtempSync(join(tmpdir(), 'sessionscope-shots-'));
  const app = await startApp(dataDir);
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const page = await browser.newPage({ viewport: VIEWPORT, deviceScaleFactor: 1, colorScheme: 'light' });
    page.setDefaultTimeout(15_000);
    await openApp(page, app.url);
    await run(page);
  } finally {
    await browser.close();
    await app.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(`screenshots failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
