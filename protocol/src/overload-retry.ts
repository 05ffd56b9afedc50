// What every client does when the relay answers `overloaded` (issue 12): it waits and asks again,
// each wait about twice the last (with full jitter, so that clients refused together do not all come
// back together), and tells the person meanwhile. Used for the handshake and for create and join by
// the web pages and desktop main alike.
import type { Ack } from './ack.js';

/** The host's timer (browser or Node): protocol/ is built without either's types. */
const timers = globalThis as unknown as { setTimeout(run: () => void, ms: number): unknown; clearTimeout(timer: unknown): void };

export interface Backoff {
  /** The first wait's upper bound (default 1 s) and the longest (default 30 s). */
  baseMs?: number;
  maxMs?: number;
  random?: () => number;
}

/** The wait before attempt `attempt + 1` (attempt 0 = after the first refusal): a random share of
 * baseMs · 2^attempt, capped at maxMs, and never under a tenth of that bound. */
export function backoffDelayMs(attempt: number, opts: Backoff = {}): number {
  const bound = Math.min(opts.maxMs ?? 30_000, (opts.baseMs ?? 1000) * 2 ** Math.min(attempt, 20));
  const r = (opts.random ?? Math.random)();
  return Math.round(bound * (0.1 + 0.9 * r));
}

export interface OverloadRetry extends Backoff {
  /** Asks at most this many times (default 8: about two minutes of waiting with the defaults). */
  maxAttempts?: number;
  /** Told before each wait: the person sees the `overloaded` message until an answer comes. */
  onWait?(delayMs: number, attempt: number): void;
  sleep?: (ms: number) => Promise<void>;
}

/** Asks, and asks again after each `overloaded` answer; any other answer (or the last) is returned. */
export async function retryWhileOverloaded<T>(ask: () => Promise<Ack<T>>, opts: OverloadRetry = {}): Promise<Ack<T>> {
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => timers.setTimeout(r, ms)));
  const maxAttempts = opts.maxAttempts ?? 8;
  for (let attempt = 0; ; attempt++) {
    const res = await ask();
    if (res.ok || res.error.code !== 'overloaded' || attempt + 1 >= maxAttempts) return res;
    const delay = backoffDelayMs(attempt, opts);
    opts.onWait?.(delay, attempt);
    await sleep(delay);
  }
}

/** The handshake's `auth` field (true) by which a page or console says it comes back to a live session
 * it is a member of: a node past its capacity lets it in all the same, within an allowance, once it has
 * seen the person is in one (relay/src/socket/resume-allowance.ts). Anyone else is refused `overloaded`. */
export const resumingAuthKey = 'resuming';

/** What a handshake retry needs of the socket (socket.io-client's Socket has it). */
export interface RetriedSocket {
  readonly connected: boolean;
  connect(): unknown;
}

export interface HandshakeRetry {
  /** The socket connected: the next refusal waits the shortest again. */
  connected(): void;
  /** A connect_error: true when it was `overloaded` and the next try is scheduled (nothing else to do);
   * false for any other refusal, left to the caller. */
  refused(err: { data?: { code?: string } | undefined }): boolean;
  /** No more tries (the link is closed). */
  cancel(): void;
}

export interface HandshakeRetryOptions extends Backoff {
  /** Told before each wait: the person sees the `overloaded` message until the socket connects. */
  onWait?(delayMs: number, attempt: number): void;
  /** Schedules `run` after `ms`; returns how to cancel it (the host's timer by default; tests pass their own). */
  schedule?: (run: () => void, ms: number) => () => void;
}

/**
 * The handshake refused as `overloaded` (the relay node at capacity refuses new connections): socket.io
 * does not retry a refusal by the relay's middleware, so the socket is asked to connect again after a
 * growing wait with jitter, on its own, until it is in. One timer at a time: a refusal replaces the
 * wait before it. Shared by the web pages and the console's main process, which differ only in how they
 * tell the person.
 */
export function handshakeRetry(socket: RetriedSocket, opts: HandshakeRetryOptions = {}): HandshakeRetry {
  const schedule = opts.schedule ?? ((run: () => void, ms: number) => {
    const timer = timers.setTimeout(run, ms);
    return () => timers.clearTimeout(timer);
  });
  let attempt = 0;
  let cancelWait = (): void => undefined;
  return {
    connected: () => {
      attempt = 0;
      cancelWait();
    },
    refused: (err) => {
      if (err.data?.code !== 'overloaded') return false;
      const delay = backoffDelayMs(attempt, opts);
      opts.onWait?.(delay, attempt);
      attempt++;
      cancelWait();
      cancelWait = schedule(() => {
        if (!socket.connected) socket.connect();
      }, delay);
      return true;
    },
    cancel: () => cancelWait(),
  };
}
