// Device-proof challenges shared by the nodes (DESIGN §12): a page may fetch a challenge from one node
// and answer it on another. One key per challenge with its TTL; GETDEL takes it, so two nodes answering
// the same challenge at once cannot both succeed. A sorted set per user (by issue time) keeps the
// user's open challenges at maxOpenPerUser, as the memory store does.
import { challengeTtlMs, judge, maxOpenPerUser, newChallenge, type Challenges, type Issued } from '../device-trust/challenges.js';
import type { Clock } from '../ports.js';
import { defaultRedisPrefix, type RedisClient } from './redis-client.js';

export function createRedisChallenges(redis: RedisClient, clock: Clock, opts: { prefix?: string } = {}): Challenges {
  const prefix = `${opts.prefix ?? defaultRedisPrefix}challenge:`;
  const key = (challenge: string): string => `${prefix}${challenge}`;
  const userKey = (tenantId: string, userId: string): string => `${prefix}user:${JSON.stringify([tenantId, userId])}`;

  return {
    async issue(user) {
      const now = clock.now();
      const challenge = newChallenge();
      const issued: Issued = { tenantId: user.tenantId, userId: user.userId, expiresAt: now + challengeTtlMs };
      const mine = userKey(user.tenantId, user.userId);
      // Redis keeps the TTL by its own time; the expiry in the value is judged by the relay's clock.
      await redis.multi()
        .set(key(challenge), JSON.stringify(issued), { expiration: { type: 'PX', value: challengeTtlMs } })
        .zRemRangeByScore(mine, '-inf', now - challengeTtlMs)
        .zAdd(mine, { score: now, value: challenge })
        .pExpire(mine, challengeTtlMs)
        .exec();
      // The oldest past the cap go: their keys with them, so they can no longer be taken.
      const excess = await redis.zCard(mine) - maxOpenPerUser;
      if (excess > 0) {
        const oldest = await redis.zPopMinCount(mine, excess);
        if (oldest.length) await redis.del(oldest.map((o) => key(o.value)));
      }
      return challenge;
    },
    async take(user, challenge) {
      const raw = await redis.getDel(key(challenge));
      const issued = raw ? (JSON.parse(raw) as Issued) : undefined;
      if (issued) await redis.zRem(userKey(issued.tenantId, issued.userId), challenge);
      return judge(issued, user, clock.now());
    },
  };
}
