// The sharer's own past sessions (GET /api/me/sessions): the records whose sharer is exactly this UPN
// in this tenant, newest first. Exact match on the lower-cased search column, never the admin view's
// substring filter: ann@x must not see joann@x's sessions. Both stores run these statements.
import type { SqlDialect } from './report-filter.js';

/** The page's rows (params: tenant, upn, limit, offset) and the count (params: tenant, upn). */
export function sharerHistorySql(dialect: SqlDialect): { rows: string; count: string } {
  const p = dialect.param;
  // A tombstone (body NULL) has no sharer column either; the test keeps the intent plain.
  const where = `tenant_id = ${p(1)} AND sharer_upn = ${p(2)} AND body IS NOT NULL`;
  return {
    rows: `SELECT seq, id, prev_hash, hash, body FROM reports WHERE ${where} ORDER BY created_at DESC, seq DESC LIMIT ${p(3)} OFFSET ${p(4)}`,
    count: `SELECT count(*) AS n FROM reports WHERE ${where}`,
  };
}

/** The search column's form of a UPN (search-columns.ts). */
export const sharerKey = (upn: string): string => upn.toLowerCase();

