// The relay trusts nothing but a verified token: signature by the issuing tenant's key, issuer one of
// our tenants, audience the relay, expiry, and a `tid` naming the issuer's own tenant.
import { createLocalJWKSet, decodeJwt, errors as joseErrors, jwtVerify, type JWK, type JWTVerifyGetKey } from 'jose';
import { z } from 'zod';
import { fail, ok, relayAudience, type Ack } from '#protocol';
import type { AuthUser } from '../ports.js';
import { withoutSlash } from './sources/provider-metadata.js';
import type { TenantSource } from './sources/types.js';

const accessClaims = z.object({
  tid: z.string().min(1),
  oid: z.string().min(1),
  upn: z.string().min(1),
  name: z.string(),
  roles: z.array(z.string()).default([]),
  amr: z.array(z.string()).default([]),
});

export type VerifyAccessToken = (token: string) => Promise<Ack<AuthUser>>;

export function createTokenVerifier(issuers: { tenantId: string; issuer: string; keys: JWK[] }[]): VerifyAccessToken {
  const byIssuer = new Map<string, { tenantId: string; jwks: JWTVerifyGetKey }>(
    issuers.map((i) => [i.issuer, { tenantId: i.tenantId, jwks: createLocalJWKSet({ keys: i.keys }) }]),
  );
  return async (token) => {
    const named = issuerOf(token, (iss) => byIssuer.get(iss));
    if (!named.ok) return named;
    const { issuer, found: known } = named.value;
    try {
      const { payload } = await jwtVerify(token, known.jwks, {
        issuer,
        audience: relayAudience,
        algorithms: ['RS256', 'ES256'],
        requiredClaims: ['exp', 'iat'],
        clockTolerance: 30,
      });
      const claims = accessClaims.safeParse(payload);
      if (!claims.success) return fail('unauthenticated', 'The access token lacks the user claims.');
      if (claims.data.tid !== known.tenantId) return fail('unauthenticated', 'The access token names another tenant than its issuer.');
      const { tid, oid, upn, name, roles, amr } = claims.data;
      return ok({ tenantId: tid, userId: oid, upn, name, roles, amr });
    } catch (err) {
      return fail('unauthenticated', describe(err));
    }
  };
}

/** Sends each token to the tenant source whose issuer it names; an issuer no tenant has is refused. */
export function createSourceVerifier(sources: readonly TenantSource[]): VerifyAccessToken {
  // Some providers write the issuer with a trailing slash, some without: both name the same one.
  const byIssuer = new Map<string, TenantSource>(sources.map((source) => [withoutSlash(source.issuer), source]));
  return async (token) => {
    const named = issuerOf(token, (iss) => byIssuer.get(withoutSlash(iss)));
    return named.ok ? named.value.found.verify(token) : named;
  };
}

/** The token's `iss`, unverified, and what `lookup` has for it: only to pick who verifies the token. */
function issuerOf<T>(token: string, lookup: (issuer: string) => T | undefined): Ack<{ issuer: string; found: T }> {
  if (typeof token !== 'string' || token.length === 0) return fail('unauthenticated', 'No access token.');
  let issuer: string | undefined;
  try {
    issuer = decodeJwt(token).iss;
  } catch {
    return fail('unauthenticated', 'The access token is not a JWT.');
  }
  const found = issuer === undefined ? undefined : lookup(issuer);
  if (issuer === undefined || found === undefined) return fail('unknown-issuer', 'The access token was issued by an issuer that no tenant here has.');
  return ok({ issuer, found });
}

function describe(err: unknown): string {
  if (err instanceof joseErrors.JWTExpired) return 'The access token has expired.';
  if (err instanceof joseErrors.JWTClaimValidationFailed) return `The access token was refused: ${err.message}.`;
  if (err instanceof joseErrors.JWSSignatureVerificationFailed) return 'The access token signature is not valid.';
  if (err instanceof joseErrors.JWKSNoMatchingKey) return 'The access token signature is not valid: no key of its issuer signed it.';
  if (err instanceof joseErrors.JOSEError) return `The access token was refused (${err.code}).`;
  return 'The access token was refused.';
}
