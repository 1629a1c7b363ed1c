/**
 * The embedded broker's settings as the app keeps them: a small JSON file in
 * the data dir, validated on read. A broken file falls back to defaults with
 * a notice instead of stopping the app.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brokerSettingsSchema, type BrokerSettings } from '../../shared/broker';

export interface LoadedBrokerSettings {
  settings: BrokerSettings;
  notice?: string;
}

export function brokerSettingsPath(dataDir: string): string {
  return join(dataDir, 'broker-settings.json');
}

export function loadBrokerSettings(dataDir: string): LoadedBrokerSettings {
  const file = brokerSettingsPath(dataDir);
  if (!existsSync(file)) return { settings: brokerSettingsSchema.parse({}) };
  try {
    const parsed = brokerSettingsSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    if (parsed.success) return { settings: parsed.data };
    throw new Error(parsed.error.issues[0]?.message ?? 'invalid settings');
  } catch (err) {
    const backup = `${file}.corrupt-${Date.now()}`;
    renameSync(file, backup);
    return {
      settings: brokerSettingsSchema.parse({}),
      notice: `Broker settings were unreadable (${err instanceof Error ? err.message : String(err)}); defaults are in use and the old file was kept as ${backup}`,
    };
  }
}

export function saveBrokerSettings(dataDir: string, settings: BrokerSettings): void {
  const file = brokerSettingsPath(dataDir);
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, JSON.stringify(settings, null, 2), { mode: 0o600 });
  renameSync(tmp, file);
}
