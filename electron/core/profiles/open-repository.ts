/**
 * Opening the profile store: check/recover/migrate the file first (Conf and
 * electron-store throw on a broken file), then build the store and the
 * repository. Electron main uses openProfileRepository with electron-store
 * and the safeStorage codec; plain Node uses createNodeProfileRepository.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Conf from 'conf';
import { prepareProfilesFile } from './profiles-file';
import { ProfileRepository, type ProfileStoreBackend } from './profile-repository';
import { plainFileCodec, type SecretCodec } from './secret-codec';
import { PROFILES_FILE, PROFILES_FILE_NAME } from './stored-profile';

export interface StoreFactoryOptions {
  cwd: string;
  /** File name without extension ('profiles'): conf calls it configName, electron-store name. */
  name: string;
  configFileMode: number;
}

export function profilesFilePath(dataDir: string): string {
  return join(dataDir, PROFILES_FILE);
}

export function openProfileRepository(
  dataDir: string,
  codec: SecretCodec,
  makeStore: (opts: StoreFactoryOptions) => ProfileStoreBackend,
  now?: () => Date,
): ProfileRepository {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const { notices } = prepareProfilesFile(profilesFilePath(dataDir), { now });
  const store = makeStore({ cwd: dataDir, name: PROFILES_FILE_NAME, configFileMode: 0o600 });
  return new ProfileRepository(store, { codec, notices, now });
}

/** Plain-Node (browser mode, tests): conf, passwords kept behind file mode 0600 unless another codec is given. */
export function createNodeProfileRepository(dataDir: string, codec: SecretCodec = plainFileCodec): ProfileRepository {
  return openProfileRepository(dataDir, codec, (o) => createConfStore(o));
}

export function createConfStore(o: StoreFactoryOptions): ProfileStoreBackend {
  return new Conf<Record<string, unknown>>({
    cwd: o.cwd,
    configName: o.name,
    configFileMode: o.configFileMode,
    // Keys are fixed ('schemaVersion', 'profiles'); no dot paths wanted.
    accessPropertiesByDotNotation: false,
  });
}
