// The admin view's filters as one SQL WHERE clause over the search columns, shared by list() and the
// CSV export so the two can never disagree about what matches.
import type Database from 'better-sqlite3';
import type { ReportQuery } from '#protocol';

export type ReportFilter = Omit<ReportQuery, 'offset' | 'limit'>;

const dateOnly = /^\d{4}-\d{2}-\d{2}$/;

/** What the canonical JSON of a report holds when a colleague took the session over (handedOverAt is a
 * string then, null otherwise): a literal, safe inside an SQL string. */
const handedOverMark = `'"handedOverAt":"'`;

/** SQLite's lower() changes ASCII letters only; the search columns and what an admin typed are
 * lower-cased by JavaScript, so a UPN read out of a body is lower-cased the same way, by this function
 * (registerSqliteFunctions, on each connection that runs these filters). */
const unicodeLower = 'rh_lower';

/** The functions sqliteDialect's SQL calls, registered on a connection. */
export function registerSqliteFunctions(db: Database.Database): void {
  db.function(unicodeLower, { deterministic: true }, (text: unknown) => (typeof text === 'string' ? text.toLowerCase() : text));
}

/** A valid `from`/`to` value: an ISO date (a whole UTC day) or an ISO date-time. */
export function isReportDate(value: string): boolean {
  return !Number.isNaN(Date.parse(value)) && /^\d{4}-\d{2}-\d{2}/.test(value);
}

/** How the two stores write what the filter needs: a parameter, a substring test, a false condition. */
export interface SqlDialect {
  /** The placeholder of the n-th parameter (1-based). */
  param(n: number): string;
  /** True when `needle` (a parameter) occurs in `column`. */
  contains(column: string, needle: string): string;
  /** True when one of the record's colleagues the session was handed over to (handedOverAt set) has
   * `needle` (a parameter) in their UPN: they were its helper from then on. Read from the body, which
   * the chain's hash covers; the search column keeps the helper who started it, as verify() recomputes it.
   * The body is parsed only when its text has a hand-over in it (`handedOverMark`): few records do, so a
   * search costs about what it did. The UPN is lower-cased as the search columns are (JavaScript's
   * toLowerCase, not only ASCII), and a body with text a strict JSON parser refuses (\u0000, a lone
   * surrogate: a name as the identity provider sent it) is still searched, not an error for the whole list. */
  handedOverTo(needle: string): string;
  never: string;
}

export const sqliteDialect: SqlDialect = {
  param: () => '?',
  contains: (c, n) => `instr(${c}, ${n}) > 0`,
  handedOverTo: (n) => `(instr(body, ${handedOverMark}) > 0 AND EXISTS (SELECT 1 FROM json_each(body, '$.colleagues') AS c `
    + `WHERE json_extract(c.value, '$.handedOverAt') IS NOT NULL AND instr(${unicodeLower}(json_extract(c.value, '$.upn')), ${n}) > 0))`,
  never: '0',
};
/** The body as json PostgreSQL can read: its json and jsonb refuse to turn \u0000 or a surrogate escape
 * into text (->>, jsonb input), and one such record would fail the whole search. Those escapes become
 * U+FFFD first; they can only be in a name or a note, never in what the search compares (a UPN), and the
 * stored body, which the chain's hash covers, is untouched. (A literal backslash before "u0000" in some
 * text is changed too: harmless for the same reason.) */
const pgParsableBody = String.raw`regexp_replace(body, '\\u(0000|[dD][89a-fA-F][0-9a-fA-F]{2})', '\\ufffd', 'g')::json`;

export const pgDialect: SqlDialect = {
  param: (n) => `$${n}`,
  contains: (c, n) => `strpos(${c}, ${n}) > 0`,
  // body is text (pg-schema.ts): parsed here only for a record with a hand-over in it (CASE: in that order).
  handedOverTo: (n) => `CASE WHEN strpos(body, ${handedOverMark}) > 0 THEN EXISTS (SELECT 1 FROM `
    + `json_array_elements(coalesce(${pgParsableBody} -> 'colleagues', '[]'::json)) AS c `
    + `WHERE c ->> 'handedOverAt' IS NOT NULL AND strpos(lower(c ->> 'upn'), ${n}) > 0) ELSE false END`,
  never: 'false',
};

/**
 * The SQL condition and its parameters. Text filters are case-insensitive substrings (the search
 * columns hold lower-cased copies; instr()/strpos() need no LIKE-wildcard escaping of what an admin typed).
 * Dates are inclusive: `to: '2026-03-01'` means up to the end of that UTC day. An invalid date
 * matches nothing rather than everything: an admin who mistyped must not believe they see a range.
 */
export function reportWhere(tenantId: string, f: ReportFilter, dialect: SqlDialect = sqliteDialect): { sql: string; params: unknown[] } {
  const params: unknown[] = [];
  const p = (value: unknown): string => {
    params.push(value);
    return dialect.param(params.length);
  };
  const clauses = [`tenant_id = ${p(tenantId)}`, 'body IS NOT NULL'];
  const text = (v: string | undefined) => v?.trim().toLowerCase() || undefined;

  // The helper who started the session, or a colleague it was handed over to.
  const helper = text(f.helper);
  if (helper) clauses.push(`(${dialect.contains('helper_upn', p(helper))} OR ${dialect.handedOverTo(p(helper))})`);
  const sharer = text(f.sharer);
  if (sharer) clauses.push(dialect.contains('sharer_upn', p(sharer)));
  const device = text(f.device);
  if (device) clauses.push(`(${dialect.contains('device_name', p(device))} OR device_id = ${p(device)})`);
  if (f.outcome) clauses.push(`outcome = ${p(f.outcome)}`);

  const from = f.from?.trim();
  if (from) {
    if (!isReportDate(from)) clauses.push(dialect.never);
    else clauses.push(`created_at >= ${p(new Date(from).toISOString())}`);
  }
  const to = toBound(f.to);
  if (to === null) clauses.push(dialect.never);
  else if (to) clauses.push(`created_at ${to.op} ${p(to.iso)}`);

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
