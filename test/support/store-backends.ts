// Where the device keys, second factors and provider secrets live in a test (the relay's `kept` stores):
// the data folder's SQLite files (the default: no stores handed in), or a fresh database on a throw-away
// PostgreSQL, the stores opened as main.ts opens them. A suite runs once per backend.
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { openPgKeyStore } from '#relay/device-trust/index.js';
import { loadPgIdentitySecrets, openPgMfaStore } from '#relay/identity/index.js';
import { createPgPool } from '#relay/sql/kept-db.js';
import type { KeptStores } from '#relay/start-relay.js';
import { startPostgresServer, type PostgresServer } from './postgres-server.js';

export interface StoreBackend {
  readonly name: 'SQLite' | 'PostgreSQL';
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Fresh stores (undefined on SQLite: the host's data folder has them); closed by `stop`. */
  fresh(): Promise<KeptStores | undefined>;
}

const sqliteStores = (): StoreBackend => ({ name: 'SQLite', start: async () => {}, stop: async () => {}, fresh: async () => undefined });

const postgresStores = (): StoreBackend => {
  let server: PostgresServer | undefined;
  const pools: pg.Pool[] = [];
  return {
    name: 'PostgreSQL',
    async start() {
      server = await startPostgresServer();
    },
    async stop() {
      for (const pool of pools) await pool.end().catch(() => undefined);
      await server?.stop();
    },
    async fresh() {
      const pool = createPgPool(await server!.createDatabase(`stores_${randomUUID().replace(/-/g, '')}`), 4);
      pools.push(pool);
      return { deviceKeys: await openPgKeyStore(pool), mfa: await openPgMfaStore(pool), loadSecrets: (ids) => loadPgIdentitySecrets(pool, ids) };
    },
  };
};

/** Runs `suite` once per backend, each in its own describe, with the backend started around it. */
export function forEachStoreBackend(suite: (backend: StoreBackend) => void): void {
  for (const backend of [sqliteStores(), postgresStores()]) {
    describe(`on ${backend.name}`, () => {
      before(() => backend.start());
      after(() => backend.stop());
      suite(backend);
    });
  }
}
