// What operations cost the relay (issue 12, point 3): the bookkeeping of every socket event (its request
// id, its context, its latency observation), one log line (pino with redaction and the request id), and
// one /metrics scrape with 1,000 and 10,000 live sessions: as one node counts them (kept from the store's
// writes, ops/live-sessions.ts), and as a scrape that reads every session from the store (the way of a
// shared store with several nodes, and of every relay before).
// Standalone: tsx bench/ops-overhead.ts (prints the table, writes bench/results/ops-overhead.json).
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { createMemoryLog } from '#relay/log.js';
import { countedSessionStore, liveSessionsReadFrom } from '#relay/ops/live-sessions.js';
import { createRelayMetrics } from '#relay/ops/metrics.js';
import { newRequestId, runInRequest } from '#relay/ops/request-context.js';
import { createMemorySessionStore } from '#relay/sessions/memory-session-store.js';
import { measure, table, writeResult, type BenchResult } from './stats.js';

const batch = 1000;
const batches = 200;
const liveSessions = [1000, 10_000];
const scrapes = 50;

function timeBatch(fn: () => void): number {
  const start = process.hrtime.bigint();
  for (let i = 0; i < batch; i++) fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}
const round = (samples: number[]) => samples.map((s) => Math.round(s * 10_000) / 10_000);

export async function opsOverhead(): Promise<BenchResult> {
  const metrics = createRelayMetrics();
  const event = () => runInRequest(newRequestId(), () => {
    const started = performance.now();
    metrics.eventHandled('chat:send', (performance.now() - started) / 1000);
  });
  const log = createMemoryLog();
  const line = () => runInRequest('Kq3v9XbT2mLp0aZc', () => log.info('session joined', { sessionId: randomUUID(), warnings: ['unenrolled'], proven: false }));

  // Both ways of counting, each on its own registry, over the same sessions.
  const storeOf = async (sessions: number) => {
    const counted = countedSessionStore(createMemorySessionStore());
    const now = Date.now();
    for (let i = 0; i < sessions; i++) {
      const id = randomUUID();
      await counted.store.insert({
        id, tenantId: 't', state: 'created', createdAt: now, expiresAt: now + 600_000,
        helper: { tenantId: 't', userId: `h${i}`, name: 'Helper', upn: `h${i}@example.test` },
      }, `C${String(i).padStart(7, '0')}`);
      if (i % 3 !== 0) await counted.store.transition(id, ['created'], { state: 'sharing' });
    }
    return counted;
  };
  const scrapeTimes = async (sessions: number, way: 'counted' | 'read') => {
    const counted = await storeOf(sessions);
    const scraped = createRelayMetrics();
    scraped.setSources({ connections: () => 2 * sessions, liveSessions: way === 'counted' ? counted.counts : liveSessionsReadFrom(counted.store) });
    const text = await scraped.registry.metrics();
    if (!text.includes(`rh_live_sessions{state="sharing"} ${sessions - Math.ceil(sessions / 3)}`)) throw new Error(`wrong count (${way}, ${sessions})`);
    const times: number[] = [];
    for (let i = 0; i < scrapes; i++) {
      const start = process.hrtime.bigint();
      await scraped.registry.metrics();
      times.push(Number(process.hrtime.bigint() - start) / 1e6);
    }
    return times;
  };

  for (let i = 0; i < 20; i++) {
    timeBatch(event);
    log.lines.length = 0;
    timeBatch(line);
  }
  const events: number[] = [];
  const lines: number[] = [];
  for (let i = 0; i < batches; i++) {
    events.push(timeBatch(event));
    log.lines.length = 0;
    lines.push(timeBatch(line));
  }
  const scrapeMeasures = [];
  for (const sessions of liveSessions) {
    for (const way of ['counted', 'read'] as const) {
      const what = way === 'counted' ? 'counted as they change (one node)' : 'read from the store at the scrape';
      scrapeMeasures.push(measure(`one /metrics scrape, ${sessions} live sessions ${what}`, round(await scrapeTimes(sessions, way))));
    }
  }
  return {
    name: 'ops-overhead',
    description: 'What request ids, metrics and the JSON log cost the relay',
    measures: [
      measure(`${batch} socket events' bookkeeping (id, context, latency histogram)`, round(events)),
      measure(`${batch} log lines (pino, redaction, requestId)`, round(lines)),
      ...scrapeMeasures,
    ],
    notes: [
      `${batches} timed batches of ${batch} after 20 warm-up batches; ${scrapes} scrapes per line after one untimed; Node ${process.version}; log lines kept in memory (stdout adds a write per line).`,
      'Per event and per line, divide the batch figure by 1000 (a figure in ms per 1000 is µs per one).',
      'A scrape also collects the default process metrics (CPU, memory, GC, event loop lag): that is most of what is left with the counts kept.',
      'With Redis (several nodes) the scrape still reads every live session once (GETs, pipelined by the client), up to 10,000: its cost is the "read from the store" line plus the round trips.',
    ],
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const result = await opsOverhead();
  console.log(`  → ${writeResult(result)}`);
  console.log(`\n${table([result])}`);
}
