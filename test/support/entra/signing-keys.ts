// The stand-in's token signing keys. Entra signs with keys shared by every tenant of a cloud and
// publishes them at each tenant's jwks_uri; keys roll over, and for a while the old key is still
// published beside the new one. A "foreign" key, never published, makes tokens no tenant signed.
import { randomBytes } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT, type JWK, type JWTPayload } from 'jose';

type KeyPair = Awaited<ReturnType<typeof generateKeyPair>>;

export interface SigningKey {
  kid: string;
  privateKey: KeyPair['privateKey'];
  publicJwk: JWK;
}

export async function newSigningKey(): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  // Entra's kid is the certificate thumbprint (base64url of a SHA-1: 27 characters); x5t repeats it.
  const kid = randomBytes(20).toString('base64url');
  const jwk = await exportJWK(publicKey);
  return { kid, privateKey, publicJwk: { kty: 'RSA', use: 'sig', kid, x5t: kid, n: jwk.n!, e: jwk.e! } };
}

/** RS256 with the header Entra writes (typ, alg, kid; x5t only in v1.0 tokens). */
export function signJwt(claims: JWTPayload, key: SigningKey, opts: { kid?: string; x5t?: boolean } = {}): Promise<string> {
  const kid = opts.kid ?? key.kid;
  return new SignJWT(claims)
    .setProtectedHeader({ typ: 'JWT', alg: 'RS256', kid, ...(opts.x5t ? { x5t: kid } : {}) })
    .sign(key.privateKey);
}
