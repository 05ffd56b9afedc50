// The one Redis connection a relay node shares between its parts (DESIGN §12): sessions, rate-limit
// windows, the embedded provider's state, web sign-ins, device-proof challenges. Made once in main.ts
// from `redis` / RH_REDIS_URL and passed in; the Socket.IO adapter takes its own duplicate, since a
// stream read blocks the connection it runs on.
import { createClient } from 'redis';
import type { Log } from '../ports.js';

export type RedisClient = ReturnType<typeof createClient>;

/** The key prefix every part writes under: several relays (or tests) may share one Redis with their own. */
export const defaultRedisPrefix = 'rh:';

export class RedisUnavailableError extends Error {}

/** Connects, or throws RedisUnavailableError naming the URL (without its password) within `timeoutMs`. */
export async function connectRedis(url: string, log: Log, timeoutMs = 5000): Promise<RedisClient> {
  const shown = withoutPassword(url);
  const client: RedisClient = createClient({
    url,
    socket: {
      connectTimeout: timeoutMs,
      // After the first connection: keep trying (a Redis restart, a fail-over), at most every 2 s.
      reconnectStrategy: (retries) => Math.min(100 * 2 ** retries, 2000),
    },
  });
  let connected = false;
  client.on('error', (error: unknown) => {
    // node-redis reports every failed reconnection here; without a listener it would crash the process.
    if (connected) log.warn('redis connection problem', { url: shown, error: error instanceof Error ? error.message : String(error) });
  });
  const timeout = new Promise<never>((_, reject) => {
    setTimeout(() => reject(new RedisUnavailableError(`redis: cannot connect to ${shown} within ${timeoutMs} ms`)), timeoutMs).unref();
  });
  try {
    await Promise.race([client.connect(), timeout]);
  } catch (error) {
    client.destroy();
    if (error instanceof RedisUnavailableError) throw error;
    throw new RedisUnavailableError(`redis: cannot connect to ${shown}: ${error instanceof Error ? error.message : String(error)}`);
  }
  connected = true;
  return client;
}

function withoutPassword(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'the configured Redis';
  }
}
