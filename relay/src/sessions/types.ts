// Shapes the session service and its parts (admit.ts, finish.ts) share with the socket layer.
import type { ServerToClientEvents, SessionOrigin, SessionRole } from '#protocol';

type EventPayload<E extends keyof ServerToClientEvents> = Parameters<ServerToClientEvents[E]>[0];

/** How the service reaches the members of a session, wherever their sockets are. */
export interface SessionNotifier {
  send<E extends keyof ServerToClientEvents>(sessionId: string, role: SessionRole, event: E, payload: EventPayload<E>): void;
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
