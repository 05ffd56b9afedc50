// The admin view's filters as one SQL WHERE clause over the search columns, shared by list() and the
// CSV export so the two can never disagree about what matches.
import type { ReportQuery } from '#protocol';

export type ReportFilter = Omit<ReportQuery, 'offset' | 'limit'>;

const dateOnly = /^\d{4}-\d{2}-\d{2}$/;

/** A valid `from`/`to` value: an ISO date (a whole UTC day) or an ISO date-time. */
export function isReportDate(value: string): boolean {
  return !Number.isNaN(Date.parse(value)) && /^\d{4}-\d{2}-\d{2}/.test(value);
}

/**
 * The SQL condition and its parameters. Text filters are case-insensitive substrings (the search
 * columns hold lower-cased copies; instr() needs no LIKE-wildcard escaping of what an admin typed).
 * Dates are inclusive: `to: '2026-03-01'` means up to the end of that UTC day. An invalid date
 * matches nothing rather than everything: an admin who mistyped must not believe they see a range.
 */
export function reportWhere(tenantId: string, f: ReportFilter): { sql: string; params: unknown[] } {
  const clauses = ['tenant_id = ?', 'body IS NOT NULL'];
  const params: unknown[] = [tenantId];
  const text = (v: string | undefined) => v?.trim().toLowerCase() || undefined;

  const helper = text(f.helper);
  if (helper) { clauses.push('instr(helper_upn, ?) > 0'); params.push(helper); }
  const sharer = text(f.sharer);
  if (sharer) { clauses.push('instr(sharer_upn, ?) > 0'); params.push(sharer); }
  const device = text(f.device);
  if (device) {
    clauses.push('(instr(device_name, ?) > 0 OR device_id = ?)');
    params.push(device, device);
  }
  if (f.outcome) { clauses.push('outcome = ?'); params.push(f.outcome); }

  const from = f.from?.trim();
  if (from) {
    if (!isReportDate(from)) clauses.push('0');
    else { clauses.push('created_at >= ?'); params.push(new Date(from).toISOString()); }
  }
  const to = toBound(f.to);
  if (to === null) clauses.push('0');
  else if (to) { clauses.push(to.op === '<' ? 'created_at < ?' : 'created_at <= ?'); params.push(to.iso); }

  return { sql: clauses.join(' AND '), params };
}

function toBound(value: string | undefined): { op: '<' | '<='; iso: string } | null | undefined {
  const to = value?.trim();
  if (!to) return undefined;
  if (!isReportDate(to)) return null;
  if (dateOnly.test(to)) {
    const next = new Date(`${to}T00:00:00.000Z`);
    next.setUTCDate(next.getUTCDate() + 1);
    return { op: '<', iso: next.toISOString() };
  }
  return { op: '<=', iso: new Date(to).toISOString() };
}
