// The live test relay of test/support/relay.ts with two parts of its own: the session store (to hold a
// request at a chosen step, as a slow store or a slow network would) and the clock (to let weeks pass).
// Everything else is real: HTTPS on port 0, the SQLite directory with the demo tenants, the embedded
// provider, real socket.io-clients.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io } from 'socket.io-client';
import { loadConfig } from '../../../relay/src/config.js';
import { createRelay } from '../../../relay/src/create-relay.js';
import { createDirectory, demoPassword, seedDemoTenants } from '../../../relay/src/directory/index.js';
import { createMemoryLog } from '../../../relay/src/log.js';
import type { Clock } from '../../../relay/src/ports.js';
import { createMemorySessionStore } from '../../../relay/src/sessions/memory-session-store.js';
import type { SessionStore } from '../../../relay/src/sessions/session-store.js';
import { connected, type ClientSocket, type TestRelay } from '../../support/relay.js';
import { signInForToken } from '../../support/sign-in.js';

export interface CustomRelayOptions {
  env?: Record<string, string>;
  store?: SessionStore;
  clock?: Clock;
}

export async function startCustomRelay(opts: CustomRelayOptions = {}): Promise<TestRelay> {
  const dataDir = mkdtempSync(join(tmpdir(), 'rh-relay-'));
  const config = loadConfig({ RH_PORT: '0', RH_HOST: 'localhost', RH_DATA_DIR: dataDir, RH_WEB_DIST: join(dataDir, 'no-web'), ...opts.env });
  const directory = createDirectory({ dataDir });
  await seedDemoTenants(directory);
  const log = createMemoryLog();
  const relay = createRelay({ config, directory, log, clock: opts.clock ?? { now: () => Date.now() }, store: opts.store ?? createMemorySessionStore() });
  const listening = await relay.listen();
  const caPem = readFileSync(listening.caCertPath, 'utf8');
  const tokens = new Map<string, Promise<string>>();
  const open: ClientSocket[] = [];

  const socket = (auth: Record<string, unknown> | undefined, extra: { headers?: Record<string, string> } = {}): ClientSocket => {
    const s: ClientSocket = io(listening.url, {
      transports: ['websocket'], ca: caPem, autoConnect: false, reconnection: false, forceNew: true,
      ...(auth ? { auth } : {}),
      ...(extra.headers ? { extraHeaders: extra.headers } : {}),
    });
    open.push(s);
    return s;
  };
  const token = (email: string): Promise<string> => {
    const cached = tokens.get(email);
    if (cached) return cached;
    const fresh = signInForToken(listening.url, email, demoPassword, caPem);
    tokens.set(email, fresh);
    return fresh;
  };
  return {
    url: listening.url, port: listening.port, caPem, dataDir, relay, directory, logLines: log.lines, token, socket,
    async connect(email, o = {}) {
      return connected(socket(o.auth ?? { token: await token(email) }));
    },
    async stop() {
      for (const s of open) s.disconnect();
      await relay.close();
      directory.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A store whose `method` waits, once armed, until released: the request is held right there. */
export function gatedStore<M extends 'insert' | 'claimCode'>(method: M) {
  const store = createMemorySessionStore();
  let armed: { reached: () => void; release: Promise<void> } | undefined;
  const original = store[method].bind(store) as (...args: unknown[]) => Promise<unknown>;
  (store as unknown as Record<string, unknown>)[method] = async (...args: unknown[]) => {
    const gate = armed;
    armed = undefined;
    if (gate) {
      gate.reached();
      await gate.release;
    }
    return original(...args);
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
