/**
 * Issue 5 acceptance: Session Present and offline queues, entirely through
 * the UI against the embedded broker (the seed's offline-message demo).
 */
import { test, expect } from './app-fixture';
import { brokerSessionRow, connect, createProfile, disconnect, openApp, openMainTab, publish, selectConnection, subscribe } from './ui';

test('3.1.1 with Clean Session off: the first connect gets Session Present 0', async ({ page, app }) => {
  await openApp(page, app.url);
  await createProfile(page, { name: 'First', version: '3.1.1', clean: false });
  const p = await connect(page, 'First');
  await expect(p.getByTestId('connack-session-present')).toHaveText('0');
  await expect(p.getByTestId('connack-reason')).toContainText('0x00');
  await expect(p.getByTestId('session-description')).toContainText('Clean Session off');
});

test('offline-message demo, 3.1.1: queued while offline, resumed with Session Present 1', async ({ page, app }) => {
  await openApp(page, app.url);
  await createProfile(page, { name: 'MQTT_V3', version: '3.1.1', clientId: 'mqtt_v3_e2e', clean: false });
  await createProfile(page, { name: 'MQTT_V3_Publish', version: '3.1.1', clientId: 'mqtt_v3_publish_e2e' });

  let sub = await connect(page, 'MQTT_V3');
  await expect(sub.getByTestId('connack-session-present')).toHaveText('0');
  await subscribe(sub, 'clean_session_false', '1');
  await disconnect(page, 'MQTT_V3');

  const pub = await connect(page, 'MQTT_V3_Publish');
  await publish(pub, 'clean_session_false', '1', ['offline one', 'offline two']);

  // While MQTT_V3 is offline the broker holds its session with both messages queued.
  await openMainTab(page, 'Broker');
  const row = brokerSessionRow(page, 'mqtt_v3_e2e');
  await expect(row).toContainText('offline');
  await expect(row.getByTestId('session-queued')).toHaveText('2');

  await openMainTab(page, 'Connections');
  sub = await connect(page, 'MQTT_V3');
  await expect(sub.getByTestId('connack-session-present')).toHaveText('1');
  const rows = sub.getByTestId('message-row');
  for (const payload of ['offline one', 'offline two']) {
    const r = rows.filter({ hasText: payload });
    await expect(r).toHaveCount(1);
    await expect(r).toContainText('queued while offline');
  }
  await expect(rows).toHaveCount(2);
  // The subscription came back from the session, not from a new SUBSCRIBE.
  await expect(sub.locator('[data-testid="subscription-item"][data-topic="clean_session_false"]').getByTestId('restored-badge')).toBeVisible();
});

test('offline-message demo, 5.0: Clean Start off + expiry 300 resumes; Clean Start on does not', async ({ page, app }) => {
  await openApp(page, app.url);
  await createProfile(page, { name: 'MQTT_V5', version: '5.0', clientId: 'mqtt_v5_e2e', clean: false, sessionExpiry: 300 });
  await createProfile(page, { name: 'MQTT_V5_Clean', version: '5.0', clientId: 'mqtt_v5_clean_e2e', clean: true, sessionExpiry: 0 });
  await createProfile(page, { name: 'MQTT_V5_Publish', version: '5.0', clientId: 'mqtt_v5_publish_e2e' });

  let kept = await connect(page, 'MQTT_V5');
  await expect(kept.getByTestId('connack-session-present')).toHaveText('0');
  await subscribe(kept, 'clean_start_false', '1');
  await disconnect(page, 'MQTT_V5');

  let clean = await connect(page, 'MQTT_V5_Clean');
  await subscribe(clean, 'clean_start_true', '1');
  await disconnect(page, 'MQTT_V5_Clean');

  const pub = await connect(page, 'MQTT_V5_Publish');
  await publish(pub, 'clean_start_false', '1', ['v5 one', 'v5 two']);
  await publish(pub, 'clean_start_true', '1', ['lost one', 'lost two']);

  await openMainTab(page, 'Broker');
  await expect(brokerSessionRow(page, 'mqtt_v5_e2e').getByTestId('session-queued')).toHaveText('2');
  // Expiry 0: the session ended at disconnect, so the broker lists none for it.
  await expect(brokerSessionRow(page, 'mqtt_v5_clean_e2e')).toHaveCount(0);
  await openMainTab(page, 'Connections');

  kept = await connect(page, 'MQTT_V5');
  await expect(kept.getByTestId('connack-session-present')).toHaveText('1');
  const rows = kept.getByTestId('message-row');
  await expect(rows.filter({ hasText: 'v5 one' })).toContainText('queued while offline');
  await expect(rows.filter({ hasText: 'v5 two' })).toContainText('queued while offline');
  await expect(rows).toHaveCount(2);

  clean = await connect(page, 'MQTT_V5_Clean');
  await expect(clean.getByTestId('connack-session-present')).toHaveText('0');
  // Give a would-be queue time to arrive: the CONNACK and any queued PUBLISH travel together,
  // so by the time a PINGless round trip (a new SUBSCRIBE's SUBACK) is back, nothing can be pending.
  await subscribe(clean, 'probe/after-connect', '0');
  await expect(clean.getByTestId('message-row')).toHaveCount(0);
  await expect(clean.getByTestId('message-count')).toHaveText('0 messages');
});

test('CONNACK properties on a 5.0 connect show the granted session expiry and receive maximum', async ({ page, app }) => {
  await openApp(page, app.url);
  await createProfile(page, { name: 'Props', version: '5.0', clientId: 'props_e2e', clean: false, sessionExpiry: 300 });
  const p = await connect(page, 'Props');
  const table = p.getByTestId('connack-properties');
  await expect(table).toBeVisible();
  const rowOf = (name: RegExp) => table.getByRole('row').filter({ has: page.getByRole('cell', { name }) });
  await expect(rowOf(/^Session Expiry Interval/)).toContainText('300');
  await expect(rowOf(/^Receive Maximum/)).toContainText(/\d+/);
  await expect(p.getByTestId('connack-explanation')).not.toBeEmpty();
});
