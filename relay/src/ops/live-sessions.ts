// Live sessions by state for /metrics.
//
// One node (its own store in memory): counted from the session store's own writes as they happen, so a
// scrape costs one entry per state, whatever the number of sessions (reading every session at each
// scrape cost 10 ms and more per 1,000 sessions, on the event loop every client shares).
//
// Several nodes (a shared store): one node sees only its own writes, and a session created on one node is
// often ended on another, so there the figure is the store's own (the cluster's figure, whichever node is
// scraped): Redis keeps a set of sessions per state, kept in step by the same script as each write, and
// a scrape is one SCARD per state. A shared store that cannot count (one a test wraps) is read session
// by session at scrape time, at most 10,000 of them.
import { isTerminal, type SessionState } from '#protocol';
import type { SessionRecord, SessionStore } from '../sessions/session-store.js';

/** At most this many sessions are read per scrape of a shared store. */
const liveSessionsReadAtScrape = 10_000;

export type LiveSessionCounts = () => Promise<Record<string, number>>;

/** Reads every live session of `store` (a shared store: the cluster's sessions). */
export function liveSessionsReadFrom(store: SessionStore): LiveSessionCounts {
  return async () => {
    const ids = (await store.liveSessions()).slice(0, liveSessionsReadAtScrape);
    const counts: Record<string, number> = {};
    for (const s of await Promise.all(ids.map((id) => store.get(id)))) {
      if (s) counts[s.state] = (counts[s.state] ?? 0) + 1;
    }
    return counts;
  };
}

/** A shared store's live sessions by state: its own count where it keeps one, else read from it. */
export function liveSessionsOfSharedStore(store: SessionStore & { liveByState?: () => Promise<Record<string, number>> }): LiveSessionCounts {
  const { liveByState } = store;
  return liveByState ? () => liveByState.call(store) : liveSessionsReadFrom(store);
}

/**
 * `store`, and the live sessions it holds counted by state from what passes through it: a new session,
 * and the record every transition and update answers. Exact while every write goes through the returned
 * store (one node, its store in memory): a session leaves its state only by one of those calls.
 */
export function countedSessionStore(store: SessionStore): { store: SessionStore; counts: LiveSessionCounts } {
  const stateOf = new Map<string, SessionState>();
  const counts = new Map<SessionState, number>();
  const add = (state: SessionState, by: number): void => {
    const n = (counts.get(state) ?? 0) + by;
    if (n > 0) counts.set(state, n);
    else counts.delete(state);
  };
  const seen = (record: SessionRecord | undefined): void => {
    if (!record) return;
    const before = stateOf.get(record.id);
    if (before === record.state) return;
    if (before !== undefined) add(before, -1);
    if (isTerminal(record.state)) {
      stateOf.delete(record.id);
      return;
    }
    stateOf.set(record.id, record.state);
    add(record.state, 1);
  };
  const overrides: Pick<SessionStore, 'insert' | 'transition' | 'update'> = {
    insert: async (record, code) => {
      const inserted = await store.insert(record, code);
      if (inserted) seen(record);
      return inserted;
    },
    transition: async (sessionId, from, patch) => {
      const next = await store.transition(sessionId, from, patch);
      seen(next);
      return next;
    },
    update: async (sessionId, from, change) => {
      const done = await store.update(sessionId, from, change);
      seen(done?.record);
      return done;
    },
  };
  const counted = new Proxy(store, {
    get: (target, key, receiver) => (Object.hasOwn(overrides, key) ? overrides[key as keyof typeof overrides] : Reflect.get(target, key, receiver)),
  });
  return { store: counted, counts: () => Promise.resolve(Object.fromEntries(counts)) };
}
