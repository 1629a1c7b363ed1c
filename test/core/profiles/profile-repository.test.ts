import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UserFacingError } from '../../../electron/core/contract-dispatch';
import { createNodeProfileRepository, profilesFilePath, type ProfileRepository } from '../../../electron/core/profiles/index';
import { fakeEncryptingCodec, tempDir, v311Persistent, v5Expiry300 } from './helpers';

let dir: string;
let cleanup: () => void;
beforeEach(() => ({ dir, cleanup } = tempDir()));
afterEach(() => cleanup());

function catchError(fn: () => unknown): UserFacingError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(UserFacingError);
    return err as UserFacingError;
  }
  throw new Error('expected an error');
}

describe('ProfileRepository', () => {
  it('keeps a 3.1.1 Clean Session off and a 5.0 Clean Start off / expiry 300 profile across a reopen', () => {
    const repo = createNodeProfileRepository(dir);
    const a = repo.create(v311Persistent());
    const b = repo.create(v5Expiry300());
    expect(a.id).not.toBe(b.id);

    const reopened = createNodeProfileRepository(dir);
    const list = reopened.list();
    expect(list.map((p) => p.name)).toEqual(['Sensor 3.1.1', 'Sensor 5.0']);
    expect(list[0]).toEqual(a);
    expect(list[1]).toEqual(b);
    expect(list[0]).toMatchObject({ mqttVersion: '3.1.1', clean: false, clientId: 'sensor-311', password: 's3cret-pass' });
    expect(list[1]).toMatchObject({ mqttVersion: '5.0', clean: false, sessionExpiryInterval: 300 });
    expect(reopened.notices()).toEqual([]);
  });

  it('refuses an invalid port with a port field error', () => {
    const repo = createNodeProfileRepository(dir);
    const err = catchError(() => repo.create({ ...v311Persistent(), port: 70000 }));
    expect(err.fields).toEqual({ port: 'Port must be between 1 and 65535' });
    expect(err.message).toMatch(/port/i);
    expect(repo.list()).toEqual([]);
  });

  it('refuses an empty client ID with Clean Session off in 3.1.1 with a clientId field error', () => {
    const repo = createNodeProfileRepository(dir);
    const err = catchError(() => repo.create({ ...v311Persistent(), clientId: '' }));
    expect(Object.keys(err.fields ?? {})).toEqual(['clientId']);
    expect(err.fields?.clientId).toMatch(/client ID/);
    // With Clean Session on the same empty ID is fine (the broker assigns one).
    expect(repo.create({ ...v311Persistent(), clientId: '', clean: true }).clientId).toBe('');
  });

  it('updates, duplicates (fresh client ID), deletes and reorders, and the order persists', () => {
    const repo = createNodeProfileRepository(dir);
    const a = repo.create(v311Persistent());
    const b = repo.create(v5Expiry300());
    const updated = repo.update({ ...a, host: 'broker.example', keepalive: 30 });
    expect(updated.host).toBe('broker.example');

    const copy = repo.duplicate(a.id);
    expect(copy.name).toBe('Sensor 3.1.1 (copy)');
    expect(copy.id).not.toBe(a.id);
    expect(copy.clientId).not.toBe(a.clientId);
    expect(copy.clientId).toMatch(/^sessionscope[0-9a-f]{11}$/);
    expect(copy).toMatchObject({ host: 'broker.example', clean: false, password: 's3cret-pass' });
    expect(repo.list().map((p) => p.id)).toEqual([a.id, copy.id, b.id]);

    repo.reorder([b.id, a.id]);
    expect(createNodeProfileRepository(dir).list().map((p) => p.id)).toEqual([b.id, a.id, copy.id]);

    repo.delete(copy.id);
    expect(repo.list().map((p) => p.id)).toEqual([b.id, a.id]);
  });

  it('gives clear errors for unknown ids and bad reorder lists', () => {
    const repo = createNodeProfileRepository(dir);
    const a = repo.create(v311Persistent());
    expect(repo.get('nope')).toBeUndefined();
    for (const fn of [
      () => repo.update({ ...a, id: 'nope' }),
      () => repo.duplicate('nope'),
      () => repo.delete('nope'),
      () => repo.setSubscriptions('nope', []),
      () => repo.reorder(['nope']),
    ]) {
      expect(catchError(fn).message).toMatch(/No connection profile with id "nope"/);
    }
    expect(catchError(() => repo.reorder([a.id, a.id])).message).toMatch(/twice/);
    expect(repo.list()).toHaveLength(1);
  });

  it('saves subscriptions with their options', () => {
    const repo = createNodeProfileRepository(dir);
    const a = repo.create(v5Expiry300());
    repo.setSubscriptions(a.id, [{ topic: 'sensors/#', qos: 1, noLocal: true, retainAsPublished: false, retainHandling: 2 }]);
    expect(createNodeProfileRepository(dir).get(a.id)?.subscriptions).toEqual([
      { topic: 'sensors/#', qos: 1, noLocal: true, retainAsPublished: false, retainHandling: 2 },
    ]);
    expect(() => repo.setSubscriptions(a.id, [{ topic: '', qos: 1 } as never])).toThrow(UserFacingError);
  });

  it('writes the file with mode 0600', () => {
    const repo: ProfileRepository = createNodeProfileRepository(dir);
    expect(statSync(profilesFilePath(dir)).mode & 0o777).toBe(0o600);
    repo.create(v311Persistent());
    expect(statSync(profilesFilePath(dir)).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(profilesFilePath(dir), 'utf8')).schemaVersion).toBe(1);
  });

  it('never writes the password in plain text with an encrypting codec, and reads it back', () => {
    const repo = createNodeProfileRepository(dir, fakeEncryptingCodec);
    expect(repo.secretStorage).toBe('safeStorage');
    const a = repo.create(v311Persistent());
    repo.update({ ...a, password: 'an0ther-pass' });
    const text = readFileSync(profilesFilePath(dir), 'utf8');
    expect(text).not.toContain('an0ther-pass');
    expect(text).not.toContain('s3cret-pass');
    expect(text).not.toMatch(/"password"\s*:/);
    expect(JSON.parse(text).profiles[0]).toMatchObject({ passwordCodec: 'safeStorage', passwordEnc: expect.stringMatching(/^enc:/) });
    expect(createNodeProfileRepository(dir, fakeEncryptingCodec).get(a.id)?.password).toBe('an0ther-pass');
  });

  it('encrypts plain passwords left by browser mode once a keychain codec is used', () => {
    createNodeProfileRepository(dir).create(v311Persistent());
    expect(readFileSync(profilesFilePath(dir), 'utf8')).toContain('s3cret-pass');
    const repo = createNodeProfileRepository(dir, fakeEncryptingCodec);
    expect(repo.notices().join('\n')).toMatch(/1 saved password\(s\) .* now encrypted/);
    expect(readFileSync(profilesFilePath(dir), 'utf8')).not.toContain('s3cret-pass');
    expect(repo.list()[0].password).toBe('s3cret-pass');
  });

  it('keeps a keychain-encrypted password it cannot read, with a notice, instead of erasing it', () => {
    const a = createNodeProfileRepository(dir, fakeEncryptingCodec).create(v311Persistent());
    const plain = createNodeProfileRepository(dir);
    const seen = plain.get(a.id);
    expect(seen?.password).toBeUndefined();
    expect(plain.notices().join('\n')).toMatch(/password of "Sensor 3.1.1" cannot be used/);
    if (!seen) throw new Error('missing');
    plain.update({ ...seen, port: 1884 });
    expect(createNodeProfileRepository(dir, fakeEncryptingCodec).get(a.id)).toMatchObject({ port: 1884, password: 's3cret-pass' });
  });

  it('recovers when the file is broken while the repository is open', () => {
    const repo = createNodeProfileRepository(dir);
    repo.create(v311Persistent());
    writeFileSync(profilesFilePath(dir), '{"schemaVersion": 1, "profiles": [');
    expect(repo.list()).toEqual([]);
    expect(repo.notices().join('\n')).toMatch(/not valid JSON/);
    repo.create(v5Expiry300());
    expect(createNodeProfileRepository(dir).list().map((p) => p.name)).toEqual(['Sensor 5.0']);
  });
});
