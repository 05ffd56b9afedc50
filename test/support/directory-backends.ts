// A directory (DirectoryStore) on either store, for suites that run on both: a SQLite file opened by
// createDirectory, or a throw-away PostgreSQL database opened by createPgDirectory. Each test takes a
// fresh place; every `open()` is another relay process on the file, or another node with its own pool,
// so two stores on one place race as two nodes do. `kept()` reaches the tables beside the store.
import type pg from 'pg';
import { createDirectory, createPgDirectory, type DirectoryStore } from '#relay/directory/index.js';
import { createPgPool, type KeptDb } from '#relay/sql/kept-db.js';
import { postgresKept, sqliteKept, type KeptBackend, type KeptPlace } from './kept-backends.js';

export interface DirectoryPlace {
  /** A directory on this place; each call is another process or node. */
  open(): Promise<DirectoryStore>;
  /** The tables themselves, for what a test checks beside the store (through Kysely's `sql` tag). */
  kept(): Promise<KeptDb>;
  /** SQLite: the data folder; PostgreSQL: undefined. */
  readonly dataDir: string | undefined;
  remove(): Promise<void>;
}

export interface DirectoryBackend {
  readonly name: KeptBackend['name'];
  fresh(): Promise<DirectoryPlace>;
}

function directoryBackend(kept: KeptBackend): DirectoryBackend & Pick<KeptBackend, 'start' | 'stop'> {
  return {
    name: kept.name,
    start: () => kept.start(),
    stop: () => kept.stop(),
    async fresh() {
      const place: KeptPlace = await kept.fresh();
      const pools: pg.Pool[] = [];
      const opened: DirectoryStore[] = [];
      return {
        dataDir: place.dataDir,
        async open() {
          let store: DirectoryStore;
          if (place.dataDir !== undefined) store = createDirectory({ dataDir: place.dataDir });
          else {
            const pool = createPgPool(place.url!, 4);
            // An idle connection the server ends (the test's server stopping) is not the test's failure.
            pool.on('error', () => undefined);
            pools.push(pool);
            store = await createPgDirectory({ pool });
          }
          opened.push(store);
          return store;
        },
        kept: () => place.open(),
        async remove() {
          for (const store of opened) {
            try {
              store.close();
            } catch {
              // closed by the test already
            }
          }
          for (const pool of pools) await pool.end().catch(() => undefined);
          await place.remove();
        },
      };
    },
  };
}

/** Runs `suite` once per store, each in its own describe, with the store's server started around it. */
export function forEachDirectoryBackend(suite: (backend: DirectoryBackend) => void): void {
  for (const backend of [directoryBackend(sqliteKept()), directoryBackend(postgresKept())]) {
    describe(`on ${backend.name}`, () => {
      before(() => backend.start());
      suite(backend);
      // Registered last, so it runs after the suite's own `after` hooks (a relay stopped, its pools ended).
      after(() => backend.stop());
    });
  }
}

/** A fresh place per test of the enclosing describe: `place()` is the current one. */
export function freshDirectoryPlace(backend: DirectoryBackend): () => DirectoryPlace {
  let current: DirectoryPlace | undefined;
  beforeEach(async () => {
    current = await backend.fresh();
  });
  afterEach(async () => {
    await current?.remove();
    current = undefined;
  });
  return () => current!;
}

/** One place for a whole describe (a relay started in `before`): `open()` in a `before` after this call;
 * the caller removes it in an `after` of its own, registered after the relay's so the relay stops first. */
export function suiteDirectoryPlace(backend: DirectoryBackend): { open(): Promise<DirectoryStore>; remove(): Promise<void> } {
  let current: DirectoryPlace | undefined;
  before(async () => {
    current = await backend.fresh();
  });
  return {
    open: () => current!.open(),
    remove: async () => {
      await current?.remove();
      current = undefined;
    },
  };
}
