// Web sign-in state shared by the nodes (DESIGN §12): a sign-in started on one node is finished by the
// callback on another, and the rh_session cookie works on every node. Keys expire by themselves (a
// pending sign-in with its 10 minutes, a session with its lifetime). A session is stored under its key
// (the cookie id's hash), never under the id, a bearer secret. A set per account names the account's
// sessions, so the last one to end removes the account's tokens.
// Started sign-ins are bounded by their TTL and the per-address limit, not by the memory store's maxPending.
import type { Log } from '../ports.js';
import {
  createEndListeners, keyFromCookie, newSessionId, sessionTtlMs, webSessionKeyOf,
  type PendingSignIn, type WebSession, type WebSessionStore,
} from '../identity/web-sessions.js';
import { defaultRedisPrefix, type RedisClient } from './redis-client.js';

export function createRedisWebSessionStore(
  redis: RedisClient, deps: { now: () => number; log: Log; prefix?: string },
): WebSessionStore {
  const { now } = deps;
  const prefix = `${deps.prefix ?? defaultRedisPrefix}web:`;
  const pendingKey = (state: string): string => `${prefix}pending:${state}`;
  const sessionKey = (key: string): string => `${prefix}session:${key}`;
  const accountKey = (homeAccountId: string): string => `${prefix}account:${homeAccountId}`;
  const listeners = createEndListeners(deps.log);

  // Redis expires keys by its own time; the relay's clock (which tests move) has the last word on reads.
  const live = async (key: string | undefined): Promise<WebSession | undefined> => {
    const raw = key ? await redis.get(sessionKey(key)) : null;
    const session = raw ? (JSON.parse(raw) as WebSession) : undefined;
    return session && session.expires >= now() ? session : undefined;
  };

  return {
    async rememberPending(state, signIn) {
      const ttl = Math.max(1, signIn.expires - now());
      await redis.set(pendingKey(state), JSON.stringify(signIn), { expiration: { type: 'PX', value: ttl } });
    },
    async takePending(state) {
      const raw = await redis.getDel(pendingKey(state));
      return raw ? (JSON.parse(raw) as PendingSignIn) : undefined;
    },
    async create(tenantId, homeAccountId) {
      const id = newSessionId();
      const key = webSessionKeyOf(id);
      const session: WebSession = { tenantId, homeAccountId, expires: now() + sessionTtlMs };
      await redis.multi()
        .set(sessionKey(key), JSON.stringify(session), { expiration: { type: 'PX', value: sessionTtlMs } })
        .sAdd(accountKey(homeAccountId), key)
        // The set outlives the newest of its sessions; members whose sessions expired are skipped on reading.
        .pExpire(accountKey(homeAccountId), sessionTtlMs)
        .exec();
      return { id, maxAgeMs: sessionTtlMs };
    },
    fromCookie: (cookieHeader) => live(keyFromCookie(cookieHeader)),
    async accountInUse(homeAccountId) {
      const keys = await redis.sMembers(accountKey(homeAccountId));
      return keys.length > 0 && (await redis.exists(keys.map(sessionKey))) > 0;
    },
    async endByCookie(cookieHeader) {
      const key = keyFromCookie(cookieHeader);
      if (!key) return undefined;
      const raw = await redis.getDel(sessionKey(key));
      if (!raw) return undefined;
      const session = JSON.parse(raw) as WebSession;
      await redis.sRem(accountKey(session.homeAccountId), key);
      // Told once the session is gone: a socket on any node that asked before this is in the room by now.
      listeners.tell(key);
      return session;
    },
    keyOf: keyFromCookie,
    expiresAt: async (key) => (await live(key))?.expires,
    onEnd: listeners.add,
    // The client is the node's, closed by its owner.
    close: () => listeners.clear(),
  };
}
