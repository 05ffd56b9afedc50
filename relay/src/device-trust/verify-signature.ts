// Checks an ECDSA P-256 / SHA-256 signature (IEEE P1363, r||s, as WebCrypto makes it in the browser)
// with Node's WebCrypto: the same algorithm on both ends, no hand-made math.
import { webcrypto } from 'node:crypto';
import type { EcPublicJwk } from '#protocol';

const algorithm = { name: 'ECDSA', namedCurve: 'P-256' } as const;

export async function verifyDeviceSignature(jwk: EcPublicJwk, data: string, signatureB64url: string): Promise<boolean> {
  const signature = Buffer.from(signatureB64url, 'base64url');
  // P1363 for P-256 is exactly 64 bytes; anything else (e.g. DER) is malformed here.
  if (signature.length !== 64 || signature.toString('base64url') !== signatureB64url) return false;
  try {
    const { kty, crv, x, y } = jwk;
    const key = await webcrypto.subtle.importKey('jwk', { kty, crv, x, y }, algorithm, false, ['verify']);
    return await webcrypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, key, signature, new TextEncoder().encode(data));
  } catch {
    // A point not on the curve and the like: not a valid key, so not a valid proof.
    return false;
  }
}
