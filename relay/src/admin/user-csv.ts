// Reads an administrator's user file (CSV with the header upn,name,jobTitle,company,roles; roles are
// names separated by ';') into users, or into every problem it has, each with its line: a file is taken
// whole or not at all, so the administrator fixes all lines at once rather than one per attempt.
import { str } from '@lit/localize';
import type { z } from 'zod';
import { newUser, userImportColumns, userImportLimits, type LineProblem } from '#protocol';
import type { ManagedUser } from '../directory/user-admin-tables.js';
import type { Msg } from '../identity/page-locale.js';
import { capProblems, readCsvRows, widthProblem } from './csv-rows.js';

export interface UserCsvContext {
  /** The tenant's verified domains (lower case): a UPN elsewhere could not reach this tenant's sign-in. */
  domains: readonly string[];
  /** The tenant's role names, by lower-case name: a cell may use any case, the stored name is canonical. */
  roles: ReadonlyMap<string, string>;
  /** The tenants that already have these UPNs, by lower-case UPN (UPNs are unique across tenants). */
  ownersOf(upns: readonly string[]): Promise<ReadonlyMap<string, string>>;
  tenantId: string;
  /** The messages' language: the administrator's. */
  t: Msg;
}

export type UserCsv =
  | { ok: true; users: ManagedUser[] }
  | { ok: false; tooLarge: string; problems?: undefined }
  | { ok: false; tooLarge?: undefined; problems: LineProblem[] };

export async function readUserCsv(text: string, ctx: UserCsvContext): Promise<UserCsv> {
  const { t } = ctx;
  const table = readCsvRows(text, { required: userImportColumns, ...userImportLimits, noun: 'users' }, t);
  if (!table.ok) return table;
  const cell = (r: (typeof table.rows)[number], name: (typeof userImportColumns)[number]): string => table.cell(r, name);
  const problems: LineProblem[] = [];
  const users: ManagedUser[] = [];
  const seen = new Map<string, number>();
  // The rows first, then one directory read for every UPN's owner (not one per line), then the checks.
  const parsedRows: { line: number; u: ManagedUser }[] = [];
  for (const row of table.rows) {
    const { line } = row;
    const say = (message: string) => problems.push({ line, message });
    const width = widthProblem(row, table.width, t);
    if (width) {
      say(width);
      continue;
    }
    const roleCells = cell(row, 'roles').split(';').map((r) => r.trim()).filter(Boolean);
    const parsed = newUser.safeParse({
      upn: cell(row, 'upn'), name: cell(row, 'name'), jobTitle: cell(row, 'jobTitle'), company: cell(row, 'company'), roles: roleCells,
    });
    if (!parsed.success) {
      for (const issue of parsed.error.issues) say(cellProblem(issue, t));
      continue;
    }
    parsedRows.push({ line, u: parsed.data as ManagedUser });
  }
  const owners = await ctx.ownersOf(parsedRows.map((r) => r.u.upn));
  for (const { line, u } of parsedRows) {
    const say = (message: string) => problems.push({ line, message });
    const key = u.upn.toLowerCase();
    const earlier = seen.get(key);
    if (earlier !== undefined) say(t(str`upn: ${u.upn} is already on line ${earlier}.`));
    else seen.set(key, line);
    const domain = key.split('@')[1]!;
    const domains = ctx.domains.join(', ');
    if (!ctx.domains.includes(domain)) say(t(str`upn: ${u.upn} is not at a verified domain of this organization (${domains}).`));
    const owner = owners.get(key);
    if (owner !== undefined && owner !== ctx.tenantId) say(t(str`upn: ${u.upn} belongs to another organization.`));
    const unknown = u.roles.filter((r) => !ctx.roles.has(r.toLowerCase()));
    if (unknown.length) say(t(str`roles: no such role: ${unknown.join(', ')}.`));
    users.push({ ...u, roles: u.roles.map((r) => ctx.roles.get(r.toLowerCase()) ?? r) });
  }
  // In line order, as one pass would have said them (a line has problems of one pass only; the sort is stable).
  problems.sort((x, y) => x.line - y.line);
  if (problems.length) return { ok: false, problems: capProblems(problems, t) };
  return { ok: true, users };
}

/** A cell the schema refused (newUser: upn an address, name required, texts of at most 200 characters,
 * at most 50 roles), in the administrator's words rather than the schema library's. */
function cellProblem(issue: z.core.$ZodIssue, t: Msg): string {
  const column = String(issue.path[0] ?? '');
  if (column === 'upn') return t('upn: must be an email address such as ada@example.com');
  if (column === 'name' && issue.code === 'too_small') return t('name: empty; every user needs a name.');
  if (column === 'roles' && issue.path.length === 1 && issue.code === 'too_big') return t(str`roles: at most ${String(issue.maximum)} roles.`);
  if (issue.code === 'too_big') return t(str`${column}: at most ${String(issue.maximum)} characters.`);
  return t(str`${column}: not a valid value.`);
}
