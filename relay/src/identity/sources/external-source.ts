// A tenant that signs in at an outside provider: Microsoft Entra ID or any OpenID provider. The relay
// is a client there (the web pages' confidential client, the console's public one) and checks the access
// tokens it issues: the issuer's keys from its discovery document, the audience the operator names, the
// expiry, and for Entra the `tid` of the configured directory. Who the token names gets a directory row
// on the first sign-in (a row SCIM made is taken over by UPN), so sessions, roles and reports work as
// for the relay's own users, and a user disabled here stays refused whatever the provider says.
import { createHash } from 'node:crypto';
import { errors as joseErrors, jwtVerify, type JWTPayload } from 'jose';
import { fail, ok, type Ack } from '#protocol';
import type { DirectoryStore } from '../../directory/index.js';
import type { HttpsFetch } from '../../net/https-fetch.js';
import type { ConfiguredTenant } from '../../operator-config.js';
import type { AuthUser, Log } from '../../ports.js';
import { claimList, claimString, mapRoles, safePicture, type ClaimNames, type Claims, type RoleMapping } from './claim-mapping.js';
import { providerKeys, ProviderUnavailableError, withoutSlash } from './provider-metadata.js';
import type { TenantSource } from './types.js';

type OutsideIdentity = Extract<ConfiguredTenant['identity'], { type: 'entra' | 'oidc' }>;

export interface ExternalSourceDeps {
  tenant: ConfiguredTenant & { identity: OutsideIdentity };
  directory: DirectoryStore;
  fetch: HttpsFetch;
  log: Log;
  /** Called after each verified sign-in of a person (e.g. to refresh their Graph profile). */
  signedIn?: (tenantId: string, userId: string, subject: string) => void;
}

/** Entra's v2.0 claim names; the roles are its app roles. */
const entraClaims: ClaimNames = { upn: 'preferred_username', name: 'name' };
const entraRoles: RoleMapping = { claim: 'roles' };
/** OpenID Connect's standard claims, where the operator names none. */
const oidcDefaults: ClaimNames = { upn: 'preferred_username', name: 'name', picture: 'picture' };
const userinfoTimeoutMs = 2_000;
const userinfoCacheMs = 5 * 60_000;
const userinfoCacheMax = 10_000;
/** A picture larger than this is not kept inline (a trust screen shows it at 72 px). */
const maxPictureBytes = 256 * 1024;


export function createExternalSource(deps: ExternalSourceDeps): TenantSource {
  const { tenant, directory, log } = deps;
  const id = tenant.identity;
  const entra = id.type === 'entra';
  const authorityHost = entra ? withoutSlash(id.authorityHost) : '';
  const issuer = entra ? `${authorityHost}/${id.tenantId}/v2.0` : withoutSlash(id.issuer);
  const discovery = providerKeys(issuer, deps.fetch, log);
  const userinfoCache = new Map<string, { claims: Claims; until: number }>();
  /** What each person's token last said, and their row: unchanged claims need no write. */
  const linkedProfiles = new Map<string, { said: string; oid: string }>();
  const claimNames: ClaimNames = entra ? { ...entraClaims, ...id.claims } : { ...oidcDefaults, ...id.claims };
  const roleMapping: RoleMapping = id.roles ?? (entra ? entraRoles : { claim: claimNames.groups ?? 'groups' });
  // Entra: the API's scope; another provider: what the operator lists (its default resource decides the audience).
  const scopes = id.scopes ?? (entra ? [`${withoutSlash(id.audience)}/session`] : ['openid', 'profile', 'email']);
  const authority = entra ? `${authorityHost}/${id.tenantId}` : id.issuer;
  const known = [new URL(authority).host];
  const protocolMode = entra ? 'AAD' : 'OIDC';
  // Some providers write the issuer with a trailing slash, some without: both name the same one.
  const issuers = [issuer, `${issuer}/`];

  /** The OpenID userinfo endpoint, for a console token that carries no name (many providers keep
   * profile claims out of access tokens). A slow or failing provider leaves the token's claims. */
  const userinfo = async (token: string, expiresAt: number): Promise<Claims> => {
    const key = createHash('sha256').update(token).digest('base64url');
    const cached = userinfoCache.get(key);
    if (cached && cached.until > Date.now()) return cached.claims;
    const meta = await discovery.metadata();
    if (!meta.ok || !meta.value.userinfo_endpoint) return {};
    try {
      const res = await deps.fetch(meta.value.userinfo_endpoint, {
        headers: { authorization: `Bearer ${token}`, accept: 'application/json' }, signal: AbortSignal.timeout(userinfoTimeoutMs),
      });
      const body: unknown = res.ok ? await res.json() : {};
      const claims = body && typeof body === 'object' ? (body as Claims) : {};
      // Every socket and API call verifies its token again: the answer is kept while the token lives.
      if (userinfoCache.size >= userinfoCacheMax) userinfoCache.delete(userinfoCache.keys().next().value!);
      userinfoCache.set(key, { claims, until: Math.min(expiresAt, Date.now() + userinfoCacheMs) });
      return claims;
    } catch (err) {
      log.warn('userinfo failed', { tenantId: tenant.id, err: err instanceof Error ? err.message : String(err) });
      return {};
    }
  };

  /** The picture at an https address, fetched once per address and kept inline (at most maxPictureBytes). */
  const picturesFetched = new Map<string, string>();
  const inlinePicture = (subject: string, upn: string, url: string): void => {
    if (picturesFetched.get(subject) === url) return;
    if (picturesFetched.size >= userinfoCacheMax) picturesFetched.delete(picturesFetched.keys().next().value!);
    picturesFetched.set(subject, url);
    void (async () => {
      try {
        const res = await deps.fetch(url, { headers: { accept: 'image/*' }, signal: AbortSignal.timeout(userinfoTimeoutMs * 5) });
        const type = res.headers.get('content-type')?.split(';')[0]?.trim() ?? '';
        const bytes = Buffer.from(await res.arrayBuffer());
        if (!res.ok || !/^image\/(png|jpeg|gif|webp)$/.test(type) || bytes.length > maxPictureBytes) throw new Error(`${res.status} ${type} ${bytes.length} bytes`);
        await directory.linkSignedInUser(tenant.id, id.type, { subject, upn, photoUrl: `data:${type};base64,${bytes.toString('base64')}` });
      } catch (err) {
        picturesFetched.delete(subject);
        log.warn('profile picture not fetched', { tenantId: tenant.id, err: err instanceof Error ? err.message : String(err) });
      }
    })();
  };

  const verify = async (token: string): Promise<Ack<AuthUser>> => {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, discovery.keys, {
        issuer: issuers,
        audience: id.audience,
        algorithms: ['RS256', 'RS384', 'RS512', 'PS256', 'ES256', 'ES384'],
        requiredClaims: ['exp', 'sub'],
        clockTolerance: 30,
      }));
    } catch (err) {
      return refusal(err);
    }
    let claims: Claims = payload;
    if (entra && payload['tid'] !== id.tenantId) return fail('unauthenticated', 'The access token names another Entra tenant than this organization\'s.');
    const subject = entra ? claimString(claims, 'oid') : payload.sub;
    if (!subject) return fail('unauthenticated', 'The access token does not say who the user is.');
    if (!entra && (!claimString(claims, claimNames.upn) || !claimString(claims, claimNames.name))) {
      claims = { ...(await userinfo(token, (payload.exp ?? 0) * 1000)), ...payload };
    }
    // An email is a sign-in name only when the provider verified it (OpenID Connect Core §5.1).
    const verifiedEmail = claims['email_verified'] === true ? claimString(claims, 'email') : undefined;
    const upn = claimString(claims, claimNames.upn) ?? verifiedEmail ?? (entra ? claimString(claims, 'upn') : undefined);
    if (!upn) return fail('unauthenticated', `The access token has no ${claimNames.upn ?? 'preferred_username'} or email claim.`);
    const picture = safePicture(claimString(claims, claimNames.picture));
    const roleValues = claimList(claims, roleMapping.claim) ?? [];
    // Entra's `roles` claim holds app roles only an administrator assigns; any other claim is mapped or nothing.
    const roles = mapRoles(roleValues, roleMapping, await directory.roles(tenant.id), entra && roleMapping.claim === 'roles');
    const profile = {
      subject, upn,
      name: claimString(claims, claimNames.name),
      jobTitle: claimString(claims, claimNames.jobTitle),
      company: claimString(claims, claimNames.company),
      // An inline picture is kept as it is; one at an https address is fetched by the relay (below), so the
      // pages never load from the provider's host (their CSP allows the relay's own images only).
      photoUrl: picture?.startsWith('data:') ? picture : undefined,
      roles,
      groups: claimList(claims, claimNames.groups),
    };
    // Every socket and API call verifies its token: the row is written when what the token says changed,
    // and otherwise only read (still there, still active).
    const said = JSON.stringify(profile);
    const before = linkedProfiles.get(subject);
    let row = before?.said === said ? await directory.user(tenant.id, before.oid) : undefined;
    if (row?.subject !== subject) {
      const linked = await directory.linkSignedInUser(tenant.id, id.type, profile);
      if (!linked.ok) return linked;
      if (linkedProfiles.size >= userinfoCacheMax) linkedProfiles.delete(linkedProfiles.keys().next().value!);
      linkedProfiles.set(subject, { said, oid: linked.value.oid });
      row = await directory.user(tenant.id, linked.value.oid);
    }
    if (!row) return fail('account-disabled', 'This account has been removed from the organization.');
    if (!row.active) return fail('account-disabled', `${upn} has been disabled in this organization.`);
    if (picture?.startsWith('https:')) inlinePicture(subject, upn, picture);
    deps.signedIn?.(tenant.id, row.oid, subject);
    const amr = claimList(claims, 'amr') ?? [];
    return ok({ tenantId: tenant.id, userId: row.oid, upn, name: row.name, roles, amr });
  };

  return {
    tenantId: tenant.id,
    type: id.type,
    issuer,
    web: { authority, clientId: id.clientId, clientSecret: id.clientSecret, protocolMode, scopes, knownAuthorities: known },
    console: {
      authority, clientId: id.consoleClientId, protocolMode, scopes, knownAuthorities: known,
      ...(entra ? {} : { claims: Object.fromEntries(Object.entries({
        name: claimNames.name, jobTitle: claimNames.jobTitle, company: claimNames.company, picture: claimNames.picture,
      }).filter((e): e is [string, string] => e[1] !== undefined)) }),
    },
    verify,
  };
}

function refusal(err: unknown): Ack<never> {
  if (err instanceof ProviderUnavailableError || err instanceof joseErrors.JWKSTimeout) {
    return fail('identity-provider-unavailable', 'The organization\'s identity provider cannot be reached to check the sign-in.');
  }
  if (err instanceof joseErrors.JWTExpired) return fail('unauthenticated', 'The access token has expired.');
  if (err instanceof joseErrors.JWTClaimValidationFailed) return fail('unauthenticated', `The access token was refused: ${err.message}.`);
  if (err instanceof joseErrors.JWKSNoMatchingKey || err instanceof joseErrors.JWSSignatureVerificationFailed) {
    return fail('unauthenticated', 'The access token signature is not valid.');
  }
  if (err instanceof joseErrors.JOSEError) return fail('unauthenticated', `The access token was refused (${err.code}).`);
  // Anything else happened while asking the provider: it is away (the detail is in the relay's log).
  return fail('identity-provider-unavailable', 'The organization\'s identity provider could not be asked to check the sign-in.');
}
