// Maps (session, role) to the socket that speaks for that member: a Socket.IO room per member, so
// the notifier works the same once rooms span nodes (Redis adapter), plus the current owner, kept in
// the shared session record (sessions/owners.ts) with the node that holds its socket, so an old socket
// that times out after its user already resumed elsewhere, on this node or another, does not end the
// session, and a node that dies leaves behind who it spoke for.
import type { SessionRole } from '#protocol';
import type { NodeLiveness } from '../live/node-liveness.js';
import { memberColleague } from '../sessions/colleague-record.js';
import { sameUser } from '../sessions/members.js';
import { ownerOf, takeOver } from '../sessions/owners.js';
import type { SessionNotifier } from '../sessions/session-service.js';
import type { Audience } from '../sessions/types.js';
import type { Owner, SessionStore } from '../sessions/session-store.js';
import type { BroadcastBarrier } from './broadcast-barrier.js';
import type { RelayServer, RelaySocket } from './types.js';

/** A member's room, or the allowed colleague's chat room ('colleague-chat'). */
export const room = (sessionId: string, to: Audience) => `session:${sessionId}:${to}`;

/** The session a room of `room` belongs to (the broadcast barrier's scope), if any. */
export function sessionOfRoom(name: string): string | undefined {
  if (!name.startsWith('session:')) return undefined;
  const end = name.indexOf(':', 8);
  return end > 8 ? name.slice(8, end) : undefined;
}

/** Every socket of one person joins theirs at connection, on whichever node: invitations reach them all. */
export const userRoom = (tenantId: string, userId: string) => `user:${tenantId}:${userId}`;

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

/** `broadcasts`: with several nodes, what this node is still publishing, by session (broadcast-barrier.ts). */
export function createSessionRouting(io: RelayServer, deps: { store: SessionStore; liveness: NodeLiveness; broadcasts?: BroadcastBarrier | undefined }): SessionRouting {
  const { store, liveness, broadcasts } = deps;
  const me = (socket: RelaySocket): Owner => ({ node: liveness.id, socket: socket.id });
  const owns = (o: Owner | undefined, socket: RelaySocket) => o?.node === liveness.id && o.socket === socket.id;
  /**
   * A colleague's new socket (a reload, a reconnect) hears the chat, the sharer's status and the state
   * again when the colleague is allowed: the room 'colleague-allowed' put the old socket in. Joined
   * first, then the record read, so a removal that races it (which empties the room) still wins.
   */
  async function intoChatIfAllowed(socket: RelaySocket, sessionId: string): Promise<void> {
    const chat = room(sessionId, 'colleague-chat');
    await socket.join(chat);
    const s = await store.get(sessionId);
    const c = s ? memberColleague(s) : undefined;
    const allowed = c?.state === 'allowed' && sameUser(c.member, socket.data.user);
    if (!allowed) await socket.leave(chat);
  }

  return {
    ownerOf: me,
    async attach(socket, sessionId, role) {
      void socket.join(room(sessionId, role));
      socket.data.sessions.set(sessionId, role);
      await takeOver(store, sessionId, role, me(socket));
      if (role === 'colleague') await intoChatIfAllowed(socket, sessionId);
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
    send(sessionId, to, event, payload, nodes) {
      const rooms = typeof to === 'string' ? room(sessionId, to) : to.map((r) => room(sessionId, r));
      // Every socket that ever spoke for a member is on this node: the emit stays here, not published to
      // the other nodes (with Redis, the publish and every node's read of it are most of a chat message's
      // cost). An empty list is not known to be this node alone. Unless something of this session this
      // node began is still being published (a colleague let in or out, an emit): published behind it, so
      // it does not overtake it (broadcast-barrier.ts).
      // And only once every node names itself in the sessions it attaches (not during a rolling upgrade
      // from a version that did not).
      const here = nodes !== undefined && nodes.length > 0 && nodes.every((n) => n === liveness.id) && !broadcasts?.busy(sessionId)
        && liveness.everyNodeNamesItself();
      // The payload type is checked by SessionNotifier's signature; emit's variadic typing cannot follow it.
      (( here ? io.local.to(rooms) : io.to(rooms)).emit as (e: string, p: unknown) => void)(event, payload);
    },
    sendToUser(tenantId, userId, event, payload, exceptSocket) {
      const target = exceptSocket ? io.to(userRoom(tenantId, userId)).except(exceptSocket) : io.to(userRoom(tenantId, userId));
      (target.emit as (e: string, p: unknown) => void)(event, payload);
    },
    // socketsJoin and socketsLeave reach the sockets on every node (the adapter carries them, in order
    // with the emits around them). The sockets' own session maps stay as they were: the handlers also ask
    // for the room (session-handlers.ts), so a socket moved out cannot speak as what it was.
    regroup(sessionId, change) {
      const colleague = room(sessionId, 'colleague');
      const chat = room(sessionId, 'colleague-chat');
      const helper = room(sessionId, 'helper');
      if (change === 'colleague-allowed') io.in(colleague).socketsJoin(chat);
      if (change === 'handed-over') {
        io.in(helper).socketsLeave(helper);
        io.in(colleague).socketsJoin(helper);
      }
      if (change === 'colleague-out' || change === 'handed-over') io.in(colleague).socketsLeave([colleague, chat]);
    },
    release(sessionId) {
      // The owners go with the session: an ended record has none (owners.ts).
      for (const to of ['helper', 'sharer', 'colleague', 'colleague-chat'] as const) io.in(room(sessionId, to)).socketsLeave(room(sessionId, to));
    },
  };
}
