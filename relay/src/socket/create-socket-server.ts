// Socket.IO on the relay's HTTPS server: websocket only, events capped at limits.eventBytesMax,
// short pings so a killed browser is noticed within seconds (DESIGN §5 "Leaving").
import type { Server as HttpServer } from 'node:http';
import { Server } from 'socket.io';
import { limits } from '#protocol';
import type { DisconnectReason } from 'socket.io';
import type { Authenticator, Clock, Log } from '../ports.js';
import type { SessionService } from '../sessions/session-service.js';
import { authMiddleware } from './auth-middleware.js';
import { createCredentialLifetime } from './credential-lifetime.js';
import { registerSessionHandlers } from './session-handlers.js';
import type { SessionRouting } from './session-routing.js';
import type { EventRate } from './token-bucket.js';
import type { RelayServer, RelaySocket } from './types.js';

/** A closed transport may be a brief network hiccup: the member gets a moment to resume. Not after a
 * ping timeout: that silence (interval + timeout) was the wait already, and adding a grace on top
 * would break the "killed browser noticed within 10 s" bound. */
const transient: ReadonlySet<DisconnectReason> = new Set(['transport close', 'transport error']);

/** Socket.IO on the relay's HTTPS server, before any handler: the session routing needs it first. */
export function createRelayIo(server: HttpServer, opts: { pingIntervalMs: number; pingTimeoutMs: number }): RelayServer {
  return new Server(server, {
    transports: ['websocket'],
    serveClient: false,
    maxHttpBufferSize: limits.eventBytesMax,
    pingInterval: opts.pingIntervalMs,
    pingTimeout: opts.pingTimeoutMs,
  });
}

export interface SocketServerDeps {
  io: RelayServer;
  sessions: SessionService;
  routing: SessionRouting;
  auth: Authenticator;
  /** The relay's public origin: a cookie is accepted only from its own pages. */
  publicOrigin: string;
  log: Log;
  reconnectGraceMs: number;
  clock: Clock;
  /** Take the client address from X-Forwarded-For (RH_TRUST_PROXY). */
  trustProxy: boolean;
  /** Each socket's event budget; 50 events/s, bursts of 100 by default. */
  eventRate?: EventRate;
}

export interface SocketServer {
  /** A web session ended (signed out, expired): the sockets it authenticated are disconnected. */
  webSessionEnded(webSessionKey: string): void;
  /** Disconnects every socket of a user who was disabled or deleted. */
  userDisabled(tenantId: string, userId: string): void;
  /** Drops the pending leave timers; the Socket.IO server itself is closed by its owner. */
  close(): void;
}

export function createSocketServer(deps: SocketServerDeps): SocketServer {
  const { io, sessions, routing, log } = deps;
  const pendingLeaves = new Set<NodeJS.Timeout>();
  const credentials = createCredentialLifetime({ io, auth: deps.auth, clock: deps.clock, log });

  io.use(authMiddleware(deps.auth, deps.publicOrigin, log));
  io.on('connection', (socket: RelaySocket) => {
    if (!credentials.watch(socket)) return;
    registerSessionHandlers(socket, {
      sessions, routing, log, clock: deps.clock, trustProxy: deps.trustProxy, ...(deps.eventRate ? { eventRate: deps.eventRate } : {}),
    });
    socket.on('disconnect', (reason) => {
      if (reason === 'server shutting down') return;
      for (const [sessionId, role] of socket.data.sessions) {
        const leaveUnlessResumed = () => {
          if (!routing.isOwner(socket, sessionId, role)) return; // resumed on another socket, or over
          sessions.leave(sessionId, role).catch((error: unknown) => log.error('leave failed', { sessionId, error }));
        };
        // A socket closed at its token's expiry is the console about to come back with a fresh one.
        if ((transient.has(reason) || credentials.expired(socket)) && deps.reconnectGraceMs > 0) {
          const timer = setTimeout(() => {
            pendingLeaves.delete(timer);
            leaveUnlessResumed();
          }, deps.reconnectGraceMs);
          pendingLeaves.add(timer);
        } else {
          leaveUnlessResumed();
        }
      }
    });
  });

  return {
    webSessionEnded: (webSessionKey) => credentials.webSessionEnded(webSessionKey),
    userDisabled: (tenantId, userId) => credentials.userDisabled(tenantId, userId),
    close() {
      for (const t of pendingLeaves) clearTimeout(t);
      pendingLeaves.clear();
    },
  };
}
