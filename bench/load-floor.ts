// The floor under the load benchmark (bench/load.ts): the same chat, one message a second per side, on
// Socket.IO over HTTPS with a handler that does nothing of the product's (load/floor-server.ts), run with
// the relay's Node.js flags on the same machine. The relay's CPU per message less this floor's is what the
// product's own work costs; the floor's ack p99 is the best a relay could hold on this machine that day.
// Quick run: tsx bench/load-floor.ts --sessions=2000 --chat-seconds=30
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { bigMeasure, cpuMsOf, machineTicks } from './load/figures.js';
import type { FloorGeneratorConfig, FloorGeneratorMessage } from './load/floor-generator.js';
import { benchNodeFlags } from './load/relay-node.js';
import { benchRelaySettings, loadOptions } from './load.js';
import { writeResult, type BenchResult } from './stats.js';
import { loadConfig } from '#relay/config.js';

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));

interface FloorRun {
  sessions: number;
  ackMs: number[];
  lost: number;
  /** Sent and never acknowledged (within 2 s of the window's end): in neither the acks' times nor `lost`. */
  unacked: number;
  cpuPerMessageUs: number;
  netCpuPerMessageUs: number;
  busy: number;
  generatorBusy: number;
  machineBusy: number;
}

/** The next message of `phase` from the generator. */
function phase<P extends FloorGeneratorMessage['phase']>(gen: ChildProcess, p: P): Promise<Extract<FloorGeneratorMessage, { phase: P }>> {
  return new Promise((resolve, reject) => {
    const onMessage = (m: FloorGeneratorMessage) => {
      if (m.phase !== p) return;
      gen.off('message', onMessage);
      gen.off('exit', onExit);
      resolve(m as Extract<FloorGeneratorMessage, { phase: P }>);
    };
    const onExit = (code: number | null) => reject(new Error(`the floor generator exited (${code}) before "${p}"`));
    const timer = setTimeout(() => reject(new Error(`no "${p}" from the floor generator within 10 minutes`)), 600_000);
    timer.unref();
    gen.on('message', onMessage);
    gen.once('exit', onExit);
  });
}

/** The relay's own heartbeat, as the load benchmark's relay runs it (its defaults, or BENCH_RH_PING_*). */
const heartbeat = () => loadConfig(benchRelaySettings());

async function floorRun(sessions: number, chatSeconds: number): Promise<FloorRun> {
  const dataDir = mkdtempSync(join(tmpdir(), 'rh-floor-'));
  const { pingIntervalMs, pingTimeoutMs } = heartbeat();
  const server = spawn(process.execPath, [...benchNodeFlags(), '--import', 'tsx', here('./load/floor-server.ts'), dataDir, String(pingIntervalMs), String(pingTimeoutMs)], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let gen: ChildProcess | undefined;
  try {
    const [{ port, ca }] = await Promise.race([
      once(server, 'message') as Promise<[{ port: number; ca: string }]>,
      once(server, 'exit').then(([code]) => Promise.reject(new Error(`the floor server exited (${String(code)}) before listening`))),
    ]);
    gen = fork(here('./load/floor-generator.ts'), [], { execArgv: [...benchNodeFlags(), '--import', 'tsx'] });
    const config: FloorGeneratorConfig = { port, ca, sessions, holdSeconds: chatSeconds, chatSeconds };
    gen.send(config);
    await phase(gen, 'connected');
    const held0 = { at: performance.now(), cpu: cpuMsOf(server.pid!) };
    await phase(gen, 'chatting');
    const chat0 = { at: performance.now(), cpu: cpuMsOf(server.pid!), gen: cpuMsOf(gen.pid!), machine: machineTicks() };
    await phase(gen, 'chatted');
    const chat1 = { at: performance.now(), cpu: cpuMsOf(server.pid!), gen: cpuMsOf(gen.pid!), machine: machineTicks() };
    const { ackMs, lost, unacked } = await phase(gen, 'done');
    const chatMs = chat1.at - chat0.at;
    const holdingPerMs = (chat0.cpu - held0.cpu) / (chat0.at - held0.at);
    const cpuMs = chat1.cpu - chat0.cpu;
    return {
      sessions, ackMs, lost, unacked,
      cpuPerMessageUs: Math.round((cpuMs / ackMs.length) * 1000),
      netCpuPerMessageUs: Math.round(((cpuMs - holdingPerMs * chatMs) / ackMs.length) * 1000),
      busy: cpuMs / chatMs,
      generatorBusy: (chat1.gen - chat0.gen) / chatMs,
      machineBusy: (chat1.machine.busy - chat0.machine.busy) / (chat1.machine.total - chat0.machine.total),
    };
  } finally {
    gen?.kill();
    server.kill();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const pct = (x: number) => `${Math.round(x * 100)} %`;

export async function loadFloorBench(opts = loadOptions({ sizes: [2000], chatSeconds: 30, rampPerSecond: 50 })): Promise<BenchResult & { runs: object[] }> {
  const runs: FloorRun[] = [];
  for (const sessions of opts.sizes) {
    const run = await floorRun(sessions, opts.chatSeconds);
    runs.push(run);
    const ack = bigMeasure('', run.ackMs);
    process.stdout.write(`  floor, ${sessions} sessions: chat ack p50 ${ack.median} ms p99 ${ack.p99} ms; ${run.ackMs.length} messages, ${run.lost} lost, ${run.unacked} unacked; `
      + `CPU ${run.cpuPerMessageUs} µs/message, ${run.netCpuPerMessageUs} µs net of holding (busy ${pct(run.busy)}); generator ${pct(run.generatorBusy)} of a core; machine ${pct(run.machineBusy)} of ${cpus().length} cores\n`);
  }
  return {
    name: 'load-floor',
    description: 'The floor under the load benchmark: the same chat on Socket.IO over HTTPS with a handler that only numbers, acknowledges and forwards (no product work), with the relay\'s Node.js flags',
    measures: runs.map((r) => bigMeasure(`floor, ${r.sessions} sessions: chat ack`, r.ackMs)),
    notes: [
      ...runs.map((r) => `${r.sessions} sessions: ${r.cpuPerMessageUs} µs of CPU a message (${r.netCpuPerMessageUs} µs net of holding the connections), busy ${pct(r.busy)}, ${r.lost} lost, ${r.unacked} unacked; generator ${pct(r.generatorBusy)} of a core, machine ${pct(r.machineBusy)} busy`),
      'unlike the load benchmark, the pairs connect about 500 a second (no sign-in, no sessions to make)',
      `the server beats as the relay does: a ping every ${heartbeat().pingIntervalMs} ms, a pong waited for ${heartbeat().pingTimeoutMs} ms (Socket.IO's defaults, 25 s and 20 s, made a floor with about an eighth of those pings)`,
      'compare with the load benchmark of the same day: the relay\'s CPU per message less this is the product\'s own work; this p99 is the best a relay could hold here that day',
    ],
    runs: runs.map((r) => ({ ...r, ackMs: undefined, chatAckP50Ms: bigMeasure('', r.ackMs).median, chatAckP99Ms: bigMeasure('', r.ackMs).p99 })),
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const result = await loadFloorBench();
  process.stdout.write(`  → ${writeResult(result)}\n`);
  process.exit(0);
}
