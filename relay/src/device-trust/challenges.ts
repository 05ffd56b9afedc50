// Device-proof challenges: random, single use, short-lived, bound to the user they were issued to.
// A challenge is fetched over HTTP (/api/devices/challenge) and answered over a socket or another request,
// which behind a load balancer may reach another node: with several nodes they live in Redis
// (live/redis-challenges.ts); on one node in memory, where a restart merely voids open challenges.
import { randomBytes } from 'node:crypto';
import type { AuthUser, Clock } from '../ports.js';

export const challengeTtlMs = 2 * 60_000;
/** Open challenges per user: a client asking in a loop cannot grow the store without bound. */
export const maxOpenPerUser = 8;

export interface Issued {
  tenantId: string;
  userId: string;
  expiresAt: number;
}

export type TakeResult = 'ok' | 'unknown' | 'other-user' | 'expired';

export interface Challenges {
  issue(user: AuthUser): Promise<string>;
  /** Removes the challenge whatever the outcome, so each one is tried at most once. */
  take(user: AuthUser, challenge: string): Promise<TakeResult>;
}

export function newChallenge(): string {
  return randomBytes(32).toString('base64url');
}

/** What taking an issued challenge (already removed) means for this user now. */
export function judge(issued: Issued | undefined, user: AuthUser, now: number): TakeResult {
  if (!issued) return 'unknown';
  if (issued.tenantId !== user.tenantId || issued.userId !== user.userId) return 'other-user';
  if (issued.expiresAt <= now) return 'expired';
  return 'ok';
}

export function createChallenges(clock: Clock): Challenges {
  const open = new Map<string, Issued>();
  const sweep = (now: number): void => {
    for (const [c, i] of open) if (i.expiresAt <= now) open.delete(c);
  };
  return {
    async issue(user) {
      const now = clock.now();
      sweep(now);
      const mine = [...open].filter(([, i]) => i.tenantId === user.tenantId && i.userId === user.userId);
      // Map order is insertion order: the oldest of this user's challenges go first.
      for (const [c] of mine.slice(0, Math.max(0, mine.length - maxOpenPerUser + 1))) open.delete(c);
      const challenge = newChallenge();
      open.set(challenge, { tenantId: user.tenantId, userId: user.userId, expiresAt: now + challengeTtlMs });
      return challenge;
    },
    async take(user, challenge) {
      const issued = open.get(challenge);
      open.delete(challenge);
      return judge(issued, user, clock.now());
    },
  };
}
