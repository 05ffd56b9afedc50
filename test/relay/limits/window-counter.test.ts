// The WindowCounter port's contract, run against each implementation: the in-memory one (one node), the
// SQLite one (sign-in limits that outlive a restart) and the Redis one (several nodes, a real
// redis-server). A moved clock; no relay.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMemoryWindowCounter } from '#relay/limits/memory-window-counter.js';
import { createSqliteWindowCounter } from '#relay/limits/sqlite-window-counter.js';
import type { WindowCounter } from '#relay/ports.js';
import { fuzzSettings } from '../../support/fuzz-settings.js';
import { redisBackend } from '../../support/live-backends.js';

const windowMs = 60_000;
const t0 = 1_700_000_000_000;

const redis = redisBackend();
const implementations: {
  name: string; start?(): Promise<void>; stop?(): Promise<void>; open(): Promise<{ counter: WindowCounter; close(): void }>;
}[] = [
  { name: 'in memory', open: async () => ({ counter: createMemoryWindowCounter(), close: () => {} }) },
  {
    name: 'in SQLite',
    async open() {
      const dir = mkdtempSync(join(tmpdir(), 'rh-window-'));
      const counter = createSqliteWindowCounter(join(dir, 'limits.db'));
      return { counter, close: () => { counter.close(); rmSync(dir, { recursive: true, force: true }); } };
    },
  },
  {
    name: 'in Redis',
    start: () => redis.start(),
    stop: () => redis.stop(),
    // A fresh key prefix per test on the suite's redis-server.
    open: async () => ({ counter: (await redis.windowCounter()).value, close: () => {} }),
  },
];

for (const impl of implementations) {
  describe(`the sliding-window counter, ${impl.name}`, () => {
    let counter: WindowCounter;
    let close: () => void;
    before(async () => impl.start?.());
    after(async () => impl.stop?.());
    beforeEach(async () => ({ counter, close } = await impl.open()));
    afterEach(() => close());

    it('allows up to the limit within the window, says how many remain, then refuses and counts nothing', async () => {
      const a = await counter.hit([{ key: 'k', limit: 3 }], windowMs, t0);
      const b = await counter.hit([{ key: 'k', limit: 3 }], windowMs, t0 + 1);
      const c = await counter.hit([{ key: 'k', limit: 3 }], windowMs, t0 + 2);
      assert.deepEqual([a, b, c].map((h) => h.allowed && h.remaining), [2, 1, 0]);
      const refused = await counter.hit([{ key: 'k', limit: 3 }], windowMs, t0 + 10_000);
      assert.deepEqual(refused, { allowed: false, key: 'k', retryAfterMs: windowMs - 10_000 });
      assert.equal(await counter.count('k', windowMs, t0 + 10_000), 3, 'the refused hit was not counted');
    });

    it('lets events age out of the window one by one', async () => {
      await counter.hit([{ key: 'k', limit: 2 }], windowMs, t0);
      await counter.hit([{ key: 'k', limit: 2 }], windowMs, t0 + 1000);
      assert.equal((await counter.hit([{ key: 'k', limit: 2 }], windowMs, t0 + windowMs - 1)).allowed, false);
      assert.equal((await counter.hit([{ key: 'k', limit: 2 }], windowMs, t0 + windowMs)).allowed, true, 'the first left at exactly windowMs');
      assert.equal(await counter.count('k', windowMs, t0 + windowMs), 2);
    });

    it('checks every key and counts under all of them or none, naming the first key at its limit', async () => {
      await counter.hit([{ key: 'user', limit: 1 }], windowMs, t0);
      const refused = await counter.hit([{ key: 'address', limit: 5 }, { key: 'user', limit: 1 }], windowMs, t0 + 1);
      assert.equal(refused.allowed, false);
      assert.equal(!refused.allowed && refused.key, 'user');
      assert.equal(await counter.count('address', windowMs, t0 + 1), 0, 'nothing counted under the other key');
      const both = await counter.hit([{ key: 'address', limit: 1 }, { key: 'user', limit: 1 }], windowMs, t0 + windowMs);
      assert.equal(both.allowed, true);
      const first = await counter.hit([{ key: 'address', limit: 1 }, { key: 'user', limit: 1 }], windowMs, t0 + windowMs + 1);
      assert.equal(!first.allowed && first.key, 'address', 'keys are checked in the order given');
    });

    it('takes back exactly one hit with its ticket, under every key of it', async () => {
      const kept = await counter.hit([{ key: 'a', limit: 10 }], windowMs, t0);
      const taken = await counter.hit([{ key: 'a', limit: 10 }, { key: 'b', limit: 10 }], windowMs, t0);
      assert.ok(kept.allowed && taken.allowed);
      await counter.refund(taken.ticket);
      await counter.refund(taken.ticket); // a second refund of the same ticket changes nothing
      assert.equal(await counter.count('a', windowMs, t0), 1);
      assert.equal(await counter.count('b', windowMs, t0), 0);
    });

    it('renews a hit: its events move to now under every key, counted once; a refunded or ended one is not renewed', async () => {
      const lease = await counter.hit([{ key: 'user', limit: 2 }, { key: 'address', limit: 5 }], windowMs, t0);
      await counter.hit([{ key: 'address', limit: 5 }], windowMs, t0);
      assert.ok(lease.allowed);
      assert.equal(await counter.renew(lease.ticket, windowMs, t0 + windowMs - 1), true);
      assert.equal(await counter.count('user', windowMs, t0 + windowMs - 1), 1, 'counted twice while renewed');
      // Past the first window: the renewed hit still counts, the other one of the address does not.
      assert.deepEqual([await counter.count('user', windowMs, t0 + windowMs + 10), await counter.count('address', windowMs, t0 + windowMs + 10)], [1, 1]);
      assert.equal((await counter.hit([{ key: 'user', limit: 1 }], windowMs, t0 + windowMs + 10)).allowed, false);
      await counter.refund(lease.ticket);
      assert.equal(await counter.renew(lease.ticket, windowMs, t0 + windowMs + 20), false, 'a refunded hit came back');
      assert.equal(await counter.count('user', windowMs, t0 + windowMs + 20), 0);
      const ended = await counter.hit([{ key: 'other', limit: 2 }], windowMs, t0 + windowMs + 30);
      assert.ok(ended.allowed);
      assert.equal(await counter.renew(ended.ticket, windowMs, t0 + 3 * windowMs), false, 'a hit whose window ended came back');
      assert.equal(await counter.count('other', windowMs, t0 + 3 * windowMs), 0);
    });

    it('forgets a key when cleared, and no other', async () => {
      await counter.hit([{ key: 'a', limit: 10 }, { key: 'b', limit: 10 }], windowMs, t0);
      await counter.clear('a');
      assert.equal(await counter.count('a', windowMs, t0), 0);
      assert.equal(await counter.count('b', windowMs, t0), 1);
    });

    it('holds the limit for concurrent hits (each is one atomic step)', async () => {
      const hits = await Promise.all(Array.from({ length: 20 }, () => counter.hit([{ key: 'k', limit: 5 }], windowMs, t0)));
      assert.equal(hits.filter((h) => h.allowed).length, 5);
    });
  });
}

describe('the Redis counter shared by two nodes', () => {
  before(() => redis.start());
  after(() => redis.stop());

  it('never counts past the limit when two connections hit one key many times at once', async () => {
    const shared = await redis.windowCounter();
    const nodeB = await shared.another();
    const hits = await Promise.all(Array.from({ length: 200 }, (_, i) =>
      (i % 2 ? shared.value : nodeB).hit([{ key: 'k', limit: 7 }, { key: `other${i % 3}`, limit: 100 }], windowMs, t0 + i)));
    assert.equal(hits.filter((h) => h.allowed).length, 7);
    assert.equal(await nodeB.count('k', windowMs, t0 + 200), 7);
  });

  it('takes back on one node a hit counted on the other, and lets every key expire with its window', async () => {
    const shared = await redis.windowCounter();
    const nodeB = await shared.another();
    const hit = await shared.value.hit([{ key: 'a', limit: 3 }, { key: 'b', limit: 3 }], windowMs, t0);
    assert.ok(hit.allowed);
    const keys = await shared.redis!.keys(`${shared.prefix!}*`);
    assert.equal(keys.length, 3, 'two windows and the ticket');
    for (const k of keys) {
      const ttl = await shared.redis!.pTTL(k);
      assert.ok(ttl > 0 && ttl <= windowMs, `${k}: ${ttl}`);
    }
    await nodeB.refund(hit.ticket);
    assert.equal(await shared.value.count('a', windowMs, t0), 0);
    assert.equal(await shared.value.count('b', windowMs, t0), 0);
  });
});

describe('the in-memory counter\'s memory bound', () => {
  it('forgets the least recently counted key past maxKeys', async () => {
    const counter = createMemoryWindowCounter({ maxKeys: 2 });
    await counter.hit([{ key: 'a', limit: 10 }], windowMs, t0);
    await counter.hit([{ key: 'b', limit: 10 }], windowMs, t0);
    await counter.hit([{ key: 'a', limit: 10 }], windowMs, t0 + 1);
    await counter.hit([{ key: 'c', limit: 10 }], windowMs, t0 + 2);
    assert.equal(await counter.count('b', windowMs, t0 + 2), 0, 'b was the least recently counted');
    assert.equal(await counter.count('a', windowMs, t0 + 2), 2);
    assert.equal(await counter.count('c', windowMs, t0 + 2), 1);
  });

  it('drops events once they have left their window', async () => {
    const counter = createMemoryWindowCounter({ sweepEvery: 1 });
    await counter.hit([{ key: 'old', limit: 10 }], windowMs, t0);
    await counter.hit([{ key: 'new', limit: 10 }], windowMs, t0 + windowMs);
    // Counted with a longer window, an event that was swept is gone whatever window asks.
    assert.equal(await counter.count('old', 10 * windowMs, t0 + windowMs), 0);
  });
});

describe('the in-memory counter against a plain model', () => {
  // The model: a key's events are the hits not refunded; those in the window are the ones counted.
  // Each key keeps one window (as every caller does), and time never goes back.
  const windows: Record<string, number> = { a: 1000, b: 5000, c: 1000 };
  const keySets = [['a'], ['b'], ['c'], ['a', 'c']] as const;
  const step = fc.oneof(
    fc.record({ kind: fc.constant('hit' as const), keys: fc.integer({ min: 0, max: 3 }), limit: fc.integer({ min: 1, max: 6 }), advance: fc.integer({ min: 0, max: 700 }) }),
    fc.record({ kind: fc.constant('refund' as const), pick: fc.nat(), advance: fc.integer({ min: 0, max: 700 }) }),
    fc.record({ kind: fc.constant('count' as const), keys: fc.integer({ min: 0, max: 2 }), advance: fc.integer({ min: 0, max: 700 }) }),
  );

  it('answers every hit, count and refund as the model does, a key with thousands of events included', async () => {
    const { seed, numRuns } = fuzzSettings({ seed: 4242, numRuns: 200 });
    await fc.assert(fc.asyncProperty(fc.array(step, { maxLength: 80 }), fc.integer({ min: 0, max: 3000 }), async (steps, crowd) => {
      const counter = createMemoryWindowCounter({ sweepEvery: 7 });
      const model: { key: string; at: number; ticket: string }[] = [];
      const issued: string[] = [];
      let now = t0;
      const inWindow = (key: string) => model.filter((e) => e.key === key && e.at > now - windows[key]!);
      // A crowded key first (many sockets behind one address): its events are in the model too.
      for (let i = 0; i < crowd; i++) {
        const hit = await counter.hit([{ key: 'b', limit: Number.MAX_SAFE_INTEGER }], windows.b!, now);
        assert.ok(hit.allowed);
        model.push({ key: 'b', at: now, ticket: hit.ticket });
        issued.push(hit.ticket);
      }
      for (const s of steps) {
        now += s.advance;
        if (s.kind === 'count') {
          const key = ['a', 'b', 'c'][s.keys]!;
          assert.equal(await counter.count(key, windows[key]!, now), inWindow(key).length, `count of ${key} at +${now - t0}`);
        } else if (s.kind === 'refund') {
          if (!issued.length) continue;
          const ticket = issued[s.pick % issued.length]!;
          await counter.refund(ticket);
          for (let i = model.length - 1; i >= 0; i--) if (model[i]!.ticket === ticket) model.splice(i, 1);
        } else {
          const keys = keySets[s.keys]!;
          const windowMs = windows[keys[0]!]!;
          const hit = await counter.hit(keys.map((key) => ({ key, limit: s.limit })), windowMs, now);
          const full = keys.find((key) => inWindow(key).length >= s.limit);
          if (full) {
            const oldest = Math.min(...inWindow(full).map((e) => e.at));
            assert.deepEqual(hit, { allowed: false, key: full, retryAfterMs: Math.max(0, oldest + windowMs - now) });
          } else {
            assert.ok(hit.allowed, `a hit on ${keys.join('+')} under ${s.limit} refused`);
            assert.equal(hit.remaining, Math.min(...keys.map((key) => s.limit - inWindow(key).length - 1)));
            for (const key of keys) model.push({ key, at: now, ticket: hit.ticket });
            issued.push(hit.ticket);
          }
        }
      }
    }), { seed, numRuns });
  });
});
