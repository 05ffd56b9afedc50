// Load shedding (issue 12): past its capacity a node refuses what is new — connections, and sessions
// being created or joined — with `overloaded`, and keeps serving the sessions it holds. Capacity is
// two things: the connections it holds (config.capacity.maxConnections) and how late its event loop
// runs (config.capacity.overloadLagMs: the mean event-loop delay over half a second, from perf_hooks).
// A late loop stays "overloaded" for `holdMs` after the last late window, so a node at the edge does not flap between
// taking and refusing every other second; clients retry with backoff meanwhile.
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import type { ExtendedError } from 'socket.io';
import type { Capacity } from '../config.js';
import { countedWarning } from '../ops/counted-warning.js';
import type { Log } from '../ports.js';
import type { ResumeAllowance } from './resume-allowance.js';
import type { RelayServer, RelaySocket } from './types.js';

export interface OverloadProbe {
  /** Why the node refuses new work now, or undefined when it takes it. */
  reason(): 'connections' | 'event-loop' | 'forced' | undefined;
  close(): void;
}

export interface OverloadOptions {
  capacity: Pick<Capacity, 'maxConnections' | 'overloadLagMs'>;
  /** The connections this node holds now. */
  connections: () => number;
  log: Log;
  /** How often the loop's delay is read, and how long a late loop keeps the node overloaded. */
  sampleMs?: number;
  holdMs?: number;
  /** Told when the loop is so far behind (severeFactor × overloadLagMs, 4 by default) that even refusing
   * costs too much — each refusal comes after a TLS handshake — and when that is over: the owner then
   * stops and resumes taking TCP connections at all, which costs nothing per connection refused. */
  onSevere?(on: boolean): void;
  severeFactor?: number;
}

export function createOverloadProbe(opts: OverloadOptions): OverloadProbe {
  const sampleMs = opts.sampleMs ?? 500;
  const holdMs = opts.holdMs ?? 1000;
  // 10 ms: fine enough for a 200 ms threshold, and a timer that costs nothing measurable.
  const delay: IntervalHistogram = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  let lateUntil = 0;
  let severeUntil = 0;
  let wasOverloaded = false;
  let wasSevere = false;
  const severeLagMs = opts.capacity.overloadLagMs * (opts.severeFactor ?? 4);
  // The histogram runs on, read by difference (its count and the sum of its samples at the last read):
  // reset at each read, it dropped the first delay after each reset (it has no previous tick to measure
  // from), and a loop behind by more than a window at each turn then had one delay per window, always
  // dropped: the node most overloaded read as idle. Reset only when its count grows large, for precision.
  let countBefore = 0;
  let sumBefore = 0;
  const timer = setInterval(() => {
    // The mean delay of the window: a loop that is behind all the time (too much work), not one pause
    // (a collection, a password hash), which is one late sample among many on-time ones. A stall of
    // seconds still counts: it is most of the window's few samples.
    const count = delay.count;
    const sum = count > 0 ? delay.mean * count : 0; // mean is NaN with no sample
    const lagMs = count > countBefore ? (sum - sumBefore) / (count - countBefore) / 1e6 : 0;
    if (count > 1_000_000) {
      delay.reset();
      countBefore = 0;
      sumBefore = 0;
    } else {
      countBefore = count;
      sumBefore = sum;
    }
    const now = Date.now();
    if (lagMs > opts.capacity.overloadLagMs) lateUntil = now + holdMs;
    if (lagMs > severeLagMs) severeUntil = now + holdMs;
    const severe = now < severeUntil;
    if (severe !== wasSevere) {
      wasSevere = severe;
      opts.log.warn(severe ? 'relay far behind: not taking new TCP connections' : 'relay taking new TCP connections again', { eventLoopDelayMs: Math.round(lagMs) });
      opts.onSevere?.(severe);
    }
    const overloaded = now < lateUntil;
    if (overloaded !== wasOverloaded) {
      wasOverloaded = overloaded;
      if (overloaded) opts.log.warn('relay overloaded: refusing new connections and sessions', { eventLoopDelayMs: Math.round(lagMs), connections: opts.connections() });
      else opts.log.info('relay load back to normal: taking new connections and sessions', { connections: opts.connections() });
    }
  }, sampleMs);
  timer.unref();
  return {
    reason() {
      if (opts.connections() > opts.capacity.maxConnections) return 'connections';
      return Date.now() < lateUntil ? 'event-loop' : undefined;
    },
    close() {
      clearInterval(timer);
      delay.disable();
      if (wasSevere) opts.onSevere?.(false);
    },
  };
}

/** A probe that says what a test tells it: overload on demand, with no load to make. */
export function createForcedOverload(): OverloadProbe & { set(on: boolean): void } {
  let on = false;
  return { reason: () => (on ? 'forced' : undefined), close: () => undefined, set: (v) => (on = v) };
}

/** The first handshake middleware: an overloaded node refuses before the token is verified (the cost
 * it can least afford), with the stable code in connect_error's data; but a member coming back to a live
 * session, within `resumes`. The refused connection is closed
 * once the refusal is written, so it holds nothing while the client waits to retry. */
export function overloadMiddleware(probe: OverloadProbe, log: Log, resumes?: ResumeAllowance) {
  const warn = countedWarning(log, 'connections refused: overloaded');
  return (socket: RelaySocket, next: (err?: ExtendedError) => void): void => {
    const why = probe.reason();
    if (!why) return next();
    // A member coming back to a session this node serves is not new work (resume-allowance.ts).
    if (resumes?.admit(socket)) return next();
    warn({ reason: why });
    refuseOverloaded(socket, next);
  };
}

/** Refuses a handshake with `overloaded` in connect_error's data, and closes its connection once the
 * refusal is written, so that it holds nothing while the client waits to retry. */
export function refuseOverloaded(socket: RelaySocket, next: (err?: ExtendedError) => void): void {
  next(Object.assign(new Error('the relay is at capacity; try again in a moment'), { data: { code: 'overloaded' } }));
  setImmediate(() => socket.conn.close());
}

/** While `on`, the server takes no new TCP connection (each is closed as it is accepted, before any
 * TLS): the clients see a failed connection and retry with their backoff; the open ones go on. */
export function shedTcp(server: { maxConnections?: number | undefined; getConnections(cb: (error: Error | null, count: number) => void): unknown } | undefined) {
  let on = false;
  return (shed: boolean): void => {
    on = shed;
    if (!server) return;
    if (!shed) {
      server.maxConnections = undefined;
      return;
    }
    server.getConnections((error, count) => {
      if (!error && on) server.maxConnections = Math.max(1, count);
    });
  };
}

/** The connections this node holds (every Engine.IO connection, signed in or not). */
export const connectionCount = (io: RelayServer) => (): number => io.engine.clientsCount;
