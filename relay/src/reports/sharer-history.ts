// The sharer's own past sessions (GET /api/me/sessions): the records whose sharer is this person in
// this tenant, newest first. The index finds them by the exact lower-cased UPN (never the admin view's
// substring filter: ann@x must not see joann@x's sessions); then only those whose sharer has this
// person's stable id are kept. A UPN alone is not who someone is: an organization reassigns one after a
// person leaves, and an OIDC provider's preferred_username may be editable by its user. Both stores run
// these statements.
import type { SessionReport } from '#protocol';
import type { SqlDialect } from './report-filter.js';

/** The most records of one UPN read for one page: a person's own sessions over the retention period. */
export const sharerHistoryMaxRows = 10_000;

/** The rows of one UPN, newest first (params: tenant, upn, max rows). */
export function sharerHistorySql(dialect: SqlDialect): { rows: string } {
  const p = dialect.param;
  // A tombstone (body NULL) has no sharer column either; the test keeps the intent plain.
  const where = `tenant_id = ${p(1)} AND sharer_upn = ${p(2)} AND body IS NOT NULL`;
  return { rows: `SELECT seq, id, prev_hash, hash, body FROM reports WHERE ${where} ORDER BY created_at DESC, seq DESC LIMIT ${p(3)}` };
}

/** The search column's form of a UPN (search-columns.ts). */
export const sharerKey = (upn: string): string => upn.toLowerCase();

/** The page of `records` (one UPN's, newest first) whose sharer is `userId`. */
export function ownSessionsPage(records: SessionReport[], userId: string, page: { offset: number; limit: number }): { items: SessionReport[]; total: number; offset: number } {
  const own = records.filter((r) => r.sharer?.userId === userId);
  return { items: own.slice(page.offset, page.offset + page.limit), total: own.length, offset: page.offset };
}
