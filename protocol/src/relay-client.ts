// The one client side of the relay's Socket.IO contract, used by the web pages (browser) and by desktop
// main (Node). It takes the socket structurally, so protocol/ stays free of socket.io-client: every
// pushed payload is checked against serverEventSchemas (a bad one is dropped, never thrown), every
// request awaits its ack with a timeout (no answer = relay-unreachable), and an ack that does not fit
// the event's schema answers `internal`.
import type { z } from 'zod';
import { fail } from './ack.js';
import {
  ackSchema, clientEvents, serverEventSchemas, type AckOf, type RelayEvent, type RequestOf, type ServerEvent,
} from './relay-events.js';
import { eventsByName, type LinkEvent, type SessionLink } from './session-link.js';

/** What the adapter uses of a socket.io-client Socket. */
export interface RelaySocketLike {
  on(event: string, listener: (...args: never[]) => void): unknown;
  timeout(ms: number): { emit(event: string, ...args: never[]): unknown };
}

export interface RelayClient extends SessionLink {
  /** Every checked event as one stream (desktop main forwards them all to the renderer). */
  onAny(listener: (event: LinkEvent) => void): () => void;
}

export interface RelayClientOptions {
  ackTimeoutMs: number;
  /** Told about a pushed payload that was dropped; for logs. */
  onDropped?(event: ServerEvent, error: z.ZodError): void;
}

const ackSchemas = new Map<RelayEvent, z.ZodType>();
function ackSchemaOf(event: RelayEvent): z.ZodType {
  let schema = ackSchemas.get(event);
  if (!schema) ackSchemas.set(event, (schema = ackSchema(clientEvents[event].ack)));
  return schema;
}

export function createRelayClient(socket: RelaySocketLike, opts: RelayClientOptions): RelayClient {
  const listeners = new Set<(event: LinkEvent) => void>();
  const emit = (event: LinkEvent): void => {
    for (const l of [...listeners]) l(event);
  };
  const on = socket.on.bind(socket) as (event: string, listener: (...args: unknown[]) => void) => unknown;

  for (const type of Object.keys(serverEventSchemas) as ServerEvent[]) {
    on(type, (raw) => {
      const parsed = serverEventSchemas[type].safeParse(raw);
      if (parsed.success) emit({ type, payload: parsed.data } as LinkEvent);
      else opts.onDropped?.(type, parsed.error);
    });
  }
  on('connect', () => emit({ type: 'connection', payload: { connected: true } }));
  on('disconnect', () => emit({ type: 'connection', payload: { connected: false } }));

  const onAny = (listener: (event: LinkEvent) => void): (() => void) => {
    listeners.add(listener);
    return () => listeners.delete(listener);
  };

  return {
    request<E extends RelayEvent>(event: E, req: RequestOf<E>): Promise<AckOf<E>> {
      return new Promise((resolve) => {
        const timed = socket.timeout(opts.ackTimeoutMs) as { emit(event: string, req: unknown, ack: (err: unknown, res: unknown) => void): unknown };
        timed.emit(event, req, (err, res) => {
          if (err) return resolve(fail('relay-unreachable', `no answer from the relay to ${event}`));
          const parsed = ackSchemaOf(event).safeParse(res);
          resolve(parsed.success ? (parsed.data as AckOf<E>) : fail('internal', `malformed answer from the relay to ${event}`));
        });
      });
    },
    on: eventsByName(onAny),
    onAny,
  };
}
