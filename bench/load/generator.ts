// The load generator of bench/load.ts, a process of its own (forked by it): pairs of socket.io-clients,
// a helper and a sharer each, that connect with their access tokens, create, join, consent, chat one
// message a second per side, and end. It reports what a user would notice: how long acks took, whether
// every acknowledged message reached the other side exactly once, and whether any session ended, or any
// socket dropped, without being asked to.
import { randomUUID } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { io, type Socket } from 'socket.io-client';
import type { Ack, ClientToServerEvents, ServerToClientEvents } from '#protocol';

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export interface GeneratorConfig {
  /** Relay URLs; pair i's helper goes to urls[i % n], its sharer to urls[floor(i / n) % n] (two nodes:
   * half the pairs across nodes, as a load balancer spreads them). */
  urls: string[];
  ca: string;
  helperToken: string;
  sharerToken: string;
  sessions: number;
  /** New pairs started per second during the ramp. */
  rampPerSecond: number;
  chatSeconds: number;
}

export type GeneratorMessage =
  | { phase: 'ramped'; established: number; refused: number; failed: number; failures: string[]; rampMs: number }
  /** `loopDelay`: the generator's own event-loop delay over the chat window (ms): its lag is in every ack
   * it times, so a tail here is the generator's, not the relay's. */
  | { phase: 'chatted'; chatMs: number; loopDelay: { p50Ms: number; p99Ms: number; maxMs: number } }
  | { phase: 'done'; result: GeneratorResult };

export interface GeneratorResult {
  established: number;
  /** Pairs refused with `overloaded` (at the handshake, at create or at join). */
  refused: number;
  refusedAt: Record<string, number>;
  /** Pairs that failed otherwise (first few reasons in `failures`). */
  failed: number;
  failures: string[];
  joinMs: number[];
  chatAckMs: number[];
  /** Acknowledged messages. */
  sent: number;
  /** Sends that got no ack in 30 s, or were refused. */
  unacked: number;
  unackedCodes: Record<string, number>;
  /** Acknowledged messages the other side never received, or received twice. */
  lost: number;
  duplicated: number;
  /** Own messages pushed back to their sender (the relay no longer echoes). */
  echoed: number;
  /** Sessions that ended, or whose member's socket dropped or was reported away, before the generator ended them. */
  endedUnasked: number;
  droppedSockets: number;
  disconnectReasons: Record<string, number>;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function request<T>(s: ClientSocket, event: string, payload: unknown, timeoutMs = 30_000): Promise<Ack<T>> {
  return (s.timeout(timeoutMs).emitWithAck as (e: string, p: unknown) => Promise<Ack<T>>)(event, payload)
    .catch((): Ack<T> => ({ ok: false, error: { code: 'relay-unreachable', message: 'no answer' } }));
}

interface Pair {
  sessionId: string;
  helper: ClientSocket;
  sharer: ClientSocket;
  /** Seqs each side had acknowledged (as the sender) and seqs each side was pushed. */
  acked: { helper: number[]; sharer: number[] };
  pushed: { helper: number[]; sharer: number[] };
  ending: boolean;
}

async function run(cfg: GeneratorConfig, send: (m: GeneratorMessage) => void, waitFor: (what: 'chat' | 'end') => Promise<void>): Promise<void> {
  const result: GeneratorResult = {
    established: 0, refused: 0, refusedAt: {}, failed: 0, failures: [], joinMs: [], chatAckMs: [], sent: 0, unacked: 0, unackedCodes: {},
    lost: 0, duplicated: 0, echoed: 0, endedUnasked: 0, droppedSockets: 0, disconnectReasons: {},
  };
  const pairs: Pair[] = [];
  const all: ClientSocket[] = [];
  const unasked = new Set<Pair>();
  const n = cfg.urls.length;

  const connect = (url: string, token: string): Promise<ClientSocket | string> => new Promise((resolve) => {
    const s: ClientSocket = io(url, { transports: ['websocket'], ca: cfg.ca, reconnection: false, forceNew: true, auth: { token }, timeout: 60_000 });
    all.push(s);
    s.once('connect', () => resolve(s));
    s.once('connect_error', (e: Error & { data?: { code?: string } }) => {
      s.close();
      resolve(e.data?.code ?? `connect_error: ${e.message}`);
    });
  });
  const refuse = (at: string) => {
    result.refused++;
    result.refusedAt[at] = (result.refusedAt[at] ?? 0) + 1;
  };
  const failure = (why: string) => {
    result.failed++;
    if (result.failures.length < 10) result.failures.push(why);
  };

  async function startPair(i: number): Promise<void> {
    const [helper, sharer] = await Promise.all([connect(cfg.urls[i % n]!, cfg.helperToken), connect(cfg.urls[Math.floor(i / n) % n]!, cfg.sharerToken)]);
    if (typeof helper === 'string' || typeof sharer === 'string') {
      for (const s of [helper, sharer]) if (typeof s !== 'string') s.close();
      const code = [helper, sharer].find((s): s is string => typeof s === 'string')!;
      return code === 'overloaded' ? refuse('connect') : failure(code);
    }
    const created = await request<{ sessionId: string; code: string }>(helper, 'session:create', {});
    if (!created.ok) {
      helper.close();
      sharer.close();
      return created.error.code === 'overloaded' ? refuse('create') : failure(`create: ${created.error.code}`);
    }
    const t0 = performance.now();
    const joined = await request(sharer, 'session:join', { code: created.value.code });
    const joinMs = performance.now() - t0;
    if (!joined.ok) {
      void request(helper, 'session:end', { sessionId: created.value.sessionId });
      helper.close();
      sharer.close();
      return joined.error.code === 'overloaded' ? refuse('join') : failure(`join: ${joined.error.code}`);
    }
    result.joinMs.push(joinMs);
    const consent = await request(sharer, 'session:consent', { sessionId: created.value.sessionId, allow: true });
    if (!consent.ok) return failure(`consent: ${consent.error.code}`);
    const pair: Pair = { sessionId: created.value.sessionId, helper, sharer, acked: { helper: [], sharer: [] }, pushed: { helper: [], sharer: [] }, ending: false };
    for (const role of ['helper', 'sharer'] as const) {
      const s = pair[role];
      s.on('chat:message', (m) => {
        if (m.from === role) result.echoed++;
        else pair.pushed[role].push(m.seq);
      });
      s.on('session:ended', () => {
        if (!pair.ending) unasked.add(pair);
      });
      s.on('session:peer', (p) => {
        if (!pair.ending && !p.present) unasked.add(pair);
      });
      s.on('disconnect', (reason) => {
        if (pair.ending) return;
        result.droppedSockets++;
        result.disconnectReasons[reason] = (result.disconnectReasons[reason] ?? 0) + 1;
        unasked.add(pair);
      });
    }
    pairs.push(pair);
    result.established++;
  }

  // The ramp: pairs started at a steady rate, each set up on its own.
  const rampStart = performance.now();
  const starting: Promise<void>[] = [];
  for (let i = 0; i < cfg.sessions; i++) {
    const due = rampStart + (i * 1000) / cfg.rampPerSecond;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    starting.push(startPair(i).catch((e: unknown) => failure(String(e))));
  }
  // A pair whose setup has not finished two minutes after the ramp counts as failed (its answers are
  // stuck somewhere); the run goes on with the pairs that are up.
  let unfinished = 0;
  const settled = new Set<number>();
  starting.forEach((p, i) => void p.then(() => settled.add(i)));
  await Promise.race([Promise.all(starting), sleep(120_000)]);
  unfinished = starting.length - settled.size;
  for (let i = 0; i < unfinished; i++) failure('setup unfinished after 120 s');
  send({ phase: 'ramped', established: result.established, refused: result.refused, failed: result.failed, failures: result.failures, rampMs: Math.round(performance.now() - rampStart) });

  // Chat: one message a second per side, each side at its own phase of the second.
  await waitFor('chat');
  const chatStart = performance.now();
  const chatEnd = chatStart + cfg.chatSeconds * 1000;
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  // BENCH_STALLS=<file>: every ack slower than 50 ms with the wall-clock time it was sent, beside the
  // relay's stalls and collections (relay-probe.ts).
  const slowAcks: string[] | undefined = process.env['BENCH_STALLS'] ? [] : undefined;
  // …and the generator's own stalls (a 5 ms timer late by more than 40 ms): its lag is in every ack.
  let lastTick = performance.now();
  const ticker = slowAcks && setInterval(() => {
    const now = performance.now();
    if (now - lastTick > 45) slowAcks.push(JSON.stringify({ generatorStall: Math.round(performance.timeOrigin + lastTick), ms: Math.round(now - lastTick - 5) }));
    lastTick = now;
  }, 5);
  const sides = pairs.flatMap((p) => (['helper', 'sharer'] as const).map((role) => ({ p, role })));
  await Promise.all(sides.map(async ({ p, role }) => {
    await sleep(Math.random() * 1000);
    let next = performance.now();
    while (next < chatEnd && !unasked.has(p)) {
      const t0 = performance.now();
      const res = await request<{ seq: number }>(p[role], 'chat:send', { sessionId: p.sessionId, clientId: randomUUID(), text: `${role} says hello at ${Math.round(t0)}` });
      if (res.ok) {
        const ackMs = performance.now() - t0;
        result.chatAckMs.push(ackMs);
        if (slowAcks && ackMs > 50) slowAcks.push(JSON.stringify({ slowAck: Math.round(performance.timeOrigin + t0), ms: Math.round(ackMs) }));
        p.acked[role].push(res.value.seq);
        result.sent++;
      } else {
        result.unacked++;
        result.unackedCodes[res.error.code] = (result.unackedCodes[res.error.code] ?? 0) + 1;
      }
      next += 1000;
      const wait = next - performance.now();
      if (wait > 0) await sleep(wait);
    }
  }));
  if (ticker) clearInterval(ticker);
  if (slowAcks) appendFileSync(process.env['BENCH_STALLS']!, slowAcks.map((l) => `${l}\n`).join(''));
  // Pushes still on their way.
  await sleep(2000);
  loop.disable();
  const ms = (ns: number) => Math.round(ns / 1e4) / 100;
  send({ phase: 'chatted', chatMs: Math.round(performance.now() - chatStart), loopDelay: { p50Ms: ms(loop.percentile(50)), p99Ms: ms(loop.percentile(99)), maxMs: ms(loop.max) } });

  await waitFor('end');
  for (const p of pairs) {
    for (const [from, to] of [['helper', 'sharer'], ['sharer', 'helper']] as const) {
      const got = new Map<number, number>();
      for (const seq of p.pushed[to]) got.set(seq, (got.get(seq) ?? 0) + 1);
      for (const seq of p.acked[from]) {
        const c = got.get(seq) ?? 0;
        if (c === 0) result.lost++;
        if (c > 1) result.duplicated += c - 1;
      }
    }
  }
  result.endedUnasked = unasked.size;
  // End every session, as the helper does, a few hundred at a time.
  for (let i = 0; i < pairs.length; i += 200) {
    await Promise.all(pairs.slice(i, i + 200).map(async (p) => {
      p.ending = true;
      await request(p.helper, 'session:end', { sessionId: p.sessionId });
    }));
  }
  for (const s of all) s.close();
  send({ phase: 'done', result });
}

// Forked by bench/load.ts: the configuration comes first, then "chat" and "end" when it says so.
if (process.send) {
  const waiting = new Map<string, () => void>();
  const said = new Set<string>();
  process.on('message', (m: unknown) => {
    if (typeof m === 'object' && m !== null && 'config' in m) {
      run((m as { config: GeneratorConfig }).config, (out) => process.send!(out), (what) => new Promise<void>((resolve) => {
        if (said.has(what)) resolve();
        else waiting.set(what, resolve);
      // Out once the last report is written to the channel (an exit right after send can lose it).
      })).then(() => process.send!({ phase: 'bye' }, () => process.exit(0)), (e: unknown) => {
        console.error(e);
        process.exit(1);
      });
    } else if (m === 'chat' || m === 'end') {
      said.add(m);
      waiting.get(m)?.();
    }
  });
}
