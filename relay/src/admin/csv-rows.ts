// What the administrator's CSV imports (users, devices) share: the size limits, csv-parse with each
// record's line, the header's columns (required ones, optional ones, nothing else, each once), the
// empty-file cases, and a cap on how many problems are listed. Each import checks its own rows.
// Every message is written as t('…') in the caller's language (relay/src/identity/page-locale.ts).
import { str } from '@lit/localize';
import { CsvError, parse } from 'csv-parse/sync';
import type { LineProblem } from '#protocol';
import type { Msg } from '../identity/page-locale.js';

export interface CsvRow {
  record: string[];
  /** The line the record ends on, as an editor numbers it (1 = the header). */
  line: number;
}

export type CsvRows =
  | { ok: true; rows: CsvRow[]; cell: (row: CsvRow, column: string) => string; has: (column: string) => boolean; width: number }
  | { ok: false; tooLarge: string; problems?: undefined }
  | { ok: false; tooLarge?: undefined; problems: LineProblem[] };

export interface CsvShape {
  required: readonly string[];
  optional?: readonly string[];
  maxBytes: number;
  maxRows: number;
  /** What a row is: each has its own sentences (a noun is inflected differently in each language). */
  noun: 'users' | 'devices';
}

/** Problems listed beyond this many add nothing an administrator can use: the count says the rest. */
const maxProblems = 200;

export function readCsvRows(text: string, shape: CsvShape, t: Msg): CsvRows {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > shape.maxBytes) {
    return { ok: false, tooLarge: t(str`The file is ${bytes} bytes; at most ${shape.maxBytes} bytes can be imported at once. Split it.`) };
  }
  let records: { record: string[]; info: { lines: number } }[];
  try {
    // Arrays, not objects, and any column count: a short or long row is reported with its line like any
    // other problem instead of stopping the whole read.
    records = parse(text, { bom: true, skip_empty_lines: true, trim: true, relax_column_count: true, info: true }) as unknown as typeof records;
  } catch (e) {
    if (e instanceof CsvError) return { ok: false, problems: [{ line: (e as CsvError & { lines?: number }).lines ?? 1, message: csvErrorText(e, t) }] };
    throw e;
  }
  const [header, ...rest] = records;
  if (!header) return { ok: false, problems: [{ line: 1, message: t(str`The file is empty: it needs the header ${shape.required.join(',')}.`) }] };
  const headerProblem = checkHeader(header.record, shape, t);
  if (headerProblem) return { ok: false, problems: [{ line: header.info.lines, message: headerProblem }] };
  if (rest.length === 0) {
    const message = shape.noun === 'users' ? t('The file has a header but no users.') : t('The file has a header but no devices.');
    return { ok: false, problems: [{ line: header.info.lines, message }] };
  }
  if (rest.length > shape.maxRows) {
    const count = rest.length;
    const max = shape.maxRows;
    return {
      ok: false,
      tooLarge: shape.noun === 'users'
        ? t(str`The file has ${count} users; at most ${max} can be imported at once. Split it.`)
        : t(str`The file has ${count} devices; at most ${max} can be imported at once. Split it.`),
    };
  }
  const column = new Map(header.record.map((name, i) => [name, i]));
  const width = header.record.length;
  return {
    ok: true,
    width,
    rows: rest.map((r) => ({ record: r.record, line: r.info.lines })),
    has: (name) => column.has(name),
    cell: (row, name) => {
      const i = column.get(name);
      return i === undefined ? '' : (row.record[i] ?? '');
    },
  };
}

/** The row's column count, when it is not the header's: every other check of that row is moot. */
export function widthProblem(row: CsvRow, width: number, t: Msg): string | undefined {
  const columns = row.record.length;
  return columns === width ? undefined : t(str`It has ${columns} columns; the header has ${width}.`);
}

/** At most maxProblems, then one line saying how many more there are. */
export function capProblems(problems: LineProblem[], t: Msg): LineProblem[] {
  if (problems.length <= maxProblems) return problems;
  const more = problems.length - maxProblems;
  return [...problems.slice(0, maxProblems), { line: problems[maxProblems]!.line, message: t(str`… and ${more} more problems.`) }];
}

/** csv-parse's own messages are a developer's English: the administrator is told what to look at. */
function csvErrorText(e: CsvError, t: Msg): string {
  return /QUOTE/.test(e.code)
    ? t('A quoted cell is not closed, or a quote is out of place: check the quotes on this line.')
    : t('This line cannot be read as CSV.');
}

function checkHeader(names: string[], shape: CsvShape, t: Msg): string | undefined {
  const known = [...shape.required, ...(shape.optional ?? [])];
  const missing = shape.required.filter((c) => !names.includes(c));
  const extra = names.filter((n) => !known.includes(n));
  const twice = names.filter((n, i) => names.indexOf(n) !== i);
  if (!missing.length && !extra.length && !twice.length) return undefined;
  const parts = [
    missing.length ? t(str`missing ${missing.join(', ')}`) : '',
    extra.length ? t(str`unknown ${extra.join(', ')}`) : '',
    twice.length ? t(str`repeated ${twice.join(', ')}`) : '',
  ].filter(Boolean).join('; ');
  const required = shape.required.join(',');
  const optional = shape.optional?.join(',');
  return optional
    ? t(str`The header must name the columns ${required}, and may name ${optional} (in any order): ${parts}.`)
    : t(str`The header must name the columns ${required} (in any order): ${parts}.`);
}
