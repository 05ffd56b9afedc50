// Secrets the identity part makes once and keeps in the data folder (mode 0600): provider signing keys
// per tenant (so tokens stay valid across a restart), the cookie keys, and the web client's secret.
// Several nodes (DESIGN §12) must sign and read with the same keys: in this increment they share one data
// folder (as they share the TLS certificate there); a later increment moves kept data to PostgreSQL.
import { randomBytes, randomUUID } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, type JWK } from 'jose';

export interface IdentitySecrets {
  /** Private signing JWK per tenant id. */
  signingKeys: Record<string, JWK>;
  cookieKeys: string[];
  webClientSecret: string;
}

export async function loadIdentitySecrets(dataDir: string, tenantIds: string[]): Promise<IdentitySecrets> {
  const dir = join(dataDir, 'identity');
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const path = join(dir, 'secrets.json');
  const stored = await readFile(path, 'utf8').then((text) => JSON.parse(text) as Partial<IdentitySecrets>, () => ({}) as Partial<IdentitySecrets>);
  const secrets: IdentitySecrets = {
    signingKeys: { ...stored.signingKeys },
    cookieKeys: stored.cookieKeys?.length ? stored.cookieKeys : [randomBytes(32).toString('base64url')],
    webClientSecret: stored.webClientSecret ?? randomBytes(32).toString('base64url'),
  };
  let changed = !stored.cookieKeys?.length || !stored.webClientSecret;
  for (const tenantId of tenantIds) {
    if (secrets.signingKeys[tenantId]) continue;
    secrets.signingKeys[tenantId] = await newSigningKey();
    changed = true;
  }
  if (changed) {
    await writeFile(path, JSON.stringify(secrets, null, 2), { mode: 0o600 });
    await chmod(path, 0o600);
  }
  return secrets;
}

async function newSigningKey(): Promise<JWK> {
  const { privateKey } = await generateKeyPair('RS256', { modulusLength: 2048, extractable: true });
  return { ...(await exportJWK(privateKey)), kid: randomUUID(), alg: 'RS256', use: 'sig' };
}

/** The public half of a private JWK, for verifying. */
export function publicJwk(jwk: JWK): JWK {
  const { kty, n, e, crv, x, y, kid, alg, use } = jwk;
  return Object.fromEntries(Object.entries({ kty, n, e, crv, x, y, kid, alg, use }).filter(([, v]) => v !== undefined));
}
