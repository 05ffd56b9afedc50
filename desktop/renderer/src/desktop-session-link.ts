// SessionLink over the desktop API: main owns the relay socket, the renderer only asks and listens.
import type { SessionLink, SessionLinkEvents } from '../../../protocol/src/index.js';
import type { DesktopClient } from './api-client.js';

export function desktopSessionLink(client: DesktopClient): SessionLink {
  return {
    createSession: (req) => client.createSession(req),
    joinSession: (req) => client.joinSession(req),
    consent: (req) => client.consent(req),
    endSession: (req) => client.endSession(req),
    resumeSession: (req) => client.resumeSession(req),
    sendSignal: (req) => client.sendSignal(req),
    sendChat: (req) => client.sendChat(req),
    on<K extends keyof SessionLinkEvents>(event: K, listener: (payload: SessionLinkEvents[K]) => void) {
      return client.onEvent((e) => {
        if (e.type === event) listener(e.payload as SessionLinkEvents[K]);
      });
    },
  };
}
