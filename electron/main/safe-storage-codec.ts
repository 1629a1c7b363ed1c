/**
 * Profile passwords encrypted with Electron's safeStorage (Keychain on macOS,
 * DPAPI on Windows, libsecret/kwallet on Linux). Must be created after the
 * app is ready. Falls back to the 0600-file codec when no keychain exists.
 */
import { safeStorage } from 'electron';
import { plainFileCodec, type SecretCodec } from '../core/profiles/index';

export interface SecretCodecChoice {
  codec: SecretCodec;
  notices: string[];
}

export function createSafeStorageCodec(): SecretCodecChoice {
  if (!safeStorage.isEncryptionAvailable()) {
    return {
      codec: plainFileCodec,
      notices: ['No system keychain is available, so profile passwords are stored unencrypted in a file only you can read (mode 0600).'],
    };
  }
  const notices: string[] = [];
  // On Linux without a secret service Chromium "encrypts" with a fixed key.
  if (process.platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text') {
    notices.push('No Linux secret service (GNOME Keyring, KWallet) was found: profile passwords are only obfuscated, not strongly encrypted.');
  }
  const codec: SecretCodec = {
    kind: 'safeStorage',
    encrypt: (plain) => safeStorage.encryptString(plain).toString('base64'),
    decrypt: (stored) => safeStorage.decryptString(Buffer.from(stored, 'base64')),
  };
  return { codec, notices };
}
