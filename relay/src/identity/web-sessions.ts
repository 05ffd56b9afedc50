// Where the web sign-in keeps its state: the started sign-ins waiting for their callback, and the web
// sessions behind the pages' opaque HttpOnly cookie. In memory on one node (here); in Redis with several
// (live/redis-web-sessions.ts). The routes (web-sign-in.ts) reach them only through this interface.
import { createHash, randomBytes } from 'node:crypto';
import type { Log } from '../ports.js';

export const sessionCookie = 'rh_session';
export const sessionTtlMs = 12 * 60 * 60 * 1000;

export interface PendingSignIn { tenantId: string; verifier: string; returnTo: string; expires: number }
export interface WebSession { tenantId: string; homeAccountId: string; expires: number }

export interface WebSessionStore {
  /** Keeps a started sign-in under its state until `signIn.expires`; the memory store forgets the oldest
   * past `maxPending` (its callback then says "expired"). */
  rememberPending(state: string, signIn: PendingSignIn): Promise<void>;
  /** The started sign-in of this state, once: it is forgotten as it is taken. */
  takePending(state: string): Promise<PendingSignIn | undefined>;
  /** A new web session: its id, the cookie's value. */
  create(tenantId: string, homeAccountId: string): Promise<{ id: string; maxAgeMs: number }>;
  /** The live session behind a cookie header, if any. */
  fromCookie(cookieHeader: string | undefined): Promise<WebSession | undefined>;
  /** Whether another live session signs in with this account (it then keeps the account's tokens). */
  accountInUse(homeAccountId: string): Promise<boolean>;
  /** Signs out: forgets the session the cookie names (live or expired), then tells the listeners, so a
   * socket that joined the session's room before asking whether it lives is either refused by that
   * answer or reached by the listener. Answers the session it was. */
  endByCookie(cookieHeader: string | undefined): Promise<WebSession | undefined>;
  /** The opaque name of the web session a cookie names (not the cookie itself), live or not, from the
   * cookie alone (no I/O); undefined when there is no session cookie. */
  keyOf(cookieHeader: string | undefined): string | undefined;
  /** When the live web session of this key ends; undefined when it has ended (signed out, expired). */
  expiresAt(webSessionKey: string): Promise<number | undefined>;
  /** Called with the key of every web session this node ends: signed out (any store) or swept as
   * expired (the memory store). Sessions that expire in Redis end their sockets by their own timers
   * (credential-lifetime.ts). */
  onEnd(listener: (webSessionKey: string) => void): void;
  close(): void;
}

export function createWebSessionStore(deps: { now: () => number; maxPending: number; log: Log }): WebSessionStore {
  const { now } = deps;
  const pending = new Map<string, PendingSignIn>();
  /** By key (the id's hash): the id itself, a bearer secret, is kept nowhere. */
  const sessions = new Map<string, WebSession>();
  const listeners = createEndListeners(deps.log);

  const live = (key: string | undefined): WebSession | undefined => {
    const session = key ? sessions.get(key) : undefined;
    return session && session.expires >= now() ? session : undefined;
  };
  const end = (key: string): void => {
    if (sessions.delete(key)) listeners.tell(key);
  };

  const sweeper = setInterval(() => {
    const t = now();
    for (const [k, v] of pending) if (v.expires < t) pending.delete(k);
    for (const [k, v] of sessions) if (v.expires < t) end(k);
  }, 60_000);
  sweeper.unref();

  return {
    async rememberPending(state, signIn) {
      pending.set(state, signIn);
      // Insertion order is age: unauthenticated posts cannot grow memory without bound.
      for (const oldest of pending.keys()) {
        if (pending.size <= deps.maxPending) break;
        pending.delete(oldest);
      }
    },
    async takePending(state) {
      const signIn = pending.get(state);
      pending.delete(state);
      return signIn;
    },
    async create(tenantId, homeAccountId) {
      const id = newSessionId();
      sessions.set(webSessionKeyOf(id), { tenantId, homeAccountId, expires: now() + sessionTtlMs });
      return { id, maxAgeMs: sessionTtlMs };
    },
    fromCookie: async (cookieHeader) => live(keyFromCookie(cookieHeader)),
    accountInUse: async (homeAccountId) => [...sessions.values()].some((s) => s.homeAccountId === homeAccountId),
    async endByCookie(cookieHeader) {
      const key = keyFromCookie(cookieHeader);
      const session = key ? sessions.get(key) : undefined;
      if (key) end(key);
      return session;
    },
    keyOf: keyFromCookie,
    expiresAt: async (key) => live(key)?.expires,
    onEnd: listeners.add,
    close() {
      clearInterval(sweeper);
      listeners.clear();
      sessions.clear();
      pending.clear();
    },
  };
}

export function newSessionId(): string {
  return randomBytes(32).toString('base64url');
}

/** The session id is a bearer secret: what leaves the cookie is its hash. */
export function webSessionKeyOf(sessionId: string): string {
  return createHash('sha256').update(sessionId).digest('base64url');
}

export function keyFromCookie(cookieHeader: string | undefined): string | undefined {
  const id = readCookie(cookieHeader, sessionCookie);
  return id ? webSessionKeyOf(id) : undefined;
}

/** The listeners told of each ended session; one that throws does not keep the others from hearing. */
export function createEndListeners(log: Log): { add(listener: (key: string) => void): void; tell(key: string): void; clear(): void } {
  const listeners: ((key: string) => void)[] = [];
  return {
    add: (listener) => void listeners.push(listener),
    tell(key) {
      for (const listener of listeners) {
        try {
          listener(key);
        } catch (error) {
          log.error('sign-out listener failed', { error });
        }
      }
    },
    clear: () => void (listeners.length = 0),
  };
}

export function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}
