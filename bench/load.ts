// Issue 12's load figures for one relay node: for each number of sessions, pairs of socket.io-clients
// (a separate generator process) sign in, create, join, consent, chat one message a second per side,
// and end. Reports chat ack p50/p99, join p99, relay CPU per message, heap per connection after GC,
// messages lost or duplicated, sessions ended unasked, and how many new sessions were refused with
// `overloaded` past capacity. Quick run: tsx bench/load.ts --sessions=200 --chat-seconds=10
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { demoPassword } from '#relay/directory/index.js';
import { demo } from '#test/support/relay.js';
import { signInForToken } from '#test/support/sign-in.js';
import { bigMeasure, flag } from './load/figures.js';
import { startRelayNode, type RelayNode } from './load/relay-node.js';
import { runLoad, saturation, type LoadRun } from './load/run-load.js';
import { writeResult, type BenchResult } from './stats.js';

export interface LoadOptions {
  sizes: number[];
  chatSeconds: number;
  rampPerSecond: number;
}

export const loadOptions = (defaults: LoadOptions): LoadOptions => ({
  sizes: flag('sessions')?.split(',').map(Number) ?? defaults.sizes,
  chatSeconds: Number(flag('chat-seconds') ?? defaults.chatSeconds),
  rampPerSecond: Number(flag('ramp') ?? defaults.rampPerSecond),
});

/** What every node of a load run is told: limits for one person's many connections out of the way
 * (the generator signs every pair in as the same two demo users), the rest as shipped. */
export const loadEnv = (dataDir: string): Record<string, string> => ({
  RH_DATA_DIR: dataDir,
  RH_WEB_DIST: join(dataDir, 'no-web'),
  RH_CREATES_PER_USER: '100000',
  RH_JOIN_FAILURES_PER_USER: '10000',
  RH_JOIN_FAILURES_PER_ADDRESS: '100000',
  RH_CONNECTIONS_PER_USER: '10000',
  RH_CONNECTIONS_PER_ADDRESS: '1000000',
  RH_LIVE_SESSIONS_PER_HELPER: '10000',
  RH_RECONNECT_GRACE_MS: '120000',
  RH_LOG_LEVEL: 'warn',
  ...benchRelaySettings(),
});

/** BENCH_RH_X=v: the relay gets RH_X=v (an A/B on a shared machine may raise RH_OVERLOAD_LAG_MS, so
 * that other people's work does not make the relay shed a different number of sessions each run; a run
 * may try another heartbeat, RH_PING_INTERVAL_MS, which the floor then takes too). */
export const benchRelaySettings = (): Record<string, string> =>
  Object.fromEntries(Object.entries(process.env).filter(([k, v]) => k.startsWith('BENCH_RH_') && v !== undefined).map(([k, v]) => [k.slice('BENCH_'.length), v!]));

export async function signedInPair(url: string, caPem: string): Promise<{ helperToken: string; sharerToken: string }> {
  const [helperToken, sharerToken] = await Promise.all([signInForToken(url, demo.contosoHelper, demoPassword, caPem), signInForToken(url, demo.contosoSharer, demoPassword, caPem)]);
  return { helperToken, sharerToken };
}

const kb = (bytes: number) => Math.round(bytes / 102.4) / 10;
const us = (ms: number) => Math.round(ms * 1000);

export function runLine(r: LoadRun): string {
  const g = r.result;
  const p = (xs: number[], q: number) => bigMeasure('', xs)[q === 50 ? 'median' : 'p99'];
  return `${r.sessions} offered: ${g.established} held, ${g.refused} refused overloaded${g.failed ? `, ${g.failed} failed` : ''}; chat ack p50 ${p(g.chatAckMs, 50)} ms p99 ${p(g.chatAckMs, 99)} ms; join p99 ${p(g.joinMs, 99)} ms; `
    + `relay CPU ${us(r.cpuPerMessageMs)} µs/message, ${us(r.netCpuPerMessageMs)} µs net of holding the sessions (busy ${r.cpuShare.map((c) => `${Math.round(c * 100)} %`).join(' + ')}); heap/connection ${kb(r.heapPerConnectionAfterRamp)} KB after ramp, ${kb(r.heapPerConnectionAfterChat)} KB after chat (+ ${kb(r.externalPerConnectionAfterChat)} KB outside the heap); `
    + `${g.sent} messages, ${g.lost} lost, ${g.duplicated} duplicated, ${g.echoed} echoed, ${g.unacked} unacked${g.unacked ? ` ${JSON.stringify(g.unackedCodes)}` : ''}; ${g.endedUnasked} sessions ended unasked, ${g.droppedSockets} sockets dropped${g.droppedSockets ? ` ${JSON.stringify(g.disconnectReasons)}` : ''}; `
    + `chat:send inside the relay (its /metrics) p50 ${r.relayChatSend.p50Ms} ms p99 ${r.relayChatSend.p99Ms} ms mean ${r.relayChatSend.meanMs} ms; `
    + `the generator's own event-loop delay p50 ${r.generatorLoopDelay.p50Ms} ms p99 ${r.generatorLoopDelay.p99Ms} ms max ${r.generatorLoopDelay.maxMs} ms; `
    + `the relay's event-loop delay ${r.relayLoopDelay.map((d) => `p99 ${d.p99Ms} ms max ${d.maxMs} ms`).join(', ')}; `
    + `${r.redis ? `redis-server ${us(r.redis.cpuPerMessageMs)} µs/message (busy ${Math.round(r.redis.cpuShare * 100)} %); ` : ''}${saturation(r)}`;
}

export function measuresOf(runs: LoadRun[], label: string) {
  return runs.flatMap((r) => [
    bigMeasure(`${label}${r.sessions} sessions: chat ack`, r.result.chatAckMs, r.sessions === 2000 ? 'p99 ≤ 50' : undefined),
    bigMeasure(`${label}${r.sessions} sessions: join ack`, r.result.joinMs),
  ]);
}

export const summaryOf = (r: LoadRun) => ({
  sessions: r.sessions, held: r.result.established, refusedOverloaded: r.result.refused, refusedAt: r.result.refusedAt, failed: r.result.failed, failures: r.result.failures,
  chatAckP50Ms: bigMeasure('', r.result.chatAckMs).median, chatAckP99Ms: bigMeasure('', r.result.chatAckMs).p99, joinP99Ms: bigMeasure('', r.result.joinMs).p99,
  relayCpuPerMessageUs: us(r.cpuPerMessageMs), ...(r.redis ? { redisCpuPerMessageUs: us(r.redis.cpuPerMessageMs), redisCpuShare: r.redis.cpuShare } : {}), relayNetCpuPerMessageUs: us(r.netCpuPerMessageMs), relayCpuShare: r.cpuShare, heapPerConnectionKbAfterRamp: kb(r.heapPerConnectionAfterRamp), heapPerConnectionKbAfterChat: kb(r.heapPerConnectionAfterChat), externalPerConnectionKbAfterChat: kb(r.externalPerConnectionAfterChat),
  messages: r.result.sent, lost: r.result.lost, duplicated: r.result.duplicated, echoed: r.result.echoed, unacked: r.result.unacked, unackedCodes: r.result.unackedCodes,
  sessionsEndedUnasked: r.result.endedUnasked, socketsDropped: r.result.droppedSockets, disconnectReasons: r.result.disconnectReasons, rampMs: r.rampMs, chatMs: r.chatMs,
  generatorLoopDelayP99Ms: r.generatorLoopDelay.p99Ms, generatorLoopDelayMaxMs: r.generatorLoopDelay.maxMs,
  relayChatSendP50Ms: r.relayChatSend.p50Ms, relayChatSendP99Ms: r.relayChatSend.p99Ms, relayChatSendMeanMs: r.relayChatSend.meanMs, relayChatSendCount: r.relayChatSend.count,
  generatorCpuShare: r.generatorCpuShare, cores: r.cores, machineBusyShare: r.machineBusyShare, saturation: saturation(r),
});

/** What the notes say of the chat window's CPU and of the relay's own latency, for every run. */
export const saturationNotes = [
  'saturation: the relay\'s and the generator\'s CPU (from /proc, over the chat window) against the machine\'s cores, and how busy the whole machine was (/proc/stat); SATURATED by the relay when a node is busy ≥ 90 % of its one thread, SATURATED when relay + generator use ≥ 90 % of the machine (the acks then include waiting for a core), by other work when the machine is ≥ 90 % busy without them',
  'chat:send inside the relay: the relay\'s own event latency histogram (rh_event_duration_seconds, arrival to answer) read before and after the chat window; it leaves out the generator\'s lag and the network, and is as fine as its buckets (1, 2.5, 5, 10, 25, 50 ms …); the mean is exact',
];

export async function loadBench(opts = loadOptions({ sizes: [500, 1000, 2000, 4000], chatSeconds: 30, rampPerSecond: 50 })): Promise<BenchResult & { runs: ReturnType<typeof summaryOf>[] }> {
  const runs: LoadRun[] = [];
  for (const sessions of opts.sizes) {
    const dataDir = mkdtempSync(join(tmpdir(), 'rh-load-'));
    let node: RelayNode | undefined;
    try {
      node = await startRelayNode(loadEnv(dataDir));
      const caPem = readFileSync(join(dataDir, 'tls', 'ca.pem'), 'utf8');
      const tokens = await signedInPair(node.url, caPem);
      const run = await runLoad([node], { ca: caPem, ...tokens, sessions, rampPerSecond: opts.rampPerSecond, chatSeconds: opts.chatSeconds }, (l) => process.stdout.write(`${l}\n`));
      runs.push(run);
      process.stdout.write(`  ${runLine(run)}\n`);
      for (const w of node.warnings.slice(0, 10)) process.stdout.write(`    relay: ${w}\n`);
    } finally {
      await node?.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }
  return {
    name: 'load',
    description: 'One relay node under load: pairs of socket.io-clients (a separate generator process) create, join, consent, chat one message a second per side, and end',
    measures: measuresOf(runs, ''),
    notes: [
      ...runs.map(runLine),
      `ramp ${opts.rampPerSecond} new pairs a second, then ${opts.chatSeconds} s of chat; the relay is relay/src/main.ts in its own process (node --expose-gc, a bench-only probe for heap after GC), CPU from /proc over the chat window divided by the acknowledged messages (each is one ack and one push to the peer; heartbeats and sweeps included)`,
      'the generator and the relay share this 2-core machine (with other work on it: timings are noisy); CPU per message does not depend on the generator',
      'heap per connection: heap after GC with the sessions live, less the idle node\'s, over the connections held; "after chat" includes each session\'s chat thread, which the relay holds until the session ends',
      ...saturationNotes,
      ...runs.map((r) => `${r.sessions} sessions: ${saturation(r)}`),
    ],
    runs: runs.map(summaryOf),
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const result = await loadBench();
  process.stdout.write(`  → ${writeResult(result)}\n`);
  process.exit(0);
}
