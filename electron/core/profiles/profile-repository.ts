/**
 * Connection profiles: CRUD, order and saved subscriptions over a Conf-like
 * store (conf in plain Node, electron-store in Electron; same file format).
 *
 * Concurrency rule: one repository instance per data dir, owned by the
 * process that serves the contract (Electron main or the browser-mode host).
 * Every method is synchronous and does its whole read-modify-write before
 * returning, so calls from several windows, which all go through that one
 * instance, can never interleave. Two instances (two processes) on the same
 * dir keep the file valid JSON (writes are atomic: temp file + rename) but
 * the later writer wins, so don't do that.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import {
  fieldErrors,
  profileInputSchema,
  profileSchema,
  randomClientId,
  savedSubscriptionSchema,
  type Profile,
  type ProfileInput,
  type SavedSubscription,
} from '../../../shared/profile';
import { UserFacingError } from '../contract-dispatch';
import { prepareProfilesFile } from './profiles-file';
import { plainFileCodec, type SecretCodec, type SecretStorageKind } from './secret-codec';
import { CURRENT_SCHEMA_VERSION, MAX_PROFILES, parseStoredProfile, type StoredProfile } from './stored-profile';

/** The part of Conf / electron-store the repository uses. */
export interface ProfileStoreBackend {
  get(key: string): unknown;
  set(key: string, value: unknown): void;
  readonly path: string;
}

export interface ProfileRepositoryOptions {
  codec?: SecretCodec;
  /** Notices from opening the file (prepareProfilesFile), shown with later ones. */
  notices?: string[];
  now?: () => Date;
}

const subscriptionsSchema = z.array(savedSubscriptionSchema).max(1000);
const NAME_MAX = 100;
const MAX_NOTICES = 50;

export class ProfileRepository {
  private readonly codec: SecretCodec;
  private readonly noticeList: string[];
  private readonly now: () => Date;
  /** Profiles whose secret could not be read, so the notice is given once. */
  private readonly unreadableSecrets = new Set<string>();

  constructor(
    private readonly store: ProfileStoreBackend,
    opts: ProfileRepositoryOptions = {},
  ) {
    this.codec = opts.codec ?? plainFileCodec;
    this.noticeList = [...(opts.notices ?? [])];
    this.now = opts.now ?? (() => new Date());
    const stored = this.load();
    if (this.store.get('schemaVersion') !== CURRENT_SCHEMA_VERSION) this.store.set('schemaVersion', CURRENT_SCHEMA_VERSION);
    if (!Array.isArray(this.store.get('profiles'))) this.save([]);
    this.encryptPlainPasswords(stored);
  }

  get secretStorage(): SecretStorageKind {
    return this.codec.kind;
  }

  /** Where the profiles live, for notices and the About box. */
  get path(): string {
    return this.store.path;
  }

  notices(): string[] {
    return [...this.noticeList];
  }

  /** Lets the opener add what it learned (e.g. which keychain is in use) to the same list. */
  addNotice(message: string): void {
    this.notice(message);
  }

  list(): Profile[] {
    return this.load().map((s) => this.decode(s));
  }

  get(id: string): Profile | undefined {
    const found = this.load().find((s) => s.id === id);
    return found ? this.decode(found) : undefined;
  }

  create(input: ProfileInput): Profile {
    const data = validate(profileInputSchema, input);
    const stored = this.load();
    if (stored.length >= MAX_PROFILES) throw new UserFacingError(`At most ${MAX_PROFILES} connection profiles can be saved`);
    const profile: Profile = { ...data, id: randomUUID() };
    this.save([...stored, this.encode(profile)]);
    return profile;
  }

  update(p: Profile): Profile {
    const profile = validate(profileSchema, p);
    const stored = this.load();
    const index = indexOrThrow(stored, profile.id);
    stored[index] = this.encode(profile, stored[index]);
    this.save(stored);
    return profile;
  }

  /**
   * Copies a profile next to the original. A fixed client ID is replaced by a
   * fresh random one: two profiles with the same client ID would share one
   * broker session and kick each other off (the broker allows one connection
   * per client ID). An empty ID (broker-assigned) stays empty.
   */
  duplicate(id: string): Profile {
    const stored = this.load();
    const index = indexOrThrow(stored, id);
    const original = this.decode(stored[index]);
    const name = `${original.name.slice(0, NAME_MAX - ' (copy)'.length)} (copy)`;
    const clientId =
      original.clientIdMode === 'fixed' && original.clientId !== ''
        ? randomClientId()
        : original.clientId;
    const copy = validate(profileSchema, { ...structuredClone(original), id: randomUUID(), name, clientId });
    if (stored.length >= MAX_PROFILES) throw new UserFacingError(`At most ${MAX_PROFILES} connection profiles can be saved`);
    stored.splice(index + 1, 0, this.encode(copy));
    this.save(stored);
    return copy;
  }

  delete(id: string): void {
    const stored = this.load();
    indexOrThrow(stored, id);
    this.save(stored.filter((s) => s.id !== id));
  }

  /**
   * Puts the given ids first, in that order. Saved profiles missing from `ids`
   * (created in another window since it last listed) keep their relative order
   * after them, so a stale list never loses a profile.
   */
  reorder(ids: string[]): Profile[] {
    const stored = this.load();
    const byId = new Map(stored.map((s) => [s.id, s]));
    const seen = new Set<string>();
    for (const id of ids) {
      if (seen.has(id)) throw new UserFacingError(`Profile id ${id} appears twice in the new order`);
      if (!byId.has(id)) throw notFound(id);
      seen.add(id);
    }
    const ordered = [...ids.map((id) => byId.get(id) as StoredProfile), ...stored.filter((s) => !seen.has(s.id))];
    this.save(ordered);
    return ordered.map((s) => this.decode(s));
  }

  /** Saves the subscriptions a connection made, so they can be restored on the next connect. */
  setSubscriptions(id: string, subs: SavedSubscription[]): Profile {
    const subscriptions = validate(subscriptionsSchema, subs);
    const stored = this.load();
    const index = indexOrThrow(stored, id);
    stored[index] = { ...stored[index], subscriptions };
    this.save(stored);
    return this.decode(stored[index]);
  }

  private notice(message: string): void {
    if (this.noticeList.length < MAX_NOTICES) this.noticeList.push(message);
  }

  /**
   * Reads and checks the saved list. If the file was broken while the app ran
   * (hand edit, another program), it goes through the same backup-and-recover
   * path as at start-up instead of failing every call.
   */
  private load(): StoredProfile[] {
    for (let attempt = 0; attempt < 2; attempt++) {
      const checked = this.tryLoad();
      if (checked) return checked;
      for (const n of prepareProfilesFile(this.store.path, { now: this.now }).notices) this.notice(n);
    }
    throw new Error(`The connection profiles file ${this.store.path} is unreadable even after recovery`);
  }

  private tryLoad(): StoredProfile[] | null {
    let version: unknown;
    let raw: unknown;
    try {
      version = this.store.get('schemaVersion');
      raw = this.store.get('profiles');
    } catch {
      return null;
    }
    if (version === undefined && raw === undefined) return [];
    if (version !== CURRENT_SCHEMA_VERSION && !(version === undefined && Array.isArray(raw) && raw.length === 0)) return null;
    if (raw === undefined) return [];
    if (!Array.isArray(raw) || raw.length > MAX_PROFILES) return null;
    const out: StoredProfile[] = [];
    const ids = new Set<string>();
    for (const entry of raw) {
      const parsed = parseStoredProfile(entry);
      if (!parsed.ok || ids.has(parsed.value.id)) return null;
      ids.add(parsed.value.id);
      out.push(parsed.value);
    }
    return out;
  }

  private save(list: StoredProfile[]): void {
    try {
      this.store.set('profiles', list);
    } catch {
      // Conf re-reads the file before writing; if it broke since load(), recover it and write our full list.
      for (const n of prepareProfilesFile(this.store.path, { now: this.now }).notices) this.notice(n);
      this.store.set('profiles', list);
    }
  }

  private encode(p: Profile, previous?: StoredProfile): StoredProfile {
    const { password, ...rest } = p;
    if (password !== undefined) return { ...rest, passwordEnc: this.codec.encrypt(password), passwordCodec: this.codec.kind };
    // The form shows an unreadable secret as empty; saving the form must not erase it.
    if (previous?.passwordEnc !== undefined && this.readSecret(previous, false) === undefined) {
      return { ...rest, passwordEnc: previous.passwordEnc, passwordCodec: previous.passwordCodec };
    }
    return rest;
  }

  private decode(s: StoredProfile): Profile {
    const { passwordEnc: _enc, passwordCodec: _codec, ...rest } = s;
    const password = this.readSecret(s, true);
    return password === undefined ? rest : { ...rest, password };
  }

  private readSecret(s: StoredProfile, tell: boolean): string | undefined {
    if (s.passwordEnc === undefined) return undefined;
    if (s.passwordCodec === this.codec.kind) {
      try {
        return this.codec.decrypt(s.passwordEnc);
      } catch {
        if (tell) this.tellUnreadable(s, 'it could not be decrypted (the system keychain may have changed)');
        return undefined;
      }
    }
    // Stored in plain text (file-0600): readable by any codec; re-encrypted on open.
    if (s.passwordCodec === 'file-0600') return s.passwordEnc;
    if (tell) this.tellUnreadable(s, 'it was encrypted with the desktop app\'s system keychain, which is not available here');
    return undefined;
  }

  private tellUnreadable(s: StoredProfile, why: string): void {
    if (this.unreadableSecrets.has(s.id)) return;
    this.unreadableSecrets.add(s.id);
    this.notice(`The saved password of "${s.name}" cannot be used: ${why}. Enter it again in the profile.`);
  }

  /** Plain passwords (from a v0 file, browser mode or a hand edit) are encrypted as soon as a real codec is available. */
  private encryptPlainPasswords(stored: StoredProfile[]): void {
    if (this.codec.kind === 'file-0600') return;
    let count = 0;
    const next = stored.map((s) => {
      if (s.passwordEnc === undefined || s.passwordCodec !== 'file-0600') return s;
      count++;
      return { ...s, passwordEnc: this.codec.encrypt(s.passwordEnc), passwordCodec: this.codec.kind };
    });
    if (count === 0) return;
    this.save(next);
    this.notice(`${count} saved password(s) were stored in plain text and are now encrypted with ${this.codec.kind}.`);
  }
}

function validate<T>(schema: z.ZodType<T>, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const first = parsed.error.issues[0];
  const where = first && first.path.length > 0 ? `${first.path.join('.')}: ` : '';
  throw new UserFacingError(`Invalid connection profile: ${where}${first?.message ?? 'invalid value'}`, fieldErrors(parsed.error));
}

function notFound(id: string): UserFacingError {
  return new UserFacingError(`No connection profile with id ${JSON.stringify(id.slice(0, 64))}: it may have been deleted in another window`);
}

function indexOrThrow(stored: StoredProfile[], id: string): number {
  const index = stored.findIndex((s) => s.id === id);
  if (index < 0) throw notFound(id);
  return index;
}
