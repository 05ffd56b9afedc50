// A socket is authenticated once, at its handshake; this keeps it from outliving what it authenticated
// with. A web page's socket goes when its web session ends (sign-out, expiry). The console's socket goes
// when its access token's `exp` passes: only its transport is closed, so socket.io-client reconnects by
// itself, and the console's `auth` callback brings a fresh token (and with it the user's current roles).
import type { Authenticator, Clock, Log } from '../ports.js';
import type { RelayServer, RelaySocket } from './types.js';

/** setTimeout's longest delay; a later expiry is waited for in steps. */
const maxDelayMs = 2 ** 31 - 1;

export interface CredentialLifetime {
  /** At connection: false (and the socket is disconnected) when its web session ended meanwhile. */
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

  const expireAt = (socket: RelaySocket, expiresAt: number): void => {
    let timer: NodeJS.Timeout | undefined;
    const arm = (): void => {
      const left = expiresAt - deps.clock.now();
      if (left > 0) {
        timer = setTimeout(arm, Math.min(left, maxDelayMs));
        timer.unref();
        return;
      }
      const { tenantId, userId } = socket.data.user;
      deps.log.info('socket token expired', { socketId: socket.id, tenantId, userId });
      expiredSockets.add(socket);
      socket.conn.close();
    };
    socket.once('disconnect', () => clearTimeout(timer));
    arm();
  };

  return {
    watch(socket) {
      const { credential } = socket.data;
      // Joined before any await, like the web-session room below: a disabling either finds the socket here
      // or happened before the handshake, whose token check then refused it.
      void socket.join(userRoom(socket.data.user.tenantId, socket.data.user.userId));
      if (credential.kind === 'token') {
        if (credential.expiresAt !== undefined) expireAt(socket, credential.expiresAt);
        return true;
      }
      if (!deps.auth.webSessionKey) return true; // an identity without web sessions that end
      // Checked here, once the socket is connected, with no await before the join: a sign-out either
      // happened already (refused now) or finds the socket in its room.
      const key = deps.auth.webSessionKey(socket.handshake.headers.cookie ?? '');
      if (key === undefined) {
        socket.disconnect(true);
        return false;
      }
      void socket.join(room(key));
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
