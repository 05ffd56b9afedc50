// What the administrator's CSV imports (users, devices) share: the size limits, csv-parse with each
// record's line, the header's columns (required ones, optional ones, nothing else, each once), the
// empty-file cases, and a cap on how many problems are listed. Each import checks its own rows.
import { CsvError, parse } from 'csv-parse/sync';
import type { LineProblem } from '#protocol';

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
  /** What a row is, plural: "users", "devices". */
  noun: string;
}

/** Problems listed beyond this many add nothing an administrator can use: the count says the rest. */
const maxProblems = 200;

export function readCsvRows(text: string, shape: CsvShape): CsvRows {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > shape.maxBytes) {
    return { ok: false, tooLarge: `The file is ${bytes} bytes; at most ${shape.maxBytes} bytes can be imported at once. Split it.` };
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
  const [header, ...rest] = records;
  if (!header) return { ok: false, problems: [{ line: 1, message: `The file is empty: it needs the header ${shape.required.join(',')}.` }] };
  const headerProblem = checkHeader(header.record, shape);
  if (headerProblem) return { ok: false, problems: [{ line: header.info.lines, message: headerProblem }] };
  if (rest.length === 0) return { ok: false, problems: [{ line: header.info.lines, message: `The file has a header but no ${shape.noun}.` }] };
  if (rest.length > shape.maxRows) {
    return { ok: false, tooLarge: `The file has ${rest.length} ${shape.noun}; at most ${shape.maxRows} can be imported at once. Split it.` };
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
export function widthProblem(row: CsvRow, width: number): string | undefined {
  return row.record.length === width ? undefined : `It has ${row.record.length} columns; the header has ${width}.`;
}

/** At most maxProblems, then one line saying how many more there are. */
export function capProblems(problems: LineProblem[]): LineProblem[] {
  if (problems.length <= maxProblems) return problems;
  return [...problems.slice(0, maxProblems), { line: problems[maxProblems]!.line, message: `… and ${problems.length - maxProblems} more problems.` }];
}

function checkHeader(names: string[], shape: CsvShape): string | undefined {
  const known = [...shape.required, ...(shape.optional ?? [])];
  const missing = shape.required.filter((c) => !names.includes(c));
  const extra = names.filter((n) => !known.includes(n));
  const twice = names.filter((n, i) => names.indexOf(n) !== i);
  if (!missing.length && !extra.length && !twice.length) return undefined;
  const parts = [
    missing.length ? `missing ${missing.join(', ')}` : '',
    extra.length ? `unknown ${extra.join(', ')}` : '',
    twice.length ? `repeated ${twice.join(', ')}` : '',
  ].filter(Boolean);
  const may = shape.optional?.length ? `, and may name ${shape.optional.join(',')}` : '';
  return `The header must name the columns ${shape.required.join(',')}${may} (in any order): ${parts.join('; ')}.`;
}
