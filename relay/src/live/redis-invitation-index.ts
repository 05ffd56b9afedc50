// The InvitationIndex several relay nodes share (sessions/invitation-index.ts): a set of session ids per
// person. It expires a day after its last addition (an invitation is open for minutes; a session lives
// hours at most), so a person invited once and never again leaves nothing behind.
import { personKey, type InvitationIndex, type Person } from '../sessions/invitation-index.js';
import { defaultRedisPrefix, type RedisClient } from './redis-client.js';

const dayMs = 24 * 60 * 60_000;

export function createRedisInvitationIndex(client: RedisClient, opts: { prefix?: string; ttlMs?: number } = {}): InvitationIndex {
  const keyOf = (person: Person) => `${opts.prefix ?? defaultRedisPrefix}invited:${personKey(person)}`;
  const ttlMs = opts.ttlMs ?? dayMs;
  return {
    async add(person, sessionId) {
      const key = keyOf(person);
      await client.multi().sAdd(key, sessionId).pExpire(key, ttlMs).exec();
    },
    async remove(person, sessionId) {
      await client.sRem(keyOf(person), sessionId);
    },
    async sessionsOf(person) {
      return client.sMembers(keyOf(person));
    },
  };
}
