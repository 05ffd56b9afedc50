// What a session view needs from "the relay", whatever carries it: the web pages implement it over
// socket.io-client, the console renderer over the desktop API (main owns the socket). The ui/ session
// components take a SessionLink and never know which. Requests and events keep the relay's own names.
import type { AckOf, PayloadOf, RelayEvent, RequestOf, ServerEvent } from './relay-events.js';

export type SessionLinkEvents = { [K in ServerEvent]: PayloadOf<K> } & {
  /** The transport to the relay dropped (false) or came back (true). */
  connection: { connected: boolean };
};

/** One event of a link as a value: what desktop main pushes to the renderer. */
export type LinkEvent = { [K in keyof SessionLinkEvents]: { type: K; payload: SessionLinkEvents[K] } }[keyof SessionLinkEvents];

export type LinkListener<K extends keyof SessionLinkEvents> = (payload: SessionLinkEvents[K]) => void;

export interface SessionLink {
  /** Sends one relay request and resolves with its ack; never rejects (no answer = relay-unreachable). */
  request<E extends RelayEvent>(event: E, req: RequestOf<E>): Promise<AckOf<E>>;
  /** Subscribe; returns the unsubscribe function. */
  on<K extends keyof SessionLinkEvents>(event: K, listener: LinkListener<K>): () => void;
}

/** A SessionLink's `on` over one stream of LinkEvents. */
export function eventsByName(subscribe: (listener: (event: LinkEvent) => void) => () => void): SessionLink['on'] {
  return (event, listener) =>
    subscribe((e) => {
      if (e.type === event) (listener as (payload: unknown) => void)(e.payload);
    });
}
