// The person indexes several relay nodes share (sessions/person-index.ts): a set of session ids per
// person, one key per index and person, so a person seen once and never again leaves nothing behind:
// - 'invited' expires a day after its last addition (an invitation is open for minutes);
// - 'member' a week after (a session has no set end, and its record lives as long as it is written to;
//   a member's reconnect adds the session again). Its sets are a few ids each: a week costs nothing.
import { personKey, type PersonIndexName, type PersonSessionIndex, type Person } from '../sessions/person-index.js';
import { defaultRedisPrefix, type RedisClient } from './redis-client.js';

const dayMs = 24 * 60 * 60_000;
const defaultTtlMs: Record<PersonIndexName, number> = { invited: dayMs, member: 7 * dayMs };

export function createRedisPersonIndex(
  client: RedisClient, name: PersonIndexName, opts: { prefix?: string; ttlMs?: number } = {},
): PersonSessionIndex {
  const keyOf = (person: Person) => `${opts.prefix ?? defaultRedisPrefix}${name}:${personKey(person)}`;
  const ttlMs = opts.ttlMs ?? defaultTtlMs[name];
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
