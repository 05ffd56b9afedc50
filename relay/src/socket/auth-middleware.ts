// Every socket proves who it is before its first event: a relay access token (console main) or the
// web pages' session cookie. Refusals carry a stable code in connect_error's `data`. A socket that
// proved who it is then takes its place in the connections its person and its address may hold
// (limits/connection-leases.ts), or is refused with `too-many-connections`.
import { decodeJwt } from 'jose';
import type { ExtendedError } from 'socket.io';
import type { ErrorCode } from '#protocol';
import type { ConnectionLease, ConnectionLeases } from '../limits/connection-leases.js';
import { rateLimitBucket, socketClientAddress } from '../net/client-address.js';
import type { Authenticator, Log } from '../ports.js';
import { appOfToken } from './started-from.js';
import type { RelaySocket, SocketData } from './types.js';

function refusal(code: ErrorCode, message: string): ExtendedError {
  return Object.assign(new Error(message), { data: { code } });
}

/** With `leases`: the connections per person and per address (the client address as `trustProxy` says). */
export interface ConnectionCounting {
  leases: ConnectionLeases;
  trustProxy: boolean;
}

export function authMiddleware(identity: Authenticator, publicOrigin: string, log: Log, counting?: ConnectionCounting) {
  return async (socket: RelaySocket, next: (err?: ExtendedError) => void): Promise<void> => {
    try {
      const token: unknown = (socket.handshake.auth as Record<string, unknown> | undefined)?.['token'];
      const cookie = socket.handshake.headers.cookie;
      let result;
      let credential: SocketData['credential'];
      if (token !== undefined) {
        if (typeof token !== 'string' || token.length === 0 || token.length > 16_384) {
          return next(refusal('unauthenticated', 'the token is not a string'));
        }
        result = await identity.verifyAccessToken(token);
        credential = {
          kind: 'token', expiresAt: result.ok ? expiryOf(token) : undefined,
          app: result.ok ? appOfToken(token, identity.consoleClientId?.(result.value.tenantId)) : 'other-app',
        };
      } else if (cookie) {
        // A cookie is sent by the browser whatever page opened the socket; only our own pages may use it
        // (SameSite=Lax still lets another port of the same host through).
        if (socket.handshake.headers.origin !== publicOrigin) {
          return next(refusal('unauthenticated', 'a cookie session is accepted only from the relay\'s own pages'));
        }
        result = await identity.userFromCookie(cookie);
        credential = { kind: 'cookie' };
      } else {
        return next(refusal('unauthenticated', 'sign in first'));
      }
      // The verifier's own code: a disabled account or a foreign issuer is told apart from a bad token.
      if (!result.ok) return next(refusal(result.error.code, result.error.message));
      if (counting && !(await takeLease(socket, result.value, counting))) {
        return next(refusal('too-many-connections', 'too many connections at once: close another tab or window of the service'));
      }
      socket.data.user = result.value;
      socket.data.sessions = new Map();
      socket.data.credential = credential;
      if (token !== undefined) forgetToken(socket);
      next();
    } catch (error) {
      log.error('socket authentication failed', { error });
      next(refusal('internal', 'internal error'));
    }
  };
}

/** The access token is verified and its expiry kept (socket.data.credential): nothing reads it again,
 * and it is the largest thing a connection would hold (about 1.1 KB of its heap, issue 12) — and the
 * handshake, token included, is what fetchSockets sends to the other nodes. The console's client sends a
 * fresh one from its own `auth` callback at every reconnection, so the server's copy serves no one. */
function forgetToken(socket: RelaySocket): void {
  const { token: _verified, ...rest } = socket.handshake.auth as Record<string, unknown>;
  socket.handshake.auth = rest;
}

/** Each counted socket's (and its Engine.IO connection's) lease: one shared listener for all of them
 * (`this` is the socket or connection), not a closure and two once-wrappers per socket. */
const heldLeases = new WeakMap<object, { leases: ConnectionLeases; lease: ConnectionLease }>();
function releaseLease(this: object): void {
  const held = heldLeases.get(this);
  if (held) void held.leases.release(held.lease); // released once: release() ignores a second call
}

/** Counts the socket against its person's and its address's connections until it goes; false when
 * either holds its limit already. */
async function takeLease(socket: RelaySocket, user: { tenantId: string; userId: string }, { leases, trustProxy }: ConnectionCounting): Promise<boolean> {
  const taken = await leases.take(user, rateLimitBucket(socketClientAddress(socket.handshake, trustProxy)));
  if (!taken.ok) return false;
  const held = { leases, lease: taken.lease };
  heldLeases.set(socket, held);
  heldLeases.set(socket.conn, held);
  // Either way out: the socket's disconnect, or its connection closing before the socket was ever
  // connected (a client gone during the handshake), when no disconnect comes.
  socket.on('disconnect', releaseLease);
  socket.conn.on('close', releaseLease);
  if (socket.conn.readyState !== 'open') releaseLease.call(socket);
  return true;
}

/** The `exp` of a token the identity has just verified (so its payload can be read as is), in epoch ms. */
function expiryOf(token: string): number | undefined {
  try {
    const { exp } = decodeJwt(token);
    return typeof exp === 'number' ? exp * 1000 : undefined;
  } catch {
    return undefined; // an identity whose tokens are not JWTs: they expire as it says, at the handshake
  }
}
