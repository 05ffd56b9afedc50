// The single-node WindowCounter. Every method body runs without an await inside, so each call is atomic
// with respect to the others, which is the guarantee the port asks for. Memory is bounded: events leave
// with their window, and past `maxKeys` the least recently counted key is forgotten.
import type { WindowCounter, WindowHit } from '../ports.js';

interface Event {
  at: number;
  /** When the event leaves the longest window it was counted in. */
  expires: number;
  ticket: string;
}

export interface MemoryWindowCounterOptions {
  /** Keys remembered at once; past it the least recently counted is forgotten. */
  maxKeys?: number;
  /** Hits between two sweeps of expired events. */
  sweepEvery?: number;
}

export function createMemoryWindowCounter(opts: MemoryWindowCounterOptions = {}): WindowCounter {
  const maxKeys = opts.maxKeys ?? 100_000;
  const sweepEvery = opts.sweepEvery ?? 1000;
  const events = new Map<string, Event[]>();
  const tickets = new Map<string, { keys: string[]; expires: number }>();
  let ticketSeq = 0;
  let hits = 0;

  const inWindow = (key: string, windowMs: number, now: number): Event[] => (events.get(key) ?? []).filter((e) => e.at > now - windowMs);

  const sweep = (now: number): void => {
    for (const [key, list] of events) {
      const kept = list.filter((e) => e.expires > now);
      if (kept.length) events.set(key, kept);
      else events.delete(key);
    }
    for (const [ticket, t] of tickets) if (t.expires <= now) tickets.delete(ticket);
  };

  return {
    async hit(limits, windowMs, now): Promise<WindowHit> {
      if (++hits % sweepEvery === 0) sweep(now);
      const current = limits.map(({ key, limit }) => ({ key, limit, list: inWindow(key, windowMs, now) }));
      const full = current.find(({ list, limit }) => list.length >= limit);
      if (full) {
        // A key still being refused is recently seen too: it must not be the first to go when the map is full.
        const refused = events.get(full.key);
        if (refused) {
          events.delete(full.key);
          events.set(full.key, refused);
        }
        const oldest = Math.min(...full.list.map((e) => e.at));
        return { allowed: false, key: full.key, retryAfterMs: full.list.length ? Math.max(0, oldest + windowMs - now) : windowMs };
      }
      const ticket = String(++ticketSeq);
      for (const { key, list } of current) {
        // Re-inserted so the map's order is least recently counted first, which is what goes when it is full.
        const kept = (events.get(key) ?? []).filter((e) => e.expires > now || list.includes(e));
        events.delete(key);
        events.set(key, [...kept, { at: now, expires: now + windowMs, ticket }]);
      }
      tickets.set(ticket, { keys: current.map((c) => c.key), expires: now + windowMs });
      for (const oldest of events.keys()) {
        if (events.size <= maxKeys) break;
        events.delete(oldest);
      }
      const remaining = Math.min(...current.map(({ list, limit }) => limit - list.length - 1));
      return { allowed: true, remaining, ticket };
    },
    async count(key, windowMs, now) {
      return inWindow(key, windowMs, now).length;
    },
    async refund(ticket) {
      const t = tickets.get(ticket);
      if (!t) return;
      tickets.delete(ticket);
      for (const key of t.keys) {
        const kept = (events.get(key) ?? []).filter((e) => e.ticket !== ticket);
        if (kept.length) events.set(key, kept);
        else events.delete(key);
      }
    },
    async clear(key) {
      events.delete(key);
    },
  };
}
