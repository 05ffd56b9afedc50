// db:copy-to-postgres (scripts/copy-to-postgres.ts): moves a one-node installation's kept data from its
// SQLite files into an empty PostgreSQL, so the same relay can run on several nodes. Every row is copied
// as it is (ids, report seqs and hashes, change numbers, retention runs), each store in one transaction,
// into the schema the relay's own PostgreSQL migrations make: nothing changes meaning, and the report
// chain verifies on PostgreSQL with the same head hash it had in SQLite.
import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import type pg from 'pg';
import { createDirectory } from '../directory/index.js';
import { directoryPgMigrations } from '../directory/pg-schema.js';
import { deviceTrustPgMigrations, openSqliteKeyStore } from '../device-trust/key-store.js';
import { mfaPgMigrations, openSqliteMfaStore } from '../identity/mfa-store.js';
import { identitySecretsPgMigrations, insertMissingSecrets, readPgSecretRows } from '../identity/pg-secrets.js';
import { readStoredSecrets, secretsToRows } from '../identity/secrets.js';
import { createPgReportLog, createReportLog, genesisHash } from '../reports/index.js';
import { migratePg as migrateReportsPg } from '../reports/pg-schema.js';
import type { ChainVerification } from '../reports/verify-chain.js';
import { keptDbOnPostgres } from '../sql/kept-db.js';
import { applyPgMigrations } from './migrate.js';

export class CopyRefusedError extends Error {}

export interface TableCount { store: string; table: string; sqlite: number; postgres: number }

export interface CopyResult {
  tables: TableCount[];
  /** The chain as PostgreSQL now holds it, and as SQLite held it (the same head hash when nothing changed). */
  verification: ChainVerification;
  sqliteHeadHash: string;
  /** Every count equal, the chain intact with the same head: the copy means what the original meant. */
  ok: boolean;
}

interface Store {
  name: string;
  /** The file under the data folder. */
  file: string;
  /** Opens the file with the relay's own code once, so its schema is at this relay's version. */
  upgrade(dataDir: string): Promise<void> | void;
  migrate(pool: pg.Pool): Promise<void>;
  /** Tables of old versions that the relay no longer reads (handed over at start): not copied. */
  legacy?: readonly string[];
}

const stores: readonly Store[] = [
  {
    name: 'directory', file: 'directory.db',
    upgrade: (dataDir) => createDirectory({ dataDir }).close(),
    migrate: (pool) => applyPgMigrations(pool, 'directory', directoryPgMigrations),
  },
  {
    name: 'reports', file: 'reports.db',
    upgrade: (dataDir) => createReportLog({ dataDir }).close(),
    migrate: migrateReportsPg,
  },
  {
    name: 'device-trust', file: 'device-trust.db',
    upgrade: (dataDir) => openSqliteKeyStore(dataDir).close(),
    migrate: (pool) => applyPgMigrations(pool, 'device-trust', deviceTrustPgMigrations),
  },
  {
    name: 'mfa', file: join('identity', 'mfa.db'),
    upgrade: (dataDir) => openSqliteMfaStore(dataDir).close(),
    migrate: (pool) => applyPgMigrations(pool, 'mfa', mfaPgMigrations),
    // Failed sign-ins of early versions: the relay moves them to its counter at start; they are live state.
    legacy: ['failures'],
  },
];

/** Rows per INSERT: well below PostgreSQL's 65535 parameters for the widest table. */
const batchParams = 30_000;

export async function copySqliteToPostgres(dataDir: string, pool: pg.Pool): Promise<CopyResult> {
  if (!existsSync(join(dataDir, 'directory.db'))) throw new CopyRefusedError(`${dataDir} holds no directory.db: name the relay's data folder (--data-dir)`);
  const { db } = keptDbOnPostgres(pool);
  const existing = (await sql<{ n: number }>`SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = current_schema()`.execute(db)).rows[0]!.n;
  if (existing > 0) {
    throw new CopyRefusedError(`the PostgreSQL database is not empty (${existing} tables): db:copy-to-postgres copies into an empty database only, so nothing there is mixed with or overwritten by the copy`);
  }
  const tables: TableCount[] = [];
  for (const store of stores) {
    const path = join(dataDir, store.file);
    const present = existsSync(path);
    if (present) await store.upgrade(dataDir);
    await store.migrate(pool);
    if (present) tables.push(...(await copyStore(store, path, pool)));
  }
  // The provider's secrets: the same keys, so tokens and cookies issued before the move stay valid.
  const secrets = secretsToRows(await readStoredSecrets(dataDir));
  await applyPgMigrations(pool, 'identity-secrets', identitySecretsPgMigrations);
  await insertMissingSecrets(pool, secrets);
  tables.push({ store: 'identity-secrets', table: 'identity_secrets', sqlite: secrets.length, postgres: (await readPgSecretRows(pool)).length });

  // An installation that never recorded a session has no reports.db: its chain is the empty one.
  let sqliteHeadHash = genesisHash;
  if (existsSync(join(dataDir, 'reports.db'))) {
    const sqliteReports = createReportLog({ dataDir });
    sqliteHeadHash = (await sqliteReports.verify()).headHash;
    await sqliteReports.close();
  }
  const verification = await (await createPgReportLog({ pool })).verify();
  const ok = tables.every((t) => t.sqlite === t.postgres) && verification.intact && verification.headHash === sqliteHeadHash;
  return { tables, verification, sqliteHeadHash, ok };
}

/** One store's tables, in one transaction, in PostgreSQL's creation order (referenced tables first). */
async function copyStore(store: Store, path: string, pool: pg.Pool): Promise<TableCount[]> {
  const source = new Database(path, { readonly: true, fileMustExist: true });
  const { db } = keptDbOnPostgres(pool);
  try {
    const sqliteTables = new Set(source.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all().map((r) => r.name));
    const pgTables = (await sql<{ name: string }>`SELECT c.relname AS name FROM pg_class c WHERE c.relkind = 'r'
      AND c.relnamespace = current_schema()::regnamespace AND c.relname <> 'schema_migrations' ORDER BY c.oid`.execute(db)).rows.map((r) => r.name);
    const unknown = [...sqliteTables].filter((t) => !pgTables.includes(t) && !store.legacy?.includes(t));
    if (unknown.length) throw new CopyRefusedError(`${store.file} has tables this relay's PostgreSQL schema does not: ${unknown.join(', ')}`);
    const copied = pgTables.filter((t) => sqliteTables.has(t));
    await db.transaction().execute(async (trx) => {
      // The report chain's guards accept only appends that extend it and blanks by a retention run: the
      // rows copied (tombstones included) are already such a history, and verify() checks it after.
      // Disabled inside this transaction only (DDL is transactional): no other writer ever sees them off.
      for (const table of copied) await sql`ALTER TABLE ${sql.table(table)} DISABLE TRIGGER USER`.execute(trx);
      for (const table of copied) {
        const columns = source.prepare<[], { name: string }>(`SELECT name FROM pragma_table_info('${table.replace(/'/g, "''")}')`).all().map((c) => c.name);
        const order = source.prepare<[], { pk: number; name: string }>(`SELECT pk, name FROM pragma_table_info('${table.replace(/'/g, "''")}') WHERE pk > 0 ORDER BY pk`).all().map((c) => c.name);
        const rows = source.prepare(`SELECT * FROM "${table}"${order.length ? ` ORDER BY ${order.map((c) => `"${c}"`).join(', ')}` : ''}`).iterate() as IterableIterator<Record<string, unknown>>;
        // The database was empty before this relay's migrations: a row there now is one a migration put
        // (a counter's first row), which the copied one replaces.
        await sql`DELETE FROM ${sql.table(table)}`.execute(trx);
        const perBatch = Math.max(1, Math.floor(batchParams / columns.length));
        let batch: Record<string, unknown>[] = [];
        const flush = async (): Promise<void> => {
          if (batch.length === 0) return;
          const values = sql.join(batch.map((row) => sql`(${sql.join(columns.map((c) => row[c]))})`));
          await sql`INSERT INTO ${sql.table(table)} (${sql.join(columns.map((c) => sql.ref(c)))}) VALUES ${values}`.execute(trx);
          batch = [];
        };
        for (const row of rows) {
          batch.push(row);
          if (batch.length >= perBatch) await flush();
        }
        await flush();
        // Identity columns (retention runs) go on after the highest id copied.
        const identities = (await sql<{ column_name: string }>`SELECT column_name FROM information_schema.columns
          WHERE table_schema = current_schema() AND table_name = ${table} AND is_identity = 'YES'`.execute(trx)).rows;
        for (const { column_name: column } of identities) {
          await sql`SELECT setval(pg_get_serial_sequence(${table}, ${column}), coalesce(max(${sql.ref(column)}), 0) + 1, false) FROM ${sql.table(table)}`.execute(trx);
        }
      }
      for (const table of copied) await sql`ALTER TABLE ${sql.table(table)} ENABLE TRIGGER USER`.execute(trx);
    });
    const counts: TableCount[] = [];
    for (const table of copied) {
      const inSqlite = source.prepare<[], { n: number }>(`SELECT count(*) AS n FROM "${table}"`).get()!.n;
      const inPg = (await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(table)}`.execute(db)).rows[0]!.n;
      counts.push({ store: store.name, table, sqlite: inSqlite, postgres: inPg });
    }
    return counts;
  } finally {
    source.close();
  }
}
