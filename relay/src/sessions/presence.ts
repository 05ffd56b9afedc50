// Whether each member of a live session is there (DESIGN §5 "Leaving", issue 9): a member whose page or
// connection went is *away*; the other side is told at once, the absence is a gap on the record, and the
// session waits for it until the reconnect grace ends. Back with session:resume, the gap closes and the
// other side is told (with "offer the screen again" when the member lost its media). The sharer's pause
// lives here too, since the helper hears of it the same way. No transport: the socket layer only says
// "this member's socket went, for this reason"; time comes from the clock, timers from `timers`.
import { isTerminal, sessionStates, type PeerStatus, type SessionRole, type SessionState } from '#protocol';
import type { NodeLiveness } from '../live/node-liveness.js';
import type { Clock, Log } from '../ports.js';
import { colleagueStatusOf, memberColleague, sharerHeard } from './colleague-record.js';
import type { Finisher } from './finish.js';
import { ownedBy } from './owners.js';
import type { AwayReason, SessionRecord, SessionStore } from './session-store.js';
import type { SessionNotifier } from './types.js';

export type { AwayReason } from './session-store.js';

/** Where the grace timers run: the process's own timers, or a test's hand-driven ones. */
export interface Timers {
  set(ms: number, run: () => void): unknown;
  clear(handle: unknown): void;
}

export const systemTimers: Timers = {
  set(ms, run) {
    const t = setTimeout(run, ms);
    // A waiting session must not keep a stopping process alive; close() clears them anyway.
    t.unref();
    return t;
  },
  clear: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** The member on the other end of `role`'s peer connection: the sharer's is the helper; a colleague's
 * (issue 13, point 5) is the sharer, as is the helper's. */
export const otherRole = (role: SessionRole): SessionRole => (role === 'sharer' ? 'helper' : 'sharer');

const iso = (t: number): string => new Date(t).toISOString();

/** The live states: a session waits for an away member in each of them. */
const live: readonly SessionState[] = sessionStates.filter((s) => !isTerminal(s));

/** `role`'s status as the other member sees it; null when that member has not joined (no sharer yet). */
export function peerStatusOf(s: SessionRecord, role: SessionRole, restartMedia?: boolean): PeerStatus | null {
  if (role === 'sharer' && !s.sharer) return null;
  const away = s.away?.[role];
  return {
    sessionId: s.id,
    role,
    present: !away,
    ...(away ? { away: away.reason, graceEndsAt: iso(away.graceEndsAt) } : {}),
    paused: s.paused ?? false,
    ...(restartMedia !== undefined ? { restartMedia } : {}),
  };
}

export interface PresenceDeps {
  store: SessionStore;
  clock: Clock;
  notifier: SessionNotifier;
  log: Log;
  finish: Finisher['finish'];
  /** How long an away member may take to resume; 0: its session ends at once (reason 'left'). */
  graceMs: number;
  /** The colleague is out of the session (their grace ran out): it goes on without them (colleagues.ts).
   * False when they were not in it, or `unless` held. */
  colleagueExit?: (sessionId: string, why: 'left' | 'connection-lost', unless: (s: SessionRecord) => boolean) => Promise<boolean>;
  timers?: Timers;
}

export type Presence = ReturnType<typeof createPresence>;

export function createPresence(deps: PresenceDeps) {
  const { store, clock, notifier, log, finish, graceMs } = deps;
  const timers = deps.timers ?? systemTimers;
  const pending = new Map<string, unknown>();
  const key = (sessionId: string, role: SessionRole) => `${sessionId}:${role}`;

  function cancel(sessionId: string, role: SessionRole): void {
    const k = key(sessionId, role);
    if (!pending.has(k)) return;
    timers.clear(pending.get(k));
    pending.delete(k);
  }

  /** Tells the other members how `role` is now, if there is another member to tell: a colleague's
   * presence goes as their status (to the helper, and to the sharer who heard of them); the sharer's
   * reaches an allowed colleague too (they see the screen). */
  function tell(s: SessionRecord, role: SessionRole, restartMedia?: boolean): void {
    if (role === 'colleague') {
      const c = memberColleague(s);
      if (!c) return;
      // As for the helper: the colleague's own resume says whether the sharer opens a new connection to them.
      const status = { ...colleagueStatusOf(s, c), ...(restartMedia !== undefined ? { restartMedia } : {}) };
      notifier.send(s.id, 'helper', 'session:colleague', status);
      if (sharerHeard(c)) notifier.send(s.id, 'sharer', 'session:colleague', status);
      return;
    }
    const status = peerStatusOf(s, role, restartMedia);
    const other = otherRole(role);
    if (!status || (other === 'sharer' && !s.sharer)) return;
    notifier.send(s.id, role === 'sharer' && memberColleague(s)?.state === 'allowed' ? [other, 'colleague-chat'] : other, 'session:peer', status);
  }

  /** A colleague's absence that ends is the end of their part only; anyone else's ends the session. */
  function gone(sessionId: string, role: SessionRole, reason: AwayReason, unless: (s: SessionRecord) => boolean): Promise<boolean> {
    if (role === 'colleague') return deps.colleagueExit?.(sessionId, reason === 'left' ? 'left' : 'connection-lost', unless) ?? Promise.resolve(false);
    return finish(sessionId, 'ended', { by: role, reason: reason === 'left' ? 'left' : 'connection-lost' }, {}, live, unless);
  }

  /** The grace of one absence is over: the session ends, unless the member came back meanwhile (or went
   * again: that later absence has its own timer). */
  async function expire(sessionId: string, role: SessionRole, gap: number, reason: AwayReason): Promise<void> {
    pending.delete(key(sessionId, role));
    const ended = await gone(sessionId, role, reason, (s) => s.away?.[role]?.gap !== gap);
    if (ended) log.info('away member did not come back', { sessionId, role, reason });
  }

  /** Whether the member is still spoken for by `node` (a guard checked in the same step as a change). */
  const ownedByNode = (s: SessionRecord, role: SessionRole, node: string | undefined) => node === undefined || s.owners?.[role]?.node === node;

  /** Marks the member away. With `deadNode`: only while that node still speaks for it, and its owner
   * is dropped in the same step (a member that resumed elsewhere meanwhile has another owner). */
  async function markAway(sessionId: string, role: SessionRole, reason: AwayReason, deadNode?: string): Promise<void> {
    if (graceMs === 0) {
      await gone(sessionId, role, 'left', (s) => !ownedByNode(s, role, deadNode));
      return;
    }
    const now = clock.now();
    const graceEndsAt = now + graceMs;
    let marked = false;
    const r = await store.update(sessionId, live, (s) => {
      marked = false;
      if (!ownedByNode(s, role, deadNode)) return undefined;
      // A colleague no longer in the session has nobody to wait for.
      if (role === 'colleague' && !memberColleague(s)) return undefined;
      const rest = { ...s.owners };
      delete rest[role];
      const owners = deadNode === undefined ? {} : { owners: rest };
      if (s.away?.[role]) return deadNode === undefined ? undefined : owners;
      marked = true;
      const gaps = [...(s.gaps ?? []), { role, from: now, to: null, reason }];
      return { ...owners, gaps, away: { ...s.away, [role]: { reason, graceEndsAt, gap: gaps.length - 1 } } };
    });
    if (!r?.changed || !marked) return;
    const gap = r.record.away?.[role]?.gap ?? -1;
    log.info('member away', { sessionId, role, reason, graceMs, ...(deadNode ? { deadNode } : {}) });
    tell(r.record, role);
    cancel(sessionId, role);
    // This node's timer ends it promptly; the sweep ends it from any node if this one dies first.
    // The promise is handed back for a test's hand-driven timers to wait on; setTimeout ignores it.
    pending.set(key(sessionId, role), timers.set(graceMs, () =>
      expire(sessionId, role, gap, reason).catch((error: unknown) => log.error('ending an away member\'s session failed', { sessionId, error }))));
  }

  return {
    /** The socket that spoke for this member went (`left`: its page said goodbye; `connection`: it dropped). */
    async away(sessionId: string, role: SessionRole, reason: AwayReason): Promise<void> {
      await markAway(sessionId, role, reason);
    },

    /** What the timers of a dead node would have done, done from this one (called every second or so):
     * the members a dead node spoke for are away, as if their connection had dropped, and every grace
     * that ran out ends its session. Several nodes sweeping at once end each once (finish's guards). */
    async sweep(now: number, liveness: NodeLiveness): Promise<void> {
      for (const node of await liveness.deadNodes()) {
        const owned = await ownedBy(store, node);
        for (const { sessionId, role } of owned) await markAway(sessionId, role, 'connection', node);
        // Listed until a sweep finds nothing of it left, so a member written by it late is not missed.
        if (owned.length === 0) await liveness.forget(node);
      }
      for (const due of await store.awayExpired(now)) {
        cancel(due.sessionId, due.role);
        await expire(due.sessionId, due.role, due.gap, due.reason);
      }
    },

    /** The member resumed: back if it was away; either way the other side hears of it when it needs to
     * (back, or back without media so the sharer offers again). Answers the record as it is now. */
    async back(s: SessionRecord, role: SessionRole, restartMedia: boolean): Promise<SessionRecord> {
      const now = clock.now();
      const r = await store.update(s.id, live, (current) => {
        const away = current.away?.[role];
        if (!away) return undefined;
        const rest = { ...current.away };
        delete rest[role];
        return { away: rest, gaps: (current.gaps ?? []).map((g, i) => (i === away.gap ? { ...g, to: now } : g)) };
      });
      const record = r?.record ?? s;
      if (r?.changed) {
        cancel(s.id, role);
        log.info('member back', { sessionId: s.id, role, restartMedia });
      }
      if (r?.changed || restartMedia) tell(record, role, restartMedia);
      return record;
    },

    /** The sharer pauses (true) or resumes (false) sharing; the same value again changes nothing.
     * Undefined when the session is no longer sharing. */
    async pause(sessionId: string, paused: boolean): Promise<{ changed: boolean } | undefined> {
      const now = clock.now();
      const r = await store.update(sessionId, ['sharing'], (s) => {
        if ((s.paused ?? false) === paused) return undefined;
        const pauses = paused
          ? [...(s.pauses ?? []), { from: now, to: null }]
          : (s.pauses ?? []).map((p) => (p.to === null ? { ...p, to: now } : p));
        return { paused, pauses };
      });
      if (!r) return undefined;
      if (r.changed) {
        log.info(paused ? 'sharing paused' : 'sharing resumed', { sessionId });
        tell(r.record, 'sharer');
      }
      return { changed: r.changed };
    },

    /** The session ended: nothing waits for its members any more. */
    forget(sessionId: string): void {
      cancel(sessionId, 'helper');
      cancel(sessionId, 'sharer');
      cancel(sessionId, 'colleague');
    },

    /** Drops every timer (the relay is stopping). */
    close(): void {
      for (const handle of pending.values()) timers.clear(handle);
      pending.clear();
    },
  };
}
