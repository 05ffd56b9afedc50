// The desktop API's implementation in main: the one place the renderer's requests turn into work.
// Expected failures come back as Ack values; only bugs throw (the dispatcher turns them into `internal`).
import { fail, ok, type AdminMethod, type AdminResult, type DesktopApi } from '#protocol';
import { createAdminForwarder } from './admin-client.js';
import type { AuthService } from './auth/auth-service.js';
import { DirectoryError, directoryFetcher } from './directory-client.js';
import type { Inventory } from './inventory/inventory.js';
import type { HttpsClient } from './net/https-client.js';
import type { RelayLink } from './relay-link.js';

export interface DesktopApiDeps {
  shell: 'electron' | 'console-host';
  relayUrl: string;
  http: HttpsClient;
  auth: AuthService;
  inventory: Inventory;
  relay: RelayLink;
}

export function createDesktopApi(deps: DesktopApiDeps): DesktopApi {
  const { auth, inventory, relay } = deps;
  let syncing: ReturnType<DesktopApi['syncDevices']> | null = null;

  const tenant = () => auth.account()?.tenantId ?? null;
  const unauthenticated = () => fail<never>('unauthenticated', 'not signed in');
  const forwardAdmin = createAdminForwarder({
    relayUrl: deps.relayUrl, http: deps.http, accessToken: () => auth.accessToken(), signedIn: () => auth.account() !== null,
  });

  return {
    async getStatus() {
      return ok({ shell: deps.shell, relayUrl: deps.relayUrl, account: auth.account(), relayConnected: relay.connected() });
    },
    async beginSignIn({ email }) {
      return auth.beginSignIn(email);
    },
    async completeSignIn() {
      const account = await auth.completeSignIn();
      if (account.ok) relay.connect();
      return account;
    },
    async signOut() {
      relay.disconnect();
      await auth.signOut();
      return ok(null);
    },
    syncDevices() {
      // One sync at a time: a second click while syncing waits for the same result.
      syncing ??= (async () => {
        const tenantId = tenant();
        if (!tenantId) return unauthenticated();
        const token = await auth.accessToken();
        if (!token) return fail('unauthenticated', 'the sign-in has expired');
        try {
          return ok(await inventory.sync(tenantId, directoryFetcher(deps.http, deps.relayUrl, token)));
        } catch (e) {
          if (e instanceof DirectoryError) return fail(e.code ?? (e.status === 401 ? 'unauthenticated' : e.status === 403 ? 'forbidden' : 'internal'), e.message);
          if ((e as NodeJS.ErrnoException).code !== undefined) return fail('relay-unreachable', (e as Error).message);
          throw e;
        }
      })().finally(() => { syncing = null; });
      return syncing;
    },
    async listDevices(q) {
      const tenantId = tenant();
      return tenantId ? ok(inventory.list(tenantId, q)) : unauthenticated();
    },
    async getDevice({ id }) {
      const tenantId = tenant();
      if (!tenantId) return unauthenticated();
      const d = inventory.get(tenantId, id);
      return d ? ok(d) : fail('not-found', 'no such device in the inventory');
    },
    relay: ({ event, req }) => relay.request(event, req),
    // The forwarder answers whatever the relay answered for this method; the relay owns the shape.
    admin: <K extends AdminMethod>({ method, args }: { method: K; args: unknown }) =>
      forwardAdmin(method, args) as Promise<AdminResult<K>>,
  };
}
