export { ProfileRepository, type ProfileStoreBackend, type ProfileRepositoryOptions } from './profile-repository';
export { createNodeProfileRepository, createConfStore, openProfileRepository, profilesFilePath, type StoreFactoryOptions } from './open-repository';
export { plainFileCodec, type SecretCodec, type SecretStorageKind } from './secret-codec';
export { MAX_PROFILES_FILE_BYTES, prepareProfilesFile, type PrepareResult } from './profiles-file';
export { CURRENT_SCHEMA_VERSION, MAX_PROFILES, PROFILES_FILE, type StoredProfile, type ProfilesFileV1 } from './stored-profile';
export { MIGRATIONS, migrateProfilesData, type Migration } from './migrations';
