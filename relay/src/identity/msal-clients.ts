// The relay's MSAL clients of each tenant's provider, and where they keep the web sessions' tokens.
// One node: one ConfidentialClientApplication per tenant, its in-memory cache holding every signed-in
// account (as before). Several nodes (a `tokenCache`): MSAL's DistributedCachePlugin keeps each account's
// tokens as one blob in Redis, partitioned by the account's homeAccountId, so a node answers for a web
// session another node created. A client's cache then holds one account: a client per account (a bounded
// number kept, so MSAL's per-client discovery of the provider is not repeated on every request), and a
// fresh one for each callback, whose empty cache takes the account that signs in.
import { ConfidentialClientApplication, DistributedCachePlugin, type Configuration, type ICacheClient } from '@azure/msal-node';

export interface MsalClients {
  /** For starting a sign-in (no tokens involved). */
  forTenant(tenantId: string): ConfidentialClientApplication;
  /** For the callback: the client whose cache takes the tokens of the account signing in. */
  forSignIn(tenantId: string): ConfidentialClientApplication;
  /** For a web session: the client whose cache holds this account's tokens. */
  forAccount(tenantId: string, homeAccountId: string): ConfidentialClientApplication;
  /** The account's tokens are removed: its client need not be kept. */
  forget(tenantId: string, homeAccountId: string): void;
}

/** Clients kept per account on a node with a shared cache; past it the least recently used goes. */
const maxAccountClients = 1000;

export function createMsalClients(configFor: (tenantId: string) => Configuration, tokenCache?: ICacheClient): MsalClients {
  const tenants = new Map<string, ConfidentialClientApplication>();
  const forTenant = (tenantId: string): ConfidentialClientApplication => {
    let client = tenants.get(tenantId);
    if (!client) tenants.set(tenantId, (client = new ConfidentialClientApplication(configFor(tenantId))));
    return client;
  };
  if (!tokenCache) return { forTenant, forSignIn: forTenant, forAccount: forTenant, forget: () => undefined };

  const partition = (tenantId: string, homeAccountId: string): string => JSON.stringify([tenantId, homeAccountId]);
  /** A client whose cache is read from (and written to) the account's partition. */
  const withSharedCache = (tenantId: string, homeAccountId: string | undefined): ConfidentialClientApplication => {
    const config = configFor(tenantId);
    const cachePlugin = new DistributedCachePlugin(tokenCache, {
      // Before a sign-in the account is not known: a partition nothing is written to, read as empty.
      getKey: async () => partition(tenantId, homeAccountId ?? ''),
      extractKey: async (account) => partition(tenantId, account.homeAccountId),
    });
    return new ConfidentialClientApplication({ ...config, cache: { ...config.cache, cachePlugin } });
  };
  const accounts = new Map<string, ConfidentialClientApplication>();
  return {
    forTenant,
    forSignIn: (tenantId) => withSharedCache(tenantId, undefined),
    forAccount(tenantId, homeAccountId) {
      const id = partition(tenantId, homeAccountId);
      const client = accounts.get(id) ?? withSharedCache(tenantId, homeAccountId);
      // Map order is recency: re-inserted on use, the oldest first out.
      accounts.delete(id);
      accounts.set(id, client);
      for (const oldest of accounts.keys()) {
        if (accounts.size <= maxAccountClients) break;
        accounts.delete(oldest);
      }
      return client;
    },
    forget: (tenantId, homeAccountId) => void accounts.delete(partition(tenantId, homeAccountId)),
  };
}
