// How the v2.0 endpoint reads a scope parameter: OpenID Connect scopes (openid, profile, email,
// offline_access) say what comes beside the access token; every other scope names one resource —
// `${resource}/${permission}`, or a bare name for Microsoft Graph — and one request may ask for one
// resource only. `${resource}/.default` asks for what was consented (all the API's scopes; an app's
// application permissions in the client credentials flow).
// https://learn.microsoft.com/entra/identity-platform/scopes-oidc
import { aadsts, type EntraError } from './errors.js';
import type { EntraApi, Tenant } from './directory.js';

export const oidcScopes = new Set(['openid', 'profile', 'email', 'offline_access']);

/** The resource an access token is for. */
export interface Resource {
  /** What scopes are prefixed with (the Application ID URI, or a first-party resource's URL). */
  id: string;
  /** The token's aud. */
  aud: string;
  version: 1 | 2;
  api?: EntraApi;
}

export interface ResolvedScopes {
  resource: Resource;
  /** Permission names, without the resource prefix: the scp claim. */
  permissions: string[];
  /** The response's scope field: the resource's scopes as full names. */
  granted: string;
  oidc: Set<string>;
}

/** Microsoft Graph's well-known application id: the aud of a token asked for with OIDC scopes only. */
const graphAppId = '00000003-0000-0000-c000-000000000000';

export function resourceFor(tenant: Tenant, firstParty: readonly string[], id: string): Resource | undefined {
  const api = tenant.apis.find((a) => a.audience === id || a.clientId === id);
  if (api) return { id, aud: (api.accessTokenVersion ?? 2) === 2 ? (api.clientId ?? api.audience) : api.audience, version: api.accessTokenVersion ?? 2, api };
  // First-party resources (Graph) issue v1.0 tokens: they are opaque to the client and only Graph reads them.
  if (firstParty.includes(id)) return { id, aud: id, version: 1 };
  return undefined;
}

export function resolveDelegated(tenant: Tenant, firstParty: readonly string[], scopeParam: string): { ok: true; value: ResolvedScopes } | { ok: false; error: EntraError } {
  const asked = scopeParam.split(/\s+/).filter((s) => s.length > 0);
  if (asked.length === 0) return { ok: false, error: aadsts.invalidScope(scopeParam) };
  const oidc = new Set(asked.filter((s) => oidcScopes.has(s)));
  const graph = firstParty[0] ?? 'https://graph.microsoft.com';
  let resource: Resource | undefined;
  const permissions: string[] = [];
  for (const scope of asked.filter((s) => !oidcScopes.has(s))) {
    const slash = scope.lastIndexOf('/');
    const id = slash > 0 ? scope.slice(0, slash) : graph;
    const name = slash > 0 ? scope.slice(slash + 1) : scope;
    const found = resourceFor(tenant, firstParty, id) ?? (id === graph ? { id, aud: id, version: 1 as const } : undefined);
    if (!found) return { ok: false, error: aadsts.resourceNotFound(id, tenant.tenantId) };
    if (resource && resource.id !== found.id) return { ok: false, error: aadsts.multipleResources() };
    resource = found;
    if (name === '.default') permissions.push(...(found.api ? found.api.scopes : ['User.Read']));
    else if (found.api && !found.api.scopes.includes(name)) return { ok: false, error: aadsts.scopeNotOnResource(name, id) };
    else permissions.push(name);
  }
  if (!resource) {
    // Only OpenID Connect scopes: Entra answers with a Graph token for User.Read.
    resource = { id: graph, aud: firstParty[0] ?? graphAppId, version: 1 };
    permissions.push('User.Read');
  }
  const unique = [...new Set(permissions)];
  const prefix = resource.id;
  return { ok: true, value: { resource, permissions: unique, granted: unique.map((p) => `${prefix}/${p}`).join(' '), oidc } };
}
