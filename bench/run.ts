// `npm run bench`: the one entry point for every benchmark. Starts the whole system once (as the
// end-to-end tests do), runs each benchmark, prints one table, writes bench/results/<name>.json.
// Usage: tsx bench/run.ts [--only=name[,name]] (and the load benchmarks' own flags, bench/load.ts)
import { launchBrowser } from '#test/support/browser.js';
import { startSystem } from '#test/support/system.js';
import { clusterBench } from './cluster.js';
import { clusterFailover } from './cluster-failover.js';
import { loadBench } from './load.js';
import { loadClusterBench } from './load-cluster.js';
import { loadFloorBench } from './load-floor.js';
import { opsOverhead } from './ops-overhead.js';
import { connectToFirstFrame } from './connect-to-first-frame.js';
import { verificationCodeBench } from './verification-code.js';
import { intuneSync } from './intune-sync.js';
import { policyEvaluation } from './policy-evaluation.js';
import { sessionResume } from './session-resume.js';
import { sharerLeaves } from './sharer-leaves.js';
import { inventoryBench } from './inventory.js';
import { inventoryKeystroke } from './inventory-keystroke.js';
import { relayStart } from './relay-start.js';
import { reportChain } from './report-chain.js';
import { reportChainPg } from './report-chain-pg.js';
import { scimImport } from './scim-import.js';
import { signInSources } from './sign-in-sources.js';
import { webPages } from './web-pages.js';
import { table, writeResult, type BenchResult } from './stats.js';
import type { Browser } from 'playwright-core';
import type { RunningSystem } from '#test/support/system.js';

const benchmarks: Record<string, (system: RunningSystem, browser: Browser) => Promise<BenchResult>> = {
  'connect-to-first-frame': (s, b) => connectToFirstFrame(s, b),
  'verification-code': (s, b) => verificationCodeBench(s, b),
  'sharer-leaves': (s, b) => sharerLeaves(s, b),
  'session-resume': (s, b) => sessionResume(s, b),
  'policy-evaluation': () => policyEvaluation(),
  inventory: () => inventoryBench(),
  'inventory-keystroke': () => inventoryKeystroke(),
  'report-chain': () => reportChain(),
  'report-chain-pg': () => reportChainPg(),
  'relay-start': () => relayStart(),
  'ops-overhead': () => opsOverhead(),
  'scim-import': () => scimImport(),
  'intune-sync': () => intuneSync(),
  'sign-in-sources': (_s, b) => signInSources(b),
  'web-pages': (s, b) => webPages(s, b),
  cluster: () => clusterBench(),
  'cluster-failover': (_s, b) => clusterFailover(b),
  // Flags for a quicker run: --sessions=500,1000 --chat-seconds=10 --ramp=50
  load: () => loadBench(),
  'load-cluster': () => loadClusterBench(),
  'load-floor': () => loadFloorBench(),
};

const only = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length).split(',');
const chosen = Object.keys(benchmarks).filter((n) => !only || only.includes(n));
if (chosen.length === 0) {
  console.error(`No benchmark matches ${only?.join(',')}. Known: ${Object.keys(benchmarks).join(', ')}`);
  process.exit(2);
}

const started = Date.now();
const [system, browser] = await Promise.all([startSystem({ console: false }), launchBrowser()]);
const results: BenchResult[] = [];
let failed = false;
try {
  for (const name of chosen) {
    console.log(`\n${name}`);
    try {
      const result = await benchmarks[name]!(system, browser);
      results.push(result);
      console.log(`  → ${writeResult(result)}`);
    } catch (e) {
      failed = true;
      console.error(`  ${name} failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
} finally {
  await browser.close().catch(() => undefined);
  await system.stop();
}
if (results.length) console.log(`\n${table(results)}`);
console.log(`\nbench: ${results.length} of ${chosen.length} benchmarks done in ${Math.round((Date.now() - started) / 1000)} s`);
process.exit(failed ? 1 : 0);
