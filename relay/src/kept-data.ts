// Where the kept data lives (DESIGN §7, §12), opened in one place for main.ts and the operator scripts:
// SQLite files in the data folder (one node, the default), or the shared PostgreSQL named by `database` /
// RH_DATABASE_URL, over one pool that every store shares. A PostgreSQL that does not answer stops here
// (DatabaseUnavailableError, the URL shown without its password).
import type pg from 'pg';
import { createDirectory, createPgDirectory, type DirectoryStore } from './directory/index.js';
import { openPgKeyStore } from './device-trust/index.js';
import { loadPgIdentitySecrets, openPgMfaStore } from './identity/index.js';
import { connectPostgres, databaseUrlShown } from './pg/connect.js';
import type { Clock, Log, ReportLog } from './ports.js';
import { createPgReportLog } from './reports/index.js';
import type { KeptStores } from './start-relay.js';

export interface KeptData {
  directory: DirectoryStore;
  /** PostgreSQL: the shared report chain. Undefined: startRelay opens reports.db in the data folder. */
  reports: ReportLog | undefined;
  /** PostgreSQL: device keys, second factors, provider secrets. Undefined: the data folder's files. */
  kept: KeptStores | undefined;
  /** PostgreSQL: the pool every store above uses (the copy command and tests reach the tables with it). */
  pool: pg.Pool | undefined;
  /** Closes the stores, then ends the pool: after the relay that used them has drained. */
  close(): Promise<void>;
}

export async function openKeptData(opts: { dataDir: string; databaseUrl: string | undefined; clock?: Clock; log?: Log }): Promise<KeptData> {
  if (!opts.databaseUrl) {
    const directory = createDirectory({ dataDir: opts.dataDir });
    return { directory, reports: undefined, kept: undefined, pool: undefined, close: async () => directory.close() };
  }
  const shown = databaseUrlShown(opts.databaseUrl);
  const pool = await connectPostgres(opts.databaseUrl, {
    // The pool makes a new connection for the next query; the operator learns the database went away.
    onIdleError: (error) => opts.log?.warn('database connection problem', { database: shown, error: error.message }),
  });
  const opened: { close(): Promise<void> | void }[] = [];
  const close = async (): Promise<void> => {
    for (const store of opened.reverse()) await store.close();
    await pool.end();
  };
  try {
    const directory = await createPgDirectory({ pool });
    opened.push(directory);
    const reports = await createPgReportLog({ pool, ...(opts.clock ? { clock: opts.clock } : {}) });
    opened.push(reports);
    const deviceKeys = await openPgKeyStore(pool);
    opened.push(deviceKeys);
    const mfa = await openPgMfaStore(pool);
    opened.push(mfa);
    return {
      directory, reports, pool, close,
      kept: { deviceKeys, mfa, loadSecrets: (tenantIds) => loadPgIdentitySecrets(pool, tenantIds) },
    };
  } catch (error) {
    await close().catch(() => undefined);
    throw error;
  }
}

/** The directory alone, where the relay keeps it (the operator scripts: tenant:admin, tenant:create,
 * demo:devices); `close` also ends the pool. */
export async function openKeptDirectory(opts: { dataDir: string; databaseUrl: string | undefined }): Promise<{ directory: DirectoryStore; close(): Promise<void> }> {
  if (!opts.databaseUrl) {
    const directory = createDirectory({ dataDir: opts.dataDir });
    return { directory, close: async () => directory.close() };
  }
  const pool = await connectPostgres(opts.databaseUrl);
  try {
    const directory = await createPgDirectory({ pool });
    return { directory, close: async () => { await directory.close(); await pool.end(); } };
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw error;
  }
}
