// The single-node WindowCounter. Every method body runs without an await inside, so each call is atomic
// with respect to the others, which is the guarantee the port asks for. Memory is bounded: events leave
// with their window, and past `maxKeys` the least recently counted key is forgotten.
//
// Cost: a hit, a count and a refund are O(1) amortized, whatever a key holds. A key's events sit in a
// Map by ticket, in the order they came: the ones out of the window are a prefix of it (dropped as they
// are met), and a refund is one delete. The connection leases need that: every socket from one address
// counts under the same key, and a node renews all of its leases at once; with arrays filtered and
// copied per hit, 4,000 sockets behind one address made each renewal pass a synchronous stall of over
// a second (quadratic in the sockets). A clock that steps back breaks the order: that key is then
// counted by a full pass until it empties.
import type { WindowCounter, WindowHit } from '../ports.js';

interface Event {
  at: number;
  /** When the event leaves the longest window it was counted in. */
  expires: number;
}

interface KeyEvents {
  /** By ticket, in the order they were counted. */
  events: Map<string, Event>;
  /** The latest `at` counted; an earlier one after it means the order no longer follows time. */
  lastAt: number;
  inOrder: boolean;
}

export interface MemoryWindowCounterOptions {
  /** Keys remembered at once; past it the least recently counted is forgotten. */
  maxKeys?: number;
  /** Hits between two sweeps of expired events. */
  sweepEvery?: number;
}

/** How many of a key's events fall in the window, and the oldest of them; expired events met are dropped. */
function inWindow(k: KeyEvents | undefined, windowMs: number, now: number): { count: number; oldestAt: number | undefined } {
  if (!k) return { count: 0, oldestAt: undefined };
  const from = now - windowMs;
  if (k.inOrder) {
    let outside = 0;
    for (const [ticket, e] of k.events) {
      if (e.at > from) return { count: k.events.size - outside, oldestAt: e.at };
      if (e.expires <= now) k.events.delete(ticket);
      else outside++; // still counted in a longer window of this key
    }
    return { count: 0, oldestAt: undefined };
  }
  let count = 0;
  let oldestAt: number | undefined;
  for (const [ticket, e] of k.events) {
    if (e.at > from) {
      count++;
      oldestAt = oldestAt === undefined ? e.at : Math.min(oldestAt, e.at);
    } else if (e.expires <= now) k.events.delete(ticket);
  }
  if (k.events.size === 0) {
    k.inOrder = true; // empty again: in order from here
    k.lastAt = -Infinity;
  }
  return { count, oldestAt };
}

export function createMemoryWindowCounter(opts: MemoryWindowCounterOptions = {}): WindowCounter {
  const maxKeys = opts.maxKeys ?? 100_000;
  const sweepEvery = opts.sweepEvery ?? 1000;
  const keys = new Map<string, KeyEvents>();
  const tickets = new Map<string, { keys: string[]; expires: number }>();
  let ticketSeq = 0;
  let hits = 0;

  const sweep = (now: number): void => {
    for (const [key, k] of keys) {
      for (const [ticket, e] of k.events) if (e.expires <= now) k.events.delete(ticket);
      if (k.events.size === 0) keys.delete(key);
    }
    for (const [ticket, t] of tickets) if (t.expires <= now) tickets.delete(ticket);
  };

  /** Moves a key to the end of the map: the map's order is least recently counted first, which is what goes when it is full. */
  const touch = (key: string, k: KeyEvents): void => {
    keys.delete(key);
    keys.set(key, k);
  };

  /** Counts the ticket's event under `key` at `now`, last in the key's order (where a renewed one moves). */
  const countAt = (key: string, ticket: string, now: number, windowMs: number): void => {
    const k = keys.get(key) ?? { events: new Map<string, Event>(), lastAt: -Infinity, inOrder: true };
    if (now < k.lastAt) k.inOrder = false;
    k.lastAt = Math.max(k.lastAt, now);
    k.events.delete(ticket);
    k.events.set(ticket, { at: now, expires: now + windowMs });
    touch(key, k);
  };

  return {
    async hit(limits, windowMs, now): Promise<WindowHit> {
      if (++hits % sweepEvery === 0) sweep(now);
      const current = limits.map(({ key, limit }) => ({ key, limit, ...inWindow(keys.get(key), windowMs, now) }));
      const full = current.find(({ count, limit }) => count >= limit);
      if (full) {
        // A key still being refused is recently seen too: it must not be the first to go when the map is full.
        const refused = keys.get(full.key);
        if (refused) touch(full.key, refused);
        return { allowed: false, key: full.key, retryAfterMs: full.oldestAt === undefined ? windowMs : Math.max(0, full.oldestAt + windowMs - now) };
      }
      const ticket = String(++ticketSeq);
      for (const { key } of current) countAt(key, ticket, now, windowMs);
      tickets.set(ticket, { keys: current.map((c) => c.key), expires: now + windowMs });
      for (const oldest of keys.keys()) {
        if (keys.size <= maxKeys) break;
        keys.delete(oldest);
      }
      const remaining = Math.min(...current.map(({ count, limit }) => limit - count - 1));
      return { allowed: true, remaining, ticket };
    },
    async count(key, windowMs, now) {
      const k = keys.get(key);
      const { count } = inWindow(k, windowMs, now);
      if (k && k.events.size === 0) keys.delete(key);
      return count;
    },
    async refund(ticket) {
      const t = tickets.get(ticket);
      if (!t) return;
      tickets.delete(ticket);
      for (const key of t.keys) {
        const k = keys.get(key);
        if (!k) continue;
        k.events.delete(ticket);
        if (k.events.size === 0) keys.delete(key);
      }
    },
    async renew(ticket, windowMs, now) {
      const t = tickets.get(ticket);
      if (!t || t.expires <= now) return false;
      t.expires = now + windowMs;
      for (const key of t.keys) countAt(key, ticket, now, windowMs);
      return true;
    },
    async clear(key) {
      keys.delete(key);
    },
  };
}
