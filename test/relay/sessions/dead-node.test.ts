// A relay node killed outright (SIGKILL): its sockets never say `disconnect` and its grace timers are
// gone. Several session services stand for several nodes, over one real redis-server, one hand-driven
// clock and one report log; the dead node is one whose liveness key is gone (deleted here, as its
// expiry would, so the test does not wait for a TTL, except the one case about the TTL itself).
import assert from 'node:assert/strict';
import type { SessionEnded } from '#protocol';
import { createRedisNodeLiveness, type NodeLiveness } from '#relay/live/node-liveness.js';
import { createMemoryLog } from '#relay/log.js';
import { takeOver } from '#relay/sessions/owners.js';
import {
  closeFixtureReports, contoso, fixtureReports, helper, manualClock, serviceUnderTest, sharer, value,
} from '../../fixtures/session-directory.js';
import { redisBackend } from '../../support/live-backends.js';
import { waitFor } from '../../support/wait.js';

after(closeFixtureReports);

const here = { address: '127.0.0.1' };
const graceMs = 120_000;
// A node that beats once and never again, as one killed right after it started.
const neverAgain = 60 * 60_000;


describe('a relay node that dies', () => {
  const redis = redisBackend();
  before(() => redis.start());
  after(() => redis.stop());

  /** `n` nodes sharing one store (each over its own connection), clock and report log. */
  async function cluster(n: number) {
    const shared = await redis.sessionStore();
    const clock = manualClock();
    const reports = fixtureReports(clock);
    const nodes = [];
    for (let i = 0; i < n; i++) {
      const store = i === 0 ? shared.value : await shared.another();
      const liveness = await createRedisNodeLiveness(shared.redis!, createMemoryLog(), { prefix: shared.prefix!, beatMs: neverAgain, id: `node-${i}` });
      nodes.push({ ...serviceUnderTest({ store, liveness, clock, reports, reconnectGraceMs: graceMs }), liveness });
    }
    const kill = async (node: { liveness: NodeLiveness }) => {
      await shared.redis!.del(`${shared.prefix!}node:${node.liveness.id}`);
    };
    return { nodes, clock, reports, kill, shared };
  }

  /** A sharing session both of whose members node 0 speaks for. */
  async function sharingOn(c: Awaited<ReturnType<typeof cluster>>) {
    const [a] = c.nodes;
    const created = value(await a!.sessions.create(helper, {}));
    value(await a!.sessions.join(sharer, created.code, here));
    value(await a!.sessions.consent(sharer, { sessionId: created.sessionId, allow: true }));
    for (const role of ['helper', 'sharer'] as const) await takeOver(a!.store, created.sessionId, role, { node: a!.liveness.id, socket: `${role}-socket` });
    return created.sessionId;
  }

  it('is noticed by another node, which marks its members away; the session ends after the grace with one report', async () => {
    const c = await cluster(3);
    const [a, b, d] = c.nodes;
    const sessionId = await sharingOn(c);
    await b!.sessions.sweep();
    assert.equal((await b!.store.get(sessionId))?.away, undefined, 'alive: nobody is away');

    await c.kill(a!);
    await b!.sessions.sweep();
    const s = await b!.store.get(sessionId);
    assert.deepEqual(Object.keys(s?.away ?? {}).sort(), ['helper', 'sharer']);
    assert.equal(s?.away?.sharer?.reason, 'connection');
    assert.deepEqual(s?.owners ?? {}, {}, 'nobody speaks for them now');
    assert.deepEqual(await b!.liveness.deadNodes(), ['node-0']);

    c.clock.advance(graceMs - 1);
    await Promise.all([b!.sessions.sweep(), d!.sessions.sweep()]);
    assert.equal((await b!.store.get(sessionId))?.state, 'sharing', 'the grace has not run out yet');

    c.clock.advance(1);
    await Promise.all([b!.sessions.sweep(), d!.sessions.sweep(), b!.sessions.sweep()]);
    assert.equal((await b!.store.get(sessionId))?.state, 'ended');
    const records = (await c.reports.list(contoso.id, {})).items.filter((r) => r.sessionId === sessionId);
    assert.equal(records.length, 1, 'one report, however many nodes swept');
    const ended = [...b!.notifier.sent, ...d!.notifier.sent].filter((x) => x.event === 'session:ended' && x.role === 'helper');
    assert.equal(ended.length, 1);
    assert.equal((ended[0]?.payload as SessionEnded).reason, 'connection-lost');
    // Nothing of the dead node is left: the next sweep forgets it.
    await b!.sessions.sweep();
    assert.deepEqual(await b!.liveness.deadNodes(), []);
  });

  it('leaves alone a member that resumed on a live node before the death was noticed', async () => {
    const c = await cluster(2);
    const [a, b] = c.nodes;
    const sessionId = await sharingOn(c);
    await c.kill(a!);
    // The sharer's page reconnected to node 1 first: it speaks for the sharer now.
    value(await b!.sessions.resume(sharer, { sessionId, afterSeq: 0 }, { node: b!.liveness.id, socket: 'sharer-socket-2' }));
    await b!.sessions.sweep();
    const s = await b!.store.get(sessionId);
    assert.equal(s?.away?.sharer, undefined);
    assert.equal(s?.away?.helper?.reason, 'connection');
    assert.deepEqual(s?.owners?.sharer, { node: b!.liveness.id, socket: 'sharer-socket-2' });
    // The helper comes back on node 1 within the grace: the session goes on, with one gap on record.
    value(await b!.sessions.resume(helper, { sessionId, afterSeq: 0 }, { node: b!.liveness.id, socket: 'helper-socket-2' }));
    c.clock.advance(graceMs);
    await b!.sessions.sweep();
    const after = await b!.store.get(sessionId);
    assert.equal(after?.state, 'sharing');
    assert.deepEqual(after?.gaps?.map((g) => [g.role, g.reason, g.to !== null]), [['helper', 'connection', true]]);
  });

  it('is known dead once its key expires, a TTL after its last beat', async () => {
    const c = await cluster(2);
    const [, b] = c.nodes;
    const short = await createRedisNodeLiveness(c.shared.redis!, createMemoryLog(), { prefix: c.shared.prefix!, ttlMs: 300, beatMs: neverAgain, id: 'short-lived' });
    const ttl = await c.shared.redis!.pTTL(`${c.shared.prefix!}node:short-lived`);
    assert.ok(ttl > 0 && ttl <= 300, String(ttl));
    assert.equal(await b!.liveness.isAlive(short.id), true);
    await waitFor(async () => (await b!.liveness.deadNodes()).includes('short-lived'), 5000, 'the node was never found dead');
    await short.close();
  });
});
