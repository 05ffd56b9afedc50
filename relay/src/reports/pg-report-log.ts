// The session reports on PostgreSQL, for several relay nodes sharing one database: the same store as
// report-log.ts (one global hash chain across tenants, append-only, retention as tombstones — read
// the comment at the top of that file), hashed and verified by the same code.
//
// One chain across nodes: every append runs in a transaction that first takes one advisory lock
// (pg_advisory_xact_lock), then reads the head and inserts after it (the appends a node receives
// while its previous one is under way go in one such transaction together). Under READ COMMITTED each
// statement sees what committed before it, so the head read after the lock is the real head; the
// lock is released by COMMIT or ROLLBACK, so a node that dies mid-append holds nothing. Retention takes
// the same lock (SQLite's write lock serializes it with appends too), so two nodes running it at once
// record one run, not one run and an empty one.
//
// verify() walks the chain in one REPEATABLE READ transaction (a snapshot: appends from other nodes
// during the walk are not half seen) in keyset pages of seq, fetching the next page while the current
// one is hashed, so 100k records are never in memory at once.
//
// Retention on PostgreSQL: the tombstone is what every query and verify() see at once, but the old
// row versions stay in the table's files until (auto)vacuum reuses their space, and in WAL archives
// and backups: SQLite's secure_delete has no equivalent here.
//
// The pool is the node's, shared by its stores: close() leaves it open for whoever made it to end.
import pg, { type Pool, type PoolClient } from 'pg';
import { randomUUID } from 'node:crypto';
import type { Page, SessionReport } from '#protocol';
import { systemClock, type Clock, type NewReport } from '../ports.js';
import { advisoryLocks } from '../pg/advisory-locks.js';
import { migratePg } from './pg-schema.js';
import { csvHeader, csvRow } from './report-csv.js';
import { ownSessionsPage, sharerHistoryMaxRows, sharerHistorySql, sharerKey } from './sharer-history.js';
import { pgDialect, reportWhere, type ReportFilter } from './report-filter.js';
import type { ReportContent } from './chain-hash.js';
import { notReported, reportedFirstParts, reportedOnly } from './reported-first.js';
import {
  chainRecord, pageOf, reportContent, retentionBefore, reviewOf, storedReport, withReviews, type ChainedRecord, type ReportStore, type ReviewRow,
} from './report-store.js';
import { chainRowColumns, verifyChainPaged, type ChainRow, type RetentionRun } from './verify-chain.js';

export interface PgReportLogOptions {
  pool: Pool;
  clock?: Clock;
  /** Records per page of verify()'s walk. */
  verifyPageSize?: number;
}

interface StoredRow { seq: number; id: string; prev_hash: string; hash: string; body: string }

// seq is a bigint; pg answers those as strings. Every seq this log writes is below 2^53, so a number.
const types = new pg.TypeOverrides();
types.setTypeParser(pg.types.builtins.INT8, Number);

const insertColumns = 'seq, id, tenant_id, created_at, prev_hash, content_hash, hash, body, helper_upn, sharer_upn, device_id, device_name, outcome';
const insertTypes = ['bigint', ...Array<string>(12).fill('text')];
const insertBatch = 1000;
const lowestSeq = '-9223372036854775808';

export async function createPgReportLog(opts: PgReportLogOptions): Promise<ReportStore> {
  const { pool } = opts;
  const clock = opts.clock ?? systemClock;
  const pageSize = opts.verifyPageSize ?? 5000;
  await migratePg(pool);

  const query = async <R extends object>(text: string, values: unknown[] = [], c: Pool | PoolClient = pool): Promise<R[]> =>
    (await c.query<R>({ text, values, types })).rows;

  async function inTransaction<T>(begin: string, work: (c: PoolClient) => Promise<T>): Promise<T> {
    const c = await pool.connect();
    try {
      await c.query(begin);
      const result = await work(c);
      await c.query('COMMIT');
      return result;
    } catch (error) {
      await c.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      c.release();
    }
  }
  const lockChain = (c: PoolClient) => c.query('SELECT pg_advisory_xact_lock($1)', [advisoryLocks.reportChain.toString()]);

  /** One INSERT per batch: each column as one array parameter, unnested into rows in seq order. */
  async function insert(c: PoolClient, records: ChainedRecord[]): Promise<void> {
    const columns: unknown[][] = Array.from({ length: insertTypes.length }, () => []);
    for (const r of records) {
      const row = [r.seq, r.id, r.tenantId, r.createdAt, r.prevHash, r.contentHash, r.hash, r.body,
        r.helperUpn, r.sharerUpn, r.deviceId, r.deviceName, r.outcome];
      row.forEach((v, i) => columns[i]!.push(v));
    }
    const params = insertTypes.map((t, i) => `$${i + 1}::${t}[]`).join(', ');
    await c.query(`INSERT INTO reports (${insertColumns}) SELECT * FROM unnest(${params})`, columns);
  }

  async function appendContents(contents: ReportContent[]): Promise<SessionReport[]> {
    return inTransaction('BEGIN', async (c) => {
      await lockChain(c);
      let head = (await query<{ seq: number; hash: string }>('SELECT seq, hash FROM reports ORDER BY seq DESC LIMIT 1', [], c))[0];
      const records: ChainedRecord[] = [];
      for (const content of contents) {
        const r = chainRecord(content, head, randomUUID());
        records.push(r);
        head = r;
      }
      for (let i = 0; i < records.length; i += insertBatch) await insert(c, records.slice(i, i + insertBatch));
      return records.map((r) => r.report);
    });
  }

  // Appends that arrive while this node's previous one is under way go together in the next
  // transaction: the lock is held through COMMIT and its WAL flush, so one record per transaction
  // would cap every node together at one disk flush per record.
  const waiting: Array<{ content: ReportContent; resolve: (r: SessionReport) => void; reject: (e: unknown) => void }> = [];
  let flushing = false;
  async function flush(): Promise<void> {
    flushing = true;
    while (waiting.length > 0) {
      const batch = waiting.splice(0, insertBatch);
      try {
        const stored = await appendContents(batch.map((w) => w.content));
        batch.forEach((w, i) => w.resolve(stored[i]!));
      } catch (error) {
        for (const w of batch) w.reject(error);
      }
    }
    flushing = false;
  }
  function appendOne(entry: NewReport): Promise<SessionReport> {
    return new Promise((resolve, reject) => {
      // Validated and canonicalized before it waits: a bad report fails alone, never its batch.
      waiting.push({ content: reportContent(entry), resolve, reject });
      if (!flushing) void flush();
    });
  }

  const runs = async (c: Pool | PoolClient): Promise<Map<number, RetentionRun>> =>
    new Map((await query<{ id: number; tenant_id: string; before: string; at: string; count: number }>(
      'SELECT id, tenant_id, before, at, count FROM retention_runs ORDER BY id', [], c))
      .map((r) => [r.id, { id: r.id, tenantId: r.tenant_id, before: r.before, at: r.at, count: r.count }]));

  const select = (tenantId: string, filter: ReportFilter, part?: string) => {
    const where = reportWhere(tenantId, filter, pgDialect);
    const cond = part ? `${where.sql} AND ${part}` : where.sql;
    return { where, sql: `SELECT seq, id, prev_hash, hash, body FROM reports WHERE ${cond} ORDER BY created_at DESC, seq DESC` };
  };

  /** The chain in pages of seq; the next page is asked for before the current one is handed out. */
  async function* chainPages(c: PoolClient): AsyncGenerator<ChainRow[]> {
    const fetch = (after: string | number) => c.query<ChainRow>({
      text: `SELECT ${chainRowColumns} FROM reports WHERE seq > $1 ORDER BY seq LIMIT $2`, values: [after, pageSize], types, rowMode: 'array',
    });
    let pending = fetch(lowestSeq);
    for (;;) {
      const { rows } = await pending;
      if (rows.length === 0) return;
      const full = rows.length === pageSize;
      if (full) pending = fetch(rows.at(-1)![0]);
      yield rows;
      if (!full) return;
    }
  }

  return {
    append: appendOne,
    // Validated and canonicalized before the lock: the lock is held only for the head and the insert.
    appendMany: async (entries) => appendContents(entries.map(reportContent)),

    async list(tenantId, q): Promise<Page<SessionReport>> {
      const { offset, limit } = pageOf(q);
      // One snapshot: the counts and both parts of the page see the same records.
      return inTransaction('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY', async (c) => {
        const { where } = select(tenantId, q);
        const n = where.params.length;
        const [counts] = await query<{ total: number; reported: number }>(
          `SELECT count(*) AS total, count(*) FILTER (WHERE ${reportedOnly}) AS reported FROM reports WHERE ${where.sql}`, where.params, c);
        const parts = reportedFirstParts(offset, limit, counts!.reported);
        const slice = async (part: string, p: { offset: number; limit: number }) =>
          query<StoredRow>(`${select(tenantId, q, part).sql} LIMIT $${n + 1} OFFSET $${n + 2}`, [...where.params, p.limit, p.offset], c);
        const rows = [
          ...(parts.reported ? await slice(reportedOnly, parts.reported) : []),
          ...(parts.rest ? await slice(notReported, parts.rest) : []),
        ];
        const items = rows.map(storedReport);
        const reviews = items.length === 0 ? [] : await query<ReviewRow>(
          'SELECT * FROM report_reviews WHERE report_id = ANY($1::text[])', [items.map((r) => r.id)], c);
        return { items: withReviews(items, reviews), total: counts!.total, offset };
      });
    },

    newReportCount: async (tenantId) => (await query<{ n: number }>(
      `SELECT count(*) AS n FROM reports r WHERE r.tenant_id = $1 AND r.outcome = 'reported' AND r.body IS NOT NULL
         AND NOT EXISTS (SELECT 1 FROM report_reviews v WHERE v.report_id = r.id)`, [tenantId]))[0]!.n,

    async markReviewed(tenantId, reportId, review) {
      const found = await query<{ id: string }>(
        "SELECT id FROM reports WHERE id = $1 AND tenant_id = $2 AND outcome = 'reported' AND body IS NOT NULL", [reportId, tenantId]);
      if (found.length === 0) return null;
      // The first review stays: a second administrator's click changes nothing.
      await query('INSERT INTO report_reviews (report_id, tenant_id, reviewed_by_id, reviewed_by_name, reviewed_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (report_id) DO NOTHING',
        [reportId, tenantId, review.by.userId, review.by.name, new Date(review.at).toISOString()]);
      const [row] = await query<ReviewRow>('SELECT * FROM report_reviews WHERE report_id = $1', [reportId]);
      return reviewOf(row!);
    },

    recentForDevice: async (tenantId, deviceId, limit) => (await query<StoredRow>(
      `SELECT seq, id, prev_hash, hash, body FROM reports WHERE tenant_id = $1 AND device_id = $2 AND body IS NOT NULL
       ORDER BY created_at DESC, seq DESC LIMIT $3`, [tenantId, deviceId.toLowerCase(), limit])).map(storedReport),

    async sessionsOfSharer(tenantId, sharer, page) {
      const rows = await query<StoredRow>(sharerHistorySql(pgDialect).rows, [tenantId, sharerKey(sharer.upn), sharerHistoryMaxRows]);
      return ownSessionsPage(rows.map(storedReport), sharer.userId, page);
    },

    async exportCsv(tenantId, q) {
      const { where, sql } = select(tenantId, q);
      const [rows, reviewRows] = await Promise.all([
        query<StoredRow>(sql, where.params),
        // A tenant's reviews are few (one per reported session someone looked at): read once, joined here.
        query<ReviewRow>('SELECT * FROM report_reviews WHERE tenant_id = $1', [tenantId]),
      ]);
      const lines = [csvHeader()];
      for (const r of withReviews(rows.map(storedReport), reviewRows)) lines.push(csvRow(r));
      return `${lines.join('\r\n')}\r\n`;
    },

    verify: () => inTransaction('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY', async (c) => verifyChainPaged(chainPages(c), await runs(c))),

    async applyRetention(tenantId, beforeText) {
      const before = retentionBefore(beforeText);
      return inTransaction('BEGIN', async (c) => {
        await lockChain(c);
        const count = (await query<{ n: number }>(
          'SELECT count(*) AS n FROM reports WHERE tenant_id = $1 AND body IS NOT NULL AND created_at < $2', [tenantId, before], c))[0]!.n;
        if (count === 0) return 0;
        const [run] = await query<{ id: number }>(
          'INSERT INTO retention_runs (tenant_id, before, at, count) VALUES ($1, $2, $3, $4) RETURNING id',
          [tenantId, before, new Date(clock.now()).toISOString(), count], c);
        // The guard row exists only inside this transaction (see pg-schema.ts and schema.ts).
        await c.query('INSERT INTO retention_in_progress (run_id) VALUES ($1)', [run!.id]);
        const blanked = await c.query(
          `UPDATE reports SET body = NULL, helper_upn = NULL, sharer_upn = NULL, device_id = NULL, device_name = NULL,
             outcome = NULL, removed_by = $1
           WHERE tenant_id = $2 AND body IS NOT NULL AND created_at < $3`, [run!.id, tenantId, before]);
        await c.query('DELETE FROM retention_in_progress');
        return blanked.rowCount ?? 0;
      });
    },

    size: async () => (await query<{ n: number }>('SELECT count(*) AS n FROM reports'))[0]!.n,
    retentionRuns: async () => [...(await runs(pool)).values()],
    close: async () => {},
  };
}
