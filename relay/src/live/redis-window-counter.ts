// The WindowCounter several relay nodes share (DESIGN §12), with the semantics of the memory one
// (limits/memory-window-counter.ts). Each key is a sorted set of events scored by their time, the
// member being the hit's ticket; a hit is one Lua script (ZREMRANGEBYSCORE, ZCARD, then ZADD under every
// key or none), so two nodes hammering one key never count past its limit. Keys expire a window after
// their last event: nothing outlives the nodes. A ticket remembers its keys for a window (for refund).
import { randomUUID } from 'node:crypto';
import type { WindowCounter, WindowHit } from '../ports.js';
import { defaultRedisPrefix, type RedisClient } from './redis-client.js';
import { runScript } from './redis-script.js';

/** KEYS: the limit keys, then the ticket's key. ARGV: now, windowMs, ticket, then each key's limit.
 * Answers {1, remaining} when counted, {0, index of the first full key (from 1), retryAfterMs}. */
const hitScript = `
local now, win = tonumber(ARGV[1]), tonumber(ARGV[2])
local n = #KEYS - 1
local remaining = nil
for i = 1, n do
  redis.call('ZREMRANGEBYSCORE', KEYS[i], '-inf', now - win)
  local count = redis.call('ZCARD', KEYS[i])
  local limit = tonumber(ARGV[3 + i])
  if count >= limit then
    local oldest = redis.call('ZRANGE', KEYS[i], 0, 0, 'WITHSCORES')
    local retry = win
    if oldest[2] then retry = math.max(0, tonumber(oldest[2]) + win - now) end
    return {0, i, retry}
  end
  local left = limit - count - 1
  if remaining == nil or left < remaining then remaining = left end
end
for i = 1, n do
  redis.call('ZADD', KEYS[i], now, ARGV[3])
  redis.call('PEXPIRE', KEYS[i], win)
  redis.call('SADD', KEYS[n + 1], KEYS[i])
end
redis.call('PEXPIRE', KEYS[n + 1], win)
return {1, remaining}
`;

/** KEYS[1]: the ticket's key. ARGV[1]: the ticket. */
const refundScript = `
for _, key in ipairs(redis.call('SMEMBERS', KEYS[1])) do redis.call('ZREM', key, ARGV[1]) end
redis.call('DEL', KEYS[1])
return 1
`;

/** KEYS[1]: the ticket's key. ARGV: the ticket, now, windowMs. Moves the hit's events to now; 0 when
 * the ticket is gone or its events have left the window (by the caller's clock, as hit counts them). */
const renewScript = `
local keys = redis.call('SMEMBERS', KEYS[1])
if #keys == 0 then return 0 end
local from = tonumber(ARGV[2]) - tonumber(ARGV[3])
for _, key in ipairs(keys) do
  local at = redis.call('ZSCORE', key, ARGV[1])
  if not at or tonumber(at) <= from then return 0 end
end
for _, key in ipairs(keys) do
  redis.call('ZADD', key, ARGV[2], ARGV[1])
  redis.call('PEXPIRE', key, ARGV[3])
end
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1
`;

export function createRedisWindowCounter(redis: RedisClient, opts: { prefix?: string } = {}): WindowCounter {
  const p = opts.prefix ?? defaultRedisPrefix;
  const windowKey = (key: string) => `${p}win:${key}`;
  const ticketKey = (ticket: string) => `${p}winticket:${ticket}`;

  return {
    async hit(limits, windowMs, now): Promise<WindowHit> {
      const ticket = randomUUID();
      const reply = (await runScript(redis, hitScript, [...limits.map((l) => windowKey(l.key)), ticketKey(ticket)],
        [now, windowMs, ticket, ...limits.map((l) => l.limit)])) as number[];
      if (reply[0] === 1) return { allowed: true, remaining: reply[1] ?? Infinity, ticket };
      return { allowed: false, key: limits[reply[1]! - 1]!.key, retryAfterMs: reply[2]! };
    },
    count: (key, windowMs, now) => redis.zCount(windowKey(key), `(${now - windowMs}`, '+inf'),
    async refund(ticket) {
      await runScript(redis, refundScript, [ticketKey(ticket)], [ticket]);
    },
    async renew(ticket, windowMs, now) {
      return (await runScript(redis, renewScript, [ticketKey(ticket)], [ticket, now, windowMs])) === 1;
    },
    async clear(key) {
      await redis.del(windowKey(key));
    },
  };
}
