// `npm run reports:verify` — checks the relay's session-report chain and names the first altered record.
// Usage: tsx scripts/verify-reports.ts [--data-dir DIR]
//   DIR defaults as the relay's own: RH_DATA_DIR, else ./data/relay. The file checked is DIR/reports.db.
// Prints "Report chain intact: N records" and exits 0, or "Report chain BROKEN at record N: <problem>"
// and exits 1 (also 1 when there is no report file to check, 2 on a usage error).
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadConfig } from '#relay/config.js';
import { createReportLog } from '#relay/reports/index.js';

function usage(message: string): never {
  console.error(`${message}\nUsage: tsx scripts/verify-reports.ts [--data-dir DIR]`);
  process.exit(2);
}

function dataDirFromArgs(args: string[]): string {
  let dir: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--data-dir') {
      dir = args[++i];
      if (!dir) usage('--data-dir needs a folder');
    } else if (a.startsWith('--data-dir=')) {
      dir = a.slice('--data-dir='.length);
    } else if (a === '--help' || a === '-h') {
      console.log('Usage: tsx scripts/verify-reports.ts [--data-dir DIR]   (default: RH_DATA_DIR, else ./data/relay)');
      process.exit(0);
    } else {
      usage(`Unknown argument: ${a}`);
    }
  }
  // The same default and resolution as the relay (config.ts), so both look at the same file.
  return dir ? resolve(dir) : loadConfig({ RH_DATA_DIR: process.env.RH_DATA_DIR }).dataDir;
}

const dataDir = dataDirFromArgs(process.argv.slice(2));
if (!existsSync(join(dataDir, 'reports.db'))) {
  console.error(`No report log at ${join(dataDir, 'reports.db')}: nothing to verify (is --data-dir / RH_DATA_DIR right?)`);
  process.exit(1);
}

const log = createReportLog({ dataDir });
const started = performance.now();
const result = log.verify();
const ms = Math.round(performance.now() - started);
log.close();

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
