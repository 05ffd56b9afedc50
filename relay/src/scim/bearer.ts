// Which tenant a SCIM request is for: the one whose configured token it carries (Authorization: Bearer).
// Tokens are compared as SHA-256 digests with timingSafeEqual, every configured one each time, so neither
// the length nor the first differing byte of a guess shows in how long the answer takes.
import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (token: string): Buffer => createHash('sha256').update(token, 'utf8').digest();

/** tokens: tenant id → the tenant's SCIM token. */
export function scimTenantResolver(tokens: Readonly<Record<string, string>>): (authorization: string | undefined) => string | undefined {
  const known = Object.entries(tokens).map(([tenantId, token]) => ({ tenantId, digest: digest(token) }));
  return (authorization) => {
    const m = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(authorization ?? '');
    if (!m) return undefined;
    const presented = digest(m[1]!);
    let found: string | undefined;
    for (const k of known) if (timingSafeEqual(presented, k.digest)) found = k.tenantId;
    return found;
  };
}
