// Electron shell: the token cache is encrypted with the OS keychain through safeStorage.
import { safeStorage } from 'electron';
import type { TokenProtector } from '../auth/token-protector.js';

export function safeStorageProtector(): TokenProtector {
  return {
    protect: (plain) => safeStorage.encryptStringAsync(plain),
    unprotect: async (data) => (await safeStorage.decryptStringAsync(data)).result,
  };
}
