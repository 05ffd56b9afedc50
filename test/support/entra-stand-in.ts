// A stand-in for Microsoft Entra ID (the Microsoft identity platform, v2.0 endpoints) over HTTPS on
// 127.0.0.1, for tests that cannot reach Entra. It answers in the request and response shapes the
// documentation gives, and MSAL (msal-node, AAD protocol mode) signs in against it unchanged:
//   discovery     https://learn.microsoft.com/entra/identity-platform/v2-protocols-oidc
//   auth code     https://learn.microsoft.com/entra/identity-platform/v2-oauth2-auth-code-flow
//   client creds  https://learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow
//   refresh       https://learn.microsoft.com/entra/identity-platform/v2-oauth2-auth-code-flow#refresh-the-access-token
//   tokens        https://learn.microsoft.com/entra/identity-platform/access-token-claims-reference
//                 https://learn.microsoft.com/entra/identity-platform/id-token-claims-reference
//   client_info   https://learn.microsoft.com/javascript/api/@azure/msal-common/clientinfo
//   errors        https://learn.microsoft.com/entra/identity-platform/reference-error-codes
//   instance discovery (what MSAL asks login.microsoftonline.com when an authority is not in knownAuthorities)
//                 https://learn.microsoft.com/entra/identity-platform/msal-client-application-configuration#authority
// One process hosts any number of tenants (by GUID), as Entra does; the signing keys are shared by
// all of them, as Entra's are. Tenants are addressed by id only (no domain names, no common/organizations).
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { JWK } from 'jose';
import { appAccessClaims, clientInfo, idTokenClaims, userAccessClaims, v1Issuer, v2Issuer, type TokenTimes } from './entra/claims.js';
import { redirectAllowed, userByUpn, type EntraApi, type EntraApp, type EntraTenantSpec, type EntraUser, type Tenant } from './entra/directory.js';
import { aadsts, errorBody, type EntraError } from './entra/errors.js';
import { errorPage, formPostPage, signedOutPage, signInPage } from './entra/pages.js';
import { resolveDelegated, resourceFor, type ResolvedScopes } from './entra/scopes.js';
import { newSigningKey, signJwt, type SigningKey } from './entra/signing-keys.js';
import { sendHtml, sendJson, startHttpsStandIn, type LoggedRequest, type StandInRequest } from './stand-in-https.js';

export type { EntraApi, EntraApp, EntraTenantSpec, EntraUser } from './entra/directory.js';

export interface IssueTokenOptions {
  tenantId: string;
  /** The user the token speaks for; without one, an app-only token for clientId. */
  oid?: string;
  /** An API's audience (or a first-party resource's URL). Default: the tenant's first API. */
  audience?: string;
  /** The client the token was issued to (azp / appid). Default: the tenant's first app. */
  clientId?: string;
  /** scp names. Default: all the API's scopes (user tokens only). */
  scopes?: string[];
  /** Default: the user's app roles, or the app's application permissions. */
  roles?: string[];
  /** Negative for a token that has already expired. Default: the stand-in's token lifetime. */
  expiresInSeconds?: number;
  /** 'unknown-key': a key the JWKS never published (its own kid). 'forged': a foreign key that claims
   * the published kid, so the kid is found and the signature fails. */
  signedBy?: 'tenant' | 'unknown-key' | 'forged';
  /** Claims set last: adds, overrides (e.g. another tenant's iss), or removes with undefined. */
  claims?: Record<string, unknown>;
}

export interface EntraStandIn {
  /** https://127.0.0.1:PORT — what the relay's configuration calls authorityHost. */
  authorityHost: string;
  caPem: string;
  caCertPath: string;
  /** Every request, in order (method, path, url with query). */
  requests: LoggedRequest[];
  addTenant(t: EntraTenantSpec): void;
  addApp(tenantId: string, app: EntraApp): void;
  addApi(tenantId: string, api: EntraApi): void;
  addUser(tenantId: string, user: EntraUser): void;
  updateUser(tenantId: string, oid: string, patch: Partial<Omit<EntraUser, 'oid'>>): void;
  /** A first-party resource present in every tenant, like Microsoft Graph: its app-only tokens carry
   * the app's application permissions as roles. The Graph stand-in registers itself. */
  addResource(url: string): void;
  /** `${authorityHost}/${tenantId}/v2.0` */
  issuer(tenantId: string): string;
  /** v1.0 tokens' issuer (APIs with accessTokenVersion 1, and first-party resources such as Graph). */
  v1Issuer(tenantId: string): string;
  /** The published keys (what /discovery/v2.0/keys answers, without the per-tenant issuer field). */
  jwks(): { keys: JWK[] };
  /** A new signing key; the old one stays published (as during Entra's rollover) unless dropOld. */
  rotateSigningKey(opts?: { dropOld?: boolean }): Promise<void>;
  /** Access tokens issued from now on live this long (default 3600 s). */
  setTokenLifetime(seconds: number): void;
  /** Refresh tokens of the user stop working (AADSTS50173), as after a password reset or revokeSignInSessions. */
  revokeRefreshTokens(tenantId: string, oid: string): void;
  issueToken(opts: IssueTokenOptions): Promise<string>;
  /** While on, connections are reset as soon as they open: the identity provider is down. */
  setUnreachable(on: boolean): void;
  /** Every answer waits this long first (a slow identity provider). */
  setLatency(ms: number): void;
  close(): Promise<void>;
}

interface PendingSignIn {
  tenantId: string;
  clientId: string;
  redirectUri: string;
  responseMode: 'query' | 'fragment' | 'form_post';
  state: string | undefined;
  nonce: string | undefined;
  scopes: ResolvedScopes;
  codeChallenge: string | undefined;
  loginHint: string | undefined;
  expiresAt: number;
}

interface CodeGrant {
  tenantId: string;
  clientId: string;
  redirectUri: string;
  oid: string;
  scopes: ResolvedScopes;
  nonce: string | undefined;
  codeChallenge: string | undefined;
  expiresAt: number;
  used: boolean;
}

interface RefreshGrant {
  tenantId: string;
  clientId: string;
  oid: string;
  scope: string;
  revoked: boolean;
}

const codeLifetimeMs = 10 * 60_000;
const pendingLifetimeMs = 30 * 60_000;

export async function startEntraStandIn(opts: { tenants?: EntraTenantSpec[]; tokenLifetimeSeconds?: number } = {}): Promise<EntraStandIn> {
  const tenants = new Map<string, Tenant>();
  const firstParty: string[] = [];
  const pending = new Map<string, PendingSignIn>();
  const codes = new Map<string, CodeGrant>();
  const refreshTokens = new Map<string, RefreshGrant>();
  let keys: SigningKey[] = [await newSigningKey()];
  const foreignKey = await newSigningKey();
  let lifetimeSeconds = opts.tokenLifetimeSeconds ?? 3600;
  let latencyMs = 0;
  const signing = (): SigningKey => keys[keys.length - 1]!;
  const tokenTimes = (): TokenTimes => ({ now: Date.now(), lifetimeSeconds });

  const tenantOf = (tenantId: string): Tenant => {
    const t = tenants.get(tenantId.toLowerCase());
    if (!t) throw new Error(`Entra stand-in: no tenant ${tenantId} (addTenant first)`);
    return t;
  };

  const server = await startHttpsStandIn('entra', async (req, res) => {
    if (latencyMs > 0) await new Promise((r) => setTimeout(r, latencyMs));
    await route(req, res);
  });
  const host = server.url;

  async function route(req: StandInRequest, res: ServerResponse): Promise<void> {
    const path = req.url.pathname;
    if (req.method === 'GET' && path === '/common/discovery/instance') return instanceDiscovery(req, res);
    const m = /^\/([^/]+)(\/.*)$/.exec(path);
    const tenant = m ? tenants.get(m[1]!.toLowerCase()) : undefined;
    const rest = m?.[2] ?? '';
    if (!m) return sendJson(res, 404, { error: 'not_found' });
    if (!tenant) return tokenError(res, req, aadsts.tenantNotFound(m[1]!));
    if (req.method === 'GET' && rest === '/v2.0/.well-known/openid-configuration') return sendJson(res, 200, discovery(tenant.tenantId));
    if (req.method === 'GET' && rest === '/discovery/v2.0/keys') return sendJson(res, 200, tenantJwks(tenant.tenantId));
    if (req.method === 'GET' && rest === '/oauth2/v2.0/authorize') return authorize(tenant, req, res);
    if (req.method === 'POST' && rest === '/login') return login(tenant, req, res);
    if (req.method === 'POST' && rest === '/oauth2/v2.0/token') return token(tenant, req, res);
    if (req.method === 'GET' && rest === '/oauth2/v2.0/logout') return logout(req, res);
    return sendJson(res, 404, { error: 'not_found' });
  }

  // The real document's keys, for this host. userinfo lives on Graph, as Entra's does.
  function discovery(tid: string): Record<string, unknown> {
    const base = `${host}/${tid}`;
    const graph = new URL(firstParty[0] ?? 'https://graph.microsoft.com');
    return {
      token_endpoint: `${base}/oauth2/v2.0/token`,
      token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
      jwks_uri: `${base}/discovery/v2.0/keys`,
      response_modes_supported: ['query', 'fragment', 'form_post'],
      subject_types_supported: ['pairwise'],
      id_token_signing_alg_values_supported: ['RS256'],
      response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
      scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
      issuer: v2Issuer(host, tid),
      request_uri_parameter_supported: false,
      userinfo_endpoint: `${graph.origin}/oidc/userinfo`,
      authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
      device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
      http_logout_supported: true,
      frontchannel_logout_supported: true,
      end_session_endpoint: `${base}/oauth2/v2.0/logout`,
      claims_supported: ['sub', 'iss', 'cloud_instance_name', 'cloud_instance_host_name', 'cloud_graph_host_name', 'msgraph_host', 'aud', 'exp', 'iat', 'auth_time', 'acr', 'nonce', 'preferred_username', 'name', 'tid', 'ver', 'at_hash', 'c_hash', 'email'],
      kerberos_endpoint: `${base}/kerberos`,
      tenant_region_scope: 'EU',
      cloud_instance_name: new URL(host).host,
      cloud_graph_host_name: 'graph.windows.net',
      msgraph_host: graph.host,
      rbac_url: 'https://pas.windows.net',
    };
  }

  // MSAL asks this only of login.microsoftonline.com, and only for an authority outside knownAuthorities;
  // answered here so a client pointed at the stand-in's own /common can be shown the shape.
  function instanceDiscovery(req: StandInRequest, res: ServerResponse): void {
    const authorize = req.url.searchParams.get('authorization_endpoint') ?? '';
    const tid = /^https?:\/\/[^/]+\/([^/]+)\//.exec(authorize)?.[1] ?? 'common';
    const h = new URL(host).host;
    sendJson(res, 200, {
      tenant_discovery_endpoint: `${host}/${tid}/v2.0/.well-known/openid-configuration`,
      'api-version': '1.1',
      metadata: [{ preferred_network: h, preferred_cache: h, aliases: [h] }],
    });
  }

  const publicJwks = (): JWK[] => keys.map((k) => k.publicJwk);
  // A tenant's jwks_uri names the tenant's issuer on each key (Entra adds it so a multi-tenant app can match).
  const tenantJwks = (tid: string) => ({ keys: publicJwks().map((k) => ({ ...k, issuer: v2Issuer(host, tid) })) });

  function authorize(tenant: Tenant, req: StandInRequest, res: ServerResponse): void {
    const p = req.url.searchParams;
    const clientId = p.get('client_id');
    if (!clientId) return sendHtml(res, 400, errorPage(describe(aadsts.missingParameter('client_id'))));
    const app = tenant.apps.get(clientId);
    if (!app) return sendHtml(res, 400, errorPage(describe(aadsts.appNotFound(clientId, tenant.tenantId))));
    const redirectUri = p.get('redirect_uri');
    // A redirect URI the app did not register is never redirected to: the error stays on Entra's page.
    if (!redirectUri) return sendHtml(res, 400, errorPage(describe(aadsts.missingParameter('redirect_uri'))));
    if (!redirectAllowed(app, redirectUri)) return sendHtml(res, 400, errorPage(describe(aadsts.redirectMismatch(clientId))));
    const modeParam = p.get('response_mode') ?? 'query';
    const responseMode = modeParam === 'query' || modeParam === 'fragment' || modeParam === 'form_post' ? modeParam : 'query';
    const state = p.get('state') ?? undefined;
    const back = (err: EntraError) => sendBack(res, redirectUri, responseMode, authorizeError(err, state));
    if (modeParam !== responseMode) return back(aadsts.responseModeNotAllowed());
    if (p.get('response_type') !== 'code') return back(aadsts.unsupportedResponseType());
    const scopes = resolveDelegated(tenant, firstParty, p.get('scope') ?? '');
    if (!scopes.ok) return back(scopes.error);
    const codeChallenge = p.get('code_challenge') ?? undefined;
    if (codeChallenge && (p.get('code_challenge_method') ?? 'plain') !== 'S256') return back(aadsts.pkceMethod());
    // Stricter than Entra, which requires PKCE of single-page apps only: our public client always uses it.
    if (!codeChallenge && app.publicClient) return back(aadsts.pkceRequired());
    // The stand-in keeps no browser session, so a silent request always needs an interactive one.
    if (p.get('prompt') === 'none') return back(aadsts.loginRequired());
    const ctx = randomBytes(16).toString('base64url');
    const loginHint = p.get('login_hint') ?? undefined;
    pending.set(ctx, {
      tenantId: tenant.tenantId, clientId, redirectUri, responseMode, state, nonce: p.get('nonce') ?? undefined,
      scopes: scopes.value, codeChallenge, loginHint, expiresAt: Date.now() + pendingLifetimeMs,
    });
    sendHtml(res, 200, signInPage({ action: loginAction(tenant.tenantId, ctx), ...(loginHint ? { loginHint } : {}) }));
  }

  const loginAction = (tid: string, ctx: string) => `/${tid}/login?ctx=${encodeURIComponent(ctx)}`;

  function login(tenant: Tenant, req: StandInRequest, res: ServerResponse): void {
    const ctx = req.url.searchParams.get('ctx') ?? '';
    const sign = pending.get(ctx);
    if (!sign || sign.tenantId !== tenant.tenantId || sign.expiresAt < Date.now()) {
      pending.delete(ctx);
      return sendHtml(res, 400, errorPage('AADSTS90014: Your sign-in session has expired. Start signing in again from the application.'));
    }
    const form = new URLSearchParams(req.body);
    const email = form.get('email') ?? '';
    const again = (error: string) => sendHtml(res, 200, signInPage({ action: loginAction(tenant.tenantId, ctx), loginHint: email, error }));
    const user = userByUpn(tenant, email);
    if (!user) return again("This username may be incorrect. Make sure you typed it correctly. Otherwise, contact your admin. (AADSTS50034)");
    if (user.password !== (form.get('password') ?? '')) {
      return again("Your account or password is incorrect. If you don't remember your password, reset it now. (AADSTS50126)");
    }
    if (user.accountEnabled === false) {
      pending.delete(ctx);
      return sendHtml(res, 200, errorPage('Your account has been locked. Contact your support person to unlock it, then try again. (AADSTS50057: The user account is disabled.)'));
    }
    pending.delete(ctx);
    const code = randomBytes(48).toString('base64url');
    codes.set(code, {
      tenantId: tenant.tenantId, clientId: sign.clientId, redirectUri: sign.redirectUri, oid: user.oid, scopes: sign.scopes,
      nonce: sign.nonce, codeChallenge: sign.codeChallenge, expiresAt: Date.now() + codeLifetimeMs, used: false,
    });
    sendBack(res, sign.redirectUri, sign.responseMode, { code, ...(sign.state !== undefined ? { state: sign.state } : {}), session_state: randomUUID() });
  }

  function logout(req: StandInRequest, res: ServerResponse): void {
    const to = req.url.searchParams.get('post_logout_redirect_uri');
    if (!to) return sendHtml(res, 200, signedOutPage());
    const state = req.url.searchParams.get('state');
    const url = new URL(to);
    if (state) url.searchParams.set('state', state);
    res.writeHead(302, { location: url.href });
    res.end();
  }

  async function token(tenant: Tenant, req: StandInRequest, res: ServerResponse): Promise<void> {
    const body = new URLSearchParams(req.body);
    const basic = basicCredentials(req.headers.authorization);
    const clientId = body.get('client_id') ?? basic?.id;
    if (!clientId) return tokenError(res, req, aadsts.missingParameter('client_id'));
    const app = tenant.apps.get(clientId);
    if (!app) return tokenError(res, req, aadsts.appNotFound(clientId, tenant.tenantId));
    const secret = body.get('client_secret') ?? basic?.secret;
    if (app.publicClient) {
      if (secret) return tokenError(res, req, aadsts.publicClientSecret());
    } else if (!secret) {
      return tokenError(res, req, aadsts.secretMissing());
    } else if (secret !== app.clientSecret) {
      return tokenError(res, req, aadsts.secretInvalid(clientId));
    }
    const grant = body.get('grant_type') ?? '';
    const wantsClientInfo = body.get('client_info') === '1';
    if (grant === 'authorization_code') {
      const code = codes.get(body.get('code') ?? '');
      if (!code || code.tenantId !== tenant.tenantId) return tokenError(res, req, aadsts.codeInvalid());
      if (code.clientId !== clientId) return tokenError(res, req, aadsts.codeOtherClient());
      if (code.used) return tokenError(res, req, aadsts.codeRedeemed());
      if (code.expiresAt < Date.now()) return tokenError(res, req, aadsts.codeExpired());
      if ((body.get('redirect_uri') ?? '') !== code.redirectUri) return tokenError(res, req, aadsts.tokenRedirectMismatch());
      if (code.codeChallenge) {
        const verifier = body.get('code_verifier');
        if (!verifier) return tokenError(res, req, aadsts.missingParameter('code_verifier'));
        if (createHash('sha256').update(verifier).digest('base64url') !== code.codeChallenge) return tokenError(res, req, aadsts.pkceMismatch());
      }
      code.used = true;
      const user = tenant.users.get(code.oid);
      if (!user || user.accountEnabled === false) return tokenError(res, req, aadsts.accountDisabled());
      return sendJson(res, 200, await delegatedResponse(tenant, app, user, code.scopes, code.nonce, wantsClientInfo));
    }
    if (grant === 'refresh_token') {
      const rt = refreshTokens.get(body.get('refresh_token') ?? '');
      if (!rt || rt.tenantId !== tenant.tenantId || rt.clientId !== clientId) return tokenError(res, req, aadsts.refreshInvalid());
      if (rt.revoked) return tokenError(res, req, aadsts.refreshRevoked());
      const user = tenant.users.get(rt.oid);
      if (!user || user.accountEnabled === false) return tokenError(res, req, aadsts.accountDisabled());
      // A refresh token may be redeemed for another resource than the first one (v2.0 multi-resource refresh).
      const scopes = resolveDelegated(tenant, firstParty, body.get('scope') ?? rt.scope);
      if (!scopes.ok) return tokenError(res, req, scopes.error);
      return sendJson(res, 200, await delegatedResponse(tenant, app, user, scopes.value, undefined, wantsClientInfo));
    }
    if (grant === 'client_credentials') {
      if (app.publicClient) return tokenError(res, req, aadsts.secretMissing());
      const scope = (body.get('scope') ?? '').trim();
      if (!scope.endsWith('/.default') || /\s/.test(scope)) return tokenError(res, req, aadsts.clientCredentialsScope(scope));
      const resourceId = scope.slice(0, -'/.default'.length);
      const resource = resourceFor(tenant, firstParty, resourceId);
      if (!resource) return tokenError(res, req, aadsts.resourceNotFound(resourceId, tenant.tenantId));
      const claims = appAccessClaims({
        authorityHost: host, tenantId: tenant.tenantId, resource, clientId, servicePrincipalId: servicePrincipal(tenant, clientId),
        roles: app.applicationPermissions ?? [], times: tokenTimes(),
      });
      const accessToken = await signJwt(claims, signing(), { x5t: resource.version === 1 });
      return sendJson(res, 200, { token_type: 'Bearer', expires_in: lifetimeSeconds, ext_expires_in: lifetimeSeconds, access_token: accessToken });
    }
    return tokenError(res, req, aadsts.unsupportedGrant(grant));
  }

  async function delegatedResponse(
    tenant: Tenant, app: EntraApp, user: EntraUser, scopes: ResolvedScopes, nonce: string | undefined, wantsClientInfo: boolean,
  ): Promise<Record<string, unknown>> {
    const times = tokenTimes();
    const access = userAccessClaims({
      authorityHost: host, tenantId: tenant.tenantId, resource: scopes.resource, user, clientId: app.clientId,
      confidential: !app.publicClient, permissions: scopes.permissions, times,
    });
    const out: Record<string, unknown> = {
      token_type: 'Bearer',
      scope: scopes.granted,
      expires_in: lifetimeSeconds,
      ext_expires_in: lifetimeSeconds,
      access_token: await signJwt(access, signing(), { x5t: scopes.resource.version === 1 }),
    };
    if (scopes.oidc.has('offline_access')) {
      const rt = randomBytes(64).toString('base64url');
      const scope = [...scopes.oidc, ...scopes.granted.split(' ')].join(' ');
      refreshTokens.set(rt, { tenantId: tenant.tenantId, clientId: app.clientId, oid: user.oid, scope, revoked: false });
      out.refresh_token = rt;
    }
    if (scopes.oidc.has('openid')) {
      out.id_token = await signJwt(idTokenClaims({
        authorityHost: host, tenantId: tenant.tenantId, user, clientId: app.clientId, nonce, email: scopes.oidc.has('email'), times,
      }), signing());
    }
    if (wantsClientInfo) out.client_info = clientInfo(user.oid, tenant.tenantId);
    return out;
  }

  function servicePrincipal(tenant: Tenant, clientId: string): string {
    let id = tenant.servicePrincipals.get(clientId);
    if (!id) tenant.servicePrincipals.set(clientId, (id = randomUUID()));
    return id;
  }

  function tokenError(res: ServerResponse, req: StandInRequest, err: EntraError): void {
    const correlation = req.headers['client-request-id'];
    sendJson(res, err.status ?? 400, errorBody(err, host, typeof correlation === 'string' ? correlation : undefined));
  }

  const describe = (err: EntraError) => `AADSTS${err.code}: ${err.message}`;

  function authorizeError(err: EntraError, state: string | undefined): Record<string, string> {
    const body = errorBody(err, host);
    return { error: err.error, error_description: body.error_description, error_uri: body.error_uri, ...(state !== undefined ? { state } : {}) };
  }

  function sendBack(res: ServerResponse, redirectUri: string, mode: PendingSignIn['responseMode'], params: Record<string, string>): void {
    if (mode === 'form_post') return sendHtml(res, 200, formPostPage(redirectUri, params));
    const url = new URL(redirectUri);
    if (mode === 'fragment') url.hash = new URLSearchParams(params).toString();
    else for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
    res.writeHead(302, { location: url.href });
    res.end();
  }

  const standIn: EntraStandIn = {
    authorityHost: host,
    caPem: server.caPem,
    caCertPath: server.caCertPath,
    requests: server.requests,
    addTenant(t) {
      const tenantId = t.tenantId.toLowerCase();
      if (tenants.has(tenantId)) throw new Error(`Entra stand-in: tenant ${tenantId} exists`);
      tenants.set(tenantId, { tenantId, apps: new Map(), apis: [], users: new Map(), servicePrincipals: new Map() });
      for (const a of t.apps ?? []) standIn.addApp(tenantId, a);
      for (const a of t.apis ?? []) standIn.addApi(tenantId, a);
      for (const u of t.users ?? []) standIn.addUser(tenantId, u);
    },
    addApp: (tid, app) => void tenantOf(tid).apps.set(app.clientId, { ...app }),
    addApi: (tid, api) => void tenantOf(tid).apis.push({ ...api }),
    addUser: (tid, user) => void tenantOf(tid).users.set(user.oid, { ...user }),
    updateUser(tid, oid, patch) {
      const user = tenantOf(tid).users.get(oid);
      if (!user) throw new Error(`Entra stand-in: no user ${oid} in ${tid}`);
      Object.assign(user, patch);
    },
    addResource(url) {
      if (!firstParty.includes(url)) firstParty.push(url);
    },
    issuer: (tid) => v2Issuer(host, tid),
    v1Issuer: (tid) => v1Issuer(tid),
    jwks: () => ({ keys: publicJwks() }),
    async rotateSigningKey(o = {}) {
      const next = await newSigningKey();
      keys = o.dropOld ? [next] : [...keys, next];
    },
    setTokenLifetime(seconds) {
      lifetimeSeconds = seconds;
    },
    revokeRefreshTokens(tid, oid) {
      for (const rt of refreshTokens.values()) if (rt.tenantId === tid && rt.oid === oid) rt.revoked = true;
    },
    async issueToken(o) {
      const tenant = tenantOf(o.tenantId);
      const api = o.audience ? undefined : tenant.apis[0];
      const resourceId = o.audience ?? api?.audience;
      if (!resourceId) throw new Error('Entra stand-in: issueToken needs an audience (no API in the tenant)');
      const resource = resourceFor(tenant, firstParty, resourceId) ?? { id: resourceId, aud: resourceId, version: 2 as const };
      const clientId = o.clientId ?? [...tenant.apps.keys()][0] ?? randomUUID();
      const app = tenant.apps.get(clientId);
      const times = { now: Date.now(), lifetimeSeconds: o.expiresInSeconds ?? lifetimeSeconds };
      let claims: Record<string, unknown>;
      if (o.oid) {
        const user = tenant.users.get(o.oid);
        if (!user) throw new Error(`Entra stand-in: no user ${o.oid} in ${o.tenantId}`);
        claims = userAccessClaims({
          authorityHost: host, tenantId: tenant.tenantId, resource, user: o.roles ? { ...user, appRoles: o.roles } : user, clientId,
          confidential: app ? !app.publicClient : false, permissions: o.scopes ?? resource.api?.scopes ?? [], times,
        });
      } else {
        claims = appAccessClaims({
          authorityHost: host, tenantId: tenant.tenantId, resource, clientId, servicePrincipalId: servicePrincipal(tenant, clientId),
          roles: o.roles ?? app?.applicationPermissions ?? [], times,
        });
      }
      if (times.lifetimeSeconds < 0) claims.iat = claims.nbf = Math.floor(times.now / 1000) + times.lifetimeSeconds - 3600;
      for (const [k, v] of Object.entries(o.claims ?? {})) {
        if (v === undefined) delete claims[k];
        else claims[k] = v;
      }
      const signedBy = o.signedBy ?? 'tenant';
      if (signedBy === 'tenant') return signJwt(claims, signing(), { x5t: resource.version === 1 });
      return signJwt(claims, foreignKey, signedBy === 'forged' ? { kid: signing().kid } : {});
    },
    setUnreachable: (on) => server.setUnreachable(on),
    setLatency(ms) {
      latencyMs = ms;
    },
    close: () => server.close(),
  };
  for (const t of opts.tenants ?? []) standIn.addTenant(t);
  return standIn;
}

function basicCredentials(header: string | undefined): { id: string; secret: string } | undefined {
  if (!header?.toLowerCase().startsWith('basic ')) return undefined;
  const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  // RFC 6749 §2.3.1: both parts are form-urlencoded before they are joined.
  return { id: decodeURIComponent(decoded.slice(0, colon)), secret: decodeURIComponent(decoded.slice(colon + 1)) };
}
