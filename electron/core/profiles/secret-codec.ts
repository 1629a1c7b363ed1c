/**
 * How profile passwords are written to disk. The repository only ever stores
 * `codec.encrypt(password)`; the codec decides what that means. Electron's
 * safeStorage codec lives in electron/main (it needs the `electron` module).
 */
export type SecretStorageKind = 'safeStorage' | 'file-0600';

export interface SecretCodec {
  readonly kind: SecretStorageKind;
  encrypt(plain: string): string;
  /** Throws when the stored value cannot be decrypted (e.g. the OS keychain changed). */
  decrypt(stored: string): string;
}

/**
 * Plain-Node (browser mode) codec: no keychain is available, so the password
 * is kept as is and the protection is the profiles file's mode 0600.
 */
export const plainFileCodec: SecretCodec = {
  kind: 'file-0600',
  encrypt: (plain) => plain,
  decrypt: (stored) => stored,
};
