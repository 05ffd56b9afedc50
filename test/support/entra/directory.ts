// What a stand-in tenant holds: app registrations (clients), exposed APIs (resources with scopes),
// and users. Field names follow the app registration and user objects of Entra, shortened.
export interface EntraApp {
  clientId: string;
  /** Present for a confidential client (the relay's web app); absent with publicClient for the console. */
  clientSecret?: string;
  /** Exact matches, except http://localhost and http://127.0.0.1, whose port is ignored (RFC 8252 §7.3). */
  redirectUris: string[];
  publicClient?: boolean;
  /** Application permissions granted to the app (admin-consented), e.g. User.Read.All: the roles of its
   * app-only tokens (client credentials), which Graph checks. */
  applicationPermissions?: string[];
}

export interface EntraApi {
  /** The Application ID URI, e.g. api://remote-help: scopes are requested as `${audience}/session`. */
  audience: string;
  /** The API's own application (client) id. A v2.0 access token's aud is this id when it is set (as in
   * Entra, where v2.0 tokens always carry the API's client id); unset, aud is the audience above. */
  clientId?: string;
  /** Delegated permissions (scp), e.g. ['session']. */
  scopes: string[];
  /** The manifest's accessTokenAcceptedVersion: 2 (default here), or 1 — Entra's default for a new
   * registration — whose tokens carry iss https://sts.windows.net/{tid}/, aud the Application ID URI,
   * upn and appid instead of preferred_username and azp. */
  accessTokenVersion?: 1 | 2;
}

export interface EntraUser {
  oid: string;
  upn: string;
  name: string;
  password: string;
  /** App roles assigned to the user on the API: the access token's roles claim (absent when none). */
  appRoles?: string[];
  /** false: sign-in answers AADSTS50057, and refresh tokens stop working. */
  accountEnabled?: boolean;
  mail?: string;
}

export interface EntraTenantSpec {
  tenantId: string;
  apps?: EntraApp[];
  apis?: EntraApi[];
  users?: EntraUser[];
}

export interface Tenant {
  tenantId: string;
  apps: Map<string, EntraApp>;
  apis: EntraApi[];
  /** By oid. */
  users: Map<string, EntraUser>;
  /** The object id of each app's service principal, the oid of its app-only tokens. */
  servicePrincipals: Map<string, string>;
}

export function userByUpn(tenant: Tenant, upn: string): EntraUser | undefined {
  const wanted = upn.trim().toLowerCase();
  for (const u of tenant.users.values()) if (u.upn.toLowerCase() === wanted) return u;
  return undefined;
}

/** RFC 8252 §7.3: a native app's loopback redirect may use any port; everything else matches exactly. */
export function redirectAllowed(app: EntraApp, redirectUri: string): boolean {
  return app.redirectUris.some((registered) => registered === redirectUri || sameLoopback(registered, redirectUri));
}

function sameLoopback(registered: string, asked: string): boolean {
  let a: URL;
  let b: URL;
  try {
    a = new URL(registered);
    b = new URL(asked);
  } catch {
    return false;
  }
  const loopback = (u: URL) => u.protocol === 'http:' && (u.hostname === 'localhost' || u.hostname === '127.0.0.1');
  return loopback(a) && loopback(b) && a.hostname === b.hostname && a.pathname === b.pathname && a.search === b.search;
}
