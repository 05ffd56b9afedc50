// Every socket event as one request: it gets an id (its log lines carry it), its answer is timed into
// the event latency histogram, and an answer that refuses is counted by code and carries the id, for the
// person refused to quote (a refusal put on the session reports names the same id).
import { performance } from 'node:perf_hooks';
import type { Ack } from '#protocol';
import { clientEventSchemas } from '#protocol';
import type { RelayServer, RelaySocket } from '../socket/types.js';
import type { RelayMetrics } from './metrics.js';
import type { InFlight } from '../socket/in-flight.js';
import { runInNewRequest, type RequestContext } from './request-context.js';

const knownEvents = new Set<string>(Object.keys(clientEventSchemas));

/** A middleware on every socket, ahead of the handlers (registered before them: see start-relay.ts).
 * `inFlight`: each event with an ack is counted there until it is answered. */
export function observeSocketEvents(io: RelayServer, metrics: RelayMetrics, inFlight?: InFlight): void {
  // A connection refused by a later middleware (authentication, connection limits) is answered through
  // the socket's _error, the one way Socket.IO sends CONNECT_ERROR; it has no event to listen to. This
  // middleware runs first, so the refusal is counted whichever middleware refuses.
  // One function for every socket (`this` is the socket), not a bound copy and a closure per connection.
  function countedError(this: RelaySocket, err: unknown): void {
    const code = (err as { data?: { code?: unknown } } | null)?.data?.code;
    metrics.refused(typeof code === 'string' ? code : 'unknown', 'handshake');
    (Object.getPrototypeOf(this) as RelaySocket)._error.call(this, err);
  }
  io.use((socket, next) => {
    socket._error = countedError;
    next();
  });
  // One middleware and one wrapper of the ack per event, for the metrics, the refusal's request id and
  // the in-flight count together: each event passes through Socket.IO's middleware chain once less, and
  // allocates one closure, not two (issue 12: CPU per message).
  const observe: Parameters<RelaySocket['use']>[0] = (packet, next) => {
    // A client's made-up event names would make a label each: they share one.
    const event = typeof packet[0] === 'string' && knownEvents.has(packet[0]) ? packet[0] : 'unknown';
    runInNewRequest((request) => {
      const last = packet.length - 1;
      const ack = packet[last] as unknown;
      if (last > 0 && typeof ack === 'function') {
        const answer = inFlight ? inFlight.arrived(ack as (res: unknown) => void) : (ack as (res: unknown) => void);
        packet[last] = answering(event, answer, metrics, request);
      }
      next();
    });
  };
  io.on('connection', (socket: RelaySocket) => socket.use(observe));
}

function answering(event: string, ack: (res: unknown) => void, metrics: RelayMetrics, request: RequestContext): (res: unknown) => void {
  const started = performance.now();
  return (res: unknown) => {
    metrics.eventHandled(event, (performance.now() - started) / 1000);
    const refused = refusalOf(res);
    if (!refused) return ack(res);
    metrics.refused(refused.error.code, 'socket');
    // Every refusal names its request, not only those on the record: an id only on recorded ones would
    // tell a guesser which codes are live in another organization (recorded) from unknown ones (not).
    ack({ ...refused, error: { ...refused.error, requestId: request.requestId } });
  };
}

/** The answer as a refusal, when it is one. */
export function refusalOf(res: unknown): Extract<Ack<unknown>, { ok: false }> | undefined {
  if (typeof res !== 'object' || res === null || (res as { ok?: unknown }).ok !== false) return undefined;
  const error = (res as { error?: unknown }).error;
  if (typeof error !== 'object' || error === null || typeof (error as { code?: unknown }).code !== 'string') return undefined;
  return res as Extract<Ack<unknown>, { ok: false }>;
}
