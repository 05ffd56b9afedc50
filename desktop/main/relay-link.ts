// Desktop main's one socket to the relay. It carries the desktop API's relay requests as relay events
// with acks, and forwards what the relay pushes (checked by the shared relay client) as DesktopEvents
// for the shell to pass on.
import { io, type Socket } from 'socket.io-client';
import {
  createRelayClient, fail, type AckOf, type DesktopEvent, type RelayClient, type RelayEvent, type RequestOf,
} from '#protocol';

export interface RelayLink {
  /** Connects (or reconnects) with a fresh access token. */
  connect(): void;
  disconnect(): void;
  connected(): boolean;
  request<E extends RelayEvent>(event: E, req: RequestOf<E>): Promise<AckOf<E>>;
}

export interface RelayLinkDeps {
  relayUrl: string;
  /** Extra CA list (the relay's local CA); undefined = system roots only. */
  ca: string[] | undefined;
  accessToken(): Promise<string | null>;
  emit(event: DesktopEvent): void;
  ackTimeoutMs?: number;
}

/** How long the console waits after a `too-many-connections` refusal before it tries again. */
const limitedPauseMs = 10_000;

export function createRelayLink(deps: RelayLinkDeps): RelayLink {
  const ackTimeoutMs = deps.ackTimeoutMs ?? 10_000;
  let socket: Socket | null = null;
  let client: RelayClient | null = null;
  let refused = false;
  /** Refused for too many connections: until then requests are answered so, without reconnecting. */
  let limitedUntil = 0;

  function open(): Socket {
    const s = io(deps.relayUrl, {
      transports: ['websocket'],
      // Called on every (re)connect, so a reconnect after expiry carries a fresh token.
      auth: (cb) => {
        deps.accessToken().then((token) => cb({ token: token ?? '' }), () => cb({ token: '' }));
      },
      ...(deps.ca ? { ca: deps.ca } : {}),
    });
    s.on('connect', () => {
      refused = false;
    });
    s.on('connect_error', (err: Error & { data?: { code?: string } }) => {
      // A refusal by the relay's middleware (bad token) stops socket.io's own retries.
      if (!s.active) refused = true;
      // Too many connections of this person at once: requests are answered so (the console shows it)
      // rather than each reconnecting at once; one try again after a pause.
      if (!s.active && err.data?.code === 'too-many-connections') limitedUntil = Date.now() + limitedPauseMs;
    });
    client = createRelayClient(s, { ackTimeoutMs });
    client.onAny(deps.emit);
    return s;
  }

  return {
    connect() {
      if (socket) {
        if (!socket.connected) socket.connect();
        return;
      }
      socket = open();
    },
    disconnect() {
      socket?.removeAllListeners();
      socket?.disconnect();
      if (socket) deps.emit({ type: 'connection', payload: { connected: false } });
      socket = null;
      client = null;
    },
    connected() {
      return socket?.connected ?? false;
    },
    request(event, req) {
      if (!socket || !client) return Promise.resolve(fail('unauthenticated', 'not signed in'));
      if (refused && Date.now() < limitedUntil) {
        return Promise.resolve(fail('too-many-connections', 'too many connections at once: close another window of the service'));
      }
      if (refused) {
        refused = false;
        socket.connect(); // try once more with a fresh token; the request below is buffered meanwhile
      }
      return client.request(event, req);
    },
  };
}
