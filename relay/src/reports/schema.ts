// Schema of reports.db, applied in order and recorded in PRAGMA user_version.
//
// Append-only is enforced by SQLite itself, not only by this code offering no update method:
// - INSERT must extend the chain: seq = last seq + 1 and prev_hash = last hash (a bug that forks the
//   chain fails at once, not at the next verification).
// - DELETE on reports is always refused. Retention never deletes a row; it blanks the content and
//   keeps the header as a tombstone (see report-log.ts, applyRetention).
// - UPDATE on reports is refused unless a row is present in `retention_in_progress`, and even then it
//   may only turn a live record of that run's tenant into a tombstone of that run: content and search
//   columns to NULL, removed_by = the run, every header column unchanged. Retention inserts that row
//   and deletes it again inside its own transaction, so it is never visible to another connection,
//   and a crash rolls it back with everything else. An UPDATE anywhere else in code fails loudly.
// - retention_runs, the record of what retention removed and when, is append-only the same way.
// Someone with write access to the file can drop the triggers; that is what verify() is for.
import type Database from 'better-sqlite3';
import { applyMigrations } from '../sqlite/migrate.js';

const migrations: string[] = [
  // 1: the chain, retention runs, guards
  `CREATE TABLE retention_runs (
     id INTEGER PRIMARY KEY,
     tenant_id TEXT NOT NULL,
     before TEXT NOT NULL,                    -- ISO instant: records created before it were removed
     at TEXT NOT NULL,                        -- ISO instant of the run
     count INTEGER NOT NULL
   );
   CREATE TABLE retention_in_progress (
     run_id INTEGER PRIMARY KEY REFERENCES retention_runs(id)
   );
   CREATE TABLE reports (
     seq INTEGER PRIMARY KEY,
     id TEXT NOT NULL UNIQUE,
     tenant_id TEXT NOT NULL,
     created_at TEXT NOT NULL,                -- ISO instant, copy of the content's createdAt (in the header hash)
     prev_hash TEXT NOT NULL,
     content_hash TEXT NOT NULL,
     hash TEXT NOT NULL,
     body TEXT,                               -- canonical JSON of the content; NULL = tombstone
     helper_upn TEXT,                         -- search columns: lower-cased copies out of body, NULL in a tombstone
     sharer_upn TEXT,
     device_id TEXT,
     device_name TEXT,
     outcome TEXT,
     removed_by INTEGER REFERENCES retention_runs(id)
   );
   CREATE INDEX reports_tenant_time ON reports(tenant_id, created_at, seq);
   CREATE INDEX reports_tenant_outcome ON reports(tenant_id, outcome, created_at);
   -- helper / sharer / device are substring searches: no index serves them; they scan the tenant's time index.

   CREATE TRIGGER reports_insert_extends_chain BEFORE INSERT ON reports
   WHEN NEW.seq IS NOT coalesce((SELECT max(seq) FROM reports), 0) + 1
     OR NEW.prev_hash IS NOT coalesce((SELECT hash FROM reports ORDER BY seq DESC LIMIT 1), '${'0'.repeat(64)}')
     OR NEW.body IS NULL OR NEW.removed_by IS NOT NULL
   BEGIN SELECT RAISE(ABORT, 'session reports are append-only: a new record must extend the chain'); END;

   CREATE TRIGGER reports_no_delete BEFORE DELETE ON reports
   BEGIN SELECT RAISE(ABORT, 'session reports are append-only: records are never deleted (retention leaves tombstones)'); END;

   CREATE TRIGGER reports_update_only_by_retention BEFORE UPDATE ON reports
   WHEN NOT (
     OLD.body IS NOT NULL AND NEW.body IS NULL
     AND NEW.removed_by IS (SELECT run_id FROM retention_in_progress)
     AND OLD.tenant_id IS (SELECT r.tenant_id FROM retention_runs r JOIN retention_in_progress p ON p.run_id = r.id)
     AND NEW.helper_upn IS NULL AND NEW.sharer_upn IS NULL AND NEW.device_id IS NULL AND NEW.device_name IS NULL
     AND NEW.outcome IS NULL
     AND NEW.seq IS OLD.seq AND NEW.id IS OLD.id AND NEW.tenant_id IS OLD.tenant_id AND NEW.created_at IS OLD.created_at
     AND NEW.prev_hash IS OLD.prev_hash AND NEW.content_hash IS OLD.content_hash AND NEW.hash IS OLD.hash
   )
   BEGIN SELECT RAISE(ABORT, 'session reports are append-only: only a retention run may blank a record'); END;

   CREATE TRIGGER retention_runs_no_update BEFORE UPDATE ON retention_runs
   BEGIN SELECT RAISE(ABORT, 'retention runs are append-only'); END;
   CREATE TRIGGER retention_runs_no_delete BEFORE DELETE ON retention_runs
   BEGIN SELECT RAISE(ABORT, 'retention runs are append-only'); END;`,
  // 2: a device's recent sessions (the console's device view), newest first (issue 8)
  `CREATE INDEX reports_tenant_device ON reports(tenant_id, device_id, created_at);`,
  // 3: an administrator marked a reported session reviewed (issue 13). Beside the chain, not in it: a
  // review is a later fact about a record, and the chained content never changes. One row per report.
  `CREATE TABLE report_reviews (
     report_id TEXT PRIMARY KEY REFERENCES reports(id),
     tenant_id TEXT NOT NULL,
     reviewed_by_id TEXT NOT NULL,
     reviewed_by_name TEXT NOT NULL,
     reviewed_at TEXT NOT NULL                -- ISO instant
   );`,
  // 4: a sharer's own past sessions on /rh, newest first (issue 13; sharer-history.ts)
  `CREATE INDEX reports_tenant_sharer ON reports(tenant_id, sharer_upn, created_at);`,
];

export const schemaVersion = migrations.length;

export function migrate(db: Database.Database): void {
  applyMigrations(db, 'reports.db', migrations);
}
