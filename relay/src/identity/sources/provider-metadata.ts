// An outside provider's discovery document and signing keys, fetched when first needed and kept: a
// provider that is down when the relay starts stops nothing; its tenant's sign-in says so until it answers.
import { createRemoteJWKSet, customFetch, type JWTVerifyGetKey } from 'jose';
import { z } from 'zod';
import { fail, ok, type Ack } from '#protocol';
import type { HttpsFetch } from '../../net/https-fetch.js';

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

export function providerKeys(discoveryUrl: string, fetch: HttpsFetch, now: () => number = Date.now): ProviderKeys {
  let found: { meta: ProviderMetadata; jwks: JWTVerifyGetKey } | undefined;
  let inFlight: Promise<Ack<ProviderMetadata>> | undefined;
  let failedAt = -Infinity;
  let lastFailure = '';

  const load = async (): Promise<Ack<ProviderMetadata>> => {
    try {
      const res = await fetch(discoveryUrl, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(timeoutMs) });
      if (!res.ok) throw new Error(`${discoveryUrl} answered ${res.status}`);
      const doc = discoveryDocument.safeParse(await res.json());
      if (!doc.success) throw new Error(`${discoveryUrl} is not an OpenID discovery document`);
      const jwks = createRemoteJWKSet(new URL(doc.data.jwks_uri), {
        timeoutDuration: timeoutMs,
        [customFetch]: (url: string, init: RequestInit) => fetch(url, { headers: init.headers as Record<string, string>, signal: init.signal ?? null }),
      });
      found = { meta: doc.data, jwks };
      return ok(doc.data);
    } catch (err) {
      failedAt = now();
      lastFailure = err instanceof Error ? err.message : String(err);
      return fail('identity-provider-unavailable', `The identity provider cannot be reached: ${lastFailure}`);
    }
  };

  const metadata = async (): Promise<Ack<ProviderMetadata>> => {
    if (found) return ok(found.meta);
    if (now() - failedAt < retryAfterFailureMs) return fail('identity-provider-unavailable', `The identity provider cannot be reached: ${lastFailure}`);
    inFlight ??= load().finally(() => { inFlight = undefined; });
    return inFlight;
  };

  const keys: JWTVerifyGetKey = async (header, token) => {
    const meta = await metadata();
    if (!meta.ok || !found) throw new ProviderUnavailableError(meta.ok ? 'no keys' : meta.error.message);
    return found.jwks(header, token);
  };
  return { metadata, keys };
}

/** Thrown inside jwtVerify's key lookup so the caller can tell "provider down" from "token bad". */
export class ProviderUnavailableError extends Error {}
