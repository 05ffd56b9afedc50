// `npm run reports:verify` — checks the relay's session-report chain and names the first altered record.
// Usage: tsx scripts/verify-reports.ts [--data-dir DIR | --database postgres://…]
//   SQLite (the default): DIR defaults as the relay's own: RH_DATA_DIR, else ./data/relay. The file
//   checked is DIR/reports.db. Without arguments and with RH_DATABASE_URL set, that PostgreSQL.
//   PostgreSQL (several nodes): --database names the database, as the `database` key of the relay's
//   configuration does; `--database sqlite` is the default above.
// Prints "Report chain intact: N records" and exits 0, or "Report chain BROKEN at record N: <problem>"
// and exits 1 (also 1 when there is no report log to check, 2 on a usage error).
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { loadConfig } from '#relay/config.js';
import { createPgReportLog, createReportLog, type ReportStore } from '#relay/reports/index.js';

const usageLine = 'Usage: tsx scripts/verify-reports.ts [--data-dir DIR | --database postgres://…]   (default: RH_DATA_DIR, else ./data/relay)';

function usage(message: string): never {
  console.error(`${message}\n${usageLine}`);
  process.exit(2);
}

type Target = { kind: 'sqlite'; dataDir: string } | { kind: 'postgres'; url: string };

function targetFromArgs(args: string[]): Target {
  let dir: string | undefined;
  let database: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--data-dir' || a === '--database') {
      const value = args[++i];
      if (!value) usage(`${a} needs a value`);
      if (a === '--data-dir') dir = value;
      else database = value;
    } else if (a.startsWith('--data-dir=')) {
      dir = a.slice('--data-dir='.length);
    } else if (a.startsWith('--database=')) {
      database = a.slice('--database='.length);
    } else if (a === '--help' || a === '-h') {
      console.log(usageLine);
      process.exit(0);
    } else {
      usage(`Unknown argument: ${a}`);
    }
  }
  if (database !== undefined && database !== 'sqlite') {
    if (!/^postgres(ql)?:\/\//.test(database)) usage(`--database is "sqlite" or a postgres:// URL, not "${database}"`);
    if (dir) usage('--data-dir and --database postgres://… name two different logs: give one');
    return { kind: 'postgres', url: database };
  }
  if (dir) return { kind: 'sqlite', dataDir: resolve(dir) };
  // The same defaults and resolution as the relay (config.ts), so both look at the same log: the
  // PostgreSQL of RH_DATABASE_URL when set (and --database does not say sqlite), else the data folder.
  let config;
  try {
    config = loadConfig({ RH_DATA_DIR: process.env.RH_DATA_DIR, RH_DATABASE_URL: process.env.RH_DATABASE_URL });
  } catch (e) {
    usage((e as Error).message);
  }
  if (config.databaseUrl && database === undefined) return { kind: 'postgres', url: config.databaseUrl };
  return { kind: 'sqlite', dataDir: config.dataDir };
}

/** The URL as it may be printed: without its password. */
function shown(url: string): string {
  const u = new URL(url);
  if (u.password) u.password = '***';
  return u.toString();
}

async function open(target: Target): Promise<{ log: ReportStore; close: () => Promise<void> } | string> {
  if (target.kind === 'sqlite') {
    const file = join(target.dataDir, 'reports.db');
    if (!existsSync(file)) return `No report log at ${file}: nothing to verify (is --data-dir / RH_DATA_DIR right?)`;
    const log = createReportLog({ dataDir: target.dataDir });
    return { log, close: () => log.close() };
  }
  const pool = new pg.Pool({ connectionString: target.url, max: 2 });
  // Checked before opening: opening creates the tables, and a mistyped database must not get them.
  const found = await pool.query<{ t: string | null }>("SELECT to_regclass('reports')::text AS t").catch((error: unknown) => error as Error);
  if (found instanceof Error || !found.rows[0]?.t) {
    await pool.end();
    const why = found instanceof Error ? `cannot reach it: ${found.message}` : 'it has no reports table';
    return `No report log in ${shown(target.url)}: ${why} (is --database right?)`;
  }
  const log = await createPgReportLog({ pool });
  return { log, close: async () => { await log.close(); await pool.end(); } };
}

const opened = await open(targetFromArgs(process.argv.slice(2)));
if (typeof opened === 'string') {
  console.error(opened);
  process.exit(1);
}
const started = performance.now();
const result = await opened.log.verify();
const ms = Math.round(performance.now() - started);
await opened.close();

if (result.intact) {
  console.log(`Report chain intact: ${result.checked} records`);
  for (const r of result.removed) {
    console.log(`  ${r.count} record${r.count === 1 ? '' : 's'} removed by retention on ${r.at.slice(0, 10)} (tenant ${r.tenantId}, created before ${r.before})`);
  }
  console.log(`  head hash ${result.headHash} (keep it elsewhere: a later check that does not reach it means records were cut off the end)`);
  console.log(`  checked in ${ms} ms`);
  process.exit(0);
} else {
  console.log(result.message);
  console.log(`  ${result.checked} records checked up to there`);
  process.exit(1);
}
