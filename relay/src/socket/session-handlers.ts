// One socket's events: validate with the protocol schema, decide in the session service, answer the
// ack. User error is an Ack value; a throw is a bug, logged here and answered `internal`.
import type { z } from 'zod';
import { clientEventSchemas, fail } from '../../../protocol/src/index.js';
import type { Ack, ClientToServerEvents } from '../../../protocol/src/index.js';
import { platformFromUserAgent } from '../policy/client-platform.js';
import type { Log } from '../ports.js';
import type { SessionService } from '../sessions/session-service.js';
import type { SessionRouting } from './session-routing.js';
import type { RelaySocket } from './types.js';

type EventName = keyof ClientToServerEvents;
type Request<E extends EventName> = z.infer<(typeof clientEventSchemas)[E]>;
type Decide<E extends EventName> = (req: Request<E>) => Promise<Ack<unknown>>;

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
}

export function registerSessionHandlers(socket: RelaySocket, { sessions, routing, log }: HandlerDeps): void {
  const user = () => socket.data.user;
  const address = socket.handshake.address;
  const ctx = { address, platform: platformFromUserAgent(socket.handshake.headers['user-agent']) };

  function on<E extends EventName>(event: E, decide: Decide<E>): void {
    // Listeners are registered untyped: the arguments are whatever a client sent, checked below.
    (socket.on as (e: string, l: (...args: unknown[]) => void) => void)(event, (...args: unknown[]) => {
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
      decide(parsed.data as Request<E>).then(ack, (error: unknown) => {
        log.error('handler failed', { event, error, ...('sessionId' in (parsed.data as object) ? { sessionId: (parsed.data as { sessionId: string }).sessionId } : {}) });
        ack(fail('internal', 'internal error'));
      });
    });
  }

  on('session:create', async (req) => {
    const r = await sessions.create(user(), req, ctx);
    if (r.ok) routing.attach(socket, r.value.sessionId, 'helper');
    return r;
  });
  on('session:join', async (req) => {
    const r = await sessions.join(user(), req.code, ctx, req.proof);
    if (!r.ok) return r;
    routing.attach(socket, r.value.value.sessionId, r.value.role);
    return { ok: true, value: r.value.value };
  });
  on('device:challenge', () => sessions.deviceChallenge(user()));
  on('session:consent', (req) => sessions.consent(user(), req));
  on('session:end', (req) => sessions.end(user(), req.sessionId));
  on('session:resume', async (req) => {
    const r = await sessions.resume(user(), req);
    if (!r.ok) return r;
    routing.attach(socket, req.sessionId, r.value.role);
    return { ok: true, value: r.value.value };
  });
  on('signal:send', (req) => sessions.signal(user(), req));
  on('chat:send', (req) => sessions.chat(user(), req));

  socket.onAny((event: unknown, ...args: unknown[]) => {
    if (typeof event === 'string' && knownEvents.has(event)) return;
    const name = typeof event === 'string' ? event.slice(0, 100) : String(event);
    const last = args[args.length - 1];
    if (typeof last === 'function') (last as (res: Ack<never>) => void)(fail('unknown-event', 'unknown event'));
    else socket.emit('error:event', { event: name, code: 'unknown-event' });
  });
}
