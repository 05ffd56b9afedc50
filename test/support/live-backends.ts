// Where the live state of a test lives: in this process's memory (one node), or in a real redis-server
// (several nodes). A suite runs once per backend; each test takes fresh, empty state (its own key
// prefix on the suite's redis-server), and `another()` opens a second view of that same state over its
// own connection, as a second relay node would.
import { randomUUID } from 'node:crypto';
import { createClient } from 'redis';
import { createMemoryWindowCounter } from '#relay/limits/memory-window-counter.js';
import type { RedisClient } from '#relay/live/redis-client.js';
import { createRedisSessionStore } from '#relay/live/redis-session-store.js';
import { createRedisPersonIndex } from '#relay/live/redis-person-index.js';
import { createRedisWindowCounter } from '#relay/live/redis-window-counter.js';
import type { WindowCounter } from '#relay/ports.js';
import { createMemoryPersonIndex, type PersonIndexName, type PersonSessionIndex } from '#relay/sessions/person-index.js';
import { createMemorySessionStore } from '#relay/sessions/memory-session-store.js';
import type { SessionStore } from '#relay/sessions/session-store.js';
import { startRedisServer, type RedisServer } from './redis-server.js';

/** A fresh piece of shared state, and a way to reach it as another node. */
export interface Shared<T> {
  value: T;
  another(): Promise<T>;
  /** The first node's connection (Redis only): for looking at keys and TTLs. */
  redis?: RedisClient;
  prefix?: string;
}

export interface LiveBackend {
  name: string;
  /** Once per suite (a `before`): starts what the backend needs. */
  start(): Promise<void>;
  /** Once per suite (an `after`): closes every connection and stops the server. */
  stop(): Promise<void>;
  sessionStore(opts?: { tombstoneMs?: number; liveTtlMs?: number; chatHeldBytes?: number }): Promise<Shared<SessionStore>>;
  windowCounter(): Promise<Shared<WindowCounter>>;
  /** One of the person indexes (relay/src/sessions/person-index.ts), by its name. */
  personIndex(name: PersonIndexName): Promise<Shared<PersonSessionIndex>>;
}

export const memoryBackend = (): LiveBackend => ({
  name: 'in memory',
  start: async () => {},
  stop: async () => {},
  async sessionStore(opts = {}) {
    const value = createMemorySessionStore(opts.chatHeldBytes !== undefined ? { chatHeldBytes: opts.chatHeldBytes } : {});
    return { value, another: async () => value };
  },
  async windowCounter() {
    const value = createMemoryWindowCounter();
    return { value, another: async () => value };
  },
  async personIndex() {
    const value = createMemoryPersonIndex();
    return { value, another: async () => value };
  },
});

export function redisBackend(): LiveBackend {
  let server: RedisServer | undefined;
  const clients: RedisClient[] = [];
  async function connect(): Promise<RedisClient> {
    if (!server) throw new Error('redisBackend: start() first');
    const client: RedisClient = createClient({ url: server.url });
    client.on('error', () => {}); // the server stops at the end of the suite; nothing to report then
    await client.connect();
    clients.push(client);
    return client;
  }
  async function shared<T>(make: (redis: RedisClient, prefix: string) => T): Promise<Shared<T>> {
    const prefix = `t${randomUUID().slice(0, 8)}:`;
    const redis = await connect();
    return { value: make(redis, prefix), another: async () => make(await connect(), prefix), redis, prefix };
  }
  return {
    name: 'in Redis',
    async start() {
      server = await startRedisServer();
    },
    async stop() {
      for (const c of clients.splice(0)) c.destroy();
      await server?.stop();
      server = undefined;
    },
    sessionStore: (opts = {}) => shared((redis, prefix) => createRedisSessionStore(redis, { prefix, ...opts })),
    windowCounter: () => shared((redis, prefix) => createRedisWindowCounter(redis, { prefix })),
    personIndex: (name) => shared((redis, prefix) => createRedisPersonIndex(redis, name, { prefix })),
  };
}

export const liveBackends = (): LiveBackend[] => [memoryBackend(), redisBackend()];
