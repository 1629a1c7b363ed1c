/**
 * Schema migrations for profiles.json. `MIGRATIONS[n]` turns a version n-1
 * document into version n; `migrateProfilesData` chains them. Migrations are
 * pure data transforms (no codec, no I/O) so they can run before the store
 * is opened and be tested on hand-made files.
 *
 * To change the on-disk format: bump CURRENT_SCHEMA_VERSION in
 * stored-profile.ts and add MIGRATIONS[new version] here.
 */
import { randomUUID } from 'node:crypto';
import { defaultProfileInput } from '../../../shared/profile';
import { CURRENT_SCHEMA_VERSION } from './stored-profile';

export type ProfilesDocument = Record<string, unknown>;
export type Migration = (doc: ProfilesDocument) => ProfilesDocument;

/**
 * Version 0 is the unversioned file of early development builds: no
 * `schemaVersion`, passwords in plain `password`, the session switch named
 * `cleanSession` (3.x) or `cleanStart` (5.0), and none of the fields added
 * later (client ID mode, resubscribe policy, MQTT 5 connect properties,
 * will, TLS, saved subscriptions). Missing fields get today's defaults;
 * plain passwords are left for the repository to re-encrypt.
 */
function v0ToV1(doc: ProfilesDocument): ProfilesDocument {
  const list = doc.profiles ?? [];
  if (!Array.isArray(list)) throw new Error('"profiles" is not a list');
  const template = defaultProfileInput('127.0.0.1', 1883) as unknown as Record<string, unknown>;
  const profiles = list.map((entry: unknown) => {
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) return entry;
    const { cleanSession, cleanStart, ...rest } = entry as Record<string, unknown>;
    const out: Record<string, unknown> = { ...rest };
    if (out.clean === undefined) out.clean = cleanSession ?? cleanStart ?? true;
    if (out.id === undefined) out.id = randomUUID();
    for (const [key, value] of Object.entries(template)) {
      if (out[key] === undefined) out[key] = structuredClone(value);
    }
    return out;
  });
  return { ...doc, schemaVersion: 1, profiles };
}

export const MIGRATIONS: Readonly<Record<number, Migration>> = {
  1: v0ToV1,
};

/** Reads the version a document claims; undefined = 0 (unversioned); null = not a valid version. */
export function documentVersion(doc: ProfilesDocument): number | null {
  const v = doc.schemaVersion;
  if (v === undefined) return 0;
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : null;
}

/** Applies migrations from `from` up to `to`; throws if a step is missing or fails. */
export function migrateProfilesData(
  doc: ProfilesDocument,
  from: number,
  to: number = CURRENT_SCHEMA_VERSION,
  migrations: Readonly<Record<number, Migration>> = MIGRATIONS,
): ProfilesDocument {
  let current = doc;
  for (let v = from + 1; v <= to; v++) {
    const step = migrations[v];
    if (!step) throw new Error(`no migration to schema version ${v}`);
    current = step(current);
    current.schemaVersion = v;
  }
  return current;
}
