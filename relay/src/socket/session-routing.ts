// Maps (session, role) to the socket that speaks for that member: a Socket.IO room per member, so
// the notifier works the same once rooms span nodes (Redis adapter), plus the current owner, so an
// old socket that times out after its user already resumed elsewhere does not end the session.
import type { SessionRole } from '#protocol';
import type { SessionNotifier } from '../sessions/session-service.js';
import type { RelayServer, RelaySocket } from './types.js';

const room = (sessionId: string, role: SessionRole) => `session:${sessionId}:${role}`;
const key = room;

export interface SessionRouting extends SessionNotifier {
  attach(socket: RelaySocket, sessionId: string, role: SessionRole): void;
  isOwner(socket: RelaySocket, sessionId: string, role: SessionRole): boolean;
  /** Whether a connected socket other than this one speaks for the member now. */
  ownedElsewhere(socket: RelaySocket, sessionId: string, role: SessionRole): boolean;
}

export function createSessionRouting(io: RelayServer): SessionRouting {
  const owners = new Map<string, string>();
  return {
    attach(socket, sessionId, role) {
      // Forget sessions this socket no longer speaks for, so a long-lived console socket does not pile them up.
      for (const [id, r] of socket.data.sessions) if (owners.get(key(id, r)) !== socket.id) socket.data.sessions.delete(id);
      void socket.join(room(sessionId, role));
      socket.data.sessions.set(sessionId, role);
      owners.set(key(sessionId, role), socket.id);
    },
    isOwner(socket, sessionId, role) {
      return owners.get(key(sessionId, role)) === socket.id;
    },
    ownedElsewhere(socket, sessionId, role) {
      const owner = owners.get(key(sessionId, role));
      return owner !== undefined && owner !== socket.id && io.of('/').sockets.get(owner)?.connected === true;
    },
    send(sessionId, role, event, payload) {
      // The payload type is checked by SessionNotifier's signature; emit's variadic typing cannot follow it.
      (io.to(room(sessionId, role)).emit as (e: string, p: unknown) => void)(event, payload);
    },
    release(sessionId) {
      for (const role of ['helper', 'sharer'] as const) {
        owners.delete(key(sessionId, role));
        io.in(room(sessionId, role)).socketsLeave(room(sessionId, role));
      }
    },
  };
}
