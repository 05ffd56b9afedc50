// Connections one person and one address may hold at once, counted across nodes with the shared
// WindowCounter (issue 12). The port counts events in a sliding window, not open connections, so each
// live socket holds a *lease*: one event under its user's key and its address's key, refunded when the
// socket goes. A node that dies refunds nothing, so an event lasts only `leaseMs`; every `leaseMs / 3`
// the node renews the leases of all its sockets in one pass (not a timer per socket): a new event with
// no limit, then the old one refunded. The connections of a killed node thus stop counting within
// `leaseMs` of its last renewal, and a living node's never lapse (a renewal may be late by two thirds
// of the window before it matters). While a renewal runs, a socket counts twice for a moment: a
// connection racing it at the very limit may be refused, never one too many admitted.
import type { Clock, Log, WindowCounter } from '../ports.js';

export interface ConnectionLimits {
  connectionsPerUser: number;
  connectionsPerAddress: number;
  /** How long one count of a connection lasts unless renewed. */
  leaseMs: number;
}

/** One socket's place in the counts; given back with release(). */
export interface ConnectionLease {
  readonly keys: readonly string[];
}

export type LeaseTaken = { ok: true; lease: ConnectionLease } | { ok: false; limit: 'user' | 'address' };

export interface ConnectionLeases {
  /** Counts a new connection of this user from this address (its rate-limit bucket), or answers which
   * limit it would pass. */
  take(user: { tenantId: string; userId: string }, addressBucket: string): Promise<LeaseTaken>;
  /** The socket went: it stops counting now (on every node). */
  release(lease: ConnectionLease): Promise<void>;
  /** Renews every lease this node holds (the timer calls it; a test may too). */
  renew(): Promise<void>;
  /** How many leases this node holds. */
  readonly held: number;
  /** Stops renewing; the leases left lapse with their window. */
  close(): void;
}

interface HeldLease extends ConnectionLease {
  ticket: string;
  released: boolean;
}

/** Leases renewed at once in a pass. */
const renewBatch = 200;

const userKey = (tenantId: string, userId: string) => `conn:user:${tenantId}:${userId}`;
const addressKey = (bucket: string) => `conn:address:${bucket}`;

export function createConnectionLeases(deps: { counter: WindowCounter; limits: ConnectionLimits; clock: Clock; log: Log }): ConnectionLeases {
  const { counter, limits, clock, log } = deps;
  const held = new Set<HeldLease>();
  // Refunds under way on this node, by the keys they give back: a page reloaded at the limit says
  // goodbye on its old socket just before its new one knocks, so a new connection waits for the refunds
  // of its own person and address and is not refused for its own ghost. Only those: on a busy node
  // (thousands of sockets going and coming, each refund a round trip to Redis) a newcomer does not queue
  // behind everyone else's.
  const refunding = new Map<Promise<void>, readonly string[]>();
  let renewing: Promise<void> | undefined;

  const refund = (ticket: string, keys: readonly string[]): Promise<void> => {
    const p = counter.refund(ticket)
      .catch((error: unknown) => log.error('refunding a connection lease failed', { error }))
      .finally(() => refunding.delete(p));
    refunding.set(p, keys);
    return p;
  };
  const refundsOf = (keys: readonly string[]): Promise<void>[] =>
    [...refunding].filter(([, of]) => of.some((key) => keys.includes(key))).map(([p]) => p);

  async function renewOne(lease: HeldLease): Promise<void> {
    // The lease's own events move on: the socket is counted once all along. (Counted again, then the old
    // events refunded, it was counted twice for a round trip, and a person at their limit who opened a
    // connection just then was refused.)
    if (await counter.renew(lease.ticket, limits.leaseMs, clock.now())) return;
    if (lease.released) return;
    // Lapsed (the node stalled past the lease, or the store forgot it): counted again. No limit: a
    // socket already admitted is never turned away by its own renewal.
    const next = await counter.hit(lease.keys.map((key) => ({ key, limit: Number.MAX_SAFE_INTEGER })), limits.leaseMs, clock.now());
    if (!next.allowed) return;
    if (lease.released) {
      await refund(next.ticket, lease.keys); // released while this renewal ran: release() refunded the old ticket
      return;
    }
    const old = lease.ticket;
    lease.ticket = next.ticket;
    await refund(old, lease.keys);
  }

  /** Every lease this node holds, `renewBatch` at a time with a turn of the event loop between: a pass
   * over thousands of sockets must not be one long stall of the node (nor thousands of store calls at once). */
  async function renewAll(): Promise<void> {
    const all = [...held];
    for (let i = 0; i < all.length; i += renewBatch) {
      if (i > 0) await new Promise<void>((resolve) => setImmediate(resolve));
      await Promise.all(all.slice(i, i + renewBatch).filter((lease) => !lease.released)
        .map((lease) => renewOne(lease).catch((error: unknown) => log.error('renewing a connection lease failed', { error }))));
    }
  }

  const timer = setInterval(() => {
    // One pass at a time: on a slow store a pass that outlasts the interval is not stacked on.
    renewing ??= renewAll().finally(() => (renewing = undefined));
  }, Math.max(1000, Math.floor(limits.leaseMs / 3)));
  timer.unref();

  return {
    async take(user, addressBucket) {
      const keys = [userKey(user.tenantId, user.userId), addressKey(addressBucket)];
      if (refunding.size) await Promise.all(refundsOf(keys));
      const hit = await counter.hit([
        { key: keys[0]!, limit: limits.connectionsPerUser },
        { key: keys[1]!, limit: limits.connectionsPerAddress },
      ], limits.leaseMs, clock.now());
      if (!hit.allowed) return { ok: false, limit: hit.key === keys[0] ? 'user' : 'address' };
      const lease: HeldLease = { keys, ticket: hit.ticket, released: false };
      held.add(lease);
      return { ok: true, lease };
    },
    async release(lease) {
      const l = lease as HeldLease;
      if (l.released) return;
      l.released = true;
      held.delete(l);
      await refund(l.ticket, l.keys);
    },
    renew: renewAll,
    get held() {
      return held.size;
    },
    close() {
      clearInterval(timer);
    },
  };
}
