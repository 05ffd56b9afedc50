// Load shedding (issue 12): past its capacity a node refuses what is new — connections, and sessions
// being created or joined — with `overloaded`, and keeps serving the sessions it holds. Capacity is
// two things: the connections it holds (config.capacity.maxConnections) and how late its event loop
// runs (config.capacity.overloadLagMs: the mean event-loop delay over half a second, from perf_hooks).
// A late loop stays "overloaded" for `holdMs` after the last late window, so a node at the edge does not flap between
// taking and refusing every other second; clients retry with backoff meanwhile.
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import type { ExtendedError } from 'socket.io';
import type { Capacity } from '../config.js';
import type { Log } from '../ports.js';
import type { RelayServer, RelaySocket } from './types.js';

export interface OverloadProbe {
  /** Why the node refuses new work now, or undefined when it takes it. */
  reason(): 'connections' | 'event-loop' | 'forced' | undefined;
  close(): void;
}

export interface OverloadOptions {
  capacity: Capacity;
  /** The connections this node holds now. */
  connections: () => number;
  log: Log;
  /** How often the loop's delay is read, and how long a late loop keeps the node overloaded. */
  sampleMs?: number;
  holdMs?: number;
}

export function createOverloadProbe(opts: OverloadOptions): OverloadProbe {
  const sampleMs = opts.sampleMs ?? 500;
  const holdMs = opts.holdMs ?? 1000;
  // 10 ms: fine enough for a 200 ms threshold, and a timer that costs nothing measurable.
  const delay: IntervalHistogram = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  let lateUntil = 0;
  let wasOverloaded = false;
  const timer = setInterval(() => {
    // The mean delay of the window: a loop that is behind all the time (too much work), not one pause
    // (a collection, a password hash), which is one late sample among many on-time ones. A stall of
    // seconds still counts: it is most of the window's few samples.
    const lagMs = delay.count > 0 ? delay.mean / 1e6 : 0;
    delay.reset();
    const now = Date.now();
    if (lagMs > opts.capacity.overloadLagMs) lateUntil = now + holdMs;
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
    },
  };
}

/** A probe that says what a test tells it: overload on demand, with no load to make. */
export function createForcedOverload(): OverloadProbe & { set(on: boolean): void } {
  let on = false;
  return { reason: () => (on ? 'forced' : undefined), close: () => undefined, set: (v) => (on = v) };
}

/** The first handshake middleware: an overloaded node refuses before the token is verified (the cost
 * it can least afford), with the stable code in connect_error's data. The refused connection is closed
 * once the refusal is written, so it holds nothing while the client waits to retry. */
export function overloadMiddleware(probe: OverloadProbe, log: Log) {
  let refusedSinceLog = 0;
  let loggedAt = 0;
  return (socket: RelaySocket, next: (err?: ExtendedError) => void): void => {
    const why = probe.reason();
    if (!why) return next();
    // One line every 10 s at most, with the count: a refusal storm must not be a log storm.
    refusedSinceLog++;
    const now = Date.now();
    if (now - loggedAt >= 10_000) {
      log.warn('connections refused: overloaded', { reason: why, refused: refusedSinceLog });
      loggedAt = now;
      refusedSinceLog = 0;
    }
    next(Object.assign(new Error('the relay is at capacity; try again in a moment'), { data: { code: 'overloaded' } }));
    setImmediate(() => socket.conn.close());
  };
}

/** The connections this node holds (every Engine.IO connection, signed in or not). */
export const connectionCount = (io: RelayServer) => (): number => io.engine.clientsCount;
