// The claims of the tokens the stand-in issues, as the claims references list them.
// Access tokens: https://learn.microsoft.com/entra/identity-platform/access-token-claims-reference
// ID tokens:     https://learn.microsoft.com/entra/identity-platform/id-token-claims-reference
// client_info:   https://learn.microsoft.com/javascript/api/@azure/msal-common/clientinfo (MSAL makes homeAccountId `${uid}.${utid}`)
import { createHash, randomBytes } from 'node:crypto';
import type { JWTPayload } from 'jose';
import type { EntraUser } from './directory.js';
import type { Resource } from './scopes.js';

export interface TokenTimes {
  now: number;
  lifetimeSeconds: number;
}

export function v2Issuer(authorityHost: string, tenantId: string): string {
  return `${authorityHost}/${tenantId}/v2.0`;
}

/** v1.0 tokens name the Security Token Service, on its own host, whatever host issued them. */
export function v1Issuer(tenantId: string): string {
  return `https://sts.windows.net/${tenantId}/`;
}

/** sub is pairwise: the same user has a different sub for each application; oid is the stable id. */
export function pairwiseSub(oid: string, appId: string): string {
  return createHash('sha256').update(`${oid}:${appId}`).digest('base64url').slice(0, 43);
}

function times(t: TokenTimes): { iat: number; nbf: number; exp: number } {
  const iat = Math.floor(t.now / 1000);
  // Entra backdates nbf (and iat) by five minutes to absorb clock skew.
  return { iat: iat - 300, nbf: iat - 300, exp: iat + t.lifetimeSeconds };
}

const uti = () => randomBytes(16).toString('base64url').slice(0, 22);

export function userAccessClaims(o: {
  authorityHost: string; tenantId: string; resource: Resource; user: EntraUser; clientId: string;
  confidential: boolean; permissions: string[]; times: TokenTimes;
}): JWTPayload {
  const { user, resource } = o;
  // App roles belong to an API registration: a Graph token carries none of the user's.
  const roles = resource.api && user.appRoles && user.appRoles.length > 0 ? { roles: [...user.appRoles] } : {};
  const common = {
    aud: resource.aud, ...times(o.times), name: user.name, oid: user.oid, ...roles,
    scp: o.permissions.join(' '), sub: pairwiseSub(user.oid, resource.aud), tid: o.tenantId, uti: uti(),
  };
  if (resource.version === 1) {
    return {
      ...common, iss: v1Issuer(o.tenantId), acr: '1', amr: ['pwd'], appid: o.clientId, appidacr: o.confidential ? '1' : '0',
      unique_name: user.upn, upn: user.upn, ver: '1.0',
    };
  }
  return { ...common, iss: v2Issuer(o.authorityHost, o.tenantId), azp: o.clientId, azpacr: o.confidential ? '1' : '0', preferred_username: user.upn, ver: '2.0' };
}

export function appAccessClaims(o: {
  authorityHost: string; tenantId: string; resource: Resource; clientId: string; servicePrincipalId: string; roles: string[]; times: TokenTimes;
}): JWTPayload {
  const common = {
    aud: o.resource.aud, ...times(o.times), idtyp: 'app', oid: o.servicePrincipalId, ...(o.roles.length > 0 ? { roles: [...o.roles] } : {}),
    sub: o.servicePrincipalId, tid: o.tenantId, uti: uti(),
  };
  if (o.resource.version === 1) return { ...common, iss: v1Issuer(o.tenantId), appid: o.clientId, appidacr: '1', ver: '1.0' };
  return { ...common, iss: v2Issuer(o.authorityHost, o.tenantId), azp: o.clientId, azpacr: '1', ver: '2.0' };
}

export function idTokenClaims(o: {
  authorityHost: string; tenantId: string; user: EntraUser; clientId: string; nonce: string | undefined; email: boolean; times: TokenTimes;
}): JWTPayload {
  const { user } = o;
  return {
    aud: o.clientId, iss: v2Issuer(o.authorityHost, o.tenantId), ...times(o.times),
    ...(o.email && user.mail ? { email: user.mail } : {}),
    name: user.name, ...(o.nonce !== undefined ? { nonce: o.nonce } : {}), oid: user.oid, preferred_username: user.upn,
    sub: pairwiseSub(user.oid, o.clientId), tid: o.tenantId, uti: uti(), ver: '2.0',
  };
}

/** base64url of {"uid": oid, "utid": tid}: MSAL builds the account's homeAccountId (`${uid}.${utid}`) from it. */
export function clientInfo(oid: string, tenantId: string): string {
  return Buffer.from(JSON.stringify({ uid: oid, utid: tenantId })).toString('base64url');
}
