// Maps (session, role) to the socket that speaks for that member: a Socket.IO room per member, so
// the notifier works the same once rooms span nodes (Redis adapter), plus the current owner, kept in
// the shared session record (sessions/owners.ts) with the node that holds its socket, so an old socket
// that times out after its user already resumed elsewhere, on this node or another, does not end the
// session, and a node that dies leaves behind who it spoke for.
import type { SessionRole } from '#protocol';
import type { NodeLiveness } from '../live/node-liveness.js';
import { ownerOf, takeOver } from '../sessions/owners.js';
import type { SessionNotifier } from '../sessions/session-service.js';
import type { Owner, SessionStore } from '../sessions/session-store.js';
import type { RelayServer, RelaySocket } from './types.js';

const room = (sessionId: string, role: SessionRole) => `session:${sessionId}:${role}`;

export interface SessionRouting extends SessionNotifier {
  /** The owner a socket of this node is, as the session record keeps it. */
  ownerOf(socket: RelaySocket): Owner;
  /** The socket speaks for the member from now on. */
  attach(socket: RelaySocket, sessionId: string, role: SessionRole): Promise<void>;
  isOwner(socket: RelaySocket, sessionId: string, role: SessionRole): Promise<boolean>;
  /** Whether a connected socket other than this one speaks for the member now (on this node, or on
   * another node that is alive). */
  ownedElsewhere(socket: RelaySocket, sessionId: string, role: SessionRole): Promise<boolean>;
}

export function createSessionRouting(io: RelayServer, deps: { store: SessionStore; liveness: NodeLiveness }): SessionRouting {
  const { store, liveness } = deps;
  const me = (socket: RelaySocket): Owner => ({ node: liveness.id, socket: socket.id });
  const owns = (o: Owner | undefined, socket: RelaySocket) => o?.node === liveness.id && o.socket === socket.id;
  return {
    ownerOf: me,
    async attach(socket, sessionId, role) {
      void socket.join(room(sessionId, role));
      socket.data.sessions.set(sessionId, role);
      await takeOver(store, sessionId, role, me(socket));
      // Forget sessions this socket no longer speaks for, so a long-lived console socket does not pile them up.
      const held = [...socket.data.sessions].filter(([id]) => id !== sessionId);
      const owners = await Promise.all(held.map(([id, r]) => ownerOf(store, id, r)));
      held.forEach(([id, r], i) => {
        if (!owns(owners[i], socket) && socket.data.sessions.get(id) === r) socket.data.sessions.delete(id);
      });
    },
    async isOwner(socket, sessionId, role) {
      return owns(await ownerOf(store, sessionId, role), socket);
    },
    async ownedElsewhere(socket, sessionId, role) {
      const owner = await ownerOf(store, sessionId, role);
      if (!owner || owns(owner, socket)) return false;
      if (owner.node === liveness.id) return io.of('/').sockets.get(owner.socket)?.connected === true;
      // A socket on another node: there while its node is (that node marks it away when it goes).
      return liveness.isAlive(owner.node);
    },
    send(sessionId, role, event, payload) {
      // The payload type is checked by SessionNotifier's signature; emit's variadic typing cannot follow it.
      (io.to(room(sessionId, role)).emit as (e: string, p: unknown) => void)(event, payload);
    },
    release(sessionId) {
      // The owners go with the session: an ended record has none (owners.ts).
      for (const role of ['helper', 'sharer'] as const) io.in(room(sessionId, role)).socketsLeave(room(sessionId, role));
    },
  };
}
