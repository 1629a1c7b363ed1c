import { chmodSync, mkdirSync, readdirSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createNodeProfileRepository, MAX_PROFILES_FILE_BYTES, profilesFilePath } from '../../../electron/core/profiles/index';
import { tempDir, v311Persistent, v5Expiry300 } from './helpers';

let dir: string;
let cleanup: () => void;
beforeEach(() => ({ dir, cleanup } = tempDir()));
afterEach(() => cleanup());

const backups = (label: string) => readdirSync(dir).filter((f) => f.startsWith(`profiles.json.${label}-`));

const broken: Array<[string, string, RegExp]> = [
  ['truncated', '{"schemaVersion":1,"profiles":[{"id":"a","name":"Trun', /not valid JSON/],
  ['empty', '', /empty/],
  ['whitespace only', '  \n', /empty/],
  ['binary garbage', '\u0000\u0001\u0002PK', /not valid JSON/],
  ['a list', '[1,2,3]', /holds a list instead of an object/],
  ['a string', '"profiles"', /holds a string instead of an object/],
  ['null', 'null', /holds null instead of an object/],
  ['profiles not a list', '{"schemaVersion":1,"profiles":{"a":1}}', /"profiles" is not a list/],
  ['non-integer version', '{"schemaVersion":"1","profiles":[]}', /schemaVersion/],
  ['future version', '{"schemaVersion":99,"profiles":[],"newField":true}', /newer SessionScope \(schema version 99/],
];

describe('profiles.json recovery', () => {
  it.each(broken)('backs up a %s file and starts an empty, valid store with a notice', (_label, content, reason) => {
    writeFileSync(profilesFilePath(dir), content);
    const repo = createNodeProfileRepository(dir);
    expect(repo.list()).toEqual([]);
    const notices = repo.notices();
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatch(reason);
    expect(notices[0]).toMatch(/moved to .*profiles\.json\.corrupt-/);

    const [backup] = backups('corrupt');
    expect(backup).toBeDefined();
    expect(readFileSync(join(dir, backup), 'utf8')).toBe(content);
    expect(JSON.parse(readFileSync(profilesFilePath(dir), 'utf8'))).toEqual({ schemaVersion: 1, profiles: [] });

    // The recovered store works and survives a reopen without further notices.
    repo.create(v311Persistent());
    const again = createNodeProfileRepository(dir);
    expect(again.list()).toHaveLength(1);
    expect(again.notices()).toEqual([]);
  });

  it('drops only the invalid profiles, keeps the valid ones and backs up the original', () => {
    const good = createNodeProfileRepository(dir);
    const a = good.create(v311Persistent());
    const b = good.create(v5Expiry300());
    const doc = JSON.parse(readFileSync(profilesFilePath(dir), 'utf8'));
    doc.profiles[1].port = 0; // hand-edited out of range
    doc.profiles.push({ ...doc.profiles[0] }); // duplicate id
    doc.profiles.push('not a profile');
    const original = JSON.stringify(doc);
    writeFileSync(profilesFilePath(dir), original);

    const repo = createNodeProfileRepository(dir);
    expect(repo.list().map((p) => p.id)).toEqual([a.id]);
    expect(repo.notices()).toHaveLength(1);
    expect(repo.notices()[0]).toMatch(/3 connection profile\(s\) .* invalid .*"Sensor 5.0": port: Port must be between 1 and 65535.*duplicate id/);
    expect(readFileSync(join(dir, backups('corrupt')[0]), 'utf8')).toBe(original);
    expect(b.id).not.toBe(a.id);
  });

  it('backs up a data-dir entry that is a directory instead of a file', () => {
    mkdirSync(profilesFilePath(dir));
    const repo = createNodeProfileRepository(dir);
    expect(repo.notices()[0]).toMatch(/is a directory/);
    expect(statSync(join(dir, backups('corrupt')[0])).isDirectory()).toBe(true);
    expect(repo.create(v311Persistent()).name).toBe('Sensor 3.1.1');
  });

  it('refuses to read a runaway file larger than the limit', () => {
    writeFileSync(profilesFilePath(dir), '');
    truncateSync(profilesFilePath(dir), MAX_PROFILES_FILE_BYTES + 1);
    const repo = createNodeProfileRepository(dir);
    expect(repo.notices()[0]).toMatch(/MB, more than a profile list can be/);
    expect(repo.list()).toEqual([]);
  });

  it('tightens a file left readable by others back to 0600', () => {
    createNodeProfileRepository(dir).create(v311Persistent());
    chmodSync(profilesFilePath(dir), 0o644);
    createNodeProfileRepository(dir);
    expect(statSync(profilesFilePath(dir)).mode & 0o777).toBe(0o600);
  });
});
