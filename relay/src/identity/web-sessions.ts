// Where the web sign-in keeps its state: the started sign-ins waiting for their callback, and the web
// sessions behind the pages' opaque HttpOnly cookie. In memory on one node; the routes (web-sign-in.ts)
// reach them only through these functions, so a shared store can take their place.
import { createHash, randomBytes } from 'node:crypto';
import type { Log } from '../ports.js';

export const sessionCookie = 'rh_session';
const sessionTtlMs = 12 * 60 * 60 * 1000;

export interface PendingSignIn { tenantId: string; verifier: string; returnTo: string; expires: number }
export interface WebSession { tenantId: string; homeAccountId: string; expires: number }

export interface WebSessionStore {
  /** Keeps a started sign-in under its state; past `maxPending` the oldest is forgotten (its callback then says "expired"). */
  rememberPending(state: string, signIn: PendingSignIn): void;
  /** The started sign-in of this state, once: it is forgotten as it is taken. */
  takePending(state: string): PendingSignIn | undefined;
  /** A new web session: its id, the cookie's value. */
  create(tenantId: string, homeAccountId: string): { id: string; maxAgeMs: number };
  /** The live session behind a cookie header, if any. */
  fromCookie(cookieHeader: string | undefined): { id: string; session: WebSession } | undefined;
  /** Whether another live session signs in with this account (it then keeps the account's tokens). */
  accountInUse(homeAccountId: string): boolean;
  /** Signs out: forgets the session the cookie names (live or expired) and tells the listeners at once,
   * before any await, so a socket that authenticated by it either finds it gone or is already known to
   * the listener. Answers the session it was. */
  endByCookie(cookieHeader: string | undefined): WebSession | undefined;
  /** An opaque name of the live web session behind this cookie (not the cookie itself); undefined when
   * there is none (signed out, expired). */
  webSessionKey(cookieHeader: string | undefined): string | undefined;
  /** Called with the webSessionKey of every web session that ends: signed out, or expired. */
  onEnd(listener: (webSessionKey: string) => void): void;
  close(): void;
}

export function createWebSessionStore(deps: { now: () => number; maxPending: number; log: Log }): WebSessionStore {
  const { now } = deps;
  const pending = new Map<string, PendingSignIn>();
  const sessions = new Map<string, WebSession>();
  const listeners: ((webSessionKey: string) => void)[] = [];

  const live = (cookieHeader: string | undefined) => {
    const id = readCookie(cookieHeader, sessionCookie);
    const session = id ? sessions.get(id) : undefined;
    return id && session && session.expires >= now() ? { id, session } : undefined;
  };

  const end = (id: string): void => {
    if (!sessions.delete(id)) return;
    const key = keyOf(id);
    for (const listener of listeners) {
      try {
        listener(key);
      } catch (error) {
        deps.log.error('sign-out listener failed', { error });
      }
    }
  };

  const sweeper = setInterval(() => {
    const t = now();
    for (const [k, v] of pending) if (v.expires < t) pending.delete(k);
    for (const [k, v] of sessions) if (v.expires < t) end(k);
  }, 60_000);
  sweeper.unref();

  return {
    rememberPending(state, signIn) {
      pending.set(state, signIn);
      // Insertion order is age: unauthenticated posts cannot grow memory without bound.
      for (const oldest of pending.keys()) {
        if (pending.size <= deps.maxPending) break;
        pending.delete(oldest);
      }
    },
    takePending(state) {
      const signIn = pending.get(state);
      pending.delete(state);
      return signIn;
    },
    create(tenantId, homeAccountId) {
      const id = randomBytes(32).toString('base64url');
      sessions.set(id, { tenantId, homeAccountId, expires: now() + sessionTtlMs });
      return { id, maxAgeMs: sessionTtlMs };
    },
    fromCookie: live,
    accountInUse: (homeAccountId) => [...sessions.values()].some((s) => s.homeAccountId === homeAccountId),
    endByCookie(cookieHeader) {
      const id = readCookie(cookieHeader, sessionCookie);
      const session = id ? sessions.get(id) : undefined;
      if (id) end(id);
      return session;
    },
    webSessionKey: (cookieHeader) => {
      const found = live(cookieHeader);
      return found && keyOf(found.id);
    },
    onEnd: (listener) => void listeners.push(listener),
    close() {
      clearInterval(sweeper);
      listeners.length = 0;
      sessions.clear();
      pending.clear();
    },
  };
}

/** The session id is a bearer secret: what leaves this module is its hash. */
function keyOf(sessionId: string): string {
  return createHash('sha256').update(sessionId).digest('base64url');
}

export function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}
