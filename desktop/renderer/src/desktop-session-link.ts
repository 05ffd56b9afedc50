// SessionLink over the desktop API: main owns the relay socket, the renderer only asks and listens.
// Main's event stream also carries its own events (the inventory's sync progress): a session view
// only ever sees the relay's events and the connection state.
import { eventsByName, type DesktopEvent, type LinkEvent, type SessionLink } from '#protocol';
import type { DesktopClient } from './api-client.js';

/** Main's own events, which are not the relay's. */
const mainEventTypes: ReadonlySet<string> = new Set<Exclude<DesktopEvent, LinkEvent>['type']>(['inventory:sync', 'relay:overloaded']);

export function isLinkEvent(event: DesktopEvent): event is LinkEvent {
  return !mainEventTypes.has(event.type);
}

export function desktopSessionLink(client: DesktopClient): SessionLink {
  return {
    request: (event, req) => client.relay({ event, req }),
    on: eventsByName((listener) => client.onEvent((e) => {
      if (isLinkEvent(e)) listener(e);
    })),
  };
}
