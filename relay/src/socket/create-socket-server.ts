// Socket.IO on the relay's HTTPS server: websocket only, events capped at limits.eventBytesMax,
// short pings so a killed browser is noticed within seconds (DESIGN §5 "Leaving").
import { ServerResponse, type IncomingMessage, type Server as HttpServer } from 'node:http';
import { Server } from 'socket.io';
import { createAdapter } from '@socket.io/redis-streams-adapter';
import { limits } from '#protocol';
import { withPacedStreamReads } from '../live/paced-stream-reads.js';
import { defaultRedisPrefix, type RedisClient } from '../live/redis-client.js';
import type { DisconnectReason, Namespace } from 'socket.io';
import type { Authenticator, Clock, Log } from '../ports.js';
import type { SessionService } from '../sessions/session-service.js';
import type { ConnectionLeases } from '../limits/connection-leases.js';
import type { IceConfigSource } from '../turn/ice-config.js';
import { authMiddleware } from './auth-middleware.js';
import type { Capacity } from '../config.js';
import type { BroadcastBarrier } from './broadcast-barrier.js';
import { createCredentialLifetime } from './credential-lifetime.js';
import { guardHeartbeats } from './heartbeat-guard.js';
import { connectionCount, overloadMiddleware, type OverloadProbe } from './overload.js';
import { createResumeAllowance } from './resume-allowance.js';
import { createSessionHandlers } from './session-handlers.js';
import type { RelayFaults } from './faults.js';
import { userRoom, type SessionRouting } from './session-routing.js';
import type { EventRate } from './token-bucket.js';
import type { RelayServer, RelaySocket } from './types.js';

/** Why a member is away, as the other side is told: its page said goodbye (the pages call
 * socket.disconnect() on pagehide: closed, reloaded or navigated away), or the connection dropped
 * (transport closed or failed, ping timeout, a token that expired and is being renewed). */
function awayReason(reason: DisconnectReason): 'left' | 'connection' {
  return reason === 'client namespace disconnect' ? 'left' : 'connection';
}

export interface RelayIoOptions {
  pingIntervalMs: number;
  pingTimeoutMs: number;
  /** Several nodes (DESIGN §12): rooms, emits, disconnectSockets, fetchSockets and serverSideEmit reach
   * every node through this Redis (undefined: this process only). The adapter publishes on this client
   * and makes its own duplicates for the blocking stream read and the pub/sub, so the shared client is
   * never blocked; the duplicates go with io.close(). */
  redis?: RedisClient | undefined;
  /** With `redis`: tracks every broadcast until it is published, so answers can wait for them. */
  broadcasts?: BroadcastBarrier | undefined;
}

/** How long a node's read of the other nodes' broadcasts waits after one that brought some
 * (paced-stream-reads.ts): the most a message between members on two nodes is delayed by it. */
export const streamReadPaceMs = 3;

/** Socket.IO on the relay's HTTPS server, before any handler: the session routing needs it first. */
export function createRelayIo(server: HttpServer, opts: RelayIoOptions): RelayServer {
  const io: RelayServer = new Server(server, {
    transports: ['websocket'],
    serveClient: false,
    maxHttpBufferSize: limits.eventBytesMax,
    pingInterval: opts.pingIntervalMs,
    pingTimeout: opts.pingTimeoutMs,
    // The streams adapter (not the pub/sub one): a node that loses Redis for a moment reads on where it
    // left off. Its keys under the relay's prefix, beside the other parts' in a shared Redis.
    ...(opts.redis ? {
      adapter: withBarrier(opts.broadcasts, createAdapter(withPacedStreamReads(opts.redis, streamReadPaceMs), {
        streamName: `${defaultRedisPrefix}socket.io`,
        channelPrefix: `${defaultRedisPrefix}socket.io`,
        sessionKeyPrefix: `${defaultRedisPrefix}sio:session:`,
        // Our events are JSON (the protocol's schemas): no binary scan of every packet.
        onlyPlaintext: true,
        // A closing node's stream reader stops after at most this long.
        blockTimeInMs: 1000,
      })),
    } : {}),
    // Off (the default, said here on purpose): compressing every small JSON event costs CPU per message
    // and a zlib context of memory per connection, for events of a few hundred bytes.
    perMessageDeflate: false,
  });
  // A stalled loop does not drop every connection at once (heartbeat-guard.ts).
  guardHeartbeats(io, opts);
  return io;
}

function withBarrier<F extends (nsp: never) => Namespace['adapter']>(barrier: BroadcastBarrier | undefined, factory: F): F {
  return barrier ? (barrier.wrap(factory) as F) : factory;
}

export interface SocketServerDeps {
  io: RelayServer;
  sessions: SessionService;
  routing: SessionRouting;
  auth: Authenticator;
  /** The relay's public origin: a cookie is accepted only from its own pages. */
  publicOrigin: string;
  log: Log;
  clock: Clock;
  /** Take the client address from X-Forwarded-For (RH_TRUST_PROXY). */
  trustProxy: boolean;
  /** The connections per person and per address (absent: not limited). */
  leases?: ConnectionLeases;
  /** Each socket's event budget; 50 events/s, bursts of 100 by default. */
  eventRate?: EventRate;
  /** The ICE servers each member's page is given (session:ice). */
  ice: IceConfigSource;
  /** What this node takes on before it sheds load (config.capacity). */
  capacity: Capacity;
  /** Whether the node sheds load now (overload.ts): made and closed by the owner, which also asks it
   * before a sign-in form's password is checked. */
  overload: OverloadProbe;
  /** Tests: faults in what the relay forwards (socket/faults.ts; not reachable from configuration). */
  faults?: RelayFaults | undefined;
}

export interface SocketServer {
  /** A web session ended (signed out, expired): the sockets it authenticated are disconnected. */
  webSessionEnded(webSessionKey: string): void;
  /** Disconnects every socket of a user who was disabled or deleted. */
  userDisabled(tenantId: string, userId: string): void;
  /** Stops reporting departures; the Socket.IO server itself is closed by its owner. */
  close(): void;
}

export function createSocketServer(deps: SocketServerDeps): SocketServer {
  const { io, sessions, routing, log } = deps;
  let closed = false;
  const credentials = createCredentialLifetime({ io, auth: deps.auth, clock: deps.clock, log });
  const { overload } = deps;

  // One Socket.IO connection per Engine.IO connection. The upgrade request is let go once the first is
  // made (below); a second CONNECT on the same transport would otherwise get a handshake with no headers,
  // and so the proxy's address instead of the client's (conditional-access IP ranges, limits per address)
  // and no user agent. socket.io-client never sends one: it opens a new transport.
  io.use((socket, next) => {
    if ((socket.conn as unknown as { request: unknown }).request) return next();
    next(Object.assign(new Error('one session connection per transport: open a new connection'), { data: { code: 'validation' } }));
  });
  // Shedding first: an overloaded node spends nothing on a token it will not serve, but for a member
  // coming back to a live session (within an allowance), whose claim is proven once they are known.
  const resumes = createResumeAllowance({
    capacity: deps.capacity, connections: connectionCount(io), log, trustProxy: deps.trustProxy, inLiveSession: (user) => sessions.inLiveSession(user),
  });
  io.use(overloadMiddleware(overload, log, resumes));
  io.use(authMiddleware(deps.auth, deps.publicOrigin, log, deps.leases && { leases: deps.leases, trustProxy: deps.trustProxy }));
  io.use(resumes.proveMembership);
  const registerHandlers = createSessionHandlers({
    sessions, routing, log, clock: deps.clock, trustProxy: deps.trustProxy, ice: deps.ice, overload, faults: deps.faults, ...(deps.eventRate ? { eventRate: deps.eventRate } : {}),
  });
  // The session service decides what a departure means (presence.ts): this only says who went, and why.
  // One listener for every socket (`this` is the socket), not a closure per connection.
  function onDisconnect(this: RelaySocket, reason: DisconnectReason): void {
    if (reason === 'server shutting down' || closed) return;
    for (const [sessionId, attachedAs] of this.data.sessions) {
      // A colleague's socket the session was handed over to speaks for the helper now, though its own
      // map (written at its accept) still says colleague until it resumes.
      const roles = attachedAs === 'colleague' ? (['colleague', 'helper'] as const) : [attachedAs];
      Promise.all(roles.map((role) => routing.isOwner(this, sessionId, role)))
        // Not the owner: resumed on another socket (on any node), or over.
        .then(async (owns) => {
          const role = roles.find((_, i) => owns[i]);
          if (role) await sessions.away(sessionId, role, awayReason(reason));
        })
        .catch((error: unknown) => log.error('away failed', { sessionId, error }));
    }
  }
  // Engine.IO answers a websocket upgrade through a stand-in response (WebSocketResponse) that holds
  // the request, and which the TLS socket's 'close' listener keeps for the connection's life. It is
  // only there for Engine.IO middlewares to set headers on, before the upgrade; we have none after this
  // one. Noted here, let go of at connection (below).
  const upgradeAnswers = new WeakMap<object, { req: unknown }>();
  io.engine.use((req: IncomingMessage, res: ServerResponse, next: () => void) => {
    if (!(res instanceof ServerResponse)) upgradeAnswers.set(req, res as unknown as { req: unknown });
    next();
  });
  io.on('connection', (socket: RelaySocket) => {
    if (!credentials.watch(socket)) return;
    registerHandlers(socket);
    // One room per person, on every node: an invitation reaches each of their consoles and pages.
    void socket.join(userRoom(socket.data.user.tenantId, socket.data.user.userId));
    // Everything the relay reads of the upgrade request (address, user agent, cookie) was read above
    // from socket.handshake; Engine.IO would otherwise hold the whole request for the connection's life
    // (Socket.IO's own advice for memory: a few KB per connection; nothing reads it again on a
    // websocket-only server, which never upgrades). Its stand-in response lets go of it too: about
    // 1.2 KB of every connection (issue 12).
    const conn = socket.conn as unknown as { request: object | null };
    const answer = conn.request && upgradeAnswers.get(conn.request);
    if (answer) answer.req = null;
    conn.request = null;
    socket.on('disconnect', onDisconnect);
  });

  return {
    webSessionEnded: (webSessionKey) => credentials.webSessionEnded(webSessionKey),
    userDisabled: (tenantId, userId) => credentials.userDisabled(tenantId, userId),
    close() {
      closed = true;
    },
  };
}
