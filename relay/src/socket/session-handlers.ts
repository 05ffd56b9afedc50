// Every socket's events: validate with the protocol schema, decide in the session service, answer the
// ack. User error is an Ack value; a throw is a bug, logged here and answered `internal`. Each socket
// has an event budget (a token bucket): a flood is answered `rate-limited`, never acted on.
//
// The handlers are made once per server and shared by every socket (heap per connection, issue 12): a
// closure per event per socket cost about 5 KB of every connection, and its listener table 1 KB more.
// Each socket gets one middleware that hands its events to them; what is the socket's own (its address
// and platform, its event budget) sits in one small record beside it.
import type { z } from 'zod';
import { clientEventSchemas, fail, ok } from '#protocol';
import type { Ack, AckOf, ClientToServerEvents, SessionRole } from '#protocol';
import { platformFromUserAgent } from '../policy/client-platform.js';
import type { Clock, Log } from '../ports.js';
import type { SessionService } from '../sessions/session-service.js';
import type { IceConfigSource } from '../turn/ice-config.js';
import { socketClientAddress } from '../net/client-address.js';
import type { OverloadProbe } from './overload.js';
import { withFaults, type RelayFaults } from './faults.js';
import { room, type SessionRouting } from './session-routing.js';
import { defaultEventRate, newBucket, takeToken, type BucketState, type EventRate } from './token-bucket.js';
import type { RelaySocket } from './types.js';
import type { RequestContext } from '../sessions/session-service.js';

type EventName = keyof ClientToServerEvents;
type Request<E extends EventName> = z.infer<(typeof clientEventSchemas)[E]>;
type Decide<E extends EventName> = (socket: RelaySocket, req: Request<E>) => Promise<AckOf<E>>;

const knownEvents = new Set<string>(Object.keys(clientEventSchemas));

/** Over-long strings get their own code, so a client can say "too long" instead of "invalid". */
function refusalFor(error: z.ZodError): Ack<never> {
  const tooLong = error.issues.every((i) => i.code === 'too_big' && (i.origin === 'string' || i.origin === 'array'));
  return tooLong ? fail('payload-too-large', 'a field is too long') : fail('validation', error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
}

export interface HandlerDeps {
  sessions: SessionService;
  routing: SessionRouting;
  log: Log;
  clock: Clock;
  /** Take the client address from X-Forwarded-For (behind a TLS-terminating proxy). */
  trustProxy?: boolean;
  eventRate?: EventRate;
  /** The ICE servers (with fresh TURN credentials) for a member's peer connection. */
  ice: IceConfigSource;
  /** Past capacity, new sessions (create, join) are refused with `overloaded`; the others go on. */
  overload?: OverloadProbe;
  /** Tests only (socket/faults.ts). */
  faults?: RelayFaults | undefined;
}

const overloaded = (): Ack<never> => fail('overloaded', 'the relay is at capacity; try again in a moment');

/** What the handlers keep of one socket: read from its handshake once, at connection. */
interface SocketState extends BucketState {
  ctx: RequestContext;
  overBudgetLoggedAt: number;
}

/** Makes the shared handlers; the function it returns hands a newly connected socket's events to them. */
export function createSessionHandlers({ sessions, routing, log, clock, trustProxy = false, eventRate = defaultEventRate, ice, overload, faults }: HandlerDeps): (socket: RelaySocket) => void {
  // A WeakMap, not socket.data: socket.data travels to the other nodes (fetchSockets), this does not.
  const states = new WeakMap<RelaySocket, SocketState>();
  const now = () => clock.now();

  /** False, after answering `rate-limited` where there is an ack, when the socket is over its budget. */
  function withinBudget(socket: RelaySocket, event: string, args: unknown[]): boolean {
    const state = states.get(socket);
    if (!state) return false; // not registered: never the case for a socket dispatch() serves
    if (takeToken(state, eventRate, now())) return true;
    // At most one line per socket every 10 s: the flood must not become a flood of log lines.
    const t = now();
    if (t - state.overBudgetLoggedAt >= 10_000) {
      state.overBudgetLoggedAt = t;
      log.warn('socket over its event budget', { socketId: socket.id, event: event.slice(0, 100) });
    }
    const last = args[args.length - 1];
    if (typeof last === 'function') (last as (res: Ack<never>) => void)(fail('rate-limited', 'too many events; slow down'));
    return false;
  }

  /**
   * A create or join that finished after its socket went away: nobody received the answer, so nobody
   * can resume the session with its id; it ends now, as that member leaving, so the other side is told
   * at once. (A resume on a gone socket is not attached; see 'session:resume'.)
   */
  async function attachOrLeave(socket: RelaySocket, sessionId: string, role: SessionRole): Promise<void> {
    if (socket.connected) {
      await routing.attach(socket, sessionId, role);
      return;
    }
    log.info('member gone before its answer', { sessionId, role });
    sessions.leave(sessionId, role).catch((error: unknown) => log.error('leave failed', { sessionId, error }));
  }

  const ctxOf = (socket: RelaySocket): RequestContext => states.get(socket)?.ctx ?? { address: '' };

  /**
   * The role this socket speaks as in the session, as its own map says, while it is still in that role's
   * room: a hand-over or a colleague's removal moves sockets out of rooms on every node, but cannot
   * rewrite their maps, so a former helper's socket does not chat or get TURN credentials as 'helper'.
   * A colleague speaks in the chat only from the chat room, which they join once allowed.
   */
  function attachedRole(socket: RelaySocket, sessionId: string, forChat = false): SessionRole | undefined {
    const role = socket.data.sessions.get(sessionId);
    if (!role) return undefined;
    return socket.rooms.has(room(sessionId, forChat && role === 'colleague' ? 'colleague-chat' : role)) ? role : undefined;
  }

  // One handler per event of the protocol's table, and no more: an event without a handler does not compile.
  const handlers: { [E in EventName]: Decide<E> } = {
    'session:create': async (socket, req) => {
      if (overload?.reason()) return overloaded();
      const r = await sessions.create(socket.data.user, req, ctxOf(socket));
      if (r.ok) await attachOrLeave(socket, r.value.sessionId, 'helper');
      return r;
    },
    'session:precheck': (socket, req) => sessions.precheck(socket.data.user, req, ctxOf(socket)),
    'session:join': async (socket, req) => {
      if (overload?.reason()) return overloaded();
      const r = await sessions.join(socket.data.user, req.code, ctxOf(socket), req.proof, socket.connected ? routing.ownerOf(socket) : undefined);
      if (!r.ok) return r;
      await attachOrLeave(socket, r.value.value.sessionId, r.value.role);
      // A helper away at this very moment (reloading its page): the sharer hears it as it would have
      // had it been attached already, right after the answer that tells it the session's id.
      if (socket.connected) {
        const notice = await sessions.peerNotice(r.value.value.sessionId, r.value.role);
        if (notice) setImmediate(() => socket.emit('session:peer', notice));
      }
      return { ok: true, value: r.value.value };
    },
    'device:challenge': (socket) => sessions.deviceChallenge(socket.data.user),
    'session:consent': (socket, req) => sessions.consent(socket.data.user, req),
    'session:end': (socket, req) => sessions.end(socket.data.user, req.sessionId),
    'session:resume': async (socket, req) => {
      // A socket already gone does not take the member over from one that may still speak for it.
      // Attached in the course of the resume, before anything its answer says is read (SessionService.resume),
      // if still connected then: once attached, its going is the disconnect's to handle, as for any member.
      let attached = false;
      const attach = async (role: SessionRole): Promise<void> => {
        if (!socket.connected) return;
        attached = true;
        await routing.attach(socket, req.sessionId, role);
      };
      const r = await sessions.resume(socket.data.user, req, socket.connected ? routing.ownerOf(socket) : undefined, attach);
      if (!r.ok) return r;
      if (!attached && !(await routing.ownedElsewhere(socket, req.sessionId, r.value.role))) {
        // Gone again before its answer: the resume counted it back, so it is away once more (nobody else
        // speaks for it, and this socket's own departure did not know the session yet).
        sessions.away(req.sessionId, r.value.role, 'connection').catch((error: unknown) => log.error('away failed', { sessionId: req.sessionId, error }));
      }
      return { ok: true, value: r.value.value };
    },
    'session:away': (socket, req) => sessions.pageGone(socket.data.user, req.sessionId),
    'session:pause': (socket, req) => sessions.pause(socket.data.user, req),
    'signal:send': (socket, req) => {
      const role = faults && socket.data.sessions.get(req.sessionId);
      return sessions.signal(socket.data.user, role ? { ...req, signal: withFaults(req.signal, role, faults) } : req);
    },
    // Only to a socket attached to the session (create, join or resume answered it): TURN credentials
    // are for its members, never for anyone who learned a session id.
    // async: a throw becomes a rejection, which the wrapper answers as `internal`.
    'session:ice': async (socket, req) => {
      const role = attachedRole(socket, req.sessionId);
      if (role && faults?.refuseIceTo === role) return fail('internal', 'the test relay refuses this member ICE servers');
      return role ? ok(ice(req.sessionId, role)) : fail('not-found', 'no such session on this connection');
    },
    // The socket's own membership, when it has one: no read of the session per message. Without it (or
    // moved out of its room) the service reads the record and decides who the caller is now.
    'chat:send': (socket, req) => sessions.chat(socket.data.user, req, attachedRole(socket, req.sessionId, true)),
    // The second helper (issue 13, point 5; sessions/colleagues.ts).
    'session:invite': (socket, req) => sessions.invite(socket.data.user, req),
    'session:invitations': (socket) => sessions.invitations(socket.data.user),
    // An accepting socket becomes the session's colleague before anyone is told, so it hears it too; its
    // user's other sockets hear that the invitation closed.
    'session:invite-answer': (socket, req) => sessions.answerInvite(socket.data.user, req, ctxOf(socket), async () => {
      if (!socket.connected) return false;
      await routing.attach(socket, req.sessionId, 'colleague');
      return true;
    }, routing.ownerOf(socket)),
    'session:withdraw-invite': (socket, req) => sessions.withdrawColleague(socket.data.user, req.sessionId),
    'session:hand-over': (socket, req) => sessions.handOver(socket.data.user, req.sessionId),
  };

  /** One event on one socket; the arguments are whatever a client sent, checked here. */
  function handle<E extends EventName>(socket: RelaySocket, event: E, decide: Decide<E>, args: unknown[]): void {
    if (!withinBudget(socket, event, args)) return;
    const last = args[args.length - 1];
    if (typeof last !== 'function') {
      // No ack to answer with: say so on the side channel rather than acting on a request nobody awaits.
      socket.emit('error:event', { event, code: 'validation' });
      return;
    }
    const ack = last as (res: Ack<unknown>) => void;
    const raw = args.length > 1 ? args[0] : undefined;
    const parsed = clientEventSchemas[event].safeParse(raw);
    if (!parsed.success) return ack(refusalFor(parsed.error));
    decide(socket, parsed.data as Request<E>).then(ack, (error: unknown) => {
      log.error('handler failed', { event, error, ...('sessionId' in (parsed.data as object) ? { sessionId: (parsed.data as { sessionId: string }).sessionId } : {}) });
      ack(fail('internal', 'internal error'));
    });
  }

  function unknownEvent(socket: RelaySocket, event: unknown, args: unknown[]): void {
    const name = typeof event === 'string' ? event.slice(0, 100) : String(event);
    if (!withinBudget(socket, name, args)) return;
    const last = args[args.length - 1];
    if (typeof last === 'function') (last as (res: Ack<never>) => void)(fail('unknown-event', 'unknown event'));
    else socket.emit('error:event', { event: name, code: 'unknown-event' });
  }

  /** Every event of one socket, known or not: the last of its middlewares (after the request id and
   * the in-flight count, start-relay.ts), which answers it and so ends its way through Socket.IO. */
  function dispatch(socket: RelaySocket, packet: unknown[]): void {
    const [event, ...args] = packet;
    if (!socket.connected) return; // as Socket.IO does: nothing is acted on after the disconnection
    if (typeof event === 'string' && knownEvents.has(event)) handle(socket, event as EventName, handlers[event as EventName] as Decide<EventName>, args);
    else unknownEvent(socket, event, args);
  }

  return (socket) => {
    const { credential } = socket.data;
    const ctx = {
      address: socketClientAddress(socket.handshake, trustProxy), platform: platformFromUserAgent(socket.handshake.headers['user-agent']),
      // A web session's cookie signs in the relay's own pages, of which only /rhh creates sessions.
      app: credential.kind === 'cookie' ? 'web-helper' as const : credential.app,
    };
    states.set(socket, { ctx, overBudgetLoggedAt: -Infinity, ...newBucket(eventRate, now()) });
    // A middleware, not a listener per event: one small closure, where thirteen listeners made the
    // socket's listener table a dictionary of its own (about 1 KB), and an onAny listener ran before
    // the middlewares (an unknown event's refusal went without its request id and stayed "in flight").
    socket.use((packet) => dispatch(socket, packet));
  };
}
