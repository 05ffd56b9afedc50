import type { Server, Socket } from 'socket.io';
import type { ClientToServerEvents, ServerToClientEvents, SessionRole } from '#protocol';
import type { AuthUser } from '../ports.js';
import type { StartedFromApp } from './started-from.js';

export interface SocketData {
  user: AuthUser;
  /** Sessions this socket is a member of, and as what. */
  sessions: Map<string, SessionRole>;
  /** What the socket authenticated with, which it keeps only as long as that stays valid: an access
   * token until its `exp` (epoch ms; undefined if it has none), or a web session's cookie. A token's
   * `app`: whether it was issued to the console's client (started-from.ts). */
  credential: { kind: 'token'; expiresAt: number | undefined; app: StartedFromApp } | { kind: 'cookie' };
}

// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- no server-to-server events
export type RelayServer = Server<ClientToServerEvents, ServerToClientEvents, {}, SocketData>;
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export type RelaySocket = Socket<ClientToServerEvents, ServerToClientEvents, {}, SocketData>;
