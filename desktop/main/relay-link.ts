// Desktop main's one socket to the relay. It carries the desktop API's relay requests as relay events
// with acks, and forwards what the relay pushes (checked by the shared relay client) as DesktopEvents
// for the shell to pass on.
import { io, type Socket } from 'socket.io-client';
import { createLiveSessionHint } from './live-session-hint.js';
import {
  createRelayClient, fail, handshakeRetry, resumingAuthKey, retryWhileOverloaded, type AckOf, type Backoff, type DesktopEvent, type HandshakeRetry, type RelayClient,
  type RelayEvent, type RequestOf,
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
  /** The waits after `overloaded` (a relay at capacity); protocol's defaults otherwise (1 s doubling to 30 s). */
  overloadBackoff?: Backoff;
  /** Told when the relay refused as overloaded and the link waits `delayMs` to try again (for the console's status line). */
  onOverloaded?(delayMs: number): void;
  /** The waiting after `overloaded` is over: the socket connected, or the request that waited has its answer. */
  onOverloadOver?(): void;
}

/** How long the console waits after a `too-many-connections` refusal before it tries again. */
const limitedPauseMs = 10_000;
/** New sessions: a relay at capacity refuses them with `overloaded`, and they are asked again later. */
const sessionStarts: ReadonlySet<RelayEvent> = new Set<RelayEvent>(['session:create', 'session:join']);

export function createRelayLink(deps: RelayLinkDeps): RelayLink {
  const ackTimeoutMs = deps.ackTimeoutMs ?? 10_000;
  let socket: Socket | null = null;
  let client: RelayClient | null = null;
  let refused = false;
  /** Refused for too many connections: until then requests are answered so, without reconnecting. */
  let limitedUntil = 0;
  let retry: HandshakeRetry | undefined;
  /** Whether the person was told the relay is busy, and not yet that it is over. */
  let waiting = false;
  const overloaded = (delayMs: number): void => {
    waiting = true;
    deps.onOverloaded?.(delayMs);
  };
  const overloadOver = (): void => {
    if (!waiting) return;
    waiting = false;
    deps.onOverloadOver?.();
  };

  // Whether the console is in a live session: it says so at each handshake, so that a relay at capacity
  // lets it back in to it (relay/src/socket/resume-allowance.ts).
  const liveSessions = createLiveSessionHint();
  const emit = (event: DesktopEvent): void => {
    liveSessions.pushed(event);
    deps.emit(event);
  };

  function open(): Socket {
    const s = io(deps.relayUrl, {
      transports: ['websocket'],
      // Called on every (re)connect, so a reconnect after expiry carries a fresh token.
      auth: (cb) => {
        const resuming = liveSessions.any();
        deps.accessToken().then((token) => cb({ token: token ?? '', [resumingAuthKey]: resuming }), () => cb({ token: '' }));
      },
      ...(deps.ca ? { ca: deps.ca } : {}),
    });
    // A relay at capacity: asked again after a growing wait, with jitter, on its own (protocol/overload-retry.ts).
    const again = handshakeRetry(s, { ...deps.overloadBackoff, onWait: overloaded });
    retry = again;
    s.on('connect', () => {
      refused = false;
      again.connected();
      overloadOver();
    });
    s.on('connect_error', (err: Error & { data?: { code?: string } }) => {
      if (again.refused(err)) return;
      // A refusal by the relay's middleware (bad token) stops socket.io's own retries.
      if (!s.active) refused = true;
      // Too many connections of this person at once: requests are answered so (the console shows it)
      // rather than each reconnecting at once; one try again after a pause.
      if (!s.active && err.data?.code === 'too-many-connections') limitedUntil = Date.now() + limitedPauseMs;
    });
    client = createRelayClient(s, { ackTimeoutMs });
    client.onAny(emit);
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
      retry?.cancel();
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
      const relay = client;
      const answer = !sessionStarts.has(event) ? relay.request(event, req)
        : (retryWhileOverloaded(() => relay.request(event, req), { ...deps.overloadBackoff, onWait: overloaded }) as Promise<AckOf<typeof event>>).finally(overloadOver);
      return answer.then((res) => {
        liveSessions.answered(event, req, res);
        return res;
      });
    },
  };
}
