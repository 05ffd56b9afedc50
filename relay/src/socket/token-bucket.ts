// A per-socket event budget: one client flooding events gets `rate-limited` answers instead of the
// relay's time. Tokens refill continuously at `perSecond` up to `burst`; each event takes one.

export interface EventRate {
  perSecond: number;
  burst: number;
}

export const defaultEventRate: EventRate = { perSecond: 50, burst: 100 };

export function createTokenBucket(rate: EventRate, now: () => number): { take(): boolean } {
  let tokens = rate.burst;
  let last = now();
  return {
    take() {
      const t = now();
      // max(0, …): a clock that steps back must not drain the bucket.
      tokens = Math.min(rate.burst, tokens + (Math.max(0, t - last) * rate.perSecond) / 1000);
      last = t;
      if (tokens < 1) return false;
      tokens -= 1;
      return true;
    },
  };
}
