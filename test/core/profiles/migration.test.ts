import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createNodeProfileRepository, migrateProfilesData, profilesFilePath, type Migration } from '../../../electron/core/profiles/index';
import { fakeEncryptingCodec, tempDir } from './helpers';

let dir: string;
let cleanup: () => void;
beforeEach(() => ({ dir, cleanup } = tempDir()));
afterEach(() => cleanup());

/** A hand-made unversioned (v0) file, as early development builds wrote it. */
const v0File = {
  profiles: [
    {
      id: 'legacy-1',
      name: 'Legacy 3.1.1',
      protocol: 'mqtt',
      host: '10.0.0.5',
      port: 1883,
      clientId: 'legacy-client',
      username: 'bob',
      password: 'legacy-pass',
      mqttVersion: '3.1.1',
      keepalive: 45,
      connectTimeoutMs: 5000,
      reconnect: true,
      reconnectPeriodMs: 2000,
      cleanSession: false,
      sessionExpiryInterval: 0,
    },
    {
      name: 'Legacy 5.0 without id',
      protocol: 'ws',
      host: 'localhost',
      port: 8083,
      path: '/mqtt',
      clientId: 'legacy-v5',
      mqttVersion: '5.0',
      keepalive: 60,
      connectTimeoutMs: 10000,
      reconnect: false,
      reconnectPeriodMs: 4000,
      cleanStart: false,
      sessionExpiryInterval: 600,
    },
  ],
};

describe('profiles.json migrations', () => {
  it('migrates a hand-made v0 file to v1, keeps a backup and encrypts the plain password', () => {
    writeFileSync(profilesFilePath(dir), JSON.stringify(v0File));
    const repo = createNodeProfileRepository(dir, fakeEncryptingCodec);
    const [legacy, v5] = repo.list();
    expect(legacy).toMatchObject({
      id: 'legacy-1',
      mqttVersion: '3.1.1',
      clean: false,
      clientId: 'legacy-client',
      clientIdMode: 'fixed',
      keepalive: 45,
      password: 'legacy-pass',
      will: { enabled: false },
      tls: { rejectUnauthorized: true },
      subscriptions: [],
    });
    expect(v5).toMatchObject({ name: 'Legacy 5.0 without id', clean: false, sessionExpiryInterval: 600, protocol: 'ws' });
    expect(v5.id).toMatch(/^[0-9a-f-]{36}$/);

    const notices = repo.notices().join('\n');
    expect(notices).toMatch(/upgraded from schema version 0 to 1/);
    const backup = readdirSync(dir).find((f) => f.startsWith('profiles.json.v0-backup-'));
    expect(backup).toBeDefined();
    expect(JSON.parse(readFileSync(join(dir, backup as string), 'utf8'))).toEqual(v0File);

    const text = readFileSync(profilesFilePath(dir), 'utf8');
    const doc = JSON.parse(text);
    expect(doc.schemaVersion).toBe(1);
    expect(text).not.toContain('legacy-pass');
    expect(text).not.toContain('cleanSession');

    // The id assigned during migration is stable across reopens.
    expect(createNodeProfileRepository(dir, fakeEncryptingCodec).list()[1].id).toBe(v5.id);
  });

  it('chains migrations in order and refuses a gap', () => {
    const steps: Record<number, Migration> = {
      1: (d) => ({ ...d, trail: [...((d.trail as number[]) ?? []), 1] }),
      2: (d) => ({ ...d, trail: [...(d.trail as number[]), 2] }),
    };
    expect(migrateProfilesData({}, 0, 2, steps)).toEqual({ schemaVersion: 2, trail: [1, 2] });
    expect(migrateProfilesData({ schemaVersion: 1, trail: [1] }, 1, 2, steps)).toEqual({ schemaVersion: 2, trail: [1, 2] });
    expect(() => migrateProfilesData({}, 0, 3, steps)).toThrow(/no migration to schema version 3/);
  });

  it('backs up a v0 file whose migration fails instead of crashing', () => {
    writeFileSync(profilesFilePath(dir), JSON.stringify({ profiles: 'nope' }));
    const repo = createNodeProfileRepository(dir);
    expect(repo.list()).toEqual([]);
    expect(repo.notices()[0]).toMatch(/migrating it from schema version 0 failed/);
  });
});
