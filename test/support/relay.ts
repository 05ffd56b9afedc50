// A real relay for socket tests: startRelay on port 0 over HTTPS with its local CA, the SQLite
// directory seeded with the demo tenants, the embedded identity provider; real socket.io-clients
// signed in as demo users through the real provider. A test may choose parts itself: the session
// store (to hold a request at a chosen step, as a slow store or a slow network would: gatedStore), the
// clock (to let weeks pass), and the tenants' SCIM tokens.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io, type Socket } from 'socket.io-client';
import { backoffDelayMs, type Ack, type ClientToServerEvents, type ServerToClientEvents } from '#protocol';
import { loadConfig } from '#relay/config.js';
import { openKeptData } from '#relay/kept-data.js';
import { startRelay, type KeptStores, type Relay } from '#relay/start-relay.js';
import { demoPassword, seedDemoTenants, type DirectoryStore } from '#relay/directory/index.js';
import { createMemoryLog } from '#relay/log.js';
import { systemClock, type Clock } from '#relay/ports.js';
import { createMemorySessionStore } from '#relay/sessions/memory-session-store.js';
import type { SessionStore } from '#relay/sessions/session-store.js';
import type { RedisClient } from '#relay/live/redis-client.js';
import type { OverloadProbe } from '#relay/socket/overload.js';
import { signInForToken } from './sign-in.js';

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export const demo = {
  contosoHelper: 'helper@contoso.example',
  contosoAdmin: 'admin@contoso.example',
  contosoSharer: 'sharer@contoso.example',
  fabrikamHelper: 'helper@fabrikam.example',
  fabrikamSharer: 'sharer@fabrikam.example',
} as const;

export interface ConnectOptions {
  /** Handshake auth as sent; default `{ token: <token of email> }`. */
  auth?: Record<string, unknown>;
  reconnection?: boolean;
}

export interface TestRelay {
  url: string;
  port: number;
  caPem: string;
  dataDir: string;
  relay: Relay;
  directory: DirectoryStore;
  /** Every line the relay logged. */
  logLines: string[];
  /** A relay access token for a demo user (cached per email). */
  token(email: string): Promise<string>;
  /** A connected socket for a demo user; rejects with the connect_error if refused. */
  connect(email: string, opts?: ConnectOptions): Promise<ClientSocket>;
  /** A socket that is not connected yet (for handshake tests). */
  socket(auth: Record<string, unknown> | undefined, extra?: { headers?: Record<string, string> }): ClientSocket;
  stop(): Promise<void>;
}

/** Parts a test may choose itself: the session store (to hold a request at a chosen step) and the clock. */
export interface TestRelayParts {
  store?: SessionStore;
  clock?: Clock;
  /** Tenant id → SCIM token, as tenants[].scim.token in a configuration file would give. */
  scimTokens?: Record<string, string>;
  /** Several nodes: the relay's shared Redis (the test connects and closes it). */
  redis?: RedisClient;
  /** Device keys, second factors and provider secrets kept elsewhere (PostgreSQL, test/support/store-backends.ts);
   * the test closes them. Absent: as RH_DATABASE_URL says (the data folder's files without it). */
  kept?: KeptStores | undefined;
  /** The directory to serve (e.g. on PostgreSQL), seeded here; the test closes it. Default: where
   * RH_DATABASE_URL says (a SQLite file in the data folder without it). */
  directory?: DirectoryStore;
  /** Overload on demand (relay/src/socket/overload.ts createForcedOverload), in place of the node's capacity. */
  overload?: OverloadProbe;
}

/** A relay in the test's own process shares its event loop with the test: a certificate signed with
 * forge or a provider started beside it pauses that loop for a second on a busy machine, which the relay
 * would read as its own overload (refusing, or not even taking TCP connections, for a moment). Tests of
 * overload force it (createForcedOverload) or set their own lag. */
export const inProcessCapacity = { RH_OVERLOAD_LAG_MS: '60000' } as const;

export async function startTestRelay(env: Record<string, string> = {}, parts: TestRelayParts = {}): Promise<TestRelay> {
  const dataDir = mkdtempSync(join(tmpdir(), 'rh-relay-'));
  const loaded = loadConfig({ RH_PORT: '0', RH_HOST: 'localhost', RH_DATA_DIR: dataDir, RH_WEB_DIST: join(dataDir, 'no-web'), ...inProcessCapacity, ...env });
  const config = parts.scimTokens ? { ...loaded, scimTokens: parts.scimTokens } : loaded;
  // As main.ts opens it: the data folder's SQLite files, or the PostgreSQL of RH_DATABASE_URL.
  const data = parts.directory ? undefined : await openKeptData({ dataDir, databaseUrl: config.databaseUrl, clock: parts.clock ?? systemClock });
  const directory = parts.directory ?? data!.directory;
  await seedDemoTenants(directory);
  const log = createMemoryLog();
  const relay = await startRelay({
    config, directory, log, clock: parts.clock ?? systemClock, ...(parts.store ? { store: parts.store } : {}), ...(parts.overload ? { overload: parts.overload } : {}), ...(parts.redis ? { redis: parts.redis } : {}),
    ...(data?.reports ? { reports: data.reports } : {}), ...(parts.kept ?? data?.kept ? { kept: (parts.kept ?? data?.kept)! } : {}),
  });
  if (!relay.caCertPath) throw new Error('the test relay serves the local CA\'s certificate');
  const caPem = readFileSync(relay.caCertPath, 'utf8');
  const tokens = new Map<string, Promise<string>>();
  const open: ClientSocket[] = [];

  const socket = (auth: Record<string, unknown> | undefined, extra: { headers?: Record<string, string>; reconnection?: boolean } = {}): ClientSocket => {
    const s: ClientSocket = io(relay.url, {
      transports: ['websocket'],
      ca: caPem,
      autoConnect: false,
      reconnection: extra.reconnection ?? false,
      forceNew: true,
      ...(auth ? { auth } : {}),
      ...(extra.headers ? { extraHeaders: extra.headers } : {}),
    });
    open.push(s);
    return s;
  };
  const token = (email: string): Promise<string> => {
    const cached = tokens.get(email);
    if (cached) return cached;
    const fresh = signInForToken(relay.url, email, demoPassword, caPem);
    tokens.set(email, fresh);
    return fresh;
  };

  return {
    url: relay.url,
    port: relay.port,
    caPem,
    dataDir,
    relay,
    directory,
    logLines: log.lines,
    token,
    socket,
    async connect(email, opts = {}) {
      const s = socket(opts.auth ?? { token: await token(email) }, { reconnection: opts.reconnection ?? false });
      await connected(s);
      return s;
    },
    async stop() {
      for (const s of open) s.disconnect();
      await relay.close();
      await data?.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A store whose `method` waits, once armed, until released: the request is held right there, before
 * the call (`when: 'before'`) or with the call done and its answer not yet given (`'after'`). */
export function gatedStore<M extends 'insert' | 'claimCode' | 'chatAfter' | 'get'>(method: M, when: 'before' | 'after' = 'before') {
  const store = createMemorySessionStore();
  let armed: { reached: () => void; release: Promise<void> } | undefined;
  const original = store[method].bind(store) as (...args: unknown[]) => Promise<unknown>;
  (store as unknown as Record<string, unknown>)[method] = async (...args: unknown[]) => {
    const gate = armed;
    armed = undefined;
    const answer = when === 'after' ? await original(...args) : undefined;
    if (gate) {
      gate.reached();
      await gate.release;
    }
    return when === 'after' ? answer : original(...args);
  };
  return {
    store,
    /** Holds the next call; resolves `reached` when it arrives, and lets it on when `release()` is called. */
    arm() {
      let release!: () => void;
      let reached!: () => void;
      const releaseP = new Promise<void>((r) => (release = r));
      const reachedP = new Promise<void>((r) => (reached = r));
      armed = { reached, release: releaseP };
      return { reached: reachedP, release };
    },
  };
}

/**
 * Connects `s`. A handshake refused as `overloaded` is tried again after a growing wait, as every client
 * of the product does (protocol/overload-retry.ts): a relay in a test on a busy machine may shed load
 * for a moment, which is what it is built to do, not a failure of what the test checks. Any other
 * refusal rejects at once.
 */
export function connected(s: ClientSocket): Promise<ClientSocket> {
  return new Promise((resolve, reject) => {
    let attempt = 0;
    const onError = (err: Error & { data?: { code?: string } }) => {
      if (err.data?.code !== 'overloaded' || attempt >= 10) {
        s.off('connect_error', onError);
        reject(err);
        return;
      }
      setTimeout(() => s.connect(), backoffDelayMs(attempt++, { baseMs: 200, maxMs: 3000 }));
    };
    s.once('connect', () => {
      s.off('connect_error', onError);
      resolve(s);
    });
    s.on('connect_error', onError);
    s.connect();
  });
}

/** Who ended a session and why, without its times (`at`, `sharingSince`: the relay's clock), for comparing. */
export function whyEnded(e: { sessionId: string; by: string; reason: string }): { sessionId: string; by: string; reason: string } {
  return { sessionId: e.sessionId, by: e.by, reason: e.reason };
}

/** The next `event` on `s` matching `where`, or a clear failure after `ms`. */
export function next<E extends keyof ServerToClientEvents>(
  s: ClientSocket, event: E, where: (p: Parameters<ServerToClientEvents[E]>[0]) => boolean = () => true, ms = 5000,
): Promise<Parameters<ServerToClientEvents[E]>[0]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      s.off(event, listener as never);
      reject(new Error(`no ${event} within ${ms} ms`));
    }, ms);
    const listener = (p: Parameters<ServerToClientEvents[E]>[0]) => {
      if (!where(p)) return;
      clearTimeout(timer);
      s.off(event, listener as never);
      resolve(p);
    };
    s.on(event, listener as never);
  });
}

/** Emits with an ack and resolves with the relay's answer. */
export function request<E extends keyof ClientToServerEvents>(
  s: ClientSocket, event: E, payload: Parameters<ClientToServerEvents[E]>[0],
): Promise<Parameters<Parameters<ClientToServerEvents[E]>[1]>[0]> {
  return (s.timeout(5000).emitWithAck as (e: string, p: unknown) => Promise<never>)(event, payload);
}

/** Emits anything at all (bad input tests): the raw arguments as given, resolving with the ack. */
export function rawRequest(s: ClientSocket, event: string, ...args: unknown[]): Promise<Ack<unknown>> {
  return (s.timeout(5000).emitWithAck as (e: string, ...a: unknown[]) => Promise<Ack<unknown>>)(event, ...args);
}

export function valueOf<T>(ack: Ack<T>): T {
  if (!ack.ok) throw new Error(`expected ok, got ${ack.error.code}: ${ack.error.message}`);
  return ack.value;
}

/** GET over HTTPS trusting the relay's CA: status, headers and body as text. */
export async function httpsGet(url: string, caPem: string): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  const { get } = await import('node:https');
  return new Promise((resolve, reject) => {
    get(url, { ca: caPem }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    }).on('error', reject);
  });
}
