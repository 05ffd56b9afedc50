// Second factors of the embedded provider: a TOTP secret per user (the directory stays about who people
// are; this is about how they prove it). The last accepted time step is kept so a code works once:
// someone who saw it cannot sign in with it again. An administrator may require the app for a user (who
// then enrols at their next sign-in). One implementation over KeptDb: the identity folder's own SQLite
// file (mfa.db) on one node, or the shared PostgreSQL (migrations part 'mfa') with several.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { sql } from 'kysely';
import type pg from 'pg';
import { applyPgMigrations } from '../pg/migrate.js';
import { keptDbOnPostgres, keptDbOnSqlite, type KeptDb } from '../sql/kept-db.js';
import { matchTotp } from './totp.js';
import { ensurePrivateFile } from '../sqlite/private-files.js';

export type TotpCheck = 'ok' | 'wrong' | 'used' | 'none';

/** Asynchronous because on PostgreSQL every answer is a round trip. */
export interface MfaStore {
  hasTotp(tenantId: string, userId: string): Promise<boolean>;
  setTotp(tenantId: string, userId: string, secretBase32: string): Promise<void>;
  /** Adds the secret only when the user has none (seeding must not undo a re-enrollment). */
  addTotpIfMissing(tenantId: string, userId: string, secretBase32: string): Promise<void>;
  checkTotp(tenantId: string, userId: string, code: string, now: number): Promise<TotpCheck>;
  /** Whether an administrator requires an authenticator app for the user (enrolled or not yet). */
  totpRequired(tenantId: string, userId: string): Promise<boolean>;
  /** On: the next sign-in without an app enrols one. Off: the requirement and the user's secret go, so
   * turning it off and on again is how a lost phone is replaced. */
  setTotpRequired(tenantId: string, userId: string, required: boolean): Promise<void>;
  /** Failed sign-ins counted here by earlier versions (in mfa.db), handed over once (and removed) so the
   * counter that keeps them now can take them: an upgrade must not hand out fresh guesses. PostgreSQL
   * never had them: none. */
  takeLegacyFailures(): Promise<{ key: string; at: number }[]>;
  /** Who in the tenant has an app and whom an administrator requires to have one: two reads for a whole
   * list of users (the admin view), however long, instead of two per user. */
  ofTenant(tenantId: string): Promise<TenantMfa>;
  close(): Promise<void>;
}

export interface TenantMfa {
  enrolled: ReadonlySet<string>;
  required: ReadonlySet<string>;
}

/** The tables, the same text on both; SQLite applies them at every open. last_step is a 30-second step
 * number (bigint on PostgreSQL, read back as a number by createPgPool). */
const mfaTables = [
  `CREATE TABLE IF NOT EXISTS totp (
      tenant_id TEXT NOT NULL, user_id TEXT NOT NULL, secret TEXT NOT NULL, last_step BIGINT,
      PRIMARY KEY (tenant_id, user_id))`,
  'CREATE TABLE IF NOT EXISTS totp_required (tenant_id TEXT NOT NULL, user_id TEXT NOT NULL, PRIMARY KEY (tenant_id, user_id))',
];

/** PostgreSQL's versions of the part 'mfa' (append only). */
export const mfaPgMigrations: readonly string[] = [mfaTables.join(';\n')];

interface Row { secret: string; last_step: number | null }

/** Over a KeptDb whose schema is in place; closing the store closes the handle. */
export function createMfaStore(kept: KeptDb): MfaStore {
  const { db } = kept;
  const secretOf = async (tenantId: string, userId: string): Promise<Row | undefined> =>
    (await sql<Row>`SELECT secret, last_step FROM totp WHERE tenant_id = ${tenantId} AND user_id = ${userId}`.execute(db)).rows[0];
  return {
    hasTotp: async (tenantId, userId) => (await secretOf(tenantId, userId)) !== undefined,
    setTotp: async (tenantId, userId, secret) => {
      await sql`INSERT INTO totp (tenant_id, user_id, secret, last_step) VALUES (${tenantId}, ${userId}, ${secret}, NULL)
        ON CONFLICT (tenant_id, user_id) DO UPDATE SET secret = excluded.secret, last_step = NULL`.execute(db);
    },
    addTotpIfMissing: async (tenantId, userId, secret) => {
      await sql`INSERT INTO totp (tenant_id, user_id, secret, last_step) VALUES (${tenantId}, ${userId}, ${secret}, NULL)
        ON CONFLICT (tenant_id, user_id) DO NOTHING`.execute(db);
    },
    async checkTotp(tenantId, userId, code, now) {
      const row = await secretOf(tenantId, userId);
      if (!row) return 'none';
      const step = matchTotp(row.secret, code.replace(/\s+/g, ''), now);
      if (step === null) return 'wrong';
      // Compare-and-set: two sign-ins racing with one code (on one node or two) cannot both pass.
      const used = await sql`UPDATE totp SET last_step = ${step} WHERE tenant_id = ${tenantId} AND user_id = ${userId}
        AND (last_step IS NULL OR last_step < ${step})`.execute(db);
      return Number(used.numAffectedRows ?? 0n) === 1 ? 'ok' : 'used';
    },
    totpRequired: async (tenantId, userId) =>
      (await sql`SELECT 1 AS one FROM totp_required WHERE tenant_id = ${tenantId} AND user_id = ${userId}`.execute(db)).rows.length > 0,
    setTotpRequired: async (tenantId, userId, required) => {
      if (required) {
        await sql`INSERT INTO totp_required (tenant_id, user_id) VALUES (${tenantId}, ${userId}) ON CONFLICT DO NOTHING`.execute(db);
        return;
      }
      await db.transaction().execute(async (trx) => {
        await sql`DELETE FROM totp_required WHERE tenant_id = ${tenantId} AND user_id = ${userId}`.execute(trx);
        await sql`DELETE FROM totp WHERE tenant_id = ${tenantId} AND user_id = ${userId}`.execute(trx);
      });
    },
    takeLegacyFailures: async () => {
      if (kept.dialect !== 'sqlite') return [];
      return db.transaction().execute(async (trx) => {
        const legacy = await sql`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'failures'`.execute(trx);
        if (legacy.rows.length === 0) return [];
        const rows = (await sql<{ key: string; at: number }>`SELECT subject AS key, at FROM failures`.execute(trx)).rows;
        await sql`DROP TABLE failures`.execute(trx);
        return rows;
      });
    },
    ofTenant: async (tenantId) => {
      const ids = async (table: 'totp' | 'totp_required'): Promise<Set<string>> =>
        new Set((await sql<{ user_id: string }>`SELECT user_id FROM ${sql.table(table)} WHERE tenant_id = ${tenantId}`.execute(db)).rows.map((r) => r.user_id));
      const [enrolled, required] = await Promise.all([ids('totp'), ids('totp_required')]);
      return { enrolled, required };
    },
    close: () => kept.close(),
  };
}

/** One node: identity/mfa.db in the data folder (the folder private to the relay's user). */
export function openSqliteMfaStore(dataDir: string): MfaStore {
  const dir = join(dataDir, 'identity');
  ensurePrivateFile(join(dir, 'mfa.db'));
  const database = new Database(join(dir, 'mfa.db'));
  database.pragma('journal_mode = WAL');
  for (const table of mfaTables) database.exec(table);
  return createMfaStore(keptDbOnSqlite(database));
}

/** Several nodes: the shared PostgreSQL, its part migrated once; the pool stays its owner's. */
export async function openPgMfaStore(pool: pg.Pool): Promise<MfaStore> {
  await applyPgMigrations(pool, 'mfa', mfaPgMigrations);
  return createMfaStore(keptDbOnPostgres(pool));
}
