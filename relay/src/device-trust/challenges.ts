// Device-proof challenges: random, single use, short-lived, bound to the user they were issued to.
// Kept in memory on purpose: a challenge is asked for and answered over the same socket, which stays on
// one relay node, so nothing needs sharing between nodes, and a restart merely voids open challenges.
import { randomBytes } from 'node:crypto';
import type { AuthUser, Clock } from '../ports.js';

export const challengeTtlMs = 2 * 60_000;
/** Open challenges per user: a client asking in a loop cannot grow the map without bound. */
const maxOpenPerUser = 8;

interface Issued {
  tenantId: string;
  userId: string;
  expiresAt: number;
}

export type TakeResult = 'ok' | 'unknown' | 'other-user' | 'expired';

export interface Challenges {
  issue(user: AuthUser): string;
  /** Removes the challenge whatever the outcome, so each one is tried at most once. */
  take(user: AuthUser, challenge: string): TakeResult;
}

export function createChallenges(clock: Clock): Challenges {
  const open = new Map<string, Issued>();
  const sweep = (now: number): void => {
    for (const [c, i] of open) if (i.expiresAt <= now) open.delete(c);
  };
  return {
    issue(user) {
      const now = clock.now();
      sweep(now);
      const mine = [...open].filter(([, i]) => i.tenantId === user.tenantId && i.userId === user.userId);
      // Map order is insertion order: the oldest of this user's challenges go first.
      for (const [c] of mine.slice(0, Math.max(0, mine.length - maxOpenPerUser + 1))) open.delete(c);
      const challenge = randomBytes(32).toString('base64url');
      open.set(challenge, { tenantId: user.tenantId, userId: user.userId, expiresAt: now + challengeTtlMs });
      return challenge;
    },
    take(user, challenge) {
      const issued = open.get(challenge);
      if (!issued) return 'unknown';
      open.delete(challenge);
      if (issued.tenantId !== user.tenantId || issued.userId !== user.userId) return 'other-user';
      if (issued.expiresAt <= clock.now()) return 'expired';
      return 'ok';
    },
  };
}
