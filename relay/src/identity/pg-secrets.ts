// The embedded provider's secrets (secrets.ts) when the kept data is in PostgreSQL (DESIGN §12): every
// node must sign tokens and read cookies with the same keys, so they live in one table instead of each
// node's data folder. A secret is made once: a node generates what it finds missing, inserts it with ON
// CONFLICT DO NOTHING and reads the table back, so two nodes starting at once both end with the first
// one's keys (the loser's freshly made ones are dropped unused).
import { sql } from 'kysely';
import type pg from 'pg';
import { applyPgMigrations } from '../pg/migrate.js';
import { keptDbOnPostgres } from '../sql/kept-db.js';
import { newIdentitySecretValue, secretsFromRows, type IdentitySecrets, type SecretRow } from './secrets.js';

/** PostgreSQL's versions of the part 'identity-secrets' (append only). */
export const identitySecretsPgMigrations: readonly string[] = [
  'CREATE TABLE IF NOT EXISTS identity_secrets (name TEXT PRIMARY KEY, value TEXT NOT NULL)',
];

/** The names the secrets are kept under, for the given tenants. */
const namesFor = (tenantIds: readonly string[]): string[] => ['cookie-keys', 'web-client-secret', ...tenantIds.map((id) => `signing-key:${id}`)];

/** Inserts the rows that are not there yet (what is there wins: it may already sign live tokens). */
export async function insertMissingSecrets(pool: pg.Pool, rows: readonly SecretRow[]): Promise<void> {
  if (rows.length === 0) return;
  const { db } = keptDbOnPostgres(pool);
  const values = sql.join(rows.map((r) => sql`(${r.name}, ${r.value})`));
  await sql`INSERT INTO identity_secrets (name, value) VALUES ${values} ON CONFLICT (name) DO NOTHING`.execute(db);
}

export async function readPgSecretRows(pool: pg.Pool): Promise<SecretRow[]> {
  const { db } = keptDbOnPostgres(pool);
  return (await sql<SecretRow>`SELECT name, value FROM identity_secrets ORDER BY name`.execute(db)).rows;
}

/** The secrets of these tenants, made by the first node that needs them; the same on every node. */
export async function loadPgIdentitySecrets(pool: pg.Pool, tenantIds: readonly string[]): Promise<IdentitySecrets> {
  await applyPgMigrations(pool, 'identity-secrets', identitySecretsPgMigrations);
  const have = new Set((await readPgSecretRows(pool)).map((r) => r.name));
  const missing = namesFor(tenantIds).filter((name) => !have.has(name));
  await insertMissingSecrets(pool, await Promise.all(missing.map(async (name) => ({ name, value: await newIdentitySecretValue(name) }))));
  return secretsFromRows(await readPgSecretRows(pool));
}
