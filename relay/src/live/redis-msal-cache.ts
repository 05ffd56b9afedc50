// MSAL's distributed token cache (ICacheClient of its DistributedCachePlugin) in Redis: one serialized
// cache per partition (a tenant's account), kept as long as a web session may use it.
import type { ICacheClient } from '@azure/msal-node';
import { defaultRedisPrefix, type RedisClient } from './redis-client.js';

export function createRedisMsalCache(redis: RedisClient, opts: { ttlMs: number; prefix?: string }): ICacheClient {
  const prefix = `${opts.prefix ?? defaultRedisPrefix}msal:`;
  return {
    // An absent partition reads as an empty cache, not as nothing: MSAL keeps its in-memory cache when
    // given nothing, and a client kept on this node must not go on using tokens removed on another.
    get: async (key) => (await redis.get(`${prefix}${key}`)) ?? '{}',
    set: async (key, value) => {
      // Each write (a sign-in, a refresh) gives the tokens the full lifetime of a session again.
      await redis.set(`${prefix}${key}`, value, { expiration: { type: 'PX', value: opts.ttlMs } });
      return value;
    },
  };
}
