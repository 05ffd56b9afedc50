// The few helpers every part of the directory uses to speak SQL through KeptDb (relay/src/sql/kept-db.ts):
// run a `sql` query on the database or inside a transaction, and take the lock that makes a check and
// its write one step across nodes. On SQLite, Kysely runs one query at a time on the process's one
// connection, so a transaction is never interleaved with another of this process (the lock only takes
// the file's write lock early, for other processes);
// on PostgreSQL each node has a pool, so a check-then-write transaction first locks a row that every
// competing transaction locks too (always as its first lock, so two of them cannot deadlock).
import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import type { AnyTables, KeptDb } from '../sql/kept-db.js';

/** The database, or a transaction on it: every query helper takes either. */
export type Runner = Kysely<AnyTables> | Transaction<AnyTables>;

export async function all<R>(db: Runner, query: RawBuilder<R>): Promise<R[]> {
  return (await query.execute(db)).rows;
}

export async function first<R>(db: Runner, query: RawBuilder<R>): Promise<R | undefined> {
  return (await query.execute(db)).rows[0];
}

/** Runs a write; answers how many rows it changed. */
export async function run(db: Runner, query: RawBuilder<unknown>): Promise<number> {
  return Number((await query.execute(db)).numAffectedRows ?? 0n);
}

/** `(?, ?, …)` for an IN list; callers never pass an empty one (IN () is not SQL). */
export const inList = (values: readonly unknown[]): RawBuilder<unknown> => sql`(${sql.join(values)})`;

/** Calls `each` on slices of at most `size` (IN lists and multi-row inserts stay below both stores' parameter limits). */
export async function inChunks<T>(items: readonly T[], size: number, each: (chunk: readonly T[]) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await each(items.slice(i, i + size));
}

/** Items by a key, in their order (Map.groupBy is ES2024, past this build's library). */
export function groupBy<T, K>(items: readonly T[], key: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = groups.get(k);
    if (list) list.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

/** JSON text of a list column. */
export const parseList = (json: string): string[] => JSON.parse(json) as string[];

/** The order rows were added in (SCIM pages, member lists): SQLite's rowid, PostgreSQL's row_order
 * identity column (pg-schema.ts), for the tables that have one (users, scim_groups). */
export const insertionOrder = (kept: KeptDb, alias?: string): RawBuilder<unknown> =>
  sql.raw(`${alias ? `${alias}.` : ''}${kept.dialect === 'sqlite' ? 'rowid' : 'row_order'}`);

export interface Locks {
  /** Every check-then-write of one tenant's users, roles, SCIM groups and settings takes the tenant's row
   * first: two nodes at once cannot both pass a last-administrator check or lose a SCIM edit. */
  tenant(trx: Transaction<AnyTables>, tenantId: string): Promise<void>;
  /** Every device write takes the change counter's row first: numbers commit in the order they are
   * taken (a console's cursor never passes a change still uncommitted), and a name check holds until the write. */
  deviceChanges(trx: Transaction<AnyTables>): Promise<void>;
  /** Every tenant's row, for a check across tenants (verified domains). */
  allTenants(trx: Transaction<AnyTables>): Promise<void>;
}

export function locksOf(kept: KeptDb): Locks {
  if (kept.dialect === 'sqlite') {
    // A write that changes nothing takes SQLite's one write lock at once, as BEGIN IMMEDIATE would (Kysely
    // begins deferred): another process on the file (a script beside the relay) then waits for it instead
    // of failing at its first write with a snapshot gone stale. Within the process Kysely's one connection
    // already runs transactions one after another.
    const writeLock = async (trx: Transaction<AnyTables>) => void (await sql`UPDATE device_change_counter SET seq = seq WHERE false`.execute(trx));
    return { tenant: writeLock, deviceChanges: writeLock, allTenants: writeLock };
  }
  // NO KEY UPDATE: inserting a user (a foreign key to the tenant) does not wait for the tenant lock.
  return {
    tenant: async (trx, tenantId) => void (await sql`SELECT id FROM tenants WHERE id = ${tenantId} FOR NO KEY UPDATE`.execute(trx)),
    deviceChanges: async (trx) => void (await sql`SELECT seq FROM device_change_counter WHERE id = 1 FOR UPDATE`.execute(trx)),
    allTenants: async (trx) => void (await sql`SELECT id FROM tenants ORDER BY id FOR NO KEY UPDATE`.execute(trx)),
  };
}
