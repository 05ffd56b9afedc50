// Where a report chain lives in a test: a SQLite file in a temp folder, or a database on a throw-away
// PostgreSQL server. A suite runs once per backend (`forEachReportBackend`); each test takes a fresh,
// empty place, opens stores on it (a second store is a second relay process on the file, or a second
// node with its own pool), and reaches its tables as someone with write access would (`raw()`).
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { Clock } from '#relay/ports.js';
import { createPgReportLog, createReportLog, type ReportStore } from '#relay/reports/index.js';
import { startPostgresServer, type PostgresServer } from './postgres-server.js';

/** Plain SQL on the store's tables, bypassing the store. Placeholders are `?` on both backends. */
export interface RawDb {
  run(sql: string, ...params: unknown[]): Promise<void>;
  get<T>(sql: string, ...params: unknown[]): Promise<T | undefined>;
  all<T>(sql: string, ...params: unknown[]): Promise<T[]>;
  columns(table: string): Promise<string[]>;
  dropTrigger(name: string): Promise<void>;
  close(): Promise<void>;
}

export interface ReportPlace {
  /** A store on this place; every call is another process or node, with its own connection(s). */
  open(clock?: Clock): Promise<ReportStore>;
  raw(): Promise<RawDb>;
  /** What `npm run reports:verify` is given to check this place. */
  verifyArgs: string[];
  /** SQLite only: the bytes of the database file, to check that removed content left it. */
  fileText?: () => Promise<string>;
  /** Closes every store opened here, then removes the place. */
  remove(): Promise<void>;
}

export interface ReportBackend {
  readonly name: 'SQLite' | 'PostgreSQL';
  start(): Promise<void>;
  stop(): Promise<void>;
  fresh(): Promise<ReportPlace>;
}

export const sqliteReports = (): ReportBackend => ({
  name: 'SQLite',
  start: async () => {},
  stop: async () => {},
  async fresh() {
    const dir = await mkdtemp(join(tmpdir(), 'rh-reports-'));
    const opened: ReportStore[] = [];
    return {
      verifyArgs: ['--data-dir', dir],
      async open(clock) {
        const log = createReportLog({ dataDir: dir, ...(clock ? { clock } : {}) });
        opened.push(log);
        return log;
      },
      async raw() {
        const db = new Database(join(dir, 'reports.db'));
        return {
          run: async (sql, ...params) => { db.prepare(sql).run(...params); },
          get: async <T>(sql: string, ...params: unknown[]) => db.prepare(sql).get(...params) as T | undefined,
          all: async <T>(sql: string, ...params: unknown[]) => db.prepare(sql).all(...params) as T[],
          columns: async (table) => db.prepare('SELECT name FROM pragma_table_info(?)').all(table).map((r) => (r as { name: string }).name),
          dropTrigger: async (name) => { db.exec(`DROP TRIGGER IF EXISTS ${name}`); },
          close: async () => { db.close(); },
        };
      },
      fileText: async () => (await readFile(join(dir, 'reports.db'))).toString('latin1'),
      async remove() {
        for (const log of opened) await log.close().catch(() => undefined);
        await rm(dir, { recursive: true, force: true });
      },
    };
  },
});

/** `?` → `$1, $2, …` (the tests' SQL has no `?` inside its literals). */
const numbered = (sql: string) => {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
};

export const postgresReports = (): ReportBackend => {
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
      const url = await server!.createDatabase(`reports_${randomUUID().replace(/-/g, '')}`);
      const pools: pg.Pool[] = [];
      const opened: ReportStore[] = [];
      return {
        verifyArgs: [`--database=${url}`],
        async open(clock) {
          const pool = new pg.Pool({ connectionString: url, max: 4 });
          pools.push(pool);
          const log = await createPgReportLog({ pool, ...(clock ? { clock } : {}) });
          opened.push(log);
          return log;
        },
        async raw() {
          const client = new pg.Client({ connectionString: url });
          await client.connect();
          // bigint columns as numbers, as the tests compare them with numbers.
          const types = new pg.TypeOverrides();
          types.setTypeParser(pg.types.builtins.INT8, Number);
          const query = async (sql: string, params: unknown[]) => (await client.query({ text: numbered(sql), values: params, types })).rows;
          return {
            run: async (sql, ...params) => { await query(sql, params); },
            get: async <T>(sql: string, ...params: unknown[]) => (await query(sql, params))[0] as T | undefined,
            all: async <T>(sql: string, ...params: unknown[]) => (await query(sql, params)) as T[],
            columns: async (table) => (await query('SELECT column_name AS name FROM information_schema.columns WHERE table_name = ? ORDER BY ordinal_position', [table]))
              .map((r) => (r as { name: string }).name),
            dropTrigger: async (name) => {
              const on = await query('SELECT c.relname AS t FROM pg_trigger g JOIN pg_class c ON c.oid = g.tgrelid WHERE g.tgname = ?', [name]);
              for (const r of on as Array<{ t: string }>) await query(`DROP TRIGGER ${pg.escapeIdentifier(name)} ON ${pg.escapeIdentifier(r.t)}`, []);
            },
            close: () => client.end(),
          };
        },
        async remove() {
          for (const log of opened) await log.close().catch(() => undefined);
          for (const pool of pools) await pool.end().catch(() => undefined);
        },
      };
    },
  };
};

/** Runs `suite` once per backend, each in its own describe, with the backend started around it. */
export function forEachReportBackend(suite: (backend: ReportBackend) => void): void {
  for (const backend of [sqliteReports(), postgresReports()]) {
    describe(`on ${backend.name}`, () => {
      before(() => backend.start());
      after(() => backend.stop());
      suite(backend);
    });
  }
}
