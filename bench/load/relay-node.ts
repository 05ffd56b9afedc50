// One relay node as its own process for the load benchmarks: relay/src/main.ts, as an operator runs it,
// plus the benchmark's probe (relay-probe.ts) for its CPU time and heap after GC.
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { relayNodeFlags } from '#relay/node-flags.js';
import { listening, relayEnv, type ListeningRelay } from '#test/support/relay-process.js';

const probeModule = fileURLToPath(new URL('./relay-probe.ts', import.meta.url));

export interface Probe {
  heapUsed: number;
  rss: number;
  external: number;
  cpuUserUs: number;
  cpuSystemUs: number;
  gc: boolean;
}

export interface RelayNode {
  readonly url: string;
  readonly pid: number;
  readonly relay: ListeningRelay;
  /** The first 200 warnings and errors it logged (overload and recovery among them). */
  readonly warnings: readonly string[];
  /** CPU time so far and heap after a full GC. */
  probe(): Promise<Probe>;
  /** With BENCH_HEAP_SNAPSHOT: writes a heap snapshot named by `label` there, and gives its path. */
  snapshot(label: string): Promise<string | undefined>;
  /** With BENCH_CPU_PROF: starts the relay's CPU profile, or stops it and writes it named by the window. */
  profile(what: 'start' | `stop:${'holding' | 'chat'}`): void;
  stop(): Promise<void>;
}

/** Sends the probe a request and waits for the answer carried under `key`. */
function ask<T>(child: ChildProcess, request: string, key: string): Promise<T> {
  const answer = new Promise<T>((resolve, reject) => {
    const onMessage = (m: unknown) => {
      const value = (m as Record<string, unknown>)[key];
      if (value === undefined) return;
      child.off('message', onMessage);
      clearTimeout(timer);
      resolve(value as T);
    };
    const timer = setTimeout(() => {
      child.off('message', onMessage);
      reject(new Error(`the relay did not answer "${request}" within 120 s`));
    }, 120_000);
    child.on('message', onMessage);
  });
  child.send(request);
  return answer;
}

/** The relay's Node.js flags as shipped (relay/src/node-flags.ts); BENCH_NODE_FLAGS="…" runs it with
 * those instead ("" for V8's own defaults), to compare. The generator runs with the same: it is the
 * instrument, and its own collections are in every ack it times. */
export function benchNodeFlags(): string[] {
  const given = process.env['BENCH_NODE_FLAGS'];
  return given === undefined ? [...relayNodeFlags] : given.split(' ').filter(Boolean);
}

/** `directUrl`: where this node is reached when its public URL is another's (several nodes). */
export async function startRelayNode(env: Record<string, string>, directUrl?: string): Promise<RelayNode> {
  // BENCH_CPU_PROF=<folder>: a V8 CPU profile of the relay over the chat window (relay-probe.ts).
  // BENCH_STALLS=<file>: the relay's late turns of its loop and its collections, beside the generator's
  // slow acks and its own late turns, as JSON lines with wall-clock times (relay-probe.ts, generator.ts).
  // BENCH_TRACE_GC=<file>: the relay runs with --trace-gc and its collections are appended to the file
  // (the bench's own forced collections, for the heap figures, say "testing" there).
  const child: ChildProcess = spawn(process.execPath, ['--expose-gc', ...(process.env['BENCH_TRACE_GC'] ? ['--trace-gc'] : []), ...benchNodeFlags(), '--import', 'tsx', '--import', probeModule, 'relay/src/main.ts'], {
    env: relayEnv(env), stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  // Its log is read for the URL, then its warnings (overload) are kept, not every line of a long run.
  const relay = await listening(child);
  child.stdout!.removeAllListeners('data');
  child.stderr!.removeAllListeners('data');
  const warnings: string[] = [];
  let partial = '';
  child.stdout!.on('data', (d: Buffer) => {
    const lines = (partial + d.toString()).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) if (/"level":"(warn|error)"|"level":[45]0/.test(line) && warnings.length < 200) warnings.push(line.slice(0, 300));
    if (process.env['BENCH_TRACE_GC']) for (const line of lines) if (/Mark-Compact|Scavenge|Mark-sweep/i.test(line)) appendFileSync(process.env['BENCH_TRACE_GC'], `${Date.now()} ${line}\n`);
  });
  child.stderr!.resume();
  return {
    url: directUrl ?? relay.url,
    pid: child.pid!,
    relay,
    warnings,
    probe: () => ask<Probe>(child, 'probe', 'probe'),
    async snapshot(label) {
      if (!process.env['BENCH_HEAP_SNAPSHOT']) return undefined;
      return ask<string>(child, `snapshot:${label}`, 'snapshot');
    },
    profile(what) {
      if (process.env['BENCH_CPU_PROF']) child.send(`profile-${what}`);
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      // As an operator stops it (a profile is written then); killed if it takes long.
      const exit = once(child, 'exit');
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exit;
      clearTimeout(timer);
    },
  };
}
