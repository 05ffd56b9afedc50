// One OpenID Connect provider per tenant, Entra-shaped (issuer https://HOST/{tenantId}/v2.0), so MSAL
// talks to it exactly as to Entra. Settings here are the ones PLATFORM-NOTES found to matter for MSAL.
import { str } from '@lit/localize';
import Provider, { errors, interactionPolicy, type AdapterFactory, type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import type { JWK } from 'jose';
import { consoleClientId, relayAudience, relayScope, webClientId } from '#protocol';
import type { DirectoryStore } from '../directory/index.js';
import type { Log, Tenant } from '../ports.js';
import { escapeHtml, messagePage, page } from './html.js';
import { interactionRoutes } from './interaction.js';
import type { MfaStore } from './mfa-store.js';
import { lookOf, type ServerPages } from './server-pages.js';
import type { SignInThrottle } from './sign-in-limits.js';
import { tokenEndpointAdjustments } from './token-endpoint.js';

export interface TenantProviderDeps {
  publicUrl: string;
  tenant: Tenant;
  directory: DirectoryStore;
  signingKey: JWK;
  cookieKeys: string[];
  webClientSecret: string;
  log: Log;
  trustProxy?: boolean;
  /** Persistent storage for sessions, grants and tokens (in memory when absent). */
  adapter?: AdapterFactory;
  /** Second factors (TOTP): a user who has one is asked for a verification code after the password. */
  mfa: MfaStore;
  /** Limits on wrong passwords and codes (shared by every tenant's provider). */
  throttle: SignInThrottle;
  /** The time for verification codes and pending second factors (the relay's clock). */
  now: () => number;
  /** The pages' language and the organization's look. */
  pages: ServerPages;
  /** Whether the node sheds load now (socket/overload.ts): a sign-in form is then refused before its
   * password is checked (busy-refusal.ts). Absent: never. */
  busy?: () => boolean;
}

export function issuerFor(publicUrl: string, tenantId: string): string {
  return `${publicUrl}/${tenantId}/v2.0`;
}

const loopbacks = ['http://localhost', 'http://localhost/', 'http://127.0.0.1', 'http://127.0.0.1/'];

export function createTenantProvider(deps: TenantProviderDeps): Provider {
  const { tenant, directory, publicUrl } = deps;
  const issuer = issuerFor(publicUrl, tenant.id);
  const basePath = new URL(issuer).pathname;
  const cookieSuffix = tenant.id.slice(0, 8);

  const policy = interactionPolicy.base();
  // Every client is first party: grants are made in loadExistingGrant, never asked for.
  policy.remove('consent');
  // A login_hint naming someone other than the signed-in user means "sign in as that user".
  policy.get('login')!.checks.add(new interactionPolicy.Check('login_hint_other_user', 'login_hint names another user', async (ctx) => {
    const hint = ctx.oidc.params?.login_hint;
    const accountId = ctx.oidc.session?.accountId;
    if (typeof hint !== 'string' || !accountId) return interactionPolicy.Check.NO_NEED_TO_PROMPT;
    return (await directory.user(tenant.id, accountId))?.upn.toLowerCase() !== hint.trim().toLowerCase();
  }));

  const configuration: Configuration = {
    ...(deps.adapter ? { adapter: deps.adapter } : {}),
    clients: [
      {
        client_id: consoleClientId,
        client_name: 'Remote Help console',
        application_type: 'native',
        token_endpoint_auth_method: 'none',
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        redirect_uris: loopbacks,
        post_logout_redirect_uris: loopbacks,
      },
      {
        client_id: webClientId,
        client_name: 'Remote Help web',
        client_secret: deps.webClientSecret,
        token_endpoint_auth_method: 'client_secret_post',
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        redirect_uris: [`${publicUrl}/auth/callback`],
        post_logout_redirect_uris: [`${publicUrl}/rh`, `${publicUrl}/rhh`],
      },
    ],
    jwks: { keys: [deps.signingKey as never] },
    cookies: {
      keys: deps.cookieKeys,
      // Two tenants share one host: distinct names keep their sessions apart.
      names: { session: `rh_op_${cookieSuffix}`, interaction: `rh_op_int_${cookieSuffix}`, resume: `rh_op_res_${cookieSuffix}` },
    },
    claims: {
      // amr too, so the ID token says how the user signed in (pwd, or pwd + mfa), as Entra's does.
      openid: ['sub', 'tid', 'oid', 'amr'],
      profile: ['name', 'preferred_username', 'upn', 'jobTitle', 'companyName', 'roles'],
      email: ['email'],
    },
    // Without this the ID token carries only sub: MSAL and the UI want name, roles, … in it.
    conformIdTokenClaims: false,
    async findAccount(_ctx, sub) {
      const user = await directory.user(tenant.id, sub);
      if (!user) return undefined;
      return {
        accountId: sub,
        claims: () => ({
          sub,
          tid: tenant.id,
          oid: user.oid,
          name: user.name,
          preferred_username: user.upn,
          upn: user.upn,
          email: user.upn,
          jobTitle: user.jobTitle,
          companyName: user.company,
          roles: user.roles,
        }),
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
      for (const [indicator, server] of Object.entries(oidc.resourceServers ?? {})) {
        grant.addResourceScope(indicator, [...server.scopes].join(' '));
      }
      await grant.save();
      return grant;
    },
    // Refresh tokens for every client that may refresh (MSAL's offline_access is dropped without a consent prompt).
    issueRefreshToken: (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    async extraTokenClaims(ctx, token) {
      if (token.kind !== 'AccessToken' || !('accountId' in token)) return undefined;
      const user = await directory.user(tenant.id, token.accountId);
      if (!user) return undefined;
      const { AuthorizationCode: code, RefreshToken: refresh } = ctx.oidc.entities;
      return {
        tid: tenant.id,
        oid: user.oid,
        upn: user.upn,
        name: user.name,
        roles: user.roles,
        amr: code?.amr ?? refresh?.amr ?? ['pwd'],
        scp: relayScope.slice(relayAudience.length + 1),
      };
    },
    features: {
      devInteractions: { enabled: false },
      userinfo: { enabled: false },
      revocation: { enabled: true },
      resourceIndicators: {
        enabled: true,
        // Clients ask for the relay's scope (api://remote-help/session), as with Entra; the resource is implied.
        defaultResource: () => relayAudience,
        useGrantedResource: () => true,
        getResourceServerInfo(_ctx, indicator) {
          if (indicator !== relayAudience) throw new errors.InvalidTarget();
          return { scope: relayScope, audience: relayAudience, accessTokenFormat: 'jwt', accessTokenTTL: 60 * 60, jwt: { sign: { alg: 'RS256' } } };
        },
      },
      rpInitiatedLogout: {
        enabled: true,
        async logoutSource(ctx, form) {
          const look = lookOf((await directory.tenant(tenant.id)) ?? tenant);
          const pc = deps.pages.context(ctx, { look });
          const { t } = pc;
          const name = look?.name ?? tenant.name;
          ctx.type = 'html';
          ctx.body = page(pc, t(str`Sign out – ${name}`), `<h1>${escapeHtml(t('Sign out'))}</h1><p>${escapeHtml(t(str`Sign out of ${name} on this browser?`))}</p>${form}
<div class="rh-actions"><button type="submit" form="op.logoutForm" name="logout" value="yes" class="primary" autofocus>${escapeHtml(t('Sign out'))}</button>
<button type="submit" form="op.logoutForm">${escapeHtml(t('Stay signed in'))}</button></div>`);
        },
        async postLogoutSuccessSource(ctx) {
          const look = lookOf((await directory.tenant(tenant.id)) ?? tenant);
          const pc = deps.pages.context(ctx, { look });
          const name = look?.name ?? tenant.name;
          ctx.type = 'html';
          ctx.body = messagePage(pc, pc.t('Signed out'), pc.t(str`You are signed out of ${name}.`));
        },
      },
    },
    interactions: { policy, url: (_ctx, interaction) => `${basePath}/interaction/${interaction.uid}` },
    // Native (console) and browser pages never call the provider cross-origin.
    clientBasedCORS: () => false,
    ttl: {
      AccessToken: 60 * 60,
      AuthorizationCode: 60,
      IdToken: 60 * 60,
      Interaction: 60 * 60,
      Grant: 14 * 24 * 60 * 60,
      // The provider's own sign-in on a browser (what lets the console in again without a password):
      // a working day, not the refresh tokens' two weeks, so a shared PC forgets it by the next day.
      Session: 8 * 60 * 60,
      RefreshToken: 14 * 24 * 60 * 60,
    },
    async renderError(ctx, out) {
      deps.log.warn('identity provider error', { tenantId: tenant.id, error: out.error, description: out.error_description });
      const pc = deps.pages.context(ctx, { look: lookOf((await directory.tenant(tenant.id)) ?? tenant) });
      const detail = String(out.error_description ?? out.error ?? '');
      ctx.type = 'html';
      // The provider's own description is English and technical: shown under the page's words, marked as English.
      ctx.body = messagePage(pc, pc.t('Sign-in problem'), pc.t('The sign-in could not continue. Go back to the app and sign in again.'),
        detail ? `<p class="rh-hint" lang="en" dir="ltr">${escapeHtml(detail)}</p>` : '');
    },
  };

  const provider = new Provider(issuer, configuration);
  provider.proxy = deps.trustProxy ?? false;
  provider.use(tokenEndpointAdjustments());
  provider.use(interactionRoutes(provider, {
    tenant, directory, mfa: deps.mfa, throttle: deps.throttle, basePath, log: deps.log, now: deps.now, pages: deps.pages,
    ...(deps.busy ? { busy: deps.busy } : {}),
  }));
  provider.on('server_error', (_ctx: KoaContextWithOIDC, err: Error) => deps.log.error('identity provider server error', { tenantId: tenant.id, err: err.message }));
  return provider;
}
