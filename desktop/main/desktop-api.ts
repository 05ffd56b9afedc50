// The desktop API's implementation in main: the one place the renderer's requests turn into work.
// Expected failures come back as Ack values; only bugs throw (the dispatcher turns them into `internal`).
import { fail, ok, type AdminMethod, type AdminResult, type DesktopApi } from '#protocol';
import type { Locale } from '#protocol/locales.js';
import { createAdminForwarder } from './admin-client.js';
import type { AuthService } from './auth/auth-service.js';
import { directoryFailure, fetchDeviceSessions } from './directory-client.js';
import type { Inventory } from './inventory/inventory.js';
import type { SyncService } from './inventory/sync-service.js';
import type { HttpsClient } from './net/https-client.js';
import type { RelayLink } from './relay-link.js';

export interface DesktopApiDeps {
  shell: 'electron' | 'console-host';
  relayUrl: string;
  http: HttpsClient;
  auth: AuthService;
  inventory: Inventory;
  sync: SyncService;
  relay: RelayLink;
  /** The operating system's languages, in order (Electron); none in the console host. */
  systemLanguages?: readonly string[];
}

export function createDesktopApi(deps: DesktopApiDeps): DesktopApi {
  const { auth, inventory, sync, relay } = deps;
  const recovered = inventory.recovered;
  // What the renderer shows once: the inventory file was unusable and a fresh one was started.
  const inventoryNotice = recovered ? { code: 'inventory-recovered' as const, movedTo: recovered.movedTo, reason: recovered.reason } : undefined;

  const tenant = () => auth.account()?.tenantId ?? null;
  const unauthenticated = () => fail<never>('unauthenticated', 'not signed in');
  // The renderer's language (setLocale), for the relay's messages.
  let locale: Locale | undefined;
  const forwardAdmin = createAdminForwarder({
    relayUrl: deps.relayUrl, http: deps.http, accessToken: () => auth.accessToken(), signedIn: () => auth.account() !== null,
    locale: () => locale,
  });

  return {
    async getStatus() {
      const tenantId = tenant();
      const lastSyncedAt = tenantId ? inventory.lastSyncedAt(tenantId) : null;
      return ok({
        shell: deps.shell, relayUrl: deps.relayUrl, account: auth.account(), relayConnected: relay.connected(),
        ...(lastSyncedAt ? { lastSyncedAt } : {}),
        ...(inventoryNotice ? { inventoryNotice } : {}),
        ...(deps.systemLanguages?.length ? { systemLanguages: [...deps.systemLanguages] } : {}),
      });
    },
    async beginSignIn({ email }) {
      return auth.beginSignIn(email);
    },
    async completeSignIn() {
      const account = await auth.completeSignIn();
      if (account.ok) {
        relay.connect();
        sync.signedIn();
      }
      return account;
    },
    async cancelSignIn() {
      return ok({ cancelled: await auth.cancelSignIn() });
    },
    async signOut() {
      await sync.signedOut();
      relay.disconnect();
      await auth.signOut();
      return ok(null);
    },
    syncDevices() {
      // One sync at a time: a click while a sync runs (from any trigger) waits for that one's result.
      return sync.run('manual');
    },
    async cancelSync() {
      return ok({ cancelled: sync.cancel() });
    },
    async listDevices(q) {
      const tenantId = tenant();
      return tenantId ? ok(await inventory.list(tenantId, q)) : unauthenticated();
    },
    async deviceFilters() {
      const tenantId = tenant();
      return tenantId ? ok(await inventory.filters(tenantId)) : unauthenticated();
    },
    async getDevice({ id }) {
      const tenantId = tenant();
      if (!tenantId) return unauthenticated();
      const d = inventory.get(tenantId, id);
      return d ? ok(d) : fail('not-found', 'no such device in the inventory');
    },
    async deviceSessions({ id }) {
      if (!tenant()) return unauthenticated();
      const token = await auth.accessToken();
      if (!token) return fail('unauthenticated', 'the sign-in has expired');
      try {
        return ok(await fetchDeviceSessions(deps.http, deps.relayUrl, token, id));
      } catch (e) {
        const known = directoryFailure(e);
        if (known) return fail(known.code, known.message);
        throw e;
      }
    },
    relay: ({ event, req }) => relay.request(event, req),
    // The forwarder answers whatever the relay answered for this method; the relay owns the shape.
    admin: <K extends AdminMethod>({ method, args }: { method: K; args: unknown }) =>
      forwardAdmin(method, args) as Promise<AdminResult<K>>,
    async setLocale(req) {
      locale = req.locale;
      return ok(null);
    },
  };
}
