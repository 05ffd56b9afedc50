// Secrets the identity part makes once and keeps: provider signing keys per tenant (so tokens stay valid
// across a restart), the cookie keys, and the web client's secret. One node keeps them in the data folder
// (identity/secrets.json, mode 0600); several nodes must sign and read with the same keys, and keep them in
// the shared PostgreSQL (pg-secrets.ts). Both speak the same rows (SecretRow), which is also how
// db:copy-to-postgres carries them over.
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

/** One secret as a named text: `cookie-keys` (JSON array), `web-client-secret`, `signing-key:<tenant>` (JSON JWK). */
export interface SecretRow { name: string; value: string }

/** Where the identity part gets its secrets: the data folder's file, or PostgreSQL's table. */
export type LoadIdentitySecrets = (tenantIds: string[]) => Promise<IdentitySecrets>;

export async function loadIdentitySecrets(dataDir: string, tenantIds: string[]): Promise<IdentitySecrets> {
  const dir = join(dataDir, 'identity');
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const path = join(dir, 'secrets.json');
  const stored = await readStoredSecrets(dataDir);
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

/** What the data folder holds (nothing when the file is missing). */
export async function readStoredSecrets(dataDir: string): Promise<Partial<IdentitySecrets>> {
  return readFile(join(dataDir, 'identity', 'secrets.json'), 'utf8').then((text) => JSON.parse(text) as Partial<IdentitySecrets>, () => ({}));
}

export function secretsToRows(s: Partial<IdentitySecrets>): SecretRow[] {
  return [
    ...(s.cookieKeys?.length ? [{ name: 'cookie-keys', value: JSON.stringify(s.cookieKeys) }] : []),
    ...(s.webClientSecret ? [{ name: 'web-client-secret', value: s.webClientSecret }] : []),
    ...Object.entries(s.signingKeys ?? {}).map(([tenantId, jwk]) => ({ name: `signing-key:${tenantId}`, value: JSON.stringify(jwk) })),
  ];
}

export function secretsFromRows(rows: readonly SecretRow[]): IdentitySecrets {
  const s: IdentitySecrets = { signingKeys: {}, cookieKeys: [], webClientSecret: '' };
  for (const { name, value } of rows) {
    if (name === 'cookie-keys') s.cookieKeys = JSON.parse(value) as string[];
    else if (name === 'web-client-secret') s.webClientSecret = value;
    else if (name.startsWith('signing-key:')) s.signingKeys[name.slice('signing-key:'.length)] = JSON.parse(value) as JWK;
  }
  return s;
}

/** A fresh value for the secret of that name (see SecretRow). */
export async function newIdentitySecretValue(name: string): Promise<string> {
  if (name === 'cookie-keys') return JSON.stringify([randomBytes(32).toString('base64url')]);
  if (name === 'web-client-secret') return randomBytes(32).toString('base64url');
  return JSON.stringify(await newSigningKey());
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
