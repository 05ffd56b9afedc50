// The web sign-in's store contract, in memory (one node) and in Redis (two nodes' stores on one real
// redis-server): a started sign-in is taken once, a session is seen from its cookie until it ends, and
// the sign-out tells the listeners of the node that ended it.
import assert from 'node:assert/strict';
import { createRedisWebSessionStore } from '#relay/live/redis-web-sessions.js';
import { createWebSessionStore, sessionCookie, sessionTtlMs, type WebSessionStore } from '#relay/identity/web-sessions.js';
import { createMemoryLog } from '#relay/log.js';
import { useRedis } from '../../support/redis-server.js';

const shared = useRedis();

const implementations: { name: string; open(now: () => number): WebSessionStore[] }[] = [
  { name: 'in memory', open: (now) => [createWebSessionStore({ now, maxPending: 100, log: createMemoryLog() })] },
  {
    name: 'in Redis, across two nodes',
    open(now) {
      const prefix = `t${Math.random().toString(36).slice(2)}:`;
      return [0, 1].map(() => createRedisWebSessionStore(shared.client, { now, log: createMemoryLog(), prefix }));
    },
  },
];

for (const impl of implementations) {
  describe(`web sign-in state, ${impl.name}`, () => {
    let t = 0;
    let a: WebSessionStore;
    let b: WebSessionStore;
    beforeEach(() => {
      t = Date.now();
      const stores = impl.open(() => t);
      a = stores[0]!;
      b = stores.at(-1)!;
    });
    afterEach(() => {
      a.close();
      b.close();
    });
    const cookie = (id: string): string => `other=1; ${sessionCookie}=${id}`;

    it('hands a started sign-in to the callback once', async () => {
      const signIn = { tenantId: 'contoso', verifier: 'v', returnTo: '/rh', expires: t + 600_000 };
      await a.rememberPending('state1', signIn);
      assert.deepEqual(await b.takePending('state1'), signIn);
      assert.equal(await b.takePending('state1'), undefined);
      assert.equal(await a.takePending('never'), undefined);
    });

    it('finds the session behind its cookie until it expires, and says when that is', async () => {
      const { id, maxAgeMs } = await a.create('contoso', 'oid.tid');
      assert.equal(maxAgeMs, sessionTtlMs);
      assert.deepEqual(await b.fromCookie(cookie(id)), { tenantId: 'contoso', homeAccountId: 'oid.tid', expires: t + sessionTtlMs });
      const key = b.keyOf(cookie(id))!;
      assert.equal(key, a.keyOf(cookie(id)), 'every node names the session alike');
      assert.ok(!key.includes(id), 'the key does not carry the cookie');
      assert.equal(await b.expiresAt(key), t + sessionTtlMs);
      assert.equal(await b.fromCookie(cookie('forged')), undefined);
      assert.equal(b.keyOf('other=1'), undefined);
      t += sessionTtlMs + 1;
      assert.equal(await b.fromCookie(cookie(id)), undefined);
      assert.equal(await b.expiresAt(key), undefined);
    });

    it('signs out on one node: the session is gone on every node, and the listeners there hear of it', async () => {
      const { id } = await a.create('contoso', 'oid.tid');
      const heard: string[] = [];
      b.onEnd((key) => heard.push(key));
      const ended = await b.endByCookie(cookie(id));
      assert.equal(ended?.homeAccountId, 'oid.tid');
      assert.deepEqual(heard, [b.keyOf(cookie(id))]);
      assert.equal(await a.fromCookie(cookie(id)), undefined);
      assert.equal(await a.expiresAt(a.keyOf(cookie(id))!), undefined);
      assert.equal(await a.endByCookie(cookie(id)), undefined, 'a second sign-out ends nothing');
      assert.equal(heard.length, 1);
    });

    it('keeps an account in use while another of its sessions lives', async () => {
      const first = await a.create('contoso', 'oid.tid');
      const second = await b.create('contoso', 'oid.tid');
      await a.create('contoso', 'someone-else');
      await a.endByCookie(cookie(first.id));
      assert.equal(await b.accountInUse('oid.tid'), true);
      await b.endByCookie(cookie(second.id));
      assert.equal(await a.accountInUse('oid.tid'), false);
      assert.equal(await a.accountInUse('someone-else'), true);
    });
  });
}
