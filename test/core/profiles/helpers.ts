import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultProfileInput, type ProfileInput } from '../../../shared/profile';
import type { SecretCodec } from '../../../electron/core/profiles/index';

export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'sessionscope-profiles-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function v311Persistent(): ProfileInput {
  return {
    ...defaultProfileInput('127.0.0.1', 1883),
    name: 'Sensor 3.1.1',
    mqttVersion: '3.1.1',
    clientId: 'sensor-311',
    clean: false,
    username: 'alice',
    password: 's3cret-pass',
  };
}

export function v5Expiry300(): ProfileInput {
  return {
    ...defaultProfileInput('127.0.0.1', 1883),
    name: 'Sensor 5.0',
    mqttVersion: '5.0',
    clientId: 'sensor-50',
    clean: false,
    sessionExpiryInterval: 300,
  };
}

/**
 * A reversible test codec that stands in for safeStorage (which needs
 * Electron): enough to prove the repository never writes the plain value.
 */
export const fakeEncryptingCodec: SecretCodec = {
  kind: 'safeStorage',
  encrypt: (plain) => 'enc:' + Buffer.from([...plain].reverse().join(''), 'utf8').toString('base64'),
  decrypt: (stored) => {
    if (!stored.startsWith('enc:')) throw new Error('not encrypted by this codec');
    return [...Buffer.from(stored.slice(4), 'base64').toString('utf8')].reverse().join('');
  },
};
