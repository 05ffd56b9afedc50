// Subscribing a session view to its link in one call, so one unsubscribe undoes it all.
import type { SessionLink, SessionLinkEvents } from '../../protocol/src/session-link.js';

export type LinkHandlers = { [K in keyof SessionLinkEvents]?: (payload: SessionLinkEvents[K]) => void };

export function subscribe(link: SessionLink, handlers: LinkHandlers): () => void {
  const offs: Array<() => void> = [];
  for (const key of Object.keys(handlers) as Array<keyof SessionLinkEvents>) {
    const handler = handlers[key];
    if (handler) offs.push(link.on(key, handler as (p: SessionLinkEvents[typeof key]) => void));
  }
  return () => offs.splice(0).forEach((off) => off());
}
