import type { Server, Socket } from 'socket.io';
import type { Ack, ClientToServerEvents, ServerToClientEvents, SessionRole } from '../../../protocol/src/index.js';
import type { AuthUser } from '../ports.js';

export interface SocketData {
  user: AuthUser;
  /** Sessions this socket is a member of, and as what. */
  sessions: Map<string, SessionRole>;
}

// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- no server-to-server events
export type RelayServer = Server<ClientToServerEvents, ServerToClientEvents, {}, SocketData>;
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export type RelaySocket = Socket<ClientToServerEvents, ServerToClientEvents, {}, SocketData>;

/** What the socket layer needs from identity: a verified user from a token or a web-session cookie. */
export interface SocketAuthenticator {
  verifyAccessToken(token: string): Promise<Ack<AuthUser>>;
  userFromCookie(cookieHeader: string): Promise<Ack<AuthUser>>;
}
