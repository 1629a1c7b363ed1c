/**
 * Checks profiles.json on disk before the Conf / electron-store instance is
 * built (Conf throws on unparsable JSON, which would stop the app). Anything
 * unusable is backed up next to the file and replaced by a valid document,
 * and the user gets a notice saying where the old file went. Also runs the
 * schema migrations and keeps the file at mode 0600 (it may hold passwords).
 */
import { chmodSync, copyFileSync, existsSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { documentVersion, migrateProfilesData, type ProfilesDocument } from './migrations';
import { CURRENT_SCHEMA_VERSION, MAX_PROFILES, emptyProfilesFile, parseStoredProfile, type StoredProfile } from './stored-profile';

export interface PrepareResult {
  notices: string[];
  /** Backup files written by this call. */
  backups: string[];
}

export interface PrepareOptions {
  now?: () => Date;
}

const FILE_MODE = 0o600;
/** Far above any real profile list (1000 profiles with large wills); stops a runaway file from being read into memory. */
export const MAX_PROFILES_FILE_BYTES = 64 * 1024 * 1024;

export function prepareProfilesFile(filePath: string, opts: PrepareOptions = {}): PrepareResult {
  const now = opts.now ?? (() => new Date());
  const result: PrepareResult = { notices: [], backups: [] };
  let text: string;
  try {
    const size = statSync(filePath).size;
    if (size > MAX_PROFILES_FILE_BYTES) {
      return replaceUnusable(filePath, `it is ${Math.round(size / 1024 / 1024)} MB, more than a profile list can be`, now, result);
    }
    text = readFileSync(filePath, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return result;
    if (code === 'EISDIR') return replaceUnusable(filePath, 'it is a directory, not a file', now, result);
    throw new Error(`Cannot read the connection profiles file ${filePath}: ${(err as Error).message}`);
  }

  const doc = parseDocument(text);
  if (typeof doc === 'string') return replaceUnusable(filePath, doc, now, result);

  const version = documentVersion(doc);
  if (version === null) return replaceUnusable(filePath, 'its "schemaVersion" is not a whole number', now, result);
  if (version > CURRENT_SCHEMA_VERSION) {
    return replaceUnusable(
      filePath,
      `it was written by a newer SessionScope (schema version ${version}; this version reads up to ${CURRENT_SCHEMA_VERSION})`,
      now,
      result,
    );
  }

  let migrated: ProfilesDocument = doc;
  let changed = false;
  if (version < CURRENT_SCHEMA_VERSION) {
    try {
      migrated = migrateProfilesData(structuredClone(doc), version);
    } catch (err) {
      return replaceUnusable(filePath, `migrating it from schema version ${version} failed (${(err as Error).message})`, now, result);
    }
    const backup = backupPath(filePath, `v${version}-backup`, now);
    copyFileSync(filePath, backup);
    chmodSync(backup, FILE_MODE);
    result.backups.push(backup);
    result.notices.push(`Connection profiles were upgraded from schema version ${version} to ${CURRENT_SCHEMA_VERSION}; the old file was kept as ${backup}.`);
    changed = true;
  }

  const list = migrated.profiles ?? [];
  if (!Array.isArray(list)) return replaceUnusable(filePath, '"profiles" is not a list', now, result);

  const kept: StoredProfile[] = [];
  const dropped: string[] = [];
  const seen = new Set<string>();
  list.forEach((entry: unknown, index) => {
    const label = describeEntry(entry, index);
    if (kept.length >= MAX_PROFILES) return void dropped.push(`${label}: more than ${MAX_PROFILES} profiles`);
    const parsed = parseStoredProfile(entry);
    if (!parsed.ok) return void dropped.push(`${label}: ${parsed.reason}`);
    if (seen.has(parsed.value.id)) return void dropped.push(`${label}: duplicate id ${parsed.value.id}`);
    seen.add(parsed.value.id);
    kept.push(parsed.value);
  });

  if (dropped.length > 0) {
    const backup = backupPath(filePath, 'corrupt', now);
    copyFileSync(filePath, backup);
    chmodSync(backup, FILE_MODE);
    result.backups.push(backup);
    const shown = dropped.slice(0, 5).join('; ') + (dropped.length > 5 ? `; and ${dropped.length - 5} more` : '');
    result.notices.push(
      `${dropped.length} connection profile(s) in ${filePath} were invalid and were removed (${shown}). The original file was backed up to ${backup}.`,
    );
    changed = true;
  }

  const normalized = { ...migrated, schemaVersion: CURRENT_SCHEMA_VERSION, profiles: kept };
  if (changed || JSON.stringify(kept) !== JSON.stringify(list) || doc.schemaVersion !== CURRENT_SCHEMA_VERSION) {
    writeAtomic(filePath, normalized);
  }
  restrictMode(filePath);
  return result;
}

/** Returns the parsed top-level object, or a sentence saying why the text is unusable. */
function parseDocument(text: string): ProfilesDocument | string {
  if (text.trim() === '') return 'the file is empty';
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return `it is not valid JSON, maybe truncated or edited by hand (${(err as Error).message})`;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    const kind = value === null ? 'null' : Array.isArray(value) ? 'a list' : `a ${typeof value}`;
    return `it holds ${kind} instead of an object`;
  }
  return value as ProfilesDocument;
}

function replaceUnusable(filePath: string, reason: string, now: () => Date, result: PrepareResult): PrepareResult {
  const backup = backupPath(filePath, 'corrupt', now);
  renameSync(filePath, backup);
  result.backups.push(backup);
  writeAtomic(filePath, emptyProfilesFile());
  result.notices.push(
    `The connection profiles file ${filePath} could not be used: ${reason}. It was moved to ${backup} and an empty profile list was started.`,
  );
  return result;
}

function describeEntry(entry: unknown, index: number): string {
  const name = typeof entry === 'object' && entry !== null ? (entry as { name?: unknown }).name : undefined;
  return typeof name === 'string' && name.length > 0 ? `#${index + 1} "${name.slice(0, 60)}"` : `#${index + 1}`;
}

/** profiles.json.corrupt-2025-01-31T10-00-00-000Z, with -2, -3… if that name is taken. */
export function backupPath(filePath: string, label: string, now: () => Date): string {
  const stamp = now().toISOString().replace(/[:.]/g, '-');
  const base = `${filePath}.${label}-${stamp}`;
  let candidate = base;
  for (let n = 2; existsSync(candidate); n++) candidate = `${base}-${n}`;
  return candidate;
}

/** Temp file + rename, so a crash mid-write never leaves a half-written profiles file. */
export function writeAtomic(filePath: string, doc: unknown): void {
  const tmp = `${filePath}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  writeFileSync(tmp, JSON.stringify(doc, null, '\t'), { mode: FILE_MODE });
  renameSync(tmp, filePath);
}

/** Browser mode keeps passwords only behind the file mode, so widen-by-hand is undone. */
function restrictMode(filePath: string): void {
  if (process.platform === 'win32') return;
  try {
    if ((statSync(filePath).mode & 0o077) !== 0) chmodSync(filePath, FILE_MODE);
  } catch {
    // The file may not exist yet; Conf creates it with configFileMode 0600.
  }
}
