// The leases behind the connections per person and per address (relay/src/limits/connection-leases.ts),
// on the counter every node shares, with a hand-driven clock: a node that renews keeps its connections
// counted past the lease; a node that stopped renewing (it died) has them lapse within the lease.
import assert from 'node:assert/strict';
import { createConnectionLeases, type ConnectionLeases } from '#relay/limits/connection-leases.js';
import { createMemoryWindowCounter } from '#relay/limits/memory-window-counter.js';
import type { Log } from '#relay/ports.js';

const quiet: Log = { info: () => undefined, warn: () => undefined, error: () => undefined };
const user = { tenantId: 't', userId: 'u' };

describe('connection leases', () => {
  let now = 1_000_000;
  const clock = { now: () => now };
  const opened: ConnectionLeases[] = [];
  const node = (counter = createMemoryWindowCounter()) => {
    const leases = createConnectionLeases({ counter, clock, log: quiet, limits: { connectionsPerUser: 2, connectionsPerAddress: 3, leaseMs: 60_000 } });
    opened.push(leases);
    return { leases, counter };
  };
  afterEach(() => opened.splice(0).forEach((l) => l.close()));

  it('holds a person to their limit and an address to its own, and gives a place back on release', async () => {
    const { leases } = node();
    const a = await leases.take(user, '10.0.0.1');
    assert.ok(a.ok);
    assert.ok((await leases.take(user, '10.0.0.1')).ok);
    assert.deepEqual(await leases.take(user, '10.0.0.2'), { ok: false, limit: 'user' });
    assert.ok((await leases.take({ tenantId: 't', userId: 'other' }, '10.0.0.1')).ok);
    assert.deepEqual(await leases.take({ tenantId: 't', userId: 'third' }, '10.0.0.1'), { ok: false, limit: 'address' });
    await leases.release(a.lease);
    assert.ok((await leases.take(user, '10.0.0.2')).ok, 'released: the place is free at once');
  });

  it('keeps a renewing node\'s connections counted past the lease, and lets a silent node\'s lapse within it', async () => {
    const living = node();
    const dead = node(living.counter); // a second node on the same shared counter
    assert.ok((await living.leases.take(user, '10.0.0.1')).ok);
    assert.ok((await dead.leases.take(user, '10.0.0.2')).ok);
    for (let step = 0; step < 5; step++) {
      now += 20_000; // a third of the lease: the living node renews, the dead one does not
      await living.leases.renew();
    }
    // 100 s on: the living node's connection still counts, the dead node's no longer does.
    assert.ok((await living.leases.take(user, '10.0.0.3')).ok, 'the dead node\'s place is free again');
    assert.deepEqual(await living.leases.take(user, '10.0.0.3'), { ok: false, limit: 'user' }, 'the living node\'s is still counted');
  });

  it('counts a renewing connection once: a person one below their limit connects while their leases are renewed', async () => {
    const { leases } = node();
    assert.ok((await leases.take(user, '10.0.0.1')).ok);
    now += 20_000;
    // The renewal pass begins first; the new connection's check comes while it is under way.
    const [, second] = await Promise.all([leases.renew(), leases.take(user, '10.0.0.1')]);
    assert.ok(second.ok, 'refused while the held connection was being renewed');
    assert.deepEqual(await leases.take(user, '10.0.0.1'), { ok: false, limit: 'user' });
  });

  it('has a new connection wait for the refunds of its own person and address only', async () => {
    // A shared counter whose refunds wait until let go, as a slow round trip to Redis would.
    const counter = createMemoryWindowCounter();
    const held: Array<() => void> = [];
    const slow = { ...counter, refund: (ticket: string) => new Promise<void>((resolve) => held.push(() => void counter.refund(ticket).then(resolve))) };
    const { leases } = node(slow);
    const first = await leases.take(user, '10.0.0.1');
    assert.ok(first.ok);
    assert.ok((await leases.take(user, '10.0.0.1')).ok);
    const gone = leases.release(first.lease); // the reloaded page's old socket, its refund under way
    // Someone else, from elsewhere, is not held up by it.
    const other = await Promise.race([leases.take({ tenantId: 't', userId: 'other' }, '10.0.0.9'), new Promise((r) => setTimeout(() => r('waited'), 200))]);
    assert.deepEqual(other !== 'waited' && (other as { ok: boolean }).ok, true, 'another person\'s connection waited for this refund');
    // The same person's new socket waits for it, and is then let in (not refused for its own ghost).
    let settled = false;
    const again = leases.take(user, '10.0.0.1').then((r) => ((settled = true), r));
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(settled, false, 'the same person\'s new connection did not wait for the refund');
    held.splice(0).forEach((letGo) => letGo());
    await gone;
    assert.ok((await again).ok);
  });
});
