// An outside provider's discovery document and signing keys, fetched when first needed and kept: a
// provider that is down when the relay starts stops nothing; its tenant's sign-in says so until it answers.
import { createRemoteJWKSet, customFetch, errors as joseErrors, type JWTVerifyGetKey } from 'jose';
import { z } from 'zod';
import { fail, ok, type Ack } from '#protocol';
import type { HttpsFetch } from '../../net/https-fetch.js';
import type { Log } from '../../ports.js';

const discoveryDocument = z.object({
  issuer: z.string(),
  jwks_uri: z.url(),
  userinfo_endpoint: z.url().optional(),
});
export type ProviderMetadata = z.infer<typeof discoveryDocument>;

export interface ProviderKeys {
  metadata(): Promise<Ack<ProviderMetadata>>;
  /** For jose's jwtVerify: the provider's keys, fetched (and refetched for an unknown kid) as needed. */
  keys: JWTVerifyGetKey;
}

/** How long a failed discovery is not tried again: a down provider is not asked on every request. */
const retryAfterFailureMs = 5_000;
const timeoutMs = 5_000;
const unavailable = fail<ProviderMetadata>('identity-provider-unavailable', 'The organization\'s identity provider cannot be reached.');
/** An issuer or URL without its trailing slashes: providers write their issuers both ways. */
export const withoutSlash = (url: string): string => url.replace(/\/+$/, '');

export function providerKeys(expectedIssuer: string, fetch: HttpsFetch, log: Log, now: () => number = Date.now): ProviderKeys {
  const discoveryUrl = `${withoutSlash(expectedIssuer)}/.well-known/openid-configuration`;
  let found: { meta: ProviderMetadata; jwks: JWTVerifyGetKey } | undefined;
  let inFlight: Promise<Ack<ProviderMetadata>> | undefined;
  let failedAt = -Infinity;

  const load = async (): Promise<Ack<ProviderMetadata>> => {
    try {
      const res = await fetch(discoveryUrl, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(timeoutMs) });
      if (!res.ok) throw new Error(`${discoveryUrl} answered ${res.status}`);
      const doc = discoveryDocument.safeParse(await res.json());
      if (!doc.success) throw new Error(`${discoveryUrl} is not an OpenID discovery document`);
      // OpenID Connect Discovery §4.3: the document must name the issuer it was fetched for.
      if (withoutSlash(doc.data.issuer) !== withoutSlash(expectedIssuer)) {
        throw new Error(`${discoveryUrl} names the issuer ${doc.data.issuer}, not ${expectedIssuer}`);
      }
      const jwks = createRemoteJWKSet(new URL(doc.data.jwks_uri), {
        timeoutDuration: timeoutMs,
        [customFetch]: (url: string, init: RequestInit) => fetch(url, { headers: init.headers as Record<string, string>, signal: init.signal ?? null }),
      });
      found = { meta: doc.data, jwks };
      return ok(doc.data);
    } catch (err) {
      failedAt = now();
      // The detail is the operator's (logged); whoever sent the token hears only that the provider is away.
      log.warn('identity provider discovery failed', { discoveryUrl, err: err instanceof Error ? err.message : String(err) });
      return unavailable;
    }
  };

  const metadata = async (): Promise<Ack<ProviderMetadata>> => {
    if (found) return ok(found.meta);
    if (now() - failedAt < retryAfterFailureMs) return unavailable;
    inFlight ??= load().finally(() => { inFlight = undefined; });
    return inFlight;
  };

  const keys: JWTVerifyGetKey = async (header, token) => {
    const meta = await metadata();
    if (!meta.ok || !found) throw new ProviderUnavailableError('no keys');
    try {
      return await found.jwks(header, token);
    } catch (err) {
      // No key of the provider's for this token is the token's fault; anything else (a 5xx, a timeout, a
      // key set that does not parse) is the provider's, and must not read as "sign in again".
      if (err instanceof joseErrors.JWKSNoMatchingKey || err instanceof joseErrors.JWKSMultipleMatchingKeys) throw err;
      log.warn('identity provider keys unavailable', { jwksUri: meta.value.jwks_uri, err: err instanceof Error ? err.message : String(err) });
      throw new ProviderUnavailableError('keys unavailable');
    }
  };
  return { metadata, keys };
}

/** Thrown inside jwtVerify's key lookup so the caller can tell "provider down" from "token bad". */
export class ProviderUnavailableError extends Error {}
