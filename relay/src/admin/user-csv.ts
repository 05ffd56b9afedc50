// Reads an administrator's user file (CSV with the header upn,name,jobTitle,company,roles; roles are
// names separated by ';') into users, or into every problem it has, each with its line: a file is taken
// whole or not at all, so the administrator fixes all lines at once rather than one per attempt.
import { CsvError, parse } from 'csv-parse/sync';
import { newUser, userImportColumns, userImportLimits, type LineProblem } from '#protocol';
import type { ManagedUser } from '../directory/user-admin-tables.js';

export interface UserCsvContext {
  /** The tenant's verified domains (lower case): a UPN elsewhere could not reach this tenant's sign-in. */
  domains: readonly string[];
  /** The tenant's role names, by lower-case name: a cell may use any case, the stored name is canonical. */
  roles: ReadonlyMap<string, string>;
  /** The tenant that already has this UPN, if any (UPNs are unique across tenants). */
  ownerOf(upn: string): string | undefined;
  tenantId: string;
}

export type UserCsv =
  | { ok: true; users: ManagedUser[] }
  | { ok: false; tooLarge: string; problems?: undefined }
  | { ok: false; tooLarge?: undefined; problems: LineProblem[] };

/** Problems listed beyond this many add nothing an administrator can use: the count says the rest. */
const maxProblems = 200;

export function readUserCsv(text: string, ctx: UserCsvContext): UserCsv {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > userImportLimits.maxBytes) {
    return { ok: false, tooLarge: `The file is ${bytes} bytes; at most ${userImportLimits.maxBytes} bytes can be imported at once. Split it.` };
  }
  let records: { record: string[]; info: { lines: number } }[];
  try {
    // Arrays, not objects, and any column count: a short or long row is reported with its line like any
    // other problem instead of stopping the whole read.
    records = parse(text, { bom: true, skip_empty_lines: true, trim: true, relax_column_count: true, info: true }) as unknown as typeof records;
  } catch (e) {
    if (e instanceof CsvError) return { ok: false, problems: [{ line: (e as CsvError & { lines?: number }).lines ?? 1, message: e.message }] };
    throw e;
  }
  const [header, ...rows] = records;
  if (!header) return { ok: false, problems: [{ line: 1, message: `The file is empty: it needs the header ${userImportColumns.join(',')}.` }] };
  const headerProblem = checkHeader(header.record);
  if (headerProblem) return { ok: false, problems: [{ line: header.info.lines, message: headerProblem }] };
  if (rows.length === 0) return { ok: false, problems: [{ line: header.info.lines, message: 'The file has a header but no users.' }] };
  if (rows.length > userImportLimits.maxRows) {
    return { ok: false, tooLarge: `The file has ${rows.length} users; at most ${userImportLimits.maxRows} can be imported at once. Split it.` };
  }

  const column = new Map(header.record.map((name, i) => [name, i]));
  const cell = (r: string[], name: (typeof userImportColumns)[number]): string => r[column.get(name)!] ?? '';
  const problems: LineProblem[] = [];
  const users: ManagedUser[] = [];
  const seen = new Map<string, number>();
  for (const { record, info } of rows) {
    const line = info.lines;
    const say = (message: string) => problems.push({ line, message });
    if (record.length !== header.record.length) {
      say(`It has ${record.length} columns; the header has ${header.record.length}.`);
      continue;
    }
    const roleCells = cell(record, 'roles').split(';').map((r) => r.trim()).filter(Boolean);
    const parsed = newUser.safeParse({
      upn: cell(record, 'upn'), name: cell(record, 'name'), jobTitle: cell(record, 'jobTitle'), company: cell(record, 'company'), roles: roleCells,
    });
    if (!parsed.success) {
      for (const issue of parsed.error.issues) say(`${String(issue.path[0] ?? 'row')}: ${issue.message}`);
      continue;
    }
    const u = parsed.data;
    const key = u.upn.toLowerCase();
    const earlier = seen.get(key);
    if (earlier !== undefined) say(`upn: ${u.upn} is already on line ${earlier}.`);
    else seen.set(key, line);
    const domain = key.split('@')[1]!;
    if (!ctx.domains.includes(domain)) say(`upn: ${u.upn} is not at a verified domain of this organization (${ctx.domains.join(', ')}).`);
    const owner = ctx.ownerOf(u.upn);
    if (owner !== undefined && owner !== ctx.tenantId) say(`upn: ${u.upn} belongs to another organization.`);
    const unknown = u.roles.filter((r) => !ctx.roles.has(r.toLowerCase()));
    if (unknown.length) say(`roles: no such role: ${unknown.join(', ')}.`);
    users.push({ ...u, roles: u.roles.map((r) => ctx.roles.get(r.toLowerCase()) ?? r) });
  }
  if (problems.length) {
    const shown = problems.slice(0, maxProblems);
    if (problems.length > maxProblems) shown.push({ line: problems[maxProblems]!.line, message: `… and ${problems.length - maxProblems} more problems.` });
    return { ok: false, problems: shown };
  }
  return { ok: true, users };
}

function checkHeader(names: string[]): string | undefined {
  const expected = userImportColumns.join(',');
  const missing = userImportColumns.filter((c) => !names.includes(c));
  const extra = names.filter((n) => !(userImportColumns as readonly string[]).includes(n));
  const twice = names.filter((n, i) => names.indexOf(n) !== i);
  if (!missing.length && !extra.length && !twice.length) return undefined;
  const parts = [
    missing.length ? `missing ${missing.join(', ')}` : '',
    extra.length ? `unknown ${extra.join(', ')}` : '',
    twice.length ? `repeated ${twice.join(', ')}` : '',
  ].filter(Boolean);
  return `The header must name the columns ${expected} (in any order): ${parts.join('; ')}.`;
}
