// A second, independent OpenID Connect provider for identity-source tests ("Keyhole ID"): it stands for
// someone else's product (Okta, Keycloak…) that a tenant names as `identity: { type: oidc }` (DESIGN §11).
// It is a real `oidc-provider` on its own HTTPS port, with its own local CA, its own sign-in page and its
// own claim names, and shares no code with relay/src/identity: a relay bug that only works because both
// sides were written alike would hide here otherwise.
//
// Specifications and documentation it follows:
// - OpenID Connect Core 1.0          https://openid.net/specs/openid-connect-core-1_0.html
//   (§3.1 code flow, §5.1 claims, §5.3 UserInfo, §5.4 scopes releasing claims, §12 refresh)
// - OpenID Connect Discovery 1.0     https://openid.net/specs/openid-connect-discovery-1_0.html
//   (§4: configuration at issuer + "/.well-known/openid-configuration")
// - OAuth 2.0 Form Post Response Mode https://openid.net/specs/oauth-v2-form-post-response-mode-1_0.html
// - RFC 7636 PKCE                    https://www.rfc-editor.org/rfc/rfc7636
// - RFC 8252 OAuth for native apps   https://www.rfc-editor.org/rfc/rfc8252 (§7.3 loopback redirect, any port)
// - RFC 8707 Resource Indicators     https://www.rfc-editor.org/rfc/rfc8707
// - RFC 9068 JWT access tokens       https://www.rfc-editor.org/rfc/rfc9068
// - oidc-provider 9                  https://github.com/panva/node-oidc-provider/blob/v9.x/docs/README.md
//   (features.resourceIndicators, extraTokenClaims, issueRefreshToken, interactions, loadExistingGrant)
//
// Choices, as a real deployment of such a product would make them:
// - Issuer: `https://127.0.0.1:PORT/` (root, trailing slash) by default, as in DESIGN §11's example;
//   `issuerPath: '/realms/globex'` gives a Keycloak-shaped issuer with a path and no trailing slash.
//   Discovery is always at issuer (without a trailing slash) + "/.well-known/openid-configuration".
// - Access tokens are JWTs (RFC 9068) for one resource, the configured audience: `aud` = audience,
//   `scope` lists the granted scopes including the OpenID ones (as Okta's and Keycloak's do), and the
//   profile and group claims ride along under this product's names, so an API can map roles from them.
// - Refresh tokens for every client allowed the refresh_token grant (offline_access is honoured without
//   a consent screen: both clients are first party), and a refresh may repeat `offline_access` in scope.
// - Consent is granted automatically: both clients belong to the organization running the provider.
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Koa from 'koa';
import mount from 'koa-mount';
import { exportJWK, generateKeyPair, importJWK, jwtVerify, SignJWT, createLocalJWKSet, type JWK, type JWTPayload } from 'jose';
import Provider, { errors, interactionPolicy, type Adapter, type AdapterPayload, type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import { ensureLocalCertificate } from '#relay/tls/local-ca.js';
import type { ProviderPage } from './sign-in-page.js';

export interface IdpUser {
  /** Stable subject identifier (`sub`). */
  sub: string;
  email: string;
  /** Plain text: this is a test fixture. */
  password: string;
  displayName: string;
  title?: string;
  org?: string;
  avatar?: string;
  memberOf?: string[];
}

export interface OidcIdpOptions {
  users: IdpUser[];
  clients: {
    /** Confidential client of the relay's web pages; redirect `${relayUrl}/auth/callback` (more may be
     * registered later with registerWebRedirectUri, e.g. once a relay on port 0 knows its address). */
    web: { clientId: string; clientSecret: string; redirectUris: string[] };
    /** Public client of the console: PKCE, loopback redirect on any port (RFC 8252 §7.3). */
    console: { clientId: string };
  };
  /** What every access token carries as `aud`. Its resource (RFC 8707) is the same when it is an absolute
   * URI (`api://remote-help`), else `urn:keyhole:api:<audience>` (see resourceIndicatorFor). */
  audience: string;
  /** A path for the issuer (e.g. '/realms/globex', Keycloak's shape); default none: `https://127.0.0.1:PORT/`. */
  issuerPath?: string;
  /** Put display name, title, org, avatar, email and groups into access tokens too (default true; groups always). */
  profileInAccessToken?: boolean;
  accessTokenTtlSeconds?: number;
}

/** This product's claim names, keyed as the relay's `claims` mapping (DESIGN §11), plus email and username. */
export const idpClaimNames = {
  name: 'display_name',
  jobTitle: 'title',
  company: 'org',
  picture: 'avatar_url',
  groups: 'member_of',
  email: 'email',
  username: 'preferred_username',
} as const;

/** Scopes beyond `openid profile email offline_access`: `groups` releases member_of; `remote-help` is
 * the API's own scope (it appears in the access token's `scope` when asked for). */
export const idpScopes = { groups: 'groups', api: 'remote-help' } as const;

/** The text and names of the sign-in page, for tests that drive it. */
export const idpSignInPage = {
  title: 'Sign in to Keyhole ID',
  heading: 'Keyhole ID',
  email: 'Email address',
  password: 'Password',
  submit: 'Continue',
  wrongPassword: 'That email address and password do not match.',
} as const;

/** The stand-in's sign-in page for the browser steps of test/support/sign-in-page.ts (`provider`). */
export function keyholeSignInPage(idp: Pick<OidcIdp, 'issuer'>): ProviderPage {
  const origin = new URL(idp.issuer).origin;
  return { isAt: (url) => url.origin === origin, email: idpSignInPage.email, password: idpSignInPage.password, submit: idpSignInPage.submit };
}

export interface MintOptions {
  sub: string;
  /** Default: the configured audience. */
  audience?: string | string[];
  /** Default: the provider's issuer. */
  issuer?: string;
  /** Seconds from now; negative for an expired token. Default 3600. */
  expiresIn?: number;
  claims?: Record<string, unknown>;
  /** Sign with a key the provider does not publish (a forged token). */
  foreignKey?: boolean;
}

export interface IdpRequest { method: string; path: string; params: string[]; form?: Record<string, string> }

export interface OidcIdp {
  /** `https://127.0.0.1:PORT/` (or with issuerPath: `https://127.0.0.1:PORT/realms/x`), exactly as in `iss`. */
  issuer: string;
  /** issuer + /.well-known/openid-configuration (the issuer's trailing slash not doubled). */
  discoveryUrl: string;
  /** `127.0.0.1:PORT`, for MSAL's knownAuthorities. */
  host: string;
  port: number;
  /** The stand-in's own CA (not the relay's): give it to Node (`ca`, NODE_EXTRA_CA_CERTS) to trust it. */
  caPem: string;
  caCertPath: string;
  claimNames: typeof idpClaimNames;
  scopes: typeof idpScopes;
  audience: string;
  /** The RFC 8707 resource indicator that stands for the audience (the default resource of every request). */
  resourceIndicator: string;
  /** Requests it received, oldest first: method, path, query parameter names, and for the token endpoint
   * the form (codes, secrets and verifiers shown as '…'): what a client library really sends. */
  requests: IdpRequest[];
  /** Adds a redirect URI to the web client, as the provider's administrator does when an application
   * moves or is deployed again (a relay started on port 0 knows its callback address only once listening). */
  registerWebRedirectUri(uri: string): void;
  /** Stops listening and drops open connections: calls then fail with ECONNREFUSED. */
  stop(): Promise<void>;
  /** Listens again on the same port, with the same keys, sessions and tokens. */
  start(): Promise<void>;
  /** A JWT access token signed as this provider signs them (or with a foreign key), for verification tests. */
  mintAccessToken(opts: MintOptions): Promise<string>;
  /** Stops and removes its temporary folder. */
  close(): Promise<void>;
}

export async function startOidcIdp(opts: OidcIdpOptions): Promise<OidcIdp> {
  const dir = await mkdtemp(join(tmpdir(), 'rh-oidc-idp-'));
  const cert = await ensureLocalCertificate(dir, ['127.0.0.1', 'localhost']);
  const caPem = await readFile(cert.caCertPath, 'utf8');

  // Bound first: the issuer names the port.
  const server: Server = createServer({ key: cert.key, cert: cert.cert });
  const sockets = new Set<Socket>();
  server.on('connection', (s: Socket) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });
  server.on('secureConnection', (s) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });
  await listen(server, 0);
  const port = (server.address() as AddressInfo).port;
  const path = (opts.issuerPath ?? '').replace(/\/+$/, '');
  const issuer = path ? `https://127.0.0.1:${port}${path}` : `https://127.0.0.1:${port}/`;
  const discoveryUrl = `${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;

  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const signingJwk: JWK = { ...(await exportJWK(privateKey)), kid: `keyhole-${randomUUID().slice(0, 8)}`, alg: 'RS256', use: 'sig' };
  const publicJwk: JWK = { kty: signingJwk.kty, n: signingJwk.n, e: signingJwk.e, kid: signingJwk.kid, alg: 'RS256', use: 'sig' };
  const ownKeys = createLocalJWKSet({ keys: [publicJwk] });

  const cookieKeys = [randomUUID(), randomUUID()];
  const store = memoryStore();
  const webRedirectUris = [...opts.clients.web.redirectUris];
  const saveWebClient = (): void => store.upsertClient(webClientMetadata(opts.clients.web, webRedirectUris));
  saveWebClient();
  const provider = createProvider(opts, issuer, signingJwk, cookieKeys, store.adapter);
  const requests: IdpRequest[] = [];
  // koa-mount runs the provider on this app's context, whose cookies are signed with this app's keys:
  // they must be the provider's, or interactionDetails() (which reads them itself) finds no session.
  const app = new Koa({ keys: cookieKeys });
  app.use(async (ctx, next) => {
    const entry: IdpRequest = { method: ctx.method, path: ctx.path, params: [...new URLSearchParams(ctx.querystring).keys()] };
    requests.push(entry);
    (ctx.state as { idpRequest?: IdpRequest }).idpRequest = entry;
    await next();
  });
  app.use(tokenEndpointAdjustments(path, opts.clients.web));
  app.use(userinfoForApiTokens(opts, path, issuer, ownKeys));
  app.use(mount(path || '/', provider as unknown as Koa));
  server.on('request', app.callback());

  let running = true;
  const stop = async (): Promise<void> => {
    if (!running) return;
    running = false;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const s of sockets) s.destroy();
    server.closeAllConnections();
    await closed;
    // One turn more, so clients in this process see their kept-alive sockets closed: their next call
    // then opens a new connection and is refused, as when the provider is down before anyone called.
    await new Promise((r) => setImmediate(r));
  };

  return {
    issuer, discoveryUrl, host: `127.0.0.1:${port}`, port, caPem, caCertPath: cert.caCertPath,
    claimNames: idpClaimNames, scopes: idpScopes, audience: opts.audience, resourceIndicator: resourceIndicatorFor(opts.audience), requests,
    registerWebRedirectUri(uri) {
      if (webRedirectUris.includes(uri)) return;
      webRedirectUris.push(uri);
      saveWebClient();
    },
    stop,
    async start() {
      if (running) return;
      await listen(server, port);
      running = true;
    },
    async mintAccessToken(m) {
      const key = m.foreignKey ? (await generateKeyPair('RS256')).privateKey : await importJWK(signingJwk, 'RS256');
      const now = Math.floor(Date.now() / 1000);
      const payload: JWTPayload = { scope: `openid ${idpScopes.api}`, client_id: opts.clients.console.clientId, ...m.claims };
      return new SignJWT(payload)
        .setProtectedHeader({ alg: 'RS256', typ: 'at+jwt', kid: signingJwk.kid! })
        .setIssuer(m.issuer ?? issuer)
        .setSubject(m.sub)
        .setAudience(m.audience ?? opts.audience)
        .setIssuedAt(now)
        .setExpirationTime(now + (m.expiresIn ?? 3600))
        .setJti(randomUUID())
        .sign(key);
    },
    async close() {
      await stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => { server.off('error', reject); resolve(); });
  });
}

// Both loopback hosts, any port: oidc-provider matches a native client's loopback redirect without its
// port (RFC 8252 §7.3), with or without the trailing slash MSAL's loopback server uses.
const loopbacks = ['http://localhost', 'http://localhost/', 'http://127.0.0.1', 'http://127.0.0.1/'];

function profile(u: IdpUser): Record<string, unknown> {
  return {
    [idpClaimNames.name]: u.displayName,
    [idpClaimNames.username]: u.email,
    ...(u.title !== undefined ? { [idpClaimNames.jobTitle]: u.title } : {}),
    ...(u.org !== undefined ? { [idpClaimNames.company]: u.org } : {}),
    ...(u.avatar !== undefined ? { [idpClaimNames.picture]: u.avatar } : {}),
  };
}

/** Every claim this provider knows about a user; scopes decide which are released (Core §5.4). */
function claimsOf(u: IdpUser): { sub: string; [claim: string]: unknown } {
  return { sub: u.sub, ...profile(u), email: u.email, email_verified: true, [idpClaimNames.groups]: u.memberOf ?? [] };
}

/** RFC 8707 wants an absolute URI as resource indicator; an audience such as `remote-help` (Keycloak's
 * client-id audiences look like that) is named by a URN instead, while tokens still carry it as `aud`. */
export function resourceIndicatorFor(audience: string): string {
  return /^[a-z][a-z0-9+.-]*:/i.test(audience) ? audience : `urn:keyhole:api:${audience}`;
}

/**
 * Sessions, grants, tokens and the web client's registration in memory, one store per stand-in (it
 * survives stop/start, as a real provider's database does). oidc-provider's own quick-start adapter would
 * do the same but is shared by every provider in the process and announces itself on every test run.
 * A client kept here rather than in the configuration can change while the provider runs: oidc-provider
 * reads it again when its stored metadata changes.
 */
function memoryStore(): { adapter: (model: string) => Adapter; upsertClient(metadata: AdapterPayload & { client_id: string }): void } {
  const store = new Map<string, { payload: AdapterPayload; expires: number | undefined }>();
  const live = (key: string): AdapterPayload | undefined => {
    const hit = store.get(key);
    if (hit && hit.expires !== undefined && hit.expires <= Date.now()) store.delete(key);
    return store.get(key)?.payload;
  };
  const adapter = (model: string): Adapter => ({
    async upsert(id, payload, expiresIn) {
      store.set(`${model}:${id}`, { payload, expires: expiresIn ? Date.now() + expiresIn * 1000 : undefined });
    },
    async find(id) { return live(`${model}:${id}`); },
    async findByUid(uid) {
      for (const key of store.keys()) if (key.startsWith(`${model}:`) && live(key)?.uid === uid) return live(key);
      return undefined;
    },
    async findByUserCode(userCode) {
      for (const key of store.keys()) if (key.startsWith(`${model}:`) && live(key)?.userCode === userCode) return live(key);
      return undefined;
    },
    async consume(id) {
      const hit = live(`${model}:${id}`);
      if (hit) hit.consumed = Math.floor(Date.now() / 1000);
    },
    async destroy(id) { store.delete(`${model}:${id}`); },
    async revokeByGrantId(grantId) {
      for (const [key, v] of store) if (v.payload.grantId === grantId) store.delete(key);
    },
  });
  return {
    adapter,
    upsertClient(metadata) { store.set(`Client:${metadata.client_id}`, { payload: metadata, expires: undefined }); },
  };
}

/** The web client's registration: confidential, one registered method (client_secret_post, what MSAL
 * sends); client_secret_basic is accepted too (tokenEndpointAdjustments). */
function webClientMetadata(web: OidcIdpOptions['clients']['web'], redirectUris: readonly string[]): AdapterPayload & { client_id: string } {
  return {
    client_id: web.clientId,
    client_name: 'Remote Help (web)',
    client_secret: web.clientSecret,
    token_endpoint_auth_method: 'client_secret_post',
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    redirect_uris: [...redirectUris],
  };
}

function createProvider(opts: OidcIdpOptions, issuer: string, signingJwk: JWK, cookieKeys: string[], adapter: (model: string) => Adapter): Provider {
  const users = new Map(opts.users.map((u) => [u.sub, u]));
  const byEmail = new Map(opts.users.map((u) => [u.email.toLowerCase(), u]));
  const { audience } = opts;
  const indicator = resourceIndicatorFor(audience);
  const basePath = (opts.issuerPath ?? '').replace(/\/+$/, '');
  const profileInAccessToken = opts.profileInAccessToken ?? true;
  // The API accepts the OpenID scopes too, so its tokens say what was granted (as Okta's `scp` does).
  const apiScopes = ['openid', 'profile', 'email', idpScopes.groups, idpScopes.api].join(' ');

  const policy = interactionPolicy.base();
  policy.remove('consent'); // first-party clients: grants are made in loadExistingGrant

  const configuration: Configuration = {
    adapter,
    // The web client is in the store (webClientMetadata), so its redirect URIs can be added later.
    clients: [
      {
        client_id: opts.clients.console.clientId,
        client_name: 'Remote Help console',
        application_type: 'native',
        token_endpoint_auth_method: 'none',
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        redirect_uris: loopbacks,
      },
    ],
    jwks: { keys: [signingJwk as never] },
    cookies: { keys: cookieKeys, names: { session: 'keyhole_sid', interaction: 'keyhole_int', resume: 'keyhole_res' } },
    scopes: ['openid', 'offline_access', 'profile', 'email', idpScopes.groups, idpScopes.api],
    claims: {
      openid: ['sub'],
      profile: [idpClaimNames.name, idpClaimNames.username, idpClaimNames.jobTitle, idpClaimNames.company, idpClaimNames.picture],
      email: ['email', 'email_verified'],
      [idpScopes.groups]: [idpClaimNames.groups],
    },
    // Profile claims in the ID token itself, not only at userinfo (Core §5.4 allows either).
    conformIdTokenClaims: false,
    pkce: { required: () => true },
    responseTypes: ['code'],
    async findAccount(_ctx, sub) {
      const u = users.get(sub);
      if (!u) return undefined;
      return {
        accountId: sub,
        claims: () => claimsOf(u),
      };
    },
    async loadExistingGrant(ctx) {
      const { oidc } = ctx;
      const accountId = oidc.session?.accountId;
      if (!accountId || !oidc.client) return undefined;
      const grantId = oidc.result?.consent?.grantId ?? oidc.session.grantIdFor(oidc.client.clientId);
      const found = grantId ? await oidc.provider.Grant.find(grantId) : undefined;
      const grant = found?.accountId === accountId ? found : new oidc.provider.Grant({ clientId: oidc.client.clientId, accountId });
      grant.addOIDCScope([...oidc.requestParamOIDCScopes].join(' '));
      grant.addOIDCClaims([...oidc.requestParamClaims]);
      for (const [indicator, rs] of Object.entries(oidc.resourceServers ?? {})) grant.addResourceScope(indicator, [...rs.scopes].join(' '));
      await grant.save();
      return grant;
    },
    // oidc-provider drops offline_access from an authorization request without prompt=consent; this
    // provider has no consent screen, so the client's refresh_token grant decides.
    issueRefreshToken: (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    expiresWithSession: () => false,
    async extraTokenClaims(_ctx, token) {
      if (token.kind !== 'AccessToken' || !('accountId' in token) || typeof token.accountId !== 'string') return undefined;
      const u = users.get(token.accountId);
      if (!u) return undefined;
      return {
        [idpClaimNames.groups]: u.memberOf ?? [],
        ...(profileInAccessToken ? { ...profile(u), email: u.email } : {}),
      };
    },
    features: {
      devInteractions: { enabled: false },
      userinfo: { enabled: true },
      revocation: { enabled: true },
      introspection: { enabled: false },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => indicator,
        useGrantedResource: () => true,
        getResourceServerInfo(_ctx, asked) {
          if (asked !== indicator) throw new errors.InvalidTarget();
          return {
            scope: apiScopes,
            audience,
            accessTokenFormat: 'jwt',
            accessTokenTTL: opts.accessTokenTtlSeconds ?? 3600,
            jwt: { sign: { alg: 'RS256' } },
          };
        },
      },
    },
    interactions: { policy, url: (_ctx, interaction) => `${basePath}/interaction/${interaction.uid}` },
    clientBasedCORS: () => false,
    ttl: { AccessToken: 3600, AuthorizationCode: 60, IdToken: 3600, Interaction: 3600, Grant: 86_400, Session: 86_400, RefreshToken: 86_400 },
    renderError(ctx, out) {
      ctx.type = 'html';
      ctx.body = keyholePage('Keyhole ID – error', `<h2>Something went wrong</h2><p role="alert">${escapeHtml(String(out.error_description ?? out.error ?? 'error'))}</p>`);
    },
  };

  const provider = new Provider(issuer, configuration);
  provider.use(signInPage(provider, byEmail, basePath));
  provider.on('server_error', (_ctx: KoaContextWithOIDC, err: Error) => console.error('[keyhole-id] server error', err));
  return provider;
}

/**
 * Two things at the token endpoint that oidc-provider alone would refuse, and the products this stands
 * for accept:
 * - client_secret_basic for the web client. oidc-provider registers one token_endpoint_auth_method per
 *   client (client_secret_post, what MSAL sends); HTTP Basic (RFC 6749 §2.3.1, which every provider
 *   must support) is rewritten to the form-post shape, so both work.
 * - `offline_access` repeated in the scope of a refresh request (MSAL does it). The refresh token was
 *   granted without that scope (no consent prompt), and oidc-provider would answer invalid_scope; asking
 *   for offline access while using a refresh token is harmless, so it is dropped before the check.
 */
function tokenEndpointAdjustments(basePath: string, web: OidcIdpOptions['clients']['web']): Koa.Middleware {
  const hidden = new Set(['code', 'client_secret', 'refresh_token', 'code_verifier', 'client_assertion']);
  return async (ctx, next) => {
    if (ctx.method === 'POST' && ctx.path === `${basePath}/token` && ctx.is('application/x-www-form-urlencoded')) {
      const form = new URLSearchParams(await readRaw(ctx.req));
      const entry = (ctx.state as { idpRequest?: IdpRequest }).idpRequest;
      if (entry) entry.form = Object.fromEntries([...form].map(([k, v]) => [k, hidden.has(k) ? '…' : v]));
      const basic = /^Basic (.+)$/i.exec(ctx.get('authorization'))?.[1];
      if (basic) {
        // RFC 6749 §2.3.1: id and secret are form-urlencoded before they are joined and base64-encoded.
        const [id = '', secret = ''] = Buffer.from(basic, 'base64').toString('utf8').split(':')
          .map((p) => decodeURIComponent(p.replace(/\+/g, ' ')));
        if (id === web.clientId) {
          form.set('client_id', id);
          form.set('client_secret', secret);
          delete ctx.request.headers.authorization;
        }
      }
      if (form.get('grant_type') === 'refresh_token' && form.has('scope')) {
        const scopes = (form.get('scope') ?? '').split(' ').filter((s) => s && s !== 'offline_access');
        if (scopes.length) form.set('scope', scopes.join(' '));
        else form.delete('scope');
      }
      (ctx.request as { body?: unknown }).body = form.toString();
    }
    await next();
  };
}

/**
 * UserInfo (Core §5.3) for this provider's own API access tokens. oidc-provider's userinfo refuses any
 * token bound to a resource, and every token here is (the API's audience); Okta and Keycloak accept
 * their API access tokens at userinfo, so this answers those: a valid signature, this issuer, the API
 * audience and `openid` in scope; the claims released follow the token's scopes (Core §5.4).
 */
function userinfoForApiTokens(
  opts: OidcIdpOptions, basePath: string, issuer: string, keys: ReturnType<typeof createLocalJWKSet>,
): Koa.Middleware {
  const users = new Map(opts.users.map((u) => [u.sub, u]));
  return async (ctx, next) => {
    if (ctx.path !== `${basePath}/me` || !['GET', 'POST'].includes(ctx.method)) return next();
    const bearer = /^Bearer (.+)$/i.exec(ctx.get('authorization'))?.[1];
    if (!bearer || bearer.split('.').length !== 3) return next(); // not ours to answer: oidc-provider explains
    ctx.set('Cache-Control', 'no-store');
    try {
      const { payload } = await jwtVerify(bearer, keys, { issuer, audience: opts.audience, algorithms: ['RS256'] });
      const scopes = new Set(String(payload.scope ?? '').split(' '));
      if (!scopes.has('openid') || typeof payload.sub !== 'string') throw new Error('insufficient_scope');
      const user = users.get(payload.sub);
      if (!user) throw new Error('unknown subject');
      const all = claimsOf(user);
      const released = new Set(['sub',
        ...(scopes.has('profile') ? [idpClaimNames.name, idpClaimNames.username, idpClaimNames.jobTitle, idpClaimNames.company, idpClaimNames.picture] : []),
        ...(scopes.has('email') ? ['email', 'email_verified'] : []),
        ...(scopes.has(idpScopes.groups) ? [idpClaimNames.groups] : [])]);
      ctx.body = Object.fromEntries(Object.entries(all).filter(([k]) => released.has(k)));
    } catch {
      ctx.status = 401;
      ctx.set('WWW-Authenticate', 'Bearer error="invalid_token"');
      ctx.body = { error: 'invalid_token' };
    }
  };
}

/** The sign-in interaction: this product's own page, email and password, no consent step. */
function signInPage(provider: Provider, byEmail: Map<string, IdpUser>, basePath: string): Koa.Middleware {
  return async (ctx, next) => {
    const match = /^\/interaction\/([\w-]+)(\/login)?$/.exec(ctx.path);
    if (!match) return next();
    ctx.set('Cache-Control', 'no-store');
    const details = await provider.interactionDetails(ctx.req, ctx.res).catch(() => undefined);
    if (!details || details.uid !== match[1]) {
      ctx.status = 400;
      ctx.type = 'html';
      ctx.body = keyholePage('Keyhole ID – expired', '<h2>This sign-in has expired</h2><p role="alert">Start again from the application.</p>');
      return;
    }
    const action = `${basePath}/interaction/${details.uid}/login`;
    const hint = typeof details.params.login_hint === 'string' ? details.params.login_hint : '';
    const show = (email: string, error?: string): void => {
      ctx.type = 'html';
      ctx.body = loginForm(action, email, error);
    };
    if (ctx.method === 'GET' && !match[2]) return show(hint);
    if (ctx.method !== 'POST' || !match[2]) {
      ctx.status = 405;
      return;
    }
    const form = new URLSearchParams(await readRaw(ctx.req));
    const email = form.get('email')?.trim() ?? '';
    const user = byEmail.get(email.toLowerCase());
    // One answer for an unknown email and a wrong password: the page does not tell which accounts exist.
    if (!user || user.password !== (form.get('password') ?? '')) return show(email, idpSignInPage.wrongPassword);
    const redirectTo = await provider.interactionResult(ctx.req, ctx.res, { login: { accountId: user.sub, amr: ['pwd'] } }, { mergeWithLastSubmission: false });
    ctx.status = 303;
    ctx.redirect(redirectTo);
  };
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

// Deliberately unlike the relay's pages (dark header, serif brand, green button): a test that reaches
// this page has visibly left the relay.
const keyholeStyle = `
  body{margin:0;font-family:Georgia,"DejaVu Serif",serif;background:#eef3ee;color:#122}
  header{background:#123524;color:#f4fff4;padding:.9rem 1.5rem;font-size:1.3rem;letter-spacing:.08em}
  section{max-width:26rem;margin:3rem auto;background:#fff;border:2px solid #123524;padding:1.5rem 2rem}
  h2{font-size:1.15rem;margin-top:0}
  label{display:block;margin:1rem 0 .3rem;font-family:sans-serif}
  input{width:100%;box-sizing:border-box;padding:.55rem;border:1px solid #456;font-size:1rem}
  button{margin-top:1.4rem;padding:.6rem 1.6rem;background:#1f7a3a;color:#fff;border:0;font-size:1rem}
  button:focus-visible,input:focus-visible{outline:3px solid #b35c00;outline-offset:2px}
  [role=alert]{color:#8a1111;border:1px solid #8a1111;padding:.5rem;font-family:sans-serif}`;

function keyholePage(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title><style>${keyholeStyle}</style></head>
<body><header>${idpSignInPage.heading}</header><section>${body}</section></body></html>`;
}

function loginForm(action: string, email: string, error?: string): string {
  const described = error ? ' aria-describedby="kh-error" aria-invalid="true"' : '';
  return keyholePage(idpSignInPage.title, `<h2>Sign in</h2>
${error ? `<p role="alert" id="kh-error">${escapeHtml(error)}</p>` : ''}
<form method="post" action="${escapeHtml(action)}">
  <label for="kh-email">${idpSignInPage.email}</label>
  <input id="kh-email" name="email" type="email" autocomplete="username" required value="${escapeHtml(email)}"${described}${email ? '' : ' autofocus'}>
  <label for="kh-password">${idpSignInPage.password}</label>
  <input id="kh-password" name="password" type="password" autocomplete="current-password" required${described}${email ? ' autofocus' : ''}>
  <button type="submit">${idpSignInPage.submit}</button>
</form>`);
}

async function readRaw(req: AsyncIterable<Buffer>): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > 64 * 1024) break; // oidc-provider rejects the truncated request itself
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
