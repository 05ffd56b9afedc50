// Session-report chain on PostgreSQL, as several relay nodes use it: append throughput with two nodes
// (two pools) appending at once — one append() per record, as when sessions end, each node putting
// the appends that arrive while its previous one runs into one transaction under the chain's
// advisory lock — and verify() over 100k records,
// streamed in keyset pages. A throw-away PostgreSQL 15 cluster (Debian's) with fsync and synchronous
// commit on, as in production, on this machine's disk. `tsx bench/report-chain-pg.ts` runs it alone,
// `npm run bench -- --only=report-chain-pg` with the others.
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { createPgReportLog, type ReportStore } from '#relay/reports/index.js';
import { startPostgresServer } from '#test/support/postgres-server.js';
import { syntheticReport } from './report-chain.js';
import { measure, table, writeResult, type BenchResult } from './stats.js';

/** `count` appends from one node, `inFlight` at a time (sessions end concurrently on a node). */
async function appendFromNode(log: ReportStore, first: number, count: number, inFlight: number, latencies: number[]): Promise<void> {
  let next = first;
  const worker = async () => {
    while (next < first + count) {
      const i = next++;
      const started = performance.now();
      await log.append(syntheticReport(i));
      latencies.push(Math.round((performance.now() - started) * 100) / 100);
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
}

export async function reportChainPg(records = 100_000, perNode = 2_000, inFlight = 4, verifyRuns = 3): Promise<BenchResult> {
  const server = await startPostgresServer({ durable: true, database: 'remote_help_bench' });
  const pools = [0, 1].map(() => new pg.Pool({ connectionString: server.url, max: inFlight }));
  try {
    const [nodeA, nodeB] = await Promise.all(pools.map((pool) => createPgReportLog({ pool })));

    // Two nodes appending at once, one transaction per record.
    const latencies: number[] = [];
    let started = performance.now();
    await Promise.all([appendFromNode(nodeA!, 0, perNode, inFlight, latencies), appendFromNode(nodeB!, perNode, perNode, inFlight, latencies)]);
    const concurrentMs = performance.now() - started;
    const concurrentRate = Math.round((2 * perNode) / (concurrentMs / 1000));
    process.stdout.write(`  2 nodes × ${perNode} appends (${inFlight} in flight each): ${Math.round(concurrentMs)} ms, ${concurrentRate} records/s\n`);
    const afterConcurrent = await nodeA!.verify();
    if (!afterConcurrent.intact || afterConcurrent.checked !== 2 * perNode) throw new Error(`chain after concurrent appends: ${afterConcurrent.message}`);

    // Up to `records` in bulk (one transaction), then the walk.
    const bulk = records - 2 * perNode;
    started = performance.now();
    for (let i = 0; i < bulk; i += 10_000) {
      await nodeB!.appendMany(Array.from({ length: Math.min(10_000, bulk - i) }, (_, k) => syntheticReport(2 * perNode + i + k)));
    }
    const bulkMs = Math.round(performance.now() - started);
    process.stdout.write(`  built ${records} records (${bulk} in transactions of 10k): ${bulkMs} ms\n`);

    const verify: number[] = [];
    let heapPeak = 0;
    for (let run = 0; run < verifyRuns; run++) {
      global.gc?.();
      const heapBefore = process.memoryUsage().heapUsed;
      const sampler = setInterval(() => (heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed - heapBefore)), 20);
      started = performance.now();
      const v = await nodeA!.verify();
      verify.push(Math.round(performance.now() - started));
      clearInterval(sampler);
      if (!v.intact || v.checked !== records) throw new Error(`verify: ${v.message}`);
      process.stdout.write(`  verify ${run + 1}/${verifyRuns}: ${verify.at(-1)} ms\n`);
    }

    const list: number[] = [];
    for (let i = 0; i < 5; i++) {
      started = performance.now();
      await nodeB!.list('contoso', { helper: `helper${i}@`, outcome: 'completed', limit: 50 });
      list.push(Math.round((performance.now() - started) * 100) / 100);
    }

    return {
      name: 'report-chain-pg',
      description: `Session-report chain on PostgreSQL: 2 nodes appending at once, verify() over ${records.toLocaleString('en')} records`,
      measures: [
        measure(`2 nodes × ${perNode} appends at once (wall)`, [Math.round(concurrentMs)]),
        measure('append() of 1 record, 2 nodes busy', latencies),
        measure(`verify ${records / 1000}k records`, verify, '≤ 3000'),
        measure(`append ${(bulk / 1000).toFixed(0)}k in transactions of 10k`, [bulkMs]),
        measure('list: helper filter, page of 50', list),
      ],
      notes: [
        `append throughput, 2 nodes (2 pools of ${inFlight}) appending at once, ${inFlight} append() calls in flight per node: ${concurrentRate.toLocaleString('en')} records/s in all (each commit waits for its WAL flush while holding the chain lock)`,
        `verify ${records.toLocaleString('en')} records: median ${(verify.slice().sort((a, b) => a - b)[Math.floor(verify.length / 2)]! / 1000).toFixed(2)} s; keyset pages of 5000 in one REPEATABLE READ snapshot, the next page fetched while one is hashed; heap growth during a walk at most ${Math.round(heapPeak / 1e6)} MB, garbage not yet collected included (sampled every 20 ms)`,
        'PostgreSQL 15 (Debian), throw-away cluster on the local disk, fsync and synchronous_commit on, client and server on loopback sharing this machine',
        `machine: ${process.platform} ${process.arch}, Node ${process.version}`,
      ],
    };
  } finally {
    for (const pool of pools) await pool.end().catch(() => undefined);
    await server.stop();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const result = await reportChainPg();
  console.log(`  → ${writeResult(result)}\n\n${table([result])}`);
}
