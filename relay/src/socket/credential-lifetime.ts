// A socket is authenticated once, at its handshake; this keeps it from outliving what it authenticated
// with. A web page's socket goes when its web session ends: signed out on any node (the room's
// disconnectSockets reaches every node through the Socket.IO adapter), or expired (its own timer here,
// since a session expiring in Redis tells no one). The console's socket goes
// when its access token's `exp` passes: only its transport is closed, so socket.io-client reconnects by
// itself, and the console's `auth` callback brings a fresh token (and with it the user's current roles).
import type { Authenticator, Clock, Log } from '../ports.js';
import type { RelayServer, RelaySocket } from './types.js';

/** setTimeout's longest delay; a later expiry is waited for in steps. */
const maxDelayMs = 2 ** 31 - 1;

export interface CredentialLifetime {
  /** At connection: false (and the socket is disconnected) when it has no web session to watch; a web
   * session found ended by the check that follows disconnects it then. */
  watch(socket: RelaySocket): boolean;
  /** Disconnects every socket authenticated by the web session with this key. */
  webSessionEnded(webSessionKey: string): void;
  /** Disconnects every socket of this user (disabled or deleted): nothing more is asked on their behalf. */
  userDisabled(tenantId: string, userId: string): void;
  /** Whether the socket was closed because its token expired: like a dropped network, it may come back. */
  expired(socket: RelaySocket): boolean;
}

export function createCredentialLifetime(deps: { io: RelayServer; auth: Authenticator; clock: Clock; log: Log }): CredentialLifetime {
  const expiredSockets = new WeakSet<RelaySocket>();
  const room = (webSessionKey: string): string => `web-session:${webSessionKey}`;
  const userRoom = (tenantId: string, userId: string): string => `user:${JSON.stringify([tenantId, userId])}`;

  // Each watched socket's expiry, its timer, and what ends it there. The functions below are shared by
  // every socket (issue 12: no closures and once-wrappers per connection); the timer carries its socket.
  const expiries = new WeakMap<RelaySocket, { expiresAt: number; end: (socket: RelaySocket) => void; timer?: NodeJS.Timeout }>();
  const arm = (socket: RelaySocket): void => {
    const expiry = expiries.get(socket);
    if (!expiry) return; // gone meanwhile
    const left = expiry.expiresAt - deps.clock.now();
    if (left > 0) {
      expiry.timer = setTimeout(arm, Math.min(left, maxDelayMs), socket);
      expiry.timer.unref();
      return;
    }
    expiries.delete(socket);
    expiry.end(socket);
  };
  function disarm(this: RelaySocket): void {
    clearTimeout(expiries.get(this)?.timer);
    expiries.delete(this);
  }
  /** Runs `end` once the relay's clock passes `expiresAt`, unless the socket went before. */
  const at = (socket: RelaySocket, expiresAt: number, end: (socket: RelaySocket) => void): void => {
    expiries.set(socket, { expiresAt, end });
    socket.on('disconnect', disarm);
    arm(socket);
  };
  const tokenExpired = (socket: RelaySocket): void => {
    const { tenantId, userId } = socket.data.user;
    deps.log.info('socket token expired', { socketId: socket.id, tenantId, userId });
    expiredSockets.add(socket);
    socket.conn.close();
  };
  const webSessionExpired = (socket: RelaySocket): void => {
    const { tenantId, userId } = socket.data.user;
    deps.log.info('web session expired', { socketId: socket.id, tenantId, userId });
    socket.disconnect(true);
  };

  return {
    watch(socket) {
      const { credential } = socket.data;
      // Joined before any await, like the web-session room below: a disabling either finds the socket here
      // or happened before the handshake, whose token check then refused it.
      void socket.join(userRoom(socket.data.user.tenantId, socket.data.user.userId));
      if (credential.kind === 'token') {
        if (credential.expiresAt !== undefined) at(socket, credential.expiresAt, tokenExpired);
        return true;
      }
      if (!deps.auth.webSession) return true; // an identity without web sessions that end
      const session = deps.auth.webSession(socket.handshake.headers.cookie ?? '');
      if (session === undefined) {
        socket.disconnect(true);
        return false;
      }
      // The room first, with no await before it; then whether the session lives. A sign-out on any node
      // either ended it before the answer (disconnected here) or finds the socket in its room.
      void socket.join(room(session.key));
      session.expiresAt().then((expiresAt) => {
        if (!socket.connected) return; // gone meanwhile: nothing to end
        if (expiresAt === undefined) {
          socket.disconnect(true);
          return;
        }
        at(socket, expiresAt, webSessionExpired);
      }, (error: unknown) => {
        // Unknown is not live: the page connects again and is asked afresh.
        deps.log.error('web session check failed', { socketId: socket.id, error });
        socket.disconnect(true);
      });
      return true;
    },
    userDisabled(tenantId, userId) {
      deps.io.in(userRoom(tenantId, userId)).disconnectSockets(true);
    },
    webSessionEnded(webSessionKey) {
      deps.io.in(room(webSessionKey)).disconnectSockets(true);
    },
    expired: (socket) => expiredSockets.has(socket),
  };
}
