// Web sign-in for /rh and /rhh: the relay is a confidential client of the tenant's provider (MSAL, as
// with Entra), keeps the tokens server-side and gives the browser only an opaque HttpOnly cookie.
import { randomBytes } from 'node:crypto';
import { CryptoProvider, LogLevel, ProtocolMode, ResponseMode, type AccountInfo, type Configuration } from '@azure/msal-node';
import { str } from '@lit/localize';
import Router from '@koa/router';
import type Koa from 'koa';
import { z } from 'zod';
import { fail, type Ack, type RealmInfo, type WebSessionInfo } from '#protocol';
import type { DirectoryStore } from '../directory/index.js';
import type { AuthUser, Log, WebSessionRef, WindowCounter } from '../ports.js';
import type { RedisClient } from '../live/redis-client.js';
import { createRedisMsalCache } from '../live/redis-msal-cache.js';
import { createRedisWebSessionStore } from '../live/redis-web-sessions.js';
import { rateLimitBucket } from '../net/client-address.js';
import { countedWarning } from '../ops/counted-warning.js';
import { refuseBusy } from './busy-refusal.js';
import { authPageCspFor, withCsp } from './csp.js';
import { readForm } from '../http/body.js';
import { routerMiddleware } from '../http/routes.js';
import { emailStepForm } from './email-step.js';
import { answer } from '../http/answer.js';
import { escapeHtml, linkOn, messagePage } from './html.js';
import { httpsNetworkClient } from './network-client.js';
import { lookOf, type ServerPages } from './server-pages.js';
import type { TenantSource } from './sources/types.js';
import type { VerifyAccessToken } from './verify-token.js';
import { createMsalClients } from './msal-clients.js';
import { createWebSessionStore, sessionCookie, sessionTtlMs, type WebSession } from './web-sessions.js';

export { sessionCookie } from './web-sessions.js';
const pendingCookie = 'rh_signin';
const pendingTtlMs = 10 * 60 * 1000;

/** Bounds on started sign-ins: POST /auth/signin needs no account, and each one is kept until its callback. */
export interface WebSignInLimits {
  /** Started sign-ins kept at once, all clients together; past it the oldest is forgotten. */
  maxPending: number;
  /** Sign-ins one client address may start within the window. */
  perAddress: number;
  windowMs: number;
}

export const defaultWebSignInLimits: WebSignInLimits = { maxPending: 10_000, perAddress: 30, windowMs: 10 * 60_000 };

export interface WebSignInDeps {
  publicUrl: string;
  directory: DirectoryStore;
  /** How each tenant signs in: its provider and the relay's clients there. */
  sources: ReadonlyMap<string, TenantSource>;
  /** CAs trusted beside the system's for the providers (the relay's own local CA, an internal PKI). */
  ca: readonly string[];
  verifyAccessToken: VerifyAccessToken;
  log: Log;
  limits?: Partial<WebSignInLimits>;
  /** Counts the sign-ins each client address starts. */
  starts: WindowCounter;
  now: () => number;
  /** The pages' language and the organization's look. */
  pages: ServerPages;
  /** Several nodes: started sign-ins, web sessions and their tokens (MSAL's cache) live here, so any
   * node finishes a sign-in and answers for a session (undefined: in this node's memory). */
  redis?: RedisClient | undefined;
  /** Ends the browser's sessions at the relay's own providers (their cookies come with the sign-out):
   * a web sign-out on a shared PC must not leave the console a way in without a password. */
  endProviderSessions?: (ctx: Koa.Context) => Promise<void>;
  /** Whether the node sheds load now (socket/overload.ts): a sign-in form is then refused before its
   * password is checked (busy-refusal.ts). Absent: never. */
  busy?: () => boolean;
}

export interface WebSignIn {
  routes: Koa.Middleware;
  realm(email: string, organization?: string): Promise<RealmInfo | undefined>;
  userFromCookie(cookieHeader: string | undefined): Promise<Ack<AuthUser>>;
  /** The web session a cookie names (undefined: no session cookie), for ending what it authenticated
   * with it: see onSignOut and WebSessionRef. */
  webSession(cookieHeader: string | undefined): WebSessionRef | undefined;
  /** Called with the key of every web session this node ends: signed out, or (in memory) expired. */
  onSignOut(listener: (webSessionKey: string) => void): void;
  close(): void;
}

export function createWebSignIn(deps: WebSignInDeps): WebSignIn {
  const { publicUrl, directory, log, now } = deps;
  const limits: WebSignInLimits = { ...defaultWebSignInLimits, ...deps.limits };
  const redirectUri = `${publicUrl}/auth/callback`;
  const store = deps.redis
    ? createRedisWebSessionStore(deps.redis, { now, log })
    : createWebSessionStore({ now, maxPending: limits.maxPending, log });
  const crypto = new CryptoProvider();
  const own = new URL(publicUrl).origin;
  const networkClient = httpsNetworkClient(deps.ca);

  const sourceOf = (tenantId: string): TenantSource => {
    const source = deps.sources.get(tenantId);
    if (!source) throw new Error(`tenant ${tenantId} has no identity source`);
    return source;
  };
  const scopesOf = (tenantId: string): string[] => sourceOf(tenantId).web.scopes;

  const configFor = (tenantId: string): Configuration => {
    const web = sourceOf(tenantId).web;
    return {
      auth: {
        clientId: web.clientId,
        clientSecret: web.clientSecret,
        authority: web.authority,
        knownAuthorities: web.knownAuthorities,
      },
      system: {
        networkClient,
        protocolMode: web.protocolMode === 'OIDC' ? ProtocolMode.OIDC : ProtocolMode.AAD,
        loggerOptions: {
          piiLoggingEnabled: false,
          logLevel: LogLevel.Warning,
          loggerCallback: (level, message) => (level <= LogLevel.Error ? log.error('msal', { message }) : log.warn('msal', { message })),
        },
      },
    };
  };
  // The tokens outlive no session: a write gives them a session's lifetime again.
  const clients = createMsalClients(configFor, deps.redis ? createRedisMsalCache(deps.redis, { ttlMs: sessionTtlMs }) : undefined);

  /**
   * The tenant an email signs in with: the one that verified the email's domain, or the organization
   * the user named (a verified domain or a tenant id), e.g. a contractor whose own domain is not
   * verified. Never whether a user exists: that is the provider's to check, in its own tenant, behind
   * the password ("email or password is not correct"), so every address of a domain gets one answer.
   */
  const realm = async (email: string, organization?: string): Promise<RealmInfo | undefined> => {
    const domain = email.trim().split('@')[1]?.toLowerCase();
    if (!domain) return undefined;
    const named = organization?.trim();
    const tenant = named ? (await directory.tenantByDomain(named.toLowerCase())) ?? (await directory.tenant(named)) : await directory.tenantByDomain(domain);
    const source = tenant && deps.sources.get(tenant.id);
    const look = lookOf(tenant);
    return tenant && source && look && { tenantId: tenant.id, tenantName: look.name, ...source.console, look };
  };

  const accountOf = async (session: WebSession): Promise<AccountInfo | null> =>
    clients.forAccount(session.tenantId, session.homeAccountId).getTokenCache().getAccountByHomeId(session.homeAccountId);

  const userFromCookie = async (cookieHeader: string | undefined): Promise<Ack<AuthUser>> => {
    const session = await store.fromCookie(cookieHeader);
    if (!session) return fail('unauthenticated', 'Not signed in.');
    const account = await accountOf(session);
    if (!account) return fail('unauthenticated', 'The sign-in has ended.');
    try {
      // MSAL answers from its cache, or refreshes through the provider when the access token is near expiry.
      const result = await clients.forAccount(session.tenantId, session.homeAccountId).acquireTokenSilent({ account, scopes: scopesOf(session.tenantId) });
      return sameTenant(await deps.verifyAccessToken(result.accessToken), session.tenantId);
    } catch (err) {
      log.warn('web session refresh failed', { tenantId: session.tenantId, err: err instanceof Error ? err.message : String(err) });
      return fail('unauthenticated', 'The sign-in has expired. Sign in again.');
    }
  };

  const router = new Router({ prefix: '/auth' });
  const busyRefusals = countedWarning(log, 'web sign-ins refused: overloaded');

  router.get('/realm', async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    const email = z.email().safeParse(ctx.query.email);
    const tenant = organizationParam.safeParse(ctx.query.tenant);
    if (!email.success || !tenant.success) {
      return answer(ctx, fail('validation', 'Give a valid email address in ?email= (and optionally the organization in ?tenant=).'));
    }
    const info = await realm(email.data, tenant.data);
    if (!info) return answer(ctx, fail('not-found', `No organization is set up for ${tenant.data ?? email.data.split('@')[1]}.`));
    ctx.body = info;
  });

  router.get('/signin', async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.type = 'html';
    const organization = stringParam(ctx.query.organization);
    const email = stringParam(ctx.query.email);
    // An email (or organization) the page was opened with names the tenant: its look from the start.
    const known = z.email().safeParse(email).success ? await realm(email, organization || undefined) : undefined;
    ctx.body = emailStepForm(deps.pages.context(ctx, { look: known?.look }), {
      action: '/auth/signin', returnTo: safeReturnTo(ctx.query.returnTo, publicUrl), email,
      ...(organization ? { organization } : {}),
    });
  });

  router.post('/signin', async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    const form = await readForm(ctx);
    const returnTo = safeReturnTo(form?.get('returnTo'), publicUrl);
    const email = form?.get('email')?.trim() ?? '';
    const organization = form?.get('organization')?.trim().slice(0, 255);
    if (deps.busy?.()) {
      busyRefusals();
      const pc = deps.pages.context(ctx, { picker: { action: '/auth/signin', keep: { returnTo, email, ...(organization ? { organization } : {}) } } });
      ctx.type = 'html';
      ctx.body = emailStepForm(pc, { action: '/auth/signin', returnTo, email, ...(organization ? { organization } : {}), error: refuseBusy(ctx, pc.t) });
      return;
    }
    const valid = z.email().safeParse(email).success;
    const found = valid ? await realm(email, organization) : undefined;
    // The picker of a page answering this form goes back to the email step, with what was typed.
    const again = { action: '/auth/signin', keep: { returnTo, email, ...(organization ? { organization } : {}) } };
    const pc = deps.pages.context(ctx, { look: found?.look, picker: again });
    const { t } = pc;
    if (!found) {
      ctx.type = 'html';
      const domain = email.split('@')[1] ?? '';
      // Every address of a domain no organization verified gets this same page, known user or not.
      ctx.body = emailStepForm(pc, {
        action: '/auth/signin', returnTo, email,
        ...(valid ? { organization: organization ?? '' } : {}),
        error: !valid ? t('Enter your work email address.')
          : organization ? t(str`No organization is set up for ${organization}. Check the organization's domain.`)
          : t(str`No organization is set up for ${domain}. Check the email address, or enter your organization's domain.`),
      });
      return;
    }
    const started = await deps.starts.hit([{ key: `web-signin:${rateLimitBucket(ctx.ip)}`, limit: limits.perAddress }], limits.windowMs, now());
    if (!started.allowed) {
      log.info('web sign-in limited', { tenantId: found.tenantId });
      ctx.status = 429;
      ctx.type = 'html';
      ctx.body = messagePage(pc, t('Too many sign-in attempts'), t('Too many sign-in attempts from your network. Wait a few minutes, then sign in again.'));
      return;
    }
    const { verifier, challenge } = await crypto.generatePkceCodes();
    const state = randomBytes(24).toString('base64url');
    await store.rememberPending(state, { tenantId: found.tenantId, verifier, returnTo, expires: now() + pendingTtlMs });
    let url: string;
    try {
      url = await clients.forTenant(found.tenantId).getAuthCodeUrl({
      scopes: scopesOf(found.tenantId),
      redirectUri,
      responseMode: ResponseMode.FORM_POST,
      codeChallenge: challenge,
      codeChallengeMethod: 'S256',
      state,
      loginHint: email,
      // A web sign-in always asks for the password, so signing out of a page means signed out.
      prompt: 'login',
      });
    } catch (err) {
      // MSAL reads the provider's discovery document first: a provider that is down is said so, for
      // this tenant only; the others sign in as usual.
      log.warn('identity provider unreachable', { tenantId: found.tenantId, err: err instanceof Error ? err.message : String(err) });
      ctx.status = 503;
      ctx.type = 'html';
      ctx.body = messagePage(pc, t('Sign-in is not available right now'),
        t(str`${found.tenantName}'s sign-in service cannot be reached at the moment. Try again in a few minutes; if it goes on, tell your IT department.`),
        linkOn(`/auth/signin?returnTo=${encodeURIComponent(returnTo)}`, t('Try again')));
      return;
    }
    // Binds the callback to this browser. SameSite=None: with an external provider the form_post is cross-site.
    ctx.cookies.set(pendingCookie, state, { httpOnly: true, secure: true, sameSite: 'none', path: '/auth', maxAge: pendingTtlMs, overwrite: true });
    ctx.redirect(url);
  });

  router.post('/callback', async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    const form = await readForm(ctx);
    const state = form?.get('state') ?? '';
    const signIn = await store.takePending(state);
    const bound = ctx.cookies.get(pendingCookie) === state;
    ctx.cookies.set(pendingCookie, null, { path: '/auth', secure: true, sameSite: 'none', overwrite: true });
    ctx.type = 'html';
    // An answer to the provider's form: the picker goes to the sign-in's start, the way on from here.
    const pageOf = async (tenantId?: string) => deps.pages.context(ctx, {
      look: lookOf(tenantId ? await directory.tenant(tenantId) : undefined),
      picker: { action: '/auth/signin', keep: signIn ? { returnTo: signIn.returnTo } : {} },
    });
    if (!signIn || !bound || signIn.expires < now()) {
      ctx.status = 400;
      const pc = await pageOf();
      ctx.body = messagePage(pc, pc.t('Sign-in expired'), pc.t('This sign-in has expired or was started elsewhere. Please sign in again.'), linkOn('/auth/signin', pc.t('Sign in')));
      return;
    }
    const code = form?.get('code');
    if (!code) {
      ctx.status = 400;
      const pc = await pageOf(signIn.tenantId);
      const again = `/auth/signin?returnTo=${encodeURIComponent(signIn.returnTo)}`;
      // The provider's reason, when it gives one, is in its own words (often English): shown as it is, after ours.
      const reason = form?.get('error') === 'access_denied' ? pc.t('The sign-in was cancelled.') : pc.t('The sign-in did not complete.');
      const detail = form?.get('error_description');
      ctx.body = messagePage(pc, pc.t('Sign-in failed'), reason,
        `${detail && form?.get('error') !== 'access_denied' ? `<p class="rh-hint" dir="auto">${escapeHtml(detail)}</p>` : ''}${linkOn(again, pc.t('Sign in again'))}`);
      return;
    }
    try {
      const result = await clients.forSignIn(signIn.tenantId).acquireTokenByCode({ code, scopes: scopesOf(signIn.tenantId), redirectUri, codeVerifier: signIn.verifier });
      const user = sameTenant(await deps.verifyAccessToken(result.accessToken), signIn.tenantId);
      if (!user.ok || !result.account) throw new Error(user.ok ? 'no account in token response' : user.error.message);
      const { id, maxAgeMs } = await store.create(signIn.tenantId, result.account.homeAccountId);
      ctx.cookies.set(sessionCookie, id, { httpOnly: true, secure: true, sameSite: 'lax', path: '/', maxAge: maxAgeMs, overwrite: true });
      log.info('web sign-in', { tenantId: signIn.tenantId, userId: user.value.userId });
      ctx.status = 303;
      ctx.redirect(signIn.returnTo);
    } catch (err) {
      log.warn('web sign-in failed', { tenantId: signIn.tenantId, err: err instanceof Error ? err.message : String(err) });
      ctx.status = 400;
      const pc = await pageOf(signIn.tenantId);
      ctx.body = messagePage(pc, pc.t('Sign-in failed'), pc.t('The sign-in could not be completed. Please try again.'), linkOn('/auth/signin', pc.t('Sign in')));
    }
  });

  router.get('/me', async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    const user = await userFromCookie(ctx.get('cookie'));
    const look = user.ok ? lookOf(await directory.tenant(user.value.tenantId)) : undefined;
    const info: WebSessionInfo = user.ok
      ? { signedIn: true, upn: user.value.upn, name: user.value.name, tenantId: user.value.tenantId, tenantName: look?.name ?? '', ...(look ? { look } : {}) }
      : { signedIn: false };
    ctx.body = info;
  });

  router.post('/signout', async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    // The cookie is SameSite=Lax, which a cross-site form POST does not carry; still, the sign-out is
    // only ever asked for by the relay's own pages, so any other origin is refused, not trusted to fail.
    if (!sameOriginRequest(ctx, own)) {
      log.info('sign-out refused: not from the relay\'s own pages', { origin: ctx.get('origin') || undefined, fetchSite: ctx.get('sec-fetch-site') || undefined });
      return answer(ctx, fail('forbidden', 'Sign-out is only accepted from this site\'s own pages.'));
    }
    await deps.endProviderSessions?.(ctx);
    const session = await store.endByCookie(ctx.get('cookie'));
    if (session && !(await store.accountInUse(session.homeAccountId))) {
      // Another session of the same user keeps its tokens; the last one removes them from MSAL's cache.
      const account = await accountOf(session);
      if (account) await clients.forAccount(session.tenantId, session.homeAccountId).getTokenCache().removeAccount(account);
      clients.forget(session.tenantId, session.homeAccountId);
    }
    ctx.cookies.set(sessionCookie, null, { httpOnly: true, secure: true, sameSite: 'lax', path: '/', overwrite: true });
    ctx.body = { signedIn: false } satisfies WebSessionInfo;
  });

  const routes = routerMiddleware(router);
  // The email step redirects the form to the tenant's provider: outside providers' origins are form targets too.
  const authCsp = authPageCspFor([...deps.sources.values()].map((s) => new URL(s.web.authority).origin).filter((o) => o !== own));
  return {
    routes: (ctx, next) => (ctx.path === '/auth' || ctx.path.startsWith('/auth/') ? withCsp(ctx, authCsp, () => Promise.resolve(routes(ctx, next))) : routes(ctx, next)),
    realm,
    userFromCookie,
    webSession(cookieHeader) {
      const key = store.keyOf(cookieHeader);
      return key === undefined ? undefined : { key, expiresAt: () => store.expiresAt(key) };
    },
    onSignOut: store.onEnd,
    close: store.close,
  };
}

/** A token got through one tenant's client counts for that tenant only. */
function sameTenant(user: Ack<AuthUser>, tenantId: string): Ack<AuthUser> {
  return user.ok && user.value.tenantId !== tenantId ? fail('tenant-mismatch', 'The sign-in came back for another organization.') : user;
}

/**
 * Only a path on the relay itself: never an open redirect. The value is resolved first, as a browser
 * would (dot segments, backslashes, tabs), and then checked: `/.//evil.example` resolves to the path
 * `//evil.example`, which a browser reads in a Location header as another host.
 */
export function safeReturnTo(value: unknown, publicUrl: string): string {
  if (typeof value !== 'string' || !value.startsWith('/')) return '/rh';
  try {
    const own = new URL(publicUrl);
    const url = new URL(value, own);
    if (url.origin !== own.origin || url.username || url.password) return '/rh';
    // The resolved path, serialized: what the browser will follow. A path starting with two slashes
    // (or a slash and a backslash) is a network-path reference to another host.
    const path = `${url.pathname}${url.search}${url.hash}`;
    return path.startsWith('//') || path.startsWith('/\\') ? '/rh' : path;
  } catch {
    return '/rh';
  }
}

/**
 * A state-changing request from the relay's own pages: every browser sends Origin with a POST (the
 * page's fetch included); where a privacy setting hides it, Sec-Fetch-Site still says same-origin.
 * A request with neither is refused too: no page of ours sends one, and a browser that sends neither
 * cannot be told apart from a forged form.
 */
export function sameOriginRequest(ctx: Koa.Context, ownOrigin: string): boolean {
  const origin = ctx.get('origin');
  if (origin) return origin === ownOrigin;
  return ctx.get('sec-fetch-site') === 'same-origin';
}

/** ?tenant= of /auth/realm: a verified domain or a tenant id, at most once. */
const organizationParam = z.string().trim().min(1).max(255).optional();

function stringParam(value: unknown): string {
  return typeof value === 'string' ? value : '';
}
