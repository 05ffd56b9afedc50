// SessionLink over the desktop API: main owns the relay socket, the renderer only asks and listens.
import { eventsByName, type SessionLink } from '#protocol';
import type { DesktopClient } from './api-client.js';

export function desktopSessionLink(client: DesktopClient): SessionLink {
  return {
    request: (event, req) => client.relay({ event, req }),
    on: eventsByName((listener) => client.onEvent(listener)),
  };
}
