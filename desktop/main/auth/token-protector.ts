// How the token cache is protected at rest. The shell decides: Electron encrypts with safeStorage
// (the OS keychain); the console host has no keychain to call, so it relies on file permissions.
export interface TokenProtector {
  protect(plain: string): Promise<Buffer>;
  unprotect(data: Buffer): Promise<string>;
}

/** Console host: no encryption. The cache file is written with 0600 permissions in the console's
 * data folder, so only the same OS user can read it; that is the whole protection in this shell. */
export function filePermissionProtector(): TokenProtector {
  return {
    protect: async (plain) => Buffer.from(plain, 'utf8'),
    unprotect: async (data) => data.toString('utf8'),
  };
}
