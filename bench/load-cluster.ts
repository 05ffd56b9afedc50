// Issue 12's load figures for two relay nodes on one Redis: the same pairs as bench/load.ts, spread as a
// load balancer would (half of them with helper and sharer on different nodes), to compare the
// sessions two nodes hold at the same chat ack p99 with what one node holds (target ≥ 1.8×).
// Quick run: tsx bench/load-cluster.ts --sessions=400 --chat-seconds=10
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { freePort, startRedisServer } from '#test/support/redis-server.js';
import { loadEnv, loadOptions, measuresOf, runLine, saturationNotes, signedInPair, summaryOf } from './load.js';
import { startRelayNode, type RelayNode } from './load/relay-node.js';
import { runLoad, saturation, type LoadRun } from './load/run-load.js';
import { writeResult, type BenchResult } from './stats.js';

export async function loadClusterBench(opts = loadOptions({ sizes: [1000, 2000, 4000], chatSeconds: 30, rampPerSecond: 50 })): Promise<BenchResult & { runs: ReturnType<typeof summaryOf>[] }> {
  const runs: LoadRun[] = [];
  for (const sessions of opts.sizes) {
    const dataDir = mkdtempSync(join(tmpdir(), 'rh-load-cluster-'));
    const redis = await startRedisServer();
    const nodes: RelayNode[] = [];
    try {
      // One after the other: the first makes the local CA and the demo tenants in the shared folder.
      // One public URL for both, as behind a load balancer: it is the tokens' issuer, which both accept;
      // the generator reaches each node on its own port.
      const ports = [await freePort(), await freePort()];
      for (const port of ports) {
        nodes.push(await startRelayNode({ ...loadEnv(dataDir), RH_REDIS_URL: redis.url, RH_PORT: String(port), RH_PUBLIC_URL: `https://localhost:${ports[0]}` }, `https://localhost:${port}`));
      }
      const caPem = readFileSync(join(dataDir, 'tls', 'ca.pem'), 'utf8');
      const tokens = await signedInPair(nodes[0]!.url, caPem);
      const run = await runLoad(nodes, { ca: caPem, ...tokens, sessions, rampPerSecond: opts.rampPerSecond, chatSeconds: opts.chatSeconds }, (l) => process.stdout.write(`${l}\n`), { redisPid: redis.child.pid });
      runs.push(run);
      process.stdout.write(`  two nodes, ${runLine(run)}\n`);
    } finally {
      await Promise.allSettled(nodes.map((n) => n.stop()));
      await redis.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }
  return {
    name: 'load-cluster',
    description: 'Two relay nodes on one Redis under load: the pairs of bench/load.ts, half of them across nodes',
    measures: measuresOf(runs, 'two nodes, '),
    notes: [
      ...runs.map((r) => `two nodes, ${runLine(r)}`),
      `ramp ${opts.rampPerSecond} new pairs a second, then ${opts.chatSeconds} s of chat; CPU per message is both nodes' CPU (from /proc) over the acknowledged messages; redis-server's own CPU is given beside it, not in it`,
      'both nodes, redis-server and the generator share this 2-core machine (with other work on it: timings are noisy); redis-server counts as other work',
      ...saturationNotes,
      ...runs.map((r) => `two nodes, ${r.sessions} sessions: ${saturation(r)}`),
    ],
    runs: runs.map(summaryOf),
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const result = await loadClusterBench();
  process.stdout.write(`  → ${writeResult(result)}\n`);
  process.exit(0);
}
