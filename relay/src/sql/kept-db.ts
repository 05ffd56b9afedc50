// The kept data's one way to SQL (DESIGN §7, §12): Kysely over better-sqlite3 (one node, the default)
// or over a pg Pool (several nodes). A store's SQL is written once, with Kysely's `sql` tag, whose
// parameters become `?` on SQLite and `$n` on PostgreSQL; the few statements that differ between the two
// ask `dialect`. Portable SQL here means: ON CONFLICT … DO UPDATE/NOTHING (never INSERT OR …), RETURNING,
// lower(x) = lower(?) for case-insensitive names (never COLLATE NOCASE in a query), integers for flags,
// JSON kept as text and parsed in TypeScript, ISO text or epoch numbers for times.
//
// Transactions: `db.transaction().execute(async (trx) => …)`. On SQLite, Kysely runs every query of the
// process on one connection behind a lock, so a transaction is never interleaved with another query of
// this process; on PostgreSQL a check and its write that must be atomic across nodes take a row lock
// (SELECT … FOR UPDATE), a unique constraint, or an advisory lock (relay/src/pg/advisory-locks.ts).
import type Database from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';

export type KeptDialect = 'sqlite' | 'postgres';

/** No typed tables: every query is raw SQL through `sql<Row>`…``.execute(db)`. */
export type AnyTables = Record<string, never>;

export interface KeptDb {
  readonly db: Kysely<AnyTables>;
  readonly dialect: KeptDialect;
  /** Closes the connection (SQLite) or the pool, unless it was handed in open and is closed by its owner. */
  close(): Promise<void>;
}

/** Over an open better-sqlite3 database (its pragmas and migrations applied by the caller). */
export function keptDbOnSqlite(database: Database.Database): KeptDb {
  const db = new Kysely<AnyTables>({ dialect: new SqliteDialect({ database }) });
  return { db, dialect: 'sqlite', close: () => db.destroy() };
}

/** Over a pool made by createPgPool; the pool is the caller's to end (several stores share one). */
export function keptDbOnPostgres(pool: pg.Pool): KeptDb {
  const db = new Kysely<AnyTables>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    dialect: 'postgres',
    // Kysely's destroy() would end the shared pool: leave it to its owner.
    close: async () => undefined,
  };
}

// bigint (int8) columns and count(*) come back from pg as strings by default; every number the relay
// keeps (change numbers, epoch milliseconds, counts) is far below 2^53, so they are read as numbers.
const types = new pg.TypeOverrides();
types.setTypeParser(pg.types.builtins.INT8, (v: string) => Number(v));

/** A pool to the `database` URL of the configuration, with bigints read as numbers. `onIdleError` hears
 * of an idle connection the server ended (a restart, a fail-over): pg drops that connection and the pool
 * makes a new one for the next query, but without a listener the event would end the process. */
export function createPgPool(url: string, max = 10, onIdleError: (error: Error) => void = () => undefined): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max, types });
  pool.on('error', onIdleError);
  return pool;
}
