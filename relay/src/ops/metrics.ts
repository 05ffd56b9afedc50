// The relay's Prometheus metrics (prom-client). One Registry per relay, not prom-client's global one:
// tests run several relays in one process, and each must count only its own.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** What is read at scrape time from the running relay (set once its parts exist). */
export interface MetricSources {
  /** Open Socket.IO connections on this node. */
  connections(): number;
  /** Live sessions by state, from the session store (shared with several nodes: the same on every node). */
  liveSessions(): Promise<Record<string, number>>;
}

export interface RelayMetrics {
  readonly registry: Registry;
  setSources(sources: MetricSources): void;
  /** A refusal answered to a client: an Ack with ok:false over a socket or HTTP, or a refused connection. */
  refused(code: string, via: 'socket' | 'handshake' | 'http'): void;
  /** A session or refusal put on the reports, by its outcome. */
  outcome(outcome: string): void;
  /** How long the relay took to answer one socket event (seconds). */
  eventHandled(event: string, seconds: number): void;
  /** How long one call to a store took (seconds). */
  storeCall(store: string, method: string, seconds: number): void;
}

// Socket events are answered in milliseconds; store calls reach Redis or PostgreSQL over the network.
const eventBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
const storeBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1];

export function createRelayMetrics(): RelayMetrics {
  const registry = new Registry();
  // Process CPU, memory, handles, GC and nodejs_eventloop_lag_seconds (the lag a scrape sees).
  collectDefaultMetrics({ register: registry });
  let sources: MetricSources | undefined;

  new Gauge({
    name: 'rh_connections', help: 'Open Socket.IO connections on this node.', registers: [registry],
    collect() {
      this.set(sources?.connections() ?? 0);
    },
  });
  new Gauge({
    name: 'rh_live_sessions', help: 'Sessions not yet ended, by state (in the shared store with several nodes: the same on every node).',
    labelNames: ['state'] as const, registers: [registry],
    async collect() {
      this.reset();
      if (!sources) return;
      for (const [state, count] of Object.entries(await sources.liveSessions())) this.set({ state }, count);
    },
  });
  const outcomes = new Counter({
    name: 'rh_session_outcomes_total', help: 'Sessions and refusals recorded on the reports by this node, by outcome.',
    labelNames: ['outcome'] as const, registers: [registry],
  });
  const refusals = new Counter({
    name: 'rh_refusals_total', help: 'Requests answered with an error code, by code and by way (socket event, socket handshake or http).',
    labelNames: ['code', 'via'] as const, registers: [registry],
  });
  const events = new Histogram({
    name: 'rh_event_duration_seconds', help: 'Time from a socket event\'s arrival to its answer, by event.',
    labelNames: ['event'] as const, buckets: eventBuckets, registers: [registry],
  });
  const stores = new Histogram({
    name: 'rh_store_duration_seconds', help: 'Time of one call to a store (sessions, rate-limit windows, reports, the directory), by store and method.',
    labelNames: ['store', 'method'] as const, buckets: storeBuckets, registers: [registry],
  });

  return {
    registry,
    setSources: (s) => void (sources = s),
    refused: (code, via) => refusals.inc({ code, via }),
    outcome: (outcome) => outcomes.inc({ outcome }),
    eventHandled: (event, seconds) => events.observe({ event }, seconds),
    storeCall: (store, method, seconds) => stores.observe({ store, method }, seconds),
  };
}
