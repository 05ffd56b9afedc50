// Applies a part's schema migrations on PostgreSQL, each version once, recorded in schema_migrations
// (part, version). All of them run in one transaction under an advisory lock: when several nodes start
// at once, the first applies them and the others wait, then find them recorded and apply nothing.
// PostgreSQL's DDL is transactional, so a migration that fails leaves nothing half done. A database
// from a newer relay (a version this one does not know) is refused rather than written to.
import type { Pool } from 'pg';
import { advisoryLocks } from './advisory-locks.js';

export async function applyPgMigrations(pool: Pool, part: string, migrations: readonly string[]): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [advisoryLocks.migrations.toString()]);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      part text NOT NULL,
      version integer NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (part, version))`);
    const done = await client.query<{ version: number }>('SELECT version FROM schema_migrations WHERE part = $1', [part]);
    const applied = new Set(done.rows.map((r) => r.version));
    const newest = Math.max(0, ...applied);
    if (newest > migrations.length) {
      throw new Error(`the ${part} schema in PostgreSQL has version ${newest}, newer than this relay knows (${migrations.length})`);
    }
    for (let v = 1; v <= migrations.length; v++) {
      if (applied.has(v)) continue;
      await client.query(migrations[v - 1]!);
      await client.query('INSERT INTO schema_migrations (part, version) VALUES ($1, $2)', [part, v]);
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
