// One load run against relay nodes already started: the generator (generator.ts, its own process)
// ramps up `sessions` pairs, chats, ends; meanwhile the relays' CPU time is read from /proc over the
// chat window and their heap after GC through the benchmark's probe.
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import type { GeneratorConfig, GeneratorMessage, GeneratorResult } from './generator.js';
import { cpus } from 'node:os';
import { cpuMsOf, machineTicks } from './figures.js';
import { eventLatency, loopDelay, meanMs, quantileMs, windowOf, type Histogram } from './relay-metrics.js';
import { benchNodeFlags, type RelayNode } from './relay-node.js';

const generatorModule = fileURLToPath(new URL('./generator.ts', import.meta.url));

export interface LoadRun {
  sessions: number;
  result: GeneratorResult;
  rampMs: number;
  chatMs: number;
  /** Relay CPU time (all nodes) over the chat window, per acknowledged message (each one ack and one push). */
  cpuPerMessageMs: number;
  /** The same less what the nodes spend holding the same sessions without chat (heartbeats, sweeps),
   * measured over a window just before: the cost of a message itself. */
  netCpuPerMessageMs: number;
  /** Relay CPU busy share over the chat window (1 = one core), per node. */
  cpuShare: number[];
  /** Heap after GC per connection held, over the idle node's heap: after the ramp (sessions live, no chat
   * yet) and after the chat (each session's chat thread held too). */
  heapPerConnectionAfterRamp: number;
  heapPerConnectionAfterChat: number;
  /** Memory outside the JS heap (Buffers: the held chat on one node), per connection, after the chat. */
  externalPerConnectionAfterChat: number;
  connections: number;
  /** The generator's CPU over the chat window (1 = one core): what it takes of the same machine. */
  generatorCpuShare: number;
  /** The machine's cores, and how busy all of them were over the chat window (0–1), whoever used them. */
  cores: number;
  machineBusyShare: number;
  /** chat:send as the relay itself timed it (arrival to answer; its /metrics histogram over the chat
   * window, all nodes): p50/p99 read from the buckets, the mean exact. */
  relayChatSend: { count: number; p50Ms: number; p99Ms: number; meanMs: number };
  /** The generator's own event-loop delay over the chat window: a tail in it is in every ack it times. */
  generatorLoopDelay: { p50Ms: number; p99Ms: number; maxMs: number };
  /** Each node's own event-loop delay over the chat window (its /metrics). */
  relayLoopDelay: { p99Ms: number; maxMs: number }[];
  /** With several nodes: redis-server's CPU over the chat window, per acknowledged message, and its busy
   * share (1 = one core). Redis is one thread shared by every node: its own ceiling. */
  redis?: { cpuPerMessageMs: number; cpuShare: number };
}

/** What else the run measures: the redis-server the nodes share (its process id). */
export interface RunOptions {
  redisPid?: number | undefined;
}

/** How the chat window used the machine, in a sentence: which of relay and generator (if either)
 * saturates it. A relay node is one thread: near one core it is the bottleneck whatever else runs. */
export function saturation(r: LoadRun): string {
  const pct = (x: number) => `${Math.round(x * 100)} %`;
  const relay = r.cpuShare.reduce((a, b) => a + b, 0);
  const ofMachine = (relay + r.generatorCpuShare) / r.cores;
  const busiestNode = Math.max(...r.cpuShare);
  const parts = `relay ${r.cpuShare.map(pct).join(' + ')} of a core, generator ${pct(r.generatorCpuShare)} of a core: ${pct(ofMachine)} of the ${r.cores} cores (machine busy ${pct(r.machineBusyShare)}, other work ${pct(Math.max(0, r.machineBusyShare - ofMachine))})`;
  if (busiestNode >= 0.9) return `SATURATED by the relay: ${parts}; a relay node is one thread, and it was busy nearly all the time`;
  if (ofMachine >= 0.9) return `SATURATED: ${parts}; the relay had CPU to spare on its own thread, so the ${r.generatorCpuShare > relay ? 'generator (the larger share)' : 'relay and generator together'} fill the machine, and ack times include waiting for a core`;
  if (r.machineBusyShare >= 0.9) return `SATURATED by other work on the machine: ${parts}; ack times include waiting for a core`;
  return `not saturated: ${parts}`;
}

export async function runLoad(nodes: RelayNode[], cfg: Omit<GeneratorConfig, 'urls'>, log: (line: string) => void, opts: RunOptions = {}): Promise<LoadRun> {
  // Warm: a few pairs through every step first, so that code compiled and caches filled on first use
  // count neither as heap per connection nor as CPU per message.
  await generate(nodes, { ...cfg, sessions: 20, rampPerSecond: 20, chatSeconds: 2 }, async () => undefined);
  return generate(nodes, cfg, log, opts);
}

async function generate(nodes: RelayNode[], cfg: Omit<GeneratorConfig, 'urls'>, log: (line: string) => void | Promise<void>, opts: RunOptions = {}): Promise<LoadRun> {
  const idle = await Promise.all(nodes.map((n) => n.probe()));
  // BENCH_HEAP_SNAPSHOT=<folder>: snapshots of the idle node, of the node holding the sessions, and of
  // it after the chat, for heap-breakdown.ts (not for the warm-up run of 20 pairs).
  const snapshot = (label: string) => (cfg.sessions > 20 ? Promise.all(nodes.map((n) => n.snapshot(`${label}-${cfg.sessions}`))) : undefined);
  await snapshot('idle');
  const generator = fork(generatorModule, [], { execArgv: ['--import', 'tsx', '--max-old-space-size=4096', ...benchNodeFlags()], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const messages: GeneratorMessage[] = [];
  const waiters: Array<() => void> = [];
  generator.on('message', (m: GeneratorMessage) => {
    messages.push(m);
    for (const w of waiters.splice(0)) w();
  });
  const exited = once(generator, 'exit');
  const phase = async <P extends GeneratorMessage['phase']>(p: P): Promise<Extract<GeneratorMessage, { phase: P }>> => {
    for (;;) {
      const found = messages.find((m) => m.phase === p);
      if (found) return found as Extract<GeneratorMessage, { phase: P }>;
      if (generator.exitCode !== null) throw new Error(`the load generator exited (${generator.exitCode}) before ${p}`);
      await Promise.race([new Promise<void>((r) => waiters.push(r)), exited]);
    }
  };
  try {
    generator.send({ config: { ...cfg, urls: nodes.map((n) => n.url) } });
    const ramped = await phase('ramped');
    void log(`    ${cfg.sessions} offered: ${ramped.established} established, ${ramped.refused} refused (overloaded), ${ramped.failed} failed in ${ramped.rampMs} ms${ramped.failures.length ? ` (${ramped.failures.slice(0, 3).join('; ')})` : ''}`);
    const afterRamp = await Promise.all(nodes.map((n) => n.probe()));
    await snapshot('ramped');
    // What holding the sessions costs without chat.
    const idleMs = 10_000;
    const idle0 = nodes.map((n) => cpuMsOf(n.pid));
    for (const n of nodes) n.profile('start');
    await new Promise((r) => setTimeout(r, idleMs));
    for (const n of nodes) n.profile('stop:holding');
    const holdingMs = nodes.reduce((sum, n, i) => sum + cpuMsOf(n.pid) - idle0[i]!, 0);
    const chatSend0 = await Promise.all(nodes.map((n) => eventLatency(n.url, cfg.ca, 'chat:send')));
    const cpu0 = nodes.map((n) => cpuMsOf(n.pid));
    const generator0 = cpuMsOf(generator.pid!);
    const redis0 = opts.redisPid ? cpuMsOf(opts.redisPid) : 0;
    const machine0 = machineTicks();
    for (const n of nodes) n.profile('start');
    generator.send('chat');
    const chatted = await phase('chatted');
    for (const n of nodes) n.profile('stop:chat');
    const cpu1 = nodes.map((n) => cpuMsOf(n.pid));
    const generator1 = cpuMsOf(generator.pid!);
    const redisMs = opts.redisPid ? cpuMsOf(opts.redisPid) - redis0 : 0;
    const machine1 = machineTicks();
    // First after the window: the loop-delay histogram covers the time since the scrape before it.
    const relayLoop = await Promise.all(nodes.map((n) => loopDelay(n.url, cfg.ca)));
    const chatSend1 = await Promise.all(nodes.map((n) => eventLatency(n.url, cfg.ca, 'chat:send')));
    const chatSend: Histogram = windowOf(chatSend0.map((h, i) => [h, chatSend1[i]!]));
    const afterChat = await Promise.all(nodes.map((n) => n.probe()));
    await snapshot('chatted');
    generator.send('end');
    const { result } = await phase('done');
    const connections = result.established * 2;
    const heapGrowth = (probes: typeof idle) => probes.reduce((sum, p, i) => sum + p.heapUsed - idle[i]!.heapUsed, 0);
    const cpuMs = cpu1.reduce((sum, c, i) => sum + c - cpu0[i]!, 0);
    return {
      sessions: cfg.sessions, result, rampMs: ramped.rampMs, chatMs: chatted.chatMs,
      cpuPerMessageMs: result.sent ? cpuMs / result.sent : NaN,
      netCpuPerMessageMs: result.sent ? (cpuMs - (holdingMs * chatted.chatMs) / idleMs) / result.sent : NaN,
      cpuShare: cpu1.map((c, i) => (c - cpu0[i]!) / chatted.chatMs),
      heapPerConnectionAfterRamp: connections ? heapGrowth(afterRamp) / connections : NaN,
      heapPerConnectionAfterChat: connections ? heapGrowth(afterChat) / connections : NaN,
      externalPerConnectionAfterChat: connections ? afterChat.reduce((sum, p, i) => sum + p.external - idle[i]!.external, 0) / connections : NaN,
      connections,
      generatorCpuShare: (generator1 - generator0) / chatted.chatMs,
      cores: cpus().length,
      machineBusyShare: (machine1.busy - machine0.busy) / Math.max(1, machine1.total - machine0.total),
      generatorLoopDelay: chatted.loopDelay,
      relayLoopDelay: relayLoop,
      relayChatSend: { count: chatSend.count, p50Ms: quantileMs(chatSend, 0.5), p99Ms: quantileMs(chatSend, 0.99), meanMs: meanMs(chatSend) },
      ...(opts.redisPid ? { redis: { cpuPerMessageMs: result.sent ? redisMs / result.sent : NaN, cpuShare: redisMs / chatted.chatMs } } : {}),
    };
  } finally {
    if (generator.exitCode === null) {
      generator.kill('SIGKILL');
      await exited;
    }
  }
}
