// Web sign-in for /rh and /rhh: the relay is a confidential client of the tenant's provider (MSAL, as
// with Entra), keeps the tokens server-side and gives the browser only an opaque HttpOnly cookie.
import { createHash, randomBytes } from 'node:crypto';
import { ConfidentialClientApplication, CryptoProvider, LogLevel, ResponseMode, type AccountInfo } from '@azure/msal-node';
import Router from '@koa/router';
import type Koa from 'koa';
import { z } from 'zod';
import { fail, relayScope, webClientId, type Ack, type RealmInfo, type WebSessionInfo } from '../../../protocol/src/index.js';
import type { DirectoryStore } from '../directory/index.js';
import type { AuthUser, Log } from '../ports.js';
import { rateLimitBucket } from '../net/client-address.js';
import { authPageCsp, withCsp } from './csp.js';
import { readForm } from './form-body.js';
import { emailStepForm } from './email-step.js';
import { escapeHtml, messagePage } from './html.js';
import { httpsNetworkClient } from './network-client.js';
import type { VerifyAccessToken } from './verify-token.js';

export const sessionCookie = 'rh_session';
const pendingCookie = 'rh_signin';
const pendingTtlMs = 10 * 60 * 1000;
const sessionTtlMs = 12 * 60 * 60 * 1000;

/** Bounds on started sign-ins: POST /auth/signin needs no account, and each one is kept until its callback. */
export interface WebSignInLimits {
  /** Started sign-ins kept at once, all clients together; past it the oldest is forgotten. */
  maxPending: number;
  /** Sign-ins one client address may start within the window. */
  perAddress: number;
  windowMs: number;
}

export const defaultWebSignInLimits: WebSignInLimits = { maxPending: 10_000, perAddress: 30, windowMs: 10 * 60_000 };
/** Addresses remembered for the per-address count; past it the least recently seen is forgotten. */
const maxTrackedAddresses = 10_000;

export interface WebSignInDeps {
  publicUrl: string;
  directory: DirectoryStore;
  webClientSecret: string;
  ca: string | undefined;
  verifyAccessToken: VerifyAccessToken;
  log: Log;
  limits?: Partial<WebSignInLimits>;
  now?: () => number;
}

interface PendingSignIn { tenantId: string; verifier: string; returnTo: string; expires: number }
interface WebSession { tenantId: string; homeAccountId: string; expires: number }

export interface WebSignIn {
  routes: Koa.Middleware;
  realm(email: string, organization?: string): RealmInfo | undefined;
  userFromCookie(cookieHeader: string | undefined): Promise<Ack<AuthUser>>;
  /** An opaque name of the live web session behind this cookie (not the cookie itself); undefined when
   * there is none (signed out, expired). What was authenticated by it is ended with it: see onSignOut. */
  webSessionKey(cookieHeader: string | undefined): string | undefined;
  /** Called with the webSessionKey of every web session that ends: signed out, or expired. */
  onSignOut(listener: (webSessionKey: string) => void): void;
  close(): void;
}

export function createWebSignIn(deps: WebSignInDeps): WebSignIn {
  const { publicUrl, directory, log } = deps;
  const now = deps.now ?? Date.now;
  const limits: WebSignInLimits = { ...defaultWebSignInLimits, ...deps.limits };
  const redirectUri = `${publicUrl}/auth/callback`;
  const clients = new Map<string, ConfidentialClientApplication>();
  const pending = new Map<string, PendingSignIn>();
  const sessions = new Map<string, WebSession>();
  /** When each client address started its recent sign-ins (oldest first). */
  const starts = new Map<string, number[]>();
  const signOutListeners: ((webSessionKey: string) => void)[] = [];
  const crypto = new CryptoProvider();
  const networkClient = httpsNetworkClient(deps.ca);

  const clientFor = (tenantId: string): ConfidentialClientApplication => {
    let client = clients.get(tenantId);
    if (!client) {
      client = new ConfidentialClientApplication({
        auth: {
          clientId: webClientId,
          clientSecret: deps.webClientSecret,
          authority: `${publicUrl}/${tenantId}`,
          knownAuthorities: [new URL(publicUrl).host],
        },
        system: {
          networkClient,
          loggerOptions: {
            piiLoggingEnabled: false,
            logLevel: LogLevel.Warning,
            loggerCallback: (level, message) => (level <= LogLevel.Error ? log.error('msal', { message }) : log.warn('msal', { message })),
          },
        },
      });
      clients.set(tenantId, client);
    }
    return client;
  };

  /**
   * The tenant an email signs in with: the one that verified the email's domain, or the organization
   * the user named (a verified domain or a tenant id), e.g. a contractor whose own domain is not
   * verified. Never whether a user exists: that is the provider's to check, in its own tenant, behind
   * the password ("email or password is not correct"), so every address of a domain gets one answer.
   */
  const realm = (email: string, organization?: string): RealmInfo | undefined => {
    const domain = email.trim().split('@')[1]?.toLowerCase();
    if (!domain) return undefined;
    const named = organization?.trim();
    const tenant = named ? directory.tenantByDomain(named.toLowerCase()) ?? directory.tenant(named) : directory.tenantByDomain(domain);
    return tenant && { tenantId: tenant.id, tenantName: tenant.name, authority: `${publicUrl}/${tenant.id}` };
  };

  /** Forgets a web session and tells the listeners at once, before any await: a socket that authenticated
   * by it either finds it gone or is already known to the listener. */
  const endSession = (id: string): void => {
    if (!sessions.delete(id)) return;
    const key = keyOf(id);
    for (const listener of signOutListeners) {
      try {
        listener(key);
      } catch (error) {
        log.error('sign-out listener failed', { error });
      }
    }
  };

  const sweep = (): void => {
    const t = now();
    for (const [k, v] of pending) if (v.expires < t) pending.delete(k);
    for (const [k, v] of sessions) if (v.expires < t) endSession(k);
    for (const [k, v] of starts) if (v.every((at) => at <= t - limits.windowMs)) starts.delete(k);
  };

  /** Counts a sign-in start for this address; false when it has started too many within the window. */
  const mayStart = (address: string): boolean => {
    const t = now();
    const recent = (starts.get(address) ?? []).filter((at) => at > t - limits.windowMs);
    const allowed = recent.length < limits.perAddress;
    if (allowed) recent.push(t);
    // Re-inserted so the map's order is least recently seen first, which is what goes when it is full.
    starts.delete(address);
    starts.set(address, recent);
    for (const oldest of starts.keys()) {
      if (starts.size <= maxTrackedAddresses) break;
      starts.delete(oldest);
    }
    return allowed;
  };

  const remember = (state: string, signIn: PendingSignIn): void => {
    pending.set(state, signIn);
    // Insertion order is age: past the cap the oldest started sign-in is forgotten (its callback then
    // says "expired"), so unauthenticated posts cannot grow memory without bound.
    for (const oldest of pending.keys()) {
      if (pending.size <= limits.maxPending) break;
      pending.delete(oldest);
    }
  };
  const sweeper = setInterval(sweep, 60_000);
  sweeper.unref();

  const accountOf = async (session: WebSession): Promise<AccountInfo | null> =>
    clientFor(session.tenantId).getTokenCache().getAccountByHomeId(session.homeAccountId);

  const userFromCookie = async (cookieHeader: string | undefined): Promise<Ack<AuthUser>> => {
    const id = readCookie(cookieHeader, sessionCookie);
    const session = id ? sessions.get(id) : undefined;
    if (!session || session.expires < now()) return fail('unauthenticated', 'Not signed in.');
    const account = await accountOf(session);
    if (!account) return fail('unauthenticated', 'The sign-in has ended.');
    try {
      // MSAL answers from its cache, or refreshes through the provider when the access token is near expiry.
      const result = await clientFor(session.tenantId).acquireTokenSilent({ account, scopes: [relayScope] });
      return await deps.verifyAccessToken(result.accessToken);
    } catch (err) {
      log.warn('web session refresh failed', { tenantId: session.tenantId, err: err instanceof Error ? err.message : String(err) });
      return fail('unauthenticated', 'The sign-in has expired. Sign in again.');
    }
  };

  const router = new Router({ prefix: '/auth' });

  router.get('/realm', (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    const email = z.email().safeParse(ctx.query.email);
    const tenant = organizationParam.safeParse(ctx.query.tenant);
    if (!email.success || !tenant.success) {
      ctx.status = 400;
      ctx.body = fail('validation', 'Give a valid email address in ?email= (and optionally the organization in ?tenant=).');
      return;
    }
    const info = realm(email.data, tenant.data);
    if (!info) {
      ctx.status = 404;
      ctx.body = fail('not-found', `No organization is set up for ${tenant.data ?? email.data.split('@')[1]}.`);
      return;
    }
    ctx.body = info;
  });

  router.get('/signin', (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.type = 'html';
    const organization = stringParam(ctx.query.organization);
    ctx.body = emailStepForm({
      action: '/auth/signin', returnTo: safeReturnTo(ctx.query.returnTo, publicUrl), email: stringParam(ctx.query.email),
      ...(organization ? { organization } : {}),
    });
  });

  router.post('/signin', async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    const form = await readForm(ctx);
    const returnTo = safeReturnTo(form?.get('returnTo'), publicUrl);
    const email = form?.get('email')?.trim() ?? '';
    const organization = form?.get('organization')?.trim().slice(0, 255);
    const valid = z.email().safeParse(email).success;
    const found = valid ? realm(email, organization) : undefined;
    if (!found) {
      ctx.type = 'html';
      // Every address of a domain no organization verified gets this same page, known user or not.
      ctx.body = emailStepForm({
        action: '/auth/signin', returnTo, email,
        ...(valid ? { organization: organization ?? '' } : {}),
        error: !valid ? 'Enter your work email address.'
          : organization ? `No organization is set up for ${organization}. Check the organization's domain.`
          : `No organization is set up for ${email.split('@')[1]}. Check the email address, or enter your organization's domain.`,
      });
      return;
    }
    if (!mayStart(rateLimitBucket(ctx.ip))) {
      log.info('web sign-in limited', { tenantId: found.tenantId });
      ctx.status = 429;
      ctx.type = 'html';
      ctx.body = messagePage('Too many sign-in attempts', 'Too many sign-in attempts from your network. Wait a few minutes, then sign in again.');
      return;
    }
    const { verifier, challenge } = await crypto.generatePkceCodes();
    const state = randomBytes(24).toString('base64url');
    remember(state, { tenantId: found.tenantId, verifier, returnTo, expires: now() + pendingTtlMs });
    const url = await clientFor(found.tenantId).getAuthCodeUrl({
      scopes: [relayScope],
      redirectUri,
      responseMode: ResponseMode.FORM_POST,
      codeChallenge: challenge,
      codeChallengeMethod: 'S256',
      state,
      loginHint: email,
      // A web sign-in always asks for the password, so signing out of a page means signed out.
      prompt: 'login',
    });
    // Binds the callback to this browser. SameSite=None: with an external provider the form_post is cross-site.
    ctx.cookies.set(pendingCookie, state, { httpOnly: true, secure: true, sameSite: 'none', path: '/auth', maxAge: pendingTtlMs, overwrite: true });
    ctx.redirect(url);
  });

  router.post('/callback', async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    const form = await readForm(ctx);
    const state = form?.get('state') ?? '';
    const signIn = pending.get(state);
    pending.delete(state);
    const bound = ctx.cookies.get(pendingCookie) === state;
    ctx.cookies.set(pendingCookie, null, { path: '/auth', secure: true, sameSite: 'none', overwrite: true });
    ctx.type = 'html';
    if (!signIn || !bound || signIn.expires < now()) {
      ctx.status = 400;
      ctx.body = messagePage('Sign-in expired', 'This sign-in has expired or was started elsewhere. Please sign in again.', '<p><a href="/auth/signin">Sign in</a></p>');
      return;
    }
    const code = form?.get('code');
    if (!code) {
      ctx.status = 400;
      const again = `/auth/signin?returnTo=${encodeURIComponent(signIn.returnTo)}`;
      ctx.body = messagePage('Sign-in failed', form?.get('error_description') ?? 'The sign-in did not complete.', `<p><a href="${escapeHtml(again)}">Sign in again</a></p>`);
      return;
    }
    try {
      const result = await clientFor(signIn.tenantId).acquireTokenByCode({ code, scopes: [relayScope], redirectUri, codeVerifier: signIn.verifier });
      const user = await deps.verifyAccessToken(result.accessToken);
      if (!user.ok || !result.account) throw new Error(user.ok ? 'no account in token response' : user.error.message);
      const id = randomBytes(32).toString('base64url');
      sessions.set(id, { tenantId: signIn.tenantId, homeAccountId: result.account.homeAccountId, expires: now() + sessionTtlMs });
      ctx.cookies.set(sessionCookie, id, { httpOnly: true, secure: true, sameSite: 'lax', path: '/', maxAge: sessionTtlMs, overwrite: true });
      log.info('web sign-in', { tenantId: signIn.tenantId, userId: user.value.userId });
      ctx.status = 303;
      ctx.redirect(signIn.returnTo);
    } catch (err) {
      log.warn('web sign-in failed', { tenantId: signIn.tenantId, err: err instanceof Error ? err.message : String(err) });
      ctx.status = 400;
      ctx.body = messagePage('Sign-in failed', 'The sign-in could not be completed. Please try again.', '<p><a href="/auth/signin">Sign in</a></p>');
    }
  });

  router.get('/me', async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    const user = await userFromCookie(ctx.get('cookie'));
    const info: WebSessionInfo = user.ok
      ? { signedIn: true, upn: user.value.upn, name: user.value.name, tenantId: user.value.tenantId }
      : { signedIn: false };
    ctx.body = info;
  });

  router.post('/signout', async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    const id = readCookie(ctx.get('cookie'), sessionCookie);
    const session = id ? sessions.get(id) : undefined;
    if (id) endSession(id);
    if (session) {
      const account = await accountOf(session);
      // Another session of the same user keeps its tokens; the last one removes them from MSAL's cache.
      const shared = [...sessions.values()].some((s) => s.homeAccountId === session.homeAccountId);
      if (account && !shared) await clientFor(session.tenantId).getTokenCache().removeAccount(account);
    }
    ctx.cookies.set(sessionCookie, null, { httpOnly: true, secure: true, sameSite: 'lax', path: '/', overwrite: true });
    ctx.body = { signedIn: false } satisfies WebSessionInfo;
  });

  return {
    routes: compose2(router.routes(), router.allowedMethods()),
    realm,
    userFromCookie,
    webSessionKey: (cookieHeader) => {
      const id = readCookie(cookieHeader, sessionCookie);
      const session = id ? sessions.get(id) : undefined;
      return id && session && session.expires >= now() ? keyOf(id) : undefined;
    },
    onSignOut: (listener) => void signOutListeners.push(listener),
    close: () => {
      clearInterval(sweeper);
      signOutListeners.length = 0;
      sessions.clear();
      pending.clear();
      starts.clear();
    },
  };
}

/** The session id is a bearer secret: what leaves this module is its hash. */
function keyOf(sessionId: string): string {
  return createHash('sha256').update(sessionId).digest('base64url');
}

/** Only same-origin relative paths: never an open redirect. */
export function safeReturnTo(value: unknown, publicUrl: string): string {
  if (typeof value !== 'string' || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return '/rh';
  try {
    const url = new URL(value, publicUrl);
    return url.origin === new URL(publicUrl).origin ? `${url.pathname}${url.search}${url.hash}` : '/rh';
  } catch {
    return '/rh';
  }
}

export function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** ?tenant= of /auth/realm: a verified domain or a tenant id, at most once. */
const organizationParam = z.string().trim().min(1).max(255).optional();

function stringParam(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function compose2(a: Router.Middleware, b: Router.Middleware): Koa.Middleware {
  return (ctx, next) => {
    const run = (): Promise<unknown> => Promise.resolve(a(ctx as never, () => b(ctx as never, next)));
    return ctx.path === '/auth' || ctx.path.startsWith('/auth/') ? withCsp(ctx, authPageCsp, run) : run();
  };
}

