// The session reports in SQLite (WAL): one global hash chain across tenants, append-only, with
// per-tenant retention that leaves the chain verifiable. Implements the relay's ReportLog port
// (report-store.ts; the same store on PostgreSQL is pg-report-log.ts).
//
// Retention and the chain: the chain is global (one sequence for all tenants), but retention is per
// tenant, so the records it removes are scattered through the chain, not a prefix of it. Deleting
// those rows would break every link that passes through them. Instead retention turns each into a
// TOMBSTONE: the content (helper, sharer, device, times, policy…) and its search columns are set to
// NULL, and the header — seq, id, tenant, createdAt, prevHash, contentHash, hash — stays. The header
// hash covers contentHash rather than the content itself (see chain-hash.ts), so a tombstone's own
// hash and both of its links are still checked; only its content can no longer be. Each run is
// recorded in retention_runs, each tombstone points at its run, and verify() reports
// "n records removed by retention on <date>" instead of failing. SQLite's secure_delete overwrites
// the freed bytes, so the removed content does not linger in the file.
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { Page, SessionReport } from '#protocol';
import { systemClock, type Clock, type NewReport } from '../ports.js';
import { csvHeader, csvRow } from './report-csv.js';
import { registerSqliteFunctions, reportWhere, sqliteDialect, type ReportFilter } from './report-filter.js';
import { notReported, reportedFirstParts, reportedOnly } from './reported-first.js';
import {
  chainRecord, pageOf, reportContent, retentionBefore, reviewOf, storedReport, withReviews, type ReportStore, type ReviewRow,
} from './report-store.js';
import { migrate } from './schema.js';
import { ownSessionsPage, sharerHistoryMaxRows, sharerHistorySql, sharerKey } from './sharer-history.js';
import { chainRowColumns, verifyChain, type ChainRow, type RetentionRun } from './verify-chain.js';
import { ensurePrivateFile } from '../sqlite/private-files.js';

export interface ReportLogOptions {
  dataDir: string;
  clock?: Clock;
}

/** The SQLite store: one file, `path`. */
export interface SqliteReportStore extends ReportStore {
  readonly path: string;
}

interface StoredRow { seq: number; id: string; prev_hash: string; hash: string; body: string }

export function createReportLog(opts: ReportLogOptions): SqliteReportStore {
  const clock = opts.clock ?? systemClock;
  const path = join(opts.dataDir, 'reports.db');
  ensurePrivateFile(path);
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.pragma('secure_delete = ON');
  migrate(db);
  registerSqliteFunctions(db);

  const q = {
    head: db.prepare<[], { seq: number; hash: string }>('SELECT seq, hash FROM reports ORDER BY seq DESC LIMIT 1'),
    insert: db.prepare(
      `INSERT INTO reports (seq, id, tenant_id, created_at, prev_hash, content_hash, hash, body,
         helper_upn, sharer_upn, device_id, device_name, outcome)
       VALUES (@seq, @id, @tenantId, @createdAt, @prevHash, @contentHash, @hash, @body,
         @helperUpn, @sharerUpn, @deviceId, @deviceName, @outcome)`,
    ),
    size: db.prepare<[], { n: number }>('SELECT count(*) AS n FROM reports'),
    newReports: db.prepare<[string], { n: number }>(
      `SELECT count(*) AS n FROM reports r WHERE r.tenant_id = ? AND r.outcome = 'reported' AND r.body IS NOT NULL
         AND NOT EXISTS (SELECT 1 FROM report_reviews v WHERE v.report_id = r.id)`),
    reportedOne: db.prepare<[string, string], { id: string }>(
      "SELECT id FROM reports WHERE id = ? AND tenant_id = ? AND outcome = 'reported' AND body IS NOT NULL"),
    // The first review stays: a second administrator's click changes nothing.
    addReview: db.prepare<[string, string, string, string, string]>(
      'INSERT OR IGNORE INTO report_reviews (report_id, tenant_id, reviewed_by_id, reviewed_by_name, reviewed_at) VALUES (?, ?, ?, ?, ?)'),
    review: db.prepare<[string], ReviewRow>('SELECT * FROM report_reviews WHERE report_id = ?'),
    tenantReviews: db.prepare<[string], ReviewRow>('SELECT * FROM report_reviews WHERE tenant_id = ?'),
    // device_id is the lower-cased search copy (search-columns.ts).
    forDevice: db.prepare<[string, string, number], StoredRow>(
      'SELECT * FROM reports WHERE tenant_id = ? AND device_id = ? AND body IS NOT NULL ORDER BY created_at DESC, seq DESC LIMIT ?'),
    sharerRows: db.prepare<[string, string, number], StoredRow>(sharerHistorySql(sqliteDialect).rows),
    runs: db.prepare<[], { id: number; tenant_id: string; before: string; at: string; count: number }>(
      'SELECT * FROM retention_runs ORDER BY id'),
    chain: db.prepare(`SELECT ${chainRowColumns} FROM reports ORDER BY seq`).raw(true),
    retentionCount: db.prepare<[string, string], { n: number }>(
      'SELECT count(*) AS n FROM reports WHERE tenant_id = ? AND body IS NOT NULL AND created_at < ?'),
    addRun: db.prepare<[string, string, string, number]>('INSERT INTO retention_runs (tenant_id, before, at, count) VALUES (?, ?, ?, ?)'),
    guardOn: db.prepare<[number]>('INSERT INTO retention_in_progress (run_id) VALUES (?)'),
    guardOff: db.prepare('DELETE FROM retention_in_progress'),
    blank: db.prepare<[number, string, string]>(
      `UPDATE reports SET body = NULL, helper_upn = NULL, sharer_upn = NULL, device_id = NULL, device_name = NULL,
         outcome = NULL, removed_by = ?
       WHERE tenant_id = ? AND body IS NOT NULL AND created_at < ?`),
  };

  const appendOne = (entry: NewReport): SessionReport => {
    const content = reportContent(entry);
    const { report, ...row } = chainRecord(content, q.head.get(), randomUUID());
    q.insert.run(row);
    return report;
  };
  // IMMEDIATE: take the write lock before reading the head, so two processes on one file cannot both
  // extend the same head (the insert trigger would refuse the second, but better not to get there).
  const appendTx = db.transaction((entries: NewReport[]) => entries.map(appendOne));

  const runs = (): Map<number, RetentionRun> =>
    new Map(q.runs.all().map((r) => [r.id, { id: r.id, tenantId: r.tenant_id, before: r.before, at: r.at, count: r.count }]));

  const select = (tenantId: string, filter: ReportFilter, page?: { offset: number; limit: number }, part?: string) => {
    const where = reportWhere(tenantId, filter);
    const paging = page ? ' LIMIT ? OFFSET ?' : '';
    const stmt = db.prepare<unknown[], StoredRow>(
      `SELECT seq, id, prev_hash, hash, body FROM reports WHERE ${where.sql}${part ? ` AND ${part}` : ''} ORDER BY created_at DESC, seq DESC${paging}`);
    return { stmt, params: page ? [...where.params, page.limit, page.offset] : where.params, where };
  };
  const count = (where: { sql: string; params: unknown[] }, part?: string): number =>
    db.prepare<unknown[], { n: number }>(`SELECT count(*) AS n FROM reports WHERE ${where.sql}${part ? ` AND ${part}` : ''}`).get(...where.params)!.n;
  const reviewsOf = (ids: string[]): ReviewRow[] => ids.length === 0 ? [] : db.prepare<string[], ReviewRow>(
    `SELECT * FROM report_reviews WHERE report_id IN (${ids.map(() => '?').join(', ')})`).all(...ids);

  const applyRetentionTx = db.transaction((tenantId: string, before: string): number => {
    const count = q.retentionCount.get(tenantId, before)!.n;
    if (count === 0) return 0;
    const runId = Number(q.addRun.run(tenantId, before, new Date(clock.now()).toISOString(), count).lastInsertRowid);
    // The guard row lives only inside this transaction (see schema.ts): the triggers let exactly this
    // run blank exactly this tenant's records, then the guard is gone before anyone else can see it.
    q.guardOn.run(runId);
    const blanked = q.blank.run(runId, tenantId, before).changes;
    q.guardOff.run();
    return blanked;
  });

  // better-sqlite3 is synchronous: each method does its work at once and answers a settled Promise
  // (a thrown error becomes a rejection, as it would be on PostgreSQL).
  return {
    path,
    append: async (entry) => appendTx.immediate([entry])[0]!,
    appendMany: async (entries) => appendTx.immediate(entries),

    async list(tenantId, query): Promise<Page<SessionReport>> {
      const { offset, limit } = pageOf(query);
      // One read transaction: the counts and both parts of the page see the same records.
      return db.transaction(() => {
        const where = reportWhere(tenantId, query);
        const total = count(where);
        const parts = reportedFirstParts(offset, limit, count(where, reportedOnly));
        const rows = [
          ...(parts.reported ? (({ stmt, params }) => stmt.all(...params))(select(tenantId, query, parts.reported, reportedOnly)) : []),
          ...(parts.rest ? (({ stmt, params }) => stmt.all(...params))(select(tenantId, query, parts.rest, notReported)) : []),
        ];
        const items = rows.map(storedReport);
        return { items: withReviews(items, reviewsOf(items.map((r) => r.id))), total, offset };
      })();
    },

    newReportCount: async (tenantId) => q.newReports.get(tenantId)!.n,

    async markReviewed(tenantId, reportId, review) {
      return db.transaction(() => {
        if (!q.reportedOne.get(reportId, tenantId)) return null;
        q.addReview.run(reportId, tenantId, review.by.userId, review.by.name, new Date(review.at).toISOString());
        return reviewOf(q.review.get(reportId)!);
      }).immediate();
    },

    recentForDevice: async (tenantId, deviceId, limit) => q.forDevice.all(tenantId, deviceId.toLowerCase(), limit).map(storedReport),

    sessionsOfSharer: async (tenantId, sharer, page) =>
      ownSessionsPage(q.sharerRows.all(tenantId, sharerKey(sharer.upn), sharerHistoryMaxRows).map(storedReport), sharer.userId, page),

    async exportCsv(tenantId, query) {
      const { stmt, params } = select(tenantId, query);
      // A tenant's reviews are few (one per reported session someone looked at): read once, joined here.
      const reviews = new Map(q.tenantReviews.all(tenantId).map((r) => [r.report_id, reviewOf(r)]));
      const lines = [csvHeader()];
      for (const row of stmt.iterate(...params)) {
        const r = storedReport(row);
        const review = reviews.get(r.id);
        lines.push(csvRow(review ? { ...r, review } : r));
      }
      return `${lines.join('\r\n')}\r\n`;
    },

    async verify() {
      // Runs first: the connection cannot run another statement while the chain iterator is open.
      const known = runs();
      // One read transaction, so an append from another connection cannot land mid-walk.
      return db.transaction(() => verifyChain(q.chain.iterate() as IterableIterator<ChainRow>, known))();
    },

    async applyRetention(tenantId, before) {
      const removed = applyRetentionTx.immediate(tenantId, retentionBefore(before));
      // The WAL still holds the pages as they were before the run; fold them into the file and empty
      // it, so the removed content is really gone (best effort: a reader may hold the WAL for now).
      if (removed > 0) db.pragma('wal_checkpoint(TRUNCATE)');
      return removed;
    },

    size: async () => q.size.get()!.n,
    retentionRuns: async () => [...runs().values()],
    close: async () => { db.close(); },
  };
}
