// Schema migrations by SQLite's user_version: each entry moves the schema one version up, once, in one
// transaction with the version bump. Entries are history: never edit one, add the next.
import type Database from 'better-sqlite3';

/** PRAGMA application_id of an inventory file ('RHin'), set from version 2 on: tells our file from
 * another application's SQLite file. */
export const applicationId = 0x5248696e;

const migrations: ((db: Database.Database) => void)[] = [
  // 1: devices per tenant, and the delta-sync cursor per tenant.
  (db) => db.exec(`CREATE TABLE devices (
     tenant_id TEXT NOT NULL,
     id TEXT NOT NULL,
     name TEXT NOT NULL,
     platform TEXT NOT NULL,
     os_version TEXT NOT NULL,
     primary_user TEXT NOT NULL,
     enrolled INTEGER NOT NULL,
     compliance TEXT NOT NULL,
     compliance_reasons TEXT NOT NULL,
     last_check_in TEXT NOT NULL,
     updated_at TEXT NOT NULL,
     search_text TEXT NOT NULL,
     PRIMARY KEY (tenant_id, id)
   ) WITHOUT ROWID;
   CREATE INDEX devices_list ON devices (tenant_id, name COLLATE NOCASE, id, compliance, search_text);
   CREATE INDEX devices_by_compliance ON devices (tenant_id, compliance, name COLLATE NOCASE, id);
   CREATE TABLE sync_state (
     tenant_id TEXT PRIMARY KEY,
     cursor TEXT,
     synced_at TEXT
   );`),

  // 2 (issue 8): where a device comes from, approval, ownership and hardware; the list's search, filters
  // and sort keys move to an in-memory index (list-index.ts), so the table keeps only its key.
  // Measured at 100k devices on this kind of machine (2 cores): every secondary index costs 350–450 ms of
  // a full sync (inserts arrive in updatedAt order, random for any list order), so one per sort key
  // (8) plus search would take the sync to 4–5 s, over its 3 s target; and a contains-search cannot use
  // an index at all (13 ms to scan even a narrow covering one, over the 10 ms query target). A rowid
  // table with one unique key takes 100k rows in about 0.7 s where the WITHOUT ROWID table of
  // version 1 took 1.6 s (wide rows inserted at random key positions).
  // Old rows keep what they had, with defaults for what version 1 did not know; the cursor is reset
  // so the next sync is a full one that brings the real values, and `sweep` has that sync delete any
  // row the relay no longer sends (version 1 never learned of removals).
  (db) => db.exec(`CREATE TABLE devices_v2 (
     tenant_id TEXT NOT NULL,
     id TEXT NOT NULL,
     name TEXT NOT NULL,
     platform TEXT NOT NULL,
     os_version TEXT NOT NULL,
     primary_user TEXT NOT NULL,
     enrolled INTEGER NOT NULL,
     compliance TEXT NOT NULL,
     compliance_reasons TEXT NOT NULL,
     last_check_in TEXT NOT NULL,
     updated_at TEXT NOT NULL,
     managed_by TEXT NOT NULL DEFAULT 'enrollment',
     approved INTEGER NOT NULL DEFAULT 1,
     ownership TEXT NOT NULL DEFAULT 'unknown',
     serial_number TEXT NOT NULL DEFAULT '',
     manufacturer TEXT NOT NULL DEFAULT '',
     model TEXT NOT NULL DEFAULT '',
     enrolled_at TEXT NOT NULL DEFAULT '',
     -- JSON array; NULL when the relay sent none.
     device_groups TEXT,
     -- The full sync (sync_state.generation) that last delivered this row: a full sync that must
     -- sweep deletes the rows it did not deliver.
     seen INTEGER NOT NULL DEFAULT 0,
     UNIQUE (tenant_id, id)
   );
   INSERT INTO devices_v2 (tenant_id, id, name, platform, os_version, primary_user, enrolled, compliance,
       compliance_reasons, last_check_in, updated_at)
     SELECT tenant_id, id, name, platform, os_version, primary_user, enrolled, compliance,
       compliance_reasons, last_check_in, updated_at FROM devices;
   DROP TABLE devices;
   ALTER TABLE devices_v2 RENAME TO devices;
   ALTER TABLE sync_state ADD COLUMN account TEXT;
   ALTER TABLE sync_state ADD COLUMN generation INTEGER NOT NULL DEFAULT 0;
   ALTER TABLE sync_state ADD COLUMN sweep INTEGER NOT NULL DEFAULT 0;
   UPDATE sync_state SET cursor = NULL, sweep = 1;
   PRAGMA application_id = ${applicationId};`),
];

export const schemaVersion = migrations.length;

/** The tables and columns a version-1 file has (before version 2 stamped application_id on it). */
export const version1Columns = {
  devices: ['tenant_id', 'id', 'name', 'platform', 'os_version', 'primary_user', 'enrolled', 'compliance', 'compliance_reasons', 'last_check_in', 'updated_at', 'search_text'],
  sync_state: ['tenant_id', 'cursor', 'synced_at'],
};

export function migrate(db: Database.Database): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > migrations.length) {
    throw new Error(`inventory.db has schema version ${current}, newer than this console knows (${migrations.length})`);
  }
  for (let v = current; v < migrations.length; v++) {
    db.transaction(() => {
      migrations[v]!(db);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
}
