// What operations cost the relay (issue 12, point 3): the bookkeeping of every socket event (its request
// id, its context, its latency observation), one log line (pino with redaction and the request id), and
// one /metrics scrape with live sessions in the store (read at scrape time).
// Standalone: tsx bench/ops-overhead.ts (prints the table, writes bench/results/ops-overhead.json).
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { createMemoryLog } from '#relay/log.js';
import { liveSessionsByState } from '#relay/ops/live-sessions.js';
import { createRelayMetrics } from '#relay/ops/metrics.js';
import { newRequestId, runInRequest } from '#relay/ops/request-context.js';
import { createMemorySessionStore } from '#relay/sessions/memory-session-store.js';
import { measure, table, writeResult, type BenchResult } from './stats.js';

const batch = 1000;
const batches = 200;
const liveSessions = 1000;

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

  const store = createMemorySessionStore();
  const now = Date.now();
  for (let i = 0; i < liveSessions; i++) {
    const id = randomUUID();
    await store.insert({
      id, tenantId: 't', state: i % 3 === 0 ? 'created' : 'sharing', createdAt: now, expiresAt: now + 600_000,
      helper: { tenantId: 't', userId: `h${i}`, name: 'Helper', upn: `h${i}@example.test` },
    }, `C${String(i).padStart(7, '0')}`);
  }
  metrics.setSources({ connections: () => 2 * liveSessions, liveSessions: () => liveSessionsByState(store) });

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
  const scrapes: number[] = [];
  for (let i = 0; i < 100; i++) {
    const start = process.hrtime.bigint();
    await metrics.registry.metrics();
    scrapes.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return {
    name: 'ops-overhead',
    description: 'What request ids, metrics and the JSON log cost the relay',
    measures: [
      measure(`${batch} socket events' bookkeeping (id, context, latency histogram)`, round(events)),
      measure(`${batch} log lines (pino, redaction, requestId)`, round(lines)),
      measure(`one /metrics scrape, ${liveSessions} live sessions in the memory store`, round(scrapes)),
    ],
    notes: [
      `${batches} timed batches of ${batch} after 20 warm-up batches; 100 scrapes; Node ${process.version}; log lines kept in memory (stdout adds a write per line).`,
      'Per event and per line, divide the batch figure by 1000 (a figure in ms per 1000 is µs per one).',
      'With Redis the scrape reads every live session once (GETs, pipelined by the client), up to 10,000.',
    ],
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const result = await opsOverhead();
  console.log(`  → ${writeResult(result)}`);
  console.log(`\n${table([result])}`);
}
