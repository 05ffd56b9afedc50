// The device-proof challenges' contract, in memory (one node) and in Redis (several nodes, a real
// redis-server): each works once, for the user it was issued to, until it expires; a user's open ones are capped.
import assert from 'node:assert/strict';
import { challengeTtlMs, createChallenges, maxOpenPerUser, type Challenges } from '#relay/device-trust/challenges.js';
import { createRedisChallenges } from '#relay/live/redis-challenges.js';
import type { AuthUser } from '#relay/ports.js';
import { useRedis } from '../../support/redis-server.js';

const shared = useRedis();

const user = (userId: string, tenantId = 'contoso'): AuthUser => ({ tenantId, userId, upn: `${userId}@x`, name: userId, roles: [], amr: ['pwd'] });
const alice = user('alice');

const implementations: { name: string; open(clock: { now(): number }): Challenges[] }[] = [
  // One node: one store.
  { name: 'in memory', open: (clock) => [createChallenges(clock)] },
  // Two nodes: two stores on the same Redis; what one issues, the other takes.
  {
    name: 'in Redis, across two nodes',
    open(clock) {
      const prefix = `t${Math.random().toString(36).slice(2)}:`;
      return [createRedisChallenges(shared.client, clock, { prefix }), createRedisChallenges(shared.client, clock, { prefix })];
    },
  },
];

for (const impl of implementations) {
  describe(`device-proof challenges, ${impl.name}`, () => {
    let now = 1_700_000_000_000;
    const clock = { now: () => now };
    let issuer: Challenges;
    let taker: Challenges;
    beforeEach(() => {
      now = 1_700_000_000_000;
      const stores = impl.open(clock);
      issuer = stores[0]!;
      taker = stores.at(-1)!;
    });

    it('accepts a challenge once, for the user it was issued to', async () => {
      const c = await issuer.issue(alice);
      assert.equal(await taker.take(alice, c), 'ok');
      assert.equal(await taker.take(alice, c), 'unknown');
      assert.equal(await issuer.take(alice, c), 'unknown');
    });

    it('refuses another user\'s challenge and spends it all the same', async () => {
      const c = await issuer.issue(alice);
      assert.equal(await taker.take(user('mallory'), c), 'other-user');
      assert.equal(await taker.take(user('alice', 'fabrikam'), c), 'unknown');
      assert.equal(await taker.take(alice, c), 'unknown');
    });

    it('says a challenge is expired once its time has passed', async () => {
      const c = await issuer.issue(alice);
      now += challengeTtlMs + 1;
      assert.equal(await taker.take(alice, c), 'expired');
    });

    it('keeps only the newest challenges of a user who asks in a loop', async () => {
      const issued: string[] = [];
      for (let i = 0; i < maxOpenPerUser + 2; i++) {
        now += 1;
        issued.push(await issuer.issue(alice));
      }
      const other = await issuer.issue(user('bob'));
      assert.equal(await taker.take(alice, issued[0]!), 'unknown');
      assert.equal(await taker.take(alice, issued[1]!), 'unknown');
      assert.equal(await taker.take(alice, issued.at(-1)!), 'ok');
      assert.equal(await taker.take(user('bob'), other), 'ok');
    });
  });
}
