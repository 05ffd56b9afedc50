// A per-socket event budget: one client flooding events gets `rate-limited` answers instead of the
// relay's time. Tokens refill continuously at `perSecond` up to `burst`; each event takes one.

export interface EventRate {
  perSecond: number;
  burst: number;
}

export const defaultEventRate: EventRate = { perSecond: 50, burst: 100 };

/** A bucket's state alone, for a holder that keeps it among its own fields (session-handlers.ts keeps
 * one per socket: no closure per socket). */
export interface BucketState {
  tokens: number;
  last: number;
}

export const newBucket = (rate: EventRate, now: number): BucketState => ({ tokens: rate.burst, last: now });

/** Takes one token from `state` at time `t`, or answers false when there is none. */
export function takeToken(state: BucketState, rate: EventRate, t: number): boolean {
  // max(0, …): a clock that steps back must not drain the bucket.
  state.tokens = Math.min(rate.burst, state.tokens + (Math.max(0, t - state.last) * rate.perSecond) / 1000);
  state.last = t;
  if (state.tokens < 1) return false;
  state.tokens -= 1;
  return true;
}

export function createTokenBucket(rate: EventRate, now: () => number): { take(): boolean } {
  const state = newBucket(rate, now());
  return { take: () => takeToken(state, rate, now()) };
}
