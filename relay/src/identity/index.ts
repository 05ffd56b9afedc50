// The identity part of the relay: the embedded OpenID provider per tenant, the web sign-in, token checks
// and the directory API. start-relay.ts calls createIdentity once the server is bound (the public URL known).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import compose from 'koa-compose';
import mount from 'koa-mount';
import type Koa from 'koa';
import type Provider from 'oidc-provider';
import type { DirectoryStore } from '../directory/index.js';
import { createMemoryWindowCounter } from '../limits/memory-window-counter.js';
import { createSqliteWindowCounter } from '../limits/sqlite-window-counter.js';
import { fail, type Ack } from '#protocol';
import type { AuthUser, Authenticator, Clock, Log, ProfileFreshness, WindowCounter } from '../ports.js';
import { providerPageCsp, withCsp } from './csp.js';
import { passwordLinkRoutes } from './password-link-routes.js';
import { seedDemoMfa } from './demo-mfa.js';
import { openSqliteMfaStore, type MfaStore, type TenantMfa } from './mfa-store.js';
import { loadCatalogues, type Catalogues } from './page-locale.js';
import { createProviderStore } from './provider-store.js';
import type { RedisClient } from '../live/redis-client.js';
import { createRedisProviderStore } from '../live/redis-provider-store.js';
import { createServerPages } from './server-pages.js';
import { loadIdentitySecrets, publicJwk, type LoadIdentitySecrets } from './secrets.js';
import { createSignInThrottle, defaultSignInLimits, type SignInLimits } from './sign-in-limits.js';
import { createTenantProvider, issuerFor } from './tenant-provider.js';
import { endProviderSessions } from './provider-sign-out.js';
import { createSourceVerifier, createTokenVerifier } from './verify-token.js';
import { createAppToken } from './entra/app-token.js';
import { createGraphClient } from './entra/graph-client.js';
import { createGraphGet } from './entra/graph-request.js';
import { createIntuneSync, startIntuneSchedule, type IntuneSchedule } from './entra/intune-sync.js';
import { createEntraProfileSync } from './entra/profile-sync.js';
import { embeddedSource } from './sources/embedded-source.js';
import { createExternalSource } from './sources/external-source.js';
import type { TenantSource } from './sources/types.js';
import { createHttpsFetch } from '../net/https-fetch.js';
import { defaultIntuneSyncMinutes, type ConfiguredTenant } from '../operator-config.js';
import { createWebSignIn, type WebSignInLimits } from './web-sign-in.js';

export { issuerFor } from './tenant-provider.js';
export { requireUser, type UserState } from './require-user.js';
export { devicesApi } from './devices-api.js';
export { sessionCookie } from './web-sessions.js';
export { demoMfaUsers } from './demo-mfa.js';
export { createMfaStore, openPgMfaStore, openSqliteMfaStore, mfaPgMigrations, type MfaStore, type TenantMfa } from './mfa-store.js';
export { loadPgIdentitySecrets } from './pg-secrets.js';
export type { IdentitySecrets, LoadIdentitySecrets } from './secrets.js';
export { totpCode } from './totp.js';
export { defaultSignInLimits, limitMessages, type SignInLimits } from './sign-in-limits.js';
export { defaultWebSignInLimits, type WebSignInLimits } from './web-sign-in.js';

export interface IdentityDeps {
  /** https://HOST[:PORT], no trailing slash. */
  publicUrl: string;
  dataDir: string;
  directory: DirectoryStore;
  log: Log;
  /** The local CA (PEM file) the relay's own MSAL client must trust to reach its provider. */
  caCertPath?: string;
  /** From RH_CONFIG: each tenant's identity source. Absent (the demo): every tenant is embedded. */
  tenants?: readonly ConfiguredTenant[] | undefined;
  /** CAs trusted beside the system's for outside providers and Graph (NODE_EXTRA_CA_CERTS, tests). */
  outgoingCa?: readonly string[];
  /** Behind a TLS-terminating proxy: trust X-Forwarded-Proto for the provider's cookies and URLs. */
  trustProxy?: boolean;
  /** The time for sign-in limits, web sessions and verification codes: the relay's clock (tests move it). */
  clock: Clock;
  /** Whether the node sheds load now (socket/overload.ts): a sign-in form is then refused before its
   * password is checked (busy-refusal.ts). Absent: never. */
  busy?: () => boolean;
  /** Overrides of the limits on wrong passwords and codes (defaultSignInLimits otherwise). */
  signInLimits?: Partial<SignInLimits>;
  /** Overrides of the limits on started web sign-ins (defaultWebSignInLimits otherwise). */
  webSignInLimits?: Partial<WebSignInLimits>;
  /** Counts of wrong passwords and codes; by default a SQLite file in the identity folder, so a restart
   * does not hand out fresh guesses. */
  signInCounter?: WindowCounter;
  /** Counts of started web sign-ins per address; in memory by default. */
  webSignInCounter?: WindowCounter;
  /** The XLIFF catalogues of the server-rendered pages, as the relay read them at start (read here from
   * the web pages' own, ui/src/i18n/xliff, when not given). */
  catalogues?: Catalogues;
  /** Several nodes (DESIGN §12): the provider's state, web sign-ins and web sessions live here, so a
   * sign-in started on one node finishes on another. Undefined: SQLite and memory, one node. */
  redis?: RedisClient | undefined;
  /** Several nodes (DESIGN §12): second factors and the provider's secrets in the shared PostgreSQL, the
   * store kept (and closed) by the caller. Absent: mfa.db and secrets.json in the data folder. */
  kept?: IdentityKept | undefined;
}

export interface IdentityKept {
  mfa: MfaStore;
  loadSecrets: LoadIdentitySecrets;
}

export interface Identity extends Required<Authenticator> {
  /** Providers under /{tenantId}/v2.0, /auth/*, /api/devices. */
  routes: Koa.Middleware;
  /** Called with the key (WebSessionRef.key) of each web session this node signs out, and, on one node,
   * of each that expires; with Redis an expiry tells no node, and each socket's own timer ends it. */
  onSignOut(listener: (webSessionKey: string) => void): void;
  /** Profiles kept from Microsoft Graph for Entra tenants; absent when no tenant has one. */
  profiles?: ProfileFreshness;
  /** Whether the user signs in with a second factor (TOTP): for the admin view's user list. */
  mfaEnrolled(tenantId: string, userId: string): Promise<boolean>;
  /** Whether an administrator requires one (the user enrols at the next sign-in if not yet). */
  mfaRequired(tenantId: string, userId: string): Promise<boolean>;
  setMfaRequired(tenantId: string, userId: string, required: boolean): Promise<void>;
  /** Both of the above for every user of the tenant at once (the admin view's lists). */
  mfaOfTenant(tenantId: string): Promise<TenantMfa>;
  close(): Promise<void>;
}

export async function createIdentity(deps: IdentityDeps): Promise<Identity> {
  const publicUrl = deps.publicUrl.replace(/\/+$/, '');
  const configured = new Map((deps.tenants ?? []).map((t) => [t.id, t]));
  // The relay's own provider serves only the tenants that sign in with it.
  const tenants = (await deps.directory.tenants()).filter((t) => (configured.get(t.id)?.identity.type ?? 'embedded') === 'embedded');
  const secrets = await (deps.kept?.loadSecrets ?? ((ids: string[]) => loadIdentitySecrets(deps.dataDir, ids)))(tenants.map((t) => t.id));
  const ownCa = deps.caCertPath ? await readFile(deps.caCertPath, 'utf8') : undefined;
  const ca = [...(ownCa ? [ownCa] : []), ...(deps.outgoingCa ?? [])];
  const fetch = createHttpsFetch(ca);
  // The providers' signing keys and cookie keys (secrets.ts) are in the data folder on one node, in the
  // shared PostgreSQL with several. Live state goes to Redis when there is one.
  const store = deps.redis ? createRedisProviderStore(deps.redis) : createProviderStore(deps.dataDir);
  const mfa = deps.kept?.mfa ?? openSqliteMfaStore(deps.dataDir);
  const now = (): number => deps.clock.now();
  const signInLimits = { ...defaultSignInLimits, ...deps.signInLimits };
  const ownCounter = deps.signInCounter ? undefined : createSqliteWindowCounter(join(deps.dataDir, 'identity', 'sign-in-limits.db'));
  const throttle = createSignInThrottle(deps.signInCounter ?? ownCounter!, signInLimits, now);
  // The pages' catalogues, read once: a relay without them stops here, not at a user's first page.
  const pages = createServerPages(deps.catalogues ?? loadCatalogues());

  let intune: IntuneSchedule | undefined;
  const closeStores = async (): Promise<void> => {
    void intune?.stop();
    store.close();
    ownCounter?.close();
    // A store handed in is closed by its owner.
    if (!deps.kept) await mfa.close();
  };
  // What is opened above is closed again if any later part fails to start (a bad tenant, a bad key).
  try {
    ownCounter?.importEvents(await mfa.takeLegacyFailures(), signInLimits.windowMs);
    await seedDemoMfa(deps.directory, mfa);
    const ownProviders: Provider[] = [];
    const providers = tenants.map((tenant) => {
      const provider = createTenantProvider({
        publicUrl,
        tenant,
        directory: deps.directory,
        signingKey: secrets.signingKeys[tenant.id]!,
        cookieKeys: secrets.cookieKeys,
        webClientSecret: secrets.webClientSecret,
        log: deps.log,
        adapter: store.adapterFor(tenant.id),
        mfa,
        throttle,
        now,
        pages,
        ...(deps.busy ? { busy: deps.busy } : {}),
        ...(deps.trustProxy !== undefined ? { trustProxy: deps.trustProxy } : {}),
      });
      ownProviders.push(provider);
      const mounted = mount(`/${tenant.id}/v2.0`, provider);
      // The provider signs and reads its cookies with its own keys, whatever keys the host app has.
      const withOwnCookies: Koa.Middleware = (ctx, next) => {
        if (!ctx.path.startsWith(`/${tenant.id}/`)) return mounted(ctx, next);
        ctx.cookies = provider.createContext(ctx.req, ctx.res).cookies;
        return withCsp(ctx, providerPageCsp, () => Promise.resolve(mounted(ctx, next)));
      };
      return withOwnCookies;
    });

    const verifySignature = createTokenVerifier(
      tenants.map((t) => ({ tenantId: t.id, issuer: issuerFor(publicUrl, t.id), keys: [publicJwk(secrets.signingKeys[t.id]!)] })),
    );
    // A token stays valid for its hour; the directory says whether its user still may act.
    const verifyEmbedded = async (token: string): Promise<Ack<AuthUser>> => {
      const user = await verifySignature(token);
      if (!user.ok) return user;
      const row = await deps.directory.user(user.value.tenantId, user.value.userId);
      if (!row?.active) return fail('account-disabled', 'This account has been disabled or removed by the organization.');
      return user;
    };
    // Entra tenants keep job titles, photos, groups and verified domains from Microsoft Graph.
    const graphs = new Map([...configured.values()].flatMap((t) => (t.identity.type !== 'entra' ? [] : [[t.id, createGraphClient({
      tenantId: t.identity.tenantId, clientId: t.identity.clientId, clientSecret: t.identity.clientSecret,
      authorityHost: t.identity.authorityHost, graphUrl: t.identity.graphUrl, ca, log: deps.log,
    })] as const])));
    const profiles = graphs.size ? createEntraProfileSync({ graphs, directory: deps.directory, log: deps.log, now }) : undefined;
    intune = startIntuneSyncs(deps, ca);
    const sources: TenantSource[] = [
      ...tenants.map((t) => embeddedSource(publicUrl, t.id, secrets.webClientSecret, verifyEmbedded)),
      ...[...configured.values()].flatMap((t) => (t.identity.type === 'embedded' ? [] : [createExternalSource({
        tenant: { ...t, identity: t.identity }, directory: deps.directory, fetch, log: deps.log,
        ...(profiles ? { signedIn: profiles.signedIn } : {}),
      })])),
    ];
    const verifyAccessToken = createSourceVerifier(sources);
    const web = createWebSignIn({
      publicUrl, directory: deps.directory, sources: new Map(sources.map((src) => [src.tenantId, src])), ca, verifyAccessToken, log: deps.log, now, pages,
      // Addresses remembered for the per-address count; past it the least recently seen is forgotten.
      starts: deps.webSignInCounter ?? createMemoryWindowCounter({ maxKeys: 10_000 }),
      ...(deps.webSignInLimits ? { limits: deps.webSignInLimits } : {}),
      redis: deps.redis,
      endProviderSessions: (ctx) => endProviderSessions(ownProviders, ctx),
      ...(deps.busy ? { busy: deps.busy } : {}),
    });

    return {
      routes: compose([...providers, web.routes, passwordLinkRoutes({ directory: deps.directory, now, pages })]),
      verifyAccessToken,
      userFromCookie: web.userFromCookie,
      webSession: web.webSession,
      consoleClientId: (tenantId) => sources.find((src) => src.tenantId === tenantId)?.console.clientId,
      onSignOut: web.onSignOut,
      mfaEnrolled: (tenantId, userId) => mfa.hasTotp(tenantId, userId),
      ...(profiles ? { profiles } : {}),
      mfaRequired: (tenantId, userId) => mfa.totpRequired(tenantId, userId),
      setMfaRequired: (tenantId, userId, required) => mfa.setTotpRequired(tenantId, userId, required),
      mfaOfTenant: (tenantId) => mfa.ofTenant(tenantId),
      close: async () => {
        // A sync under way ends (aborted) before the directory it writes to can be closed.
        await intune?.stop();
        web.close();
        await closeStores();
      },
    };
  } catch (error) {
    await closeStores();
    throw error;
  }
}

/** Each Entra tenant's devices from Intune, listed every `identity.intune.syncMinutes` (default 15; 0: off),
 * with an app-only Graph token of the tenant's web registration. Undefined when no tenant syncs. */
function startIntuneSyncs(deps: IdentityDeps, ca: readonly string[]): IntuneSchedule | undefined {
  const syncs = (deps.tenants ?? []).flatMap((t) => {
    if (t.identity.type !== 'entra') return [];
    const minutes = t.identity.intune?.syncMinutes ?? defaultIntuneSyncMinutes;
    if (minutes <= 0) return [];
    const { tenantId, clientId, clientSecret, authorityHost, graphUrl } = t.identity;
    const get = createGraphGet({
      token: createAppToken({ tenantId, clientId, clientSecret, authorityHost, graphUrl: graphUrl.replace(/\/+$/, ''), ca, log: deps.log }),
      fetch: createHttpsFetch(ca), log: deps.log,
    });
    const sync = createIntuneSync({ tenantId: t.id, graphUrl, get, directory: deps.directory, clock: deps.clock, log: deps.log });
    return [{ sync, intervalMs: minutes * 60_000 }];
  });
  return syncs.length ? startIntuneSchedule({ syncs, clock: deps.clock, log: deps.log }) : undefined;
}
