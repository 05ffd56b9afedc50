// Opens the configured PostgreSQL (DESIGN §12) and proves it answers before anything is built on it: a
// node that cannot reach the shared database must not start alone on an empty one, and the operator reads
// why in one line that names the URL without its password.
import type pg from 'pg';
import { createPgPool } from '../sql/kept-db.js';

export class DatabaseUnavailableError extends Error {}

/** The URL as it may be shown (logs, errors): the password, if any, replaced. */
export function databaseUrlShown(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'the configured database';
  }
}

/** A pool to `url` whose first query succeeded, or DatabaseUnavailableError (the pool ended).
 * `onIdleError` hears of idle connections the server ended later (see createPgPool). */
export async function connectPostgres(url: string, opts: { timeoutMs?: number; onIdleError?: (error: Error) => void } = {}): Promise<pg.Pool> {
  const timeoutMs = opts.timeoutMs ?? 5000;
  const pool = createPgPool(url, 10, opts.onIdleError);
  const timeout = new Promise<never>((_, reject) => {
    setTimeout(() => reject(new DatabaseUnavailableError(`database: cannot connect to ${databaseUrlShown(url)} within ${timeoutMs} ms`)), timeoutMs).unref();
  });
  try {
    await Promise.race([pool.query('SELECT 1'), timeout]);
    return pool;
  } catch (error) {
    void pool.end().catch(() => undefined);
    if (error instanceof DatabaseUnavailableError) throw error;
    // pg's messages name the host or the database, never the password.
    throw new DatabaseUnavailableError(`database: cannot connect to ${databaseUrlShown(url)}: ${error instanceof Error ? error.message : String(error)}`);
  }
}
