// The live test relay of test/support/relay.ts with two parts of its own: the session store (to hold a
// request at a chosen step, as a slow store or a slow network would) and the clock (to let weeks pass).
// Everything else is real: HTTPS on port 0, the SQLite directory with the demo tenants, the embedded
// provider, real socket.io-clients.
import { createMemorySessionStore } from '../../../relay/src/sessions/memory-session-store.js';
import type { Clock } from '../../../relay/src/ports.js';
import type { SessionStore } from '../../../relay/src/sessions/session-store.js';
import { startTestRelay, type TestRelay } from '../../support/relay.js';

export interface CustomRelayOptions {
  env?: Record<string, string>;
  store?: SessionStore;
  clock?: Clock;
}

export function startCustomRelay(opts: CustomRelayOptions = {}): Promise<TestRelay> {
  return startTestRelay(opts.env, {
    store: opts.store ?? createMemorySessionStore(),
    ...(opts.clock ? { clock: opts.clock } : {}),
  });
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
