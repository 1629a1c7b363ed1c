/**
 * What a user does in the app, as Playwright steps: clicks and typing only,
 * found by accessible names and test ids. Specs compose these so each reads
 * as the scenario it checks.
 */
import { expect, type Locator, type Page } from '@playwright/test';

export const button = (page: Page | Locator, name: string) => page.getByRole('button', { name, exact: true });
export const field = (page: Page | Locator, name: string) => page.getByLabel(name, { exact: true });

export interface ProfileSpec {
  name: string;
  version: '3.1' | '3.1.1' | '5.0';
  clientId?: string;
  /** Clean Session (3.x) / Clean Start (5.0); the form's default is on. */
  clean?: boolean;
  sessionExpiry?: number;
  will?: { topic: string; payload: string; qos?: '0' | '1' | '2' };
}

export async function openApp(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await expect(button(page, 'New Connection')).toBeVisible();
  // The default profile targets the embedded broker: wait until it is listening.
  await expect(page.getByTestId('broker-status')).toContainText(/running/i);
}

/** Fills the New Connection form; leaves it open (the caller saves or checks errors). */
export async function fillNewProfile(page: Page, p: ProfileSpec): Promise<Locator> {
  await button(page, 'New Connection').click();
  const dialog = page.getByRole('dialog');
  await expect(field(dialog, 'Name')).toBeVisible();
  await field(dialog, 'Name').fill(p.name);
  await field(dialog, 'MQTT Version').selectOption(p.version);
  if (p.clientId !== undefined) await field(dialog, 'Client ID').fill(p.clientId);
  const cleanName = p.version === '5.0' ? 'Clean Start' : 'Clean Session';
  if (p.clean !== undefined) await field(dialog, cleanName).setChecked(p.clean);
  if (p.sessionExpiry !== undefined) await field(dialog, 'Session Expiry Interval').fill(String(p.sessionExpiry));
  if (p.will) {
    await dialog.getByRole('button', { name: /^Last will/ }).click();
    await field(dialog, 'Send a will message').check();
    await field(dialog, 'Will topic').fill(p.will.topic);
    await field(dialog, 'Will payload').fill(p.will.payload);
    if (p.will.qos) await field(dialog, 'Will QoS').selectOption(p.will.qos);
  }
  return dialog;
}

export async function createProfile(page: Page, p: ProfileSpec): Promise<void> {
  const dialog = await fillNewProfile(page, p);
  await button(dialog, 'Save').click();
  await expect(dialog).toBeHidden();
  await expect(connectionItem(page, p.name)).toBeVisible();
  await expect(page.locator(`[data-testid="connection-pane"][data-name="${p.name}"]`)).toBeVisible();
}

export const connectionItem = (page: Page, name: string) => page.locator(`[data-testid="connection-item"][data-name="${name}"]`);
export const pane = (page: Page, name: string) => page.locator(`[data-testid="connection-pane"][data-name="${name}"]`);

export async function selectConnection(page: Page, name: string): Promise<Locator> {
  await connectionItem(page, name).getByRole('button').first().click();
  const p = pane(page, name);
  await expect(p).toBeVisible();
  return p;
}

export async function connect(page: Page, name: string): Promise<Locator> {
  const p = await selectConnection(page, name);
  await button(p, 'Connect').click();
  await expect(p.getByTestId('connection-status')).toHaveText('connected');
  await expect(p.getByTestId('connack-session-present')).toBeVisible();
  return p;
}

export async function disconnect(page: Page, name: string): Promise<void> {
  const p = await selectConnection(page, name);
  await button(p, 'Disconnect').click();
  await expect(p.getByTestId('connection-status')).toHaveText('disconnected');
}

export async function subscribe(p: Locator, topic: string, qos: '0' | '1' | '2'): Promise<void> {
  const region = p.getByRole('region', { name: 'Subscribe', exact: true });
  await field(region, 'Topic').fill(topic);
  await field(region, 'QoS').selectOption(qos);
  await button(region, 'Subscribe').click();
  await expect(p.locator(`[data-testid="subscription-item"][data-topic="${topic}"]`)).toBeVisible();
}

/** Publishes each payload and waits until the message list shows it as sent. */
export async function publish(p: Locator, topic: string, qos: '0' | '1' | '2', payloads: string[]): Promise<void> {
  const region = p.getByRole('region', { name: 'Publish', exact: true });
  await field(region, 'Topic').fill(topic);
  await field(region, 'QoS').selectOption(qos);
  for (const payload of payloads) {
    await field(region, 'Payload').fill(payload);
    await button(region, 'Publish').click();
    await expect(p.getByTestId('message-row').filter({ hasText: payload })).toHaveCount(1);
  }
}

export async function openMainTab(page: Page, name: 'Connections' | 'Broker' | 'Scenarios'): Promise<void> {
  await page.getByRole('tab', { name, exact: true }).click();
  await expect(page.getByRole('tab', { name, exact: true })).toHaveAttribute('aria-selected', 'true');
}

export const brokerSessionRow = (page: Page, clientId: string) => page.locator(`[data-testid="broker-session-row"][data-client-id="${clientId}"]`);
