// Desktop main's one socket to the relay. It carries the session methods of the desktop API as relay
// events with acks, and re-emits what the relay pushes as DesktopEvents for the shell to forward.
import { io, type Socket } from 'socket.io-client';
import {
  fail, type Ack, type ClientToServerEvents, type DesktopEvent, type ServerToClientEvents,
} from '../../protocol/src/index.js';

type RelayRequest = keyof ClientToServerEvents;
type RequestOf<E extends RelayRequest> = Parameters<ClientToServerEvents[E]>[0];
type AnswerOf<E extends RelayRequest> = Parameters<Parameters<ClientToServerEvents[E]>[1]>[0];

export interface RelayLink {
  /** Connects (or reconnects) with a fresh access token. */
  connect(): void;
  disconnect(): void;
  connected(): boolean;
  request<E extends RelayRequest>(event: E, payload: RequestOf<E>): Promise<AnswerOf<E>>;
}

export interface RelayLinkDeps {
  relayUrl: string;
  /** Extra CA list (the relay's local CA); undefined = system roots only. */
  ca: string[] | undefined;
  accessToken(): Promise<string | null>;
  emit(event: DesktopEvent): void;
  ackTimeoutMs?: number;
}

export function createRelayLink(deps: RelayLinkDeps): RelayLink {
  const ackTimeoutMs = deps.ackTimeoutMs ?? 10_000;
  let socket: Socket<ServerToClientEvents, ClientToServerEvents> | null = null;
  let refused = false;

  function open(): Socket<ServerToClientEvents, ClientToServerEvents> {
    const s: Socket<ServerToClientEvents, ClientToServerEvents> = io(deps.relayUrl, {
      transports: ['websocket'],
      // Called on every (re)connect, so a reconnect after expiry carries a fresh token.
      auth: (cb) => {
        deps.accessToken().then((token) => cb({ token: token ?? '' }), () => cb({ token: '' }));
      },
      ...(deps.ca ? { ca: deps.ca } : {}),
    });
    s.on('connect', () => {
      refused = false;
      deps.emit({ type: 'connection', payload: { connected: true } });
    });
    s.on('disconnect', () => deps.emit({ type: 'connection', payload: { connected: false } }));
    s.on('connect_error', () => {
      // A refusal by the relay's middleware (bad token) stops socket.io's own retries.
      if (!s.active) refused = true;
    });
    s.on('session:trust', (payload) => deps.emit({ type: 'trust', payload }));
    s.on('session:state', (payload) => deps.emit({ type: 'state', payload }));
    s.on('signal', (payload) => deps.emit({ type: 'signal', payload }));
    s.on('chat:message', (payload) => deps.emit({ type: 'chat', payload }));
    s.on('session:ended', (payload) => deps.emit({ type: 'ended', payload }));
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
    },
    connected() {
      return socket?.connected ?? false;
    },
    request(event, payload) {
      type Answer = AnswerOf<typeof event>;
      if (!socket) return Promise.resolve(fail('unauthenticated', 'not signed in') as Answer);
      if (refused) {
        refused = false;
        socket.connect(); // try once more with a fresh token; the emit below is buffered meanwhile
      }
      const s = socket;
      return new Promise<Answer>((resolve) => {
        // The typed emit cannot be expressed for a generic event name; the payload was validated
        // against the protocol schema by the dispatcher before it got here.
        const emitter = s.timeout(ackTimeoutMs) as unknown as {
          emit(ev: string, p: unknown, cb: (err: Error | null, res: Ack<unknown>) => void): void;
        };
        emitter.emit(event, payload, (err, res) => {
          if (err) resolve(fail('relay-unreachable', `no answer from the relay to ${event}`) as Answer);
          else resolve(res as Answer);
        });
      });
    },
  };
}
