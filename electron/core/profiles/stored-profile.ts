/**
 * The on-disk shape of profiles.json (schema version 1):
 *   { "schemaVersion": 1, "profiles": [StoredProfile, ...] }
 * A StoredProfile is a Profile without `password`, plus `passwordEnc` (what
 * the SecretCodec produced) and `passwordCodec` (which codec produced it).
 */
import { profileSchema, type Profile } from '../../../shared/profile';
import type { SecretStorageKind } from './secret-codec';

export const CURRENT_SCHEMA_VERSION = 1;
export const PROFILES_FILE_NAME = 'profiles';
export const PROFILES_FILE = `${PROFILES_FILE_NAME}.json`;
/** More profiles than this is a broken or hostile file, not a user's list. */
export const MAX_PROFILES = 1000;

export type StoredProfile = Omit<Profile, 'password'> & {
  passwordEnc?: string;
  passwordCodec?: SecretStorageKind;
};

export interface ProfilesFileV1 {
  schemaVersion: typeof CURRENT_SCHEMA_VERSION;
  profiles: StoredProfile[];
}

export function emptyProfilesFile(): ProfilesFileV1 {
  return { schemaVersion: CURRENT_SCHEMA_VERSION, profiles: [] };
}

const CODECS: readonly SecretStorageKind[] = ['safeStorage', 'file-0600'];

export type StoredParse = { ok: true; value: StoredProfile } | { ok: false; reason: string };

/**
 * Validates one stored entry with the same rules as the contract (shared/profile.ts),
 * so nothing the form would refuse can come back from disk.
 */
export function parseStoredProfile(raw: unknown): StoredParse {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { ok: false, reason: 'not an object' };
  const { passwordEnc, passwordCodec, password, ...rest } = raw as Record<string, unknown>;
  let enc = passwordEnc;
  let codec = passwordCodec;
  // A hand-edited file may carry a plain `password`: keep it, marked as plain,
  // so the repository re-encrypts it with the current codec.
  if (enc === undefined && typeof password === 'string') {
    enc = password;
    codec = 'file-0600';
  } else if (password !== undefined) {
    return { ok: false, reason: 'has both password and passwordEnc' };
  }
  if (enc !== undefined && (typeof enc !== 'string' || enc.length > 1_000_000)) return { ok: false, reason: 'passwordEnc is not a string' };
  if (enc !== undefined && !CODECS.includes(codec as SecretStorageKind)) return { ok: false, reason: 'passwordEnc without a known passwordCodec' };
  if (enc === undefined && codec !== undefined) return { ok: false, reason: 'passwordCodec without passwordEnc' };
  const parsed = profileSchema.safeParse(rest);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
    return { ok: false, reason: `${where}${issue?.message ?? 'invalid'}` };
  }
  const { password: _dropped, ...profile } = parsed.data;
  const value: StoredProfile = enc === undefined ? profile : { ...profile, passwordEnc: enc as string, passwordCodec: codec as SecretStorageKind };
  return { ok: true, value };
}
