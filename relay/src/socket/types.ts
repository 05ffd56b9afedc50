import type { Server, Socket } from 'socket.io';
import type { Ack, ClientToServerEvents, ServerToClientEvents, SessionRole } from '../../../protocol/src/index.js';
import type { AuthUser } from '../ports.js';

export interface SocketData {
  user: AuthUser;
  /** Sessions this socket is a member of, and as what. */
  sessions: Map<string, SessionRole>;
  /** What the socket authenticated with, which it keeps only as long as that stays valid: an access
   * token until its `exp` (epoch ms; undefined if it has none), or a web session's cookie. */
  credential: { kind: 'token'; expiresAt: number | undefined } | { kind: 'cookie' };
}

// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- no server-to-server events
export type RelayServer = Server<ClientToServerEvents, ServerToClientEvents, {}, SocketData>;
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export type RelaySocket = Socket<ClientToServerEvents, ServerToClientEvents, {}, SocketData>;

/** What the socket layer needs from identity: a verified user from a token or a web-session cookie. */
export interface SocketAuthenticator {
  verifyAccessToken(token: string): Promise<Ack<AuthUser>>;
  userFromCookie(cookieHeader: string): Promise<Ack<AuthUser>>;
  /** The opaque name of the live web session behind a cookie, undefined when it has ended; sockets
   * authenticated by it are disconnected when it ends (SocketServer.webSessionEnded). */
  webSessionKey?(cookieHeader: string): string | undefined;
}
