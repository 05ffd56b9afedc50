// Shapes the session service and its parts (admit.ts, finish.ts) share with the socket layer.
import type { ServerToClientEvents, SessionOrigin, SessionRole } from '#protocol';

type EventPayload<E extends keyof ServerToClientEvents> = Parameters<ServerToClientEvents[E]>[0];

/** Who an event of a session goes to: one member's sockets, or 'colleague-chat', the sockets of a colleague
 * the sharer allowed (the chat and the sharer's presence reach them; an asking colleague hears neither). */
export type Audience = SessionRole | 'colleague-chat';

/** How the colleague's sockets move between a session's rooms (issue 13, point 5): into the chat once
 * allowed; out of the session (denied, withdrawn, left); into the helper's room on a hand-over, the
 * former helper's sockets out of it. */
export type Regroup = 'colleague-allowed' | 'colleague-out' | 'handed-over';

/** How the service reaches the members of a session, wherever their sockets are. */
export interface SessionNotifier {
  /** One emit, however many audiences: with several nodes it is one publish (chat's cost per message).
   * `nodes`: the nodes known to hold the session's sockets (ChatAppend.nodes); when this node is all of
   * them, nothing is published. */
  send<E extends keyof ServerToClientEvents>(sessionId: string, to: Audience | readonly Audience[], event: E, payload: EventPayload<E>, nodes?: readonly string[]): void;
  /** To every connected socket of one person, on every node, but `exceptSocket` (invitations). */
  sendToUser<E extends keyof ServerToClientEvents>(tenantId: string, userId: string, event: E, payload: EventPayload<E>, exceptSocket?: string): void;
  /** Moves the colleague's (and on a hand-over the former helper's) sockets between the session's rooms. */
  regroup(sessionId: string, change: Regroup): void;
  /** The session is over: stop routing to its members. */
  release(sessionId: string): void;
}

export interface RequestContext {
  /** The client's address, for the per-address join limit and conditional access. */
  address: string;
  /** The client's platform from its User-Agent (Windows, macOS, …), null when unknown. */
  platform?: string | null;
  /** The app the caller signed in with, as its socket's credential says (socket/started-from.ts): where
   * a session it creates was started from. Absent: not known, and not recorded. */
  app?: SessionOrigin['app'];
}

/** What the socket layer needs besides the ack: which room the caller now belongs to. */
export interface Membership<T> {
  role: SessionRole;
  value: T;
}
