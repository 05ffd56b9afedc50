// MSAL's token cache, persisted to one file per tenant through the shell's protector.
import type { ICachePlugin, TokenCacheContext } from '@azure/msal-node';
import { chmod, readFile, rename, rm, writeFile } from 'node:fs/promises';
import type { TokenProtector } from './token-protector.js';

export function fileCachePlugin(file: string, protector: TokenProtector): ICachePlugin {
  return {
    async beforeCacheAccess(ctx: TokenCacheContext) {
      let data: Buffer;
      try {
        data = await readFile(file);
      } catch {
        return; // nothing cached yet
      }
      try {
        ctx.tokenCache.deserialize(await protector.unprotect(data));
      } catch {
        // An unreadable cache (other machine's key, corrupted) only means signing in again.
        await rm(file, { force: true });
      }
    },
    async afterCacheAccess(ctx: TokenCacheContext) {
      if (!ctx.cacheHasChanged) return;
      const tmp = `${file}.tmp`;
      await writeFile(tmp, await protector.protect(ctx.tokenCache.serialize()), { mode: 0o600 });
      await chmod(tmp, 0o600);
      await rename(tmp, file);
    },
  };
}
