// Where the kept data lives in a test: a SQLite file in a temp folder, or a database on a throw-away
// PostgreSQL server, each with the directory's schema applied (SQLite's migrations, or the PostgreSQL
// schema), reached through the one Kysely handle the stores are written against (relay/src/sql/kept-db.ts).
// A suite runs once per backend (`forEachKeptBackend`); each test takes a fresh, empty place. A second
// `open()` on one place is a second relay process on the file, or a second node with its own pool.
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type pg from 'pg';
import { directoryPgMigrations } from '#relay/directory/pg-schema.js';
import { migrate as migrateSqliteDirectory } from '#relay/directory/schema.js';
import { applyPgMigrations } from '#relay/pg/migrate.js';
import { createPgPool, keptDbOnPostgres, keptDbOnSqlite, type KeptDb } from '#relay/sql/kept-db.js';
import { startPostgresServer, type PostgresServer } from './postgres-server.js';

export interface KeptPlace {
  /** A handle on this place with the directory's schema; each call is another process or node. */
  open(): Promise<KeptDb>;
  /** SQLite: the data folder holding directory.db; PostgreSQL: undefined. */
  readonly dataDir: string | undefined;
  /** PostgreSQL: the database's URL; SQLite: undefined. */
  readonly url: string | undefined;
  /** Closes every handle opened here, then removes the place. */
  remove(): Promise<void>;
}

export interface KeptBackend {
  readonly name: 'SQLite' | 'PostgreSQL';
  start(): Promise<void>;
  stop(): Promise<void>;
  fresh(): Promise<KeptPlace>;
}

export const sqliteKept = (): KeptBackend => ({
  name: 'SQLite',
  start: async () => {},
  stop: async () => {},
  async fresh() {
    const dir = await mkdtemp(join(tmpdir(), 'rh-kept-'));
    const opened: KeptDb[] = [];
    return {
      dataDir: dir,
      url: undefined,
      async open() {
        const db = new Database(join(dir, 'directory.db'));
        db.pragma('journal_mode = WAL');
        db.pragma('foreign_keys = ON');
        migrateSqliteDirectory(db);
        const kept = keptDbOnSqlite(db);
        opened.push(kept);
        return kept;
      },
      async remove() {
        for (const k of opened) await k.close().catch(() => undefined);
        await rm(dir, { recursive: true, force: true });
      },
    };
  },
});

export const postgresKept = (): KeptBackend => {
  let server: PostgresServer | undefined;
  return {
    name: 'PostgreSQL',
    async start() {
      server = await startPostgresServer();
    },
    async stop() {
      await server?.stop();
    },
    async fresh() {
      const url = await server!.createDatabase(`kept_${randomUUID().replace(/-/g, '')}`);
      const pools: pg.Pool[] = [];
      return {
        dataDir: undefined,
        url,
        async open() {
          const pool = createPgPool(url, 4);
          pools.push(pool);
          await applyPgMigrations(pool, 'directory', directoryPgMigrations);
          return keptDbOnPostgres(pool);
        },
        async remove() {
          for (const pool of pools) await pool.end().catch(() => undefined);
        },
      };
    },
  };
};

/** Runs `suite` once per backend, each in its own describe, with the backend started around it. */
export function forEachKeptBackend(suite: (backend: KeptBackend) => void): void {
  for (const backend of [sqliteKept(), postgresKept()]) {
    describe(`on ${backend.name}`, () => {
      before(() => backend.start());
      suite(backend);
      // After the suite's own after hooks (mocha runs them in the order they were added): its pools end
      // before the server goes, rather than losing their connections under them.
      after(() => backend.stop());
    });
  }
}
