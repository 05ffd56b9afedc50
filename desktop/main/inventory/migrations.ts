// Schema migrations by SQLite's user_version: each entry moves the schema one version up, once.
import type Database from 'better-sqlite3';

const migrations: string[] = [
  // 1: devices per tenant, and the delta-sync cursor per tenant.
  `CREATE TABLE devices (
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
     -- name, primary user and platform, lower-cased by JavaScript (Unicode-aware, unlike SQLite's
     -- lower()), joined by U+001F: what the search box searches.
     search_text TEXT NOT NULL,
     PRIMARY KEY (tenant_id, id)
   ) WITHOUT ROWID;
   -- The list is ordered by name within a tenant, filtered by compliance and searched: this index
   -- covers all of that, so paging, counting and searching walk the index and never the rows, and
   -- a name-prefix search is an index range.
   CREATE INDEX devices_list ON devices (tenant_id, name COLLATE NOCASE, id, compliance, search_text);
   CREATE INDEX devices_by_compliance ON devices (tenant_id, compliance, name COLLATE NOCASE, id);
   CREATE TABLE sync_state (
     tenant_id TEXT PRIMARY KEY,
     cursor TEXT,
     synced_at TEXT
   );`,
];

export const schemaVersion = migrations.length;

export function migrate(db: Database.Database): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > migrations.length) {
    throw new Error(`inventory.db has schema version ${current}, newer than this console knows (${migrations.length})`);
  }
  for (let v = current; v < migrations.length; v++) {
    const sql = migrations[v]!;
    db.transaction(() => {
      db.exec(sql);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
}
