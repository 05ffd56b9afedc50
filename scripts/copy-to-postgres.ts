// `npm run db:copy-to-postgres -- --data-dir DIR --database postgres://…` — copies a one-node
// installation's kept data (directory.db, reports.db, device-trust.db, identity/mfa.db, the provider's
// secrets) from its data folder into an empty PostgreSQL, then verifies the report chain there. Prints the
// rows per table on both sides and the chain's verification; exits 0 only when everything matches, 1 when
// something differs, 2 on a refusal (usage, a non-empty or unreachable database). Stop the relay first.
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { isDatabaseValue } from '#relay/operator-config.js';
import { connectPostgres, databaseUrlShown, DatabaseUnavailableError } from '#relay/pg/connect.js';
import { copySqliteToPostgres, CopyRefusedError } from '#relay/pg/copy-from-sqlite.js';
import { Refusal, runCommand } from './tenant-admin-steps.js';

const usage = 'Usage: npm run db:copy-to-postgres -- --data-dir DIR --database postgres://USER@HOST/DB';

async function main(): Promise<void> {
  let values;
  try {
    values = parseArgs({ options: { 'data-dir': { type: 'string' }, database: { type: 'string' } } }).values;
  } catch (e) {
    throw new Refusal(`${(e as Error).message}\n${usage}`);
  }
  const dataDir = values['data-dir'];
  const url = values.database;
  if (!dataDir) throw new Refusal(`--data-dir: the relay's data folder (holding directory.db)\n${usage}`);
  if (!url || !isDatabaseValue(url) || url.trim() === 'sqlite') throw new Refusal(`--database: a postgres:// or postgresql:// URL\n${usage}`);
  let pool;
  try {
    pool = await connectPostgres(url.trim());
  } catch (e) {
    throw e instanceof DatabaseUnavailableError ? new Refusal(e.message) : e;
  }
  try {
    const result = await copySqliteToPostgres(resolve(dataDir), pool);
    console.log(`Copied ${resolve(dataDir)} to ${databaseUrlShown(url)}:`);
    for (const t of result.tables) {
      const same = t.sqlite === t.postgres ? '' : `   DIFFERS: ${t.sqlite} in SQLite`;
      console.log(`  ${`${t.store}.${t.table}`.padEnd(40)} ${String(t.postgres).padStart(8)} rows${same}`);
    }
    console.log(result.verification.message);
    if (result.verification.headHash !== result.sqliteHeadHash) console.log(`Report chain head DIFFERS: ${result.verification.headHash} on PostgreSQL, ${result.sqliteHeadHash} in SQLite`);
    console.log(result.ok ? 'The copy matches the original.' : 'The copy does NOT match the original: do not start the relay on it.');
    if (!result.ok) process.exitCode = 1;
  } catch (e) {
    if (e instanceof CopyRefusedError) throw new Refusal(e.message);
    // Each store's copy was one transaction, but the tables are made before: say how to try again.
    console.error(`The copy stopped: drop and create ${databaseUrlShown(url)} again (empty) before another try.`);
    throw e;
  } finally {
    await pool.end();
  }
}

runCommand(main);
