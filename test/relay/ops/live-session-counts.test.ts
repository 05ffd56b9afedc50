// rh_live_sessions: the counts follow every session's state as it changes (created, joined, sharing,
// ended), and a scrape reads no session of the store, so it costs the same with 10,000 live sessions as
// with none: on one node the node counts as the store is written; with Redis, Redis keeps a set per
// state in the same script as each write, and any node's scrape reads their sizes.
import assert from 'node:assert/strict';
import { createRedisSessionStore } from '#relay/live/redis-session-store.js';
import { createMemorySessionStore } from '#relay/sessions/memory-session-store.js';
import type { SessionStore } from '#relay/sessions/session-store.js';
import { useRedis } from '../../support/redis-server.js';
import { httpsRequest } from '../../support/https-fetch.js';
import { demo, request, startTestRelay, valueOf, type TestRelay } from '../../support/relay.js';


describe('live sessions on /metrics (one node)', () => countsFollowEveryStep(() => ({ store: createMemorySessionStore() })));

describe('live sessions on /metrics (Redis)', () => {
  const redis = useRedis();
  // Its own block, so the relay stops (its `after`) before useRedis closes the client (the outer `after`).
  describe('any node', () => countsFollowEveryStep(() => ({ store: createRedisSessionStore(redis.client, { prefix: 'rh-live-counts:' }), redis: redis.client })));
});

function countsFollowEveryStep(parts: () => { store: SessionStore; redis?: ReturnType<typeof useRedis>['client'] }): void {
  let store: SessionStore;
  // Reads of sessions by the relay, to tell whether a scrape walks the store.
  let reads = 0;
  let t: TestRelay;
  before(async function () {
    this.timeout(60_000);
    const given = parts();
    store = given.store;
    for (const method of ['get', 'liveSessions'] as const) {
      const original = store[method].bind(store) as (...args: unknown[]) => Promise<unknown>;
      (store as unknown as Record<string, unknown>)[method] = (...args: unknown[]) => {
        reads++;
        return original(...args);
      };
    }
    t = await startTestRelay({}, given.redis ? { store, redis: given.redis } : { store });
  });
  after(() => t.stop());

  const liveByState = async (): Promise<Record<string, number>> => {
    const readsBefore = reads;
    const res = await httpsRequest(`${t.url}/metrics`, t.caPem, {});
    assert.equal(res.status, 200, res.body);
    assert.equal(reads, readsBefore, 'the scrape read sessions from the store');
    const counts: Record<string, number> = {};
    for (const m of res.body.matchAll(/^rh_live_sessions\{state="([a-z]+)"\} (\d+)$/gm)) counts[m[1]!] = Number(m[2]);
    return counts;
  };

  it('counts each session in its current state at every step, without reading the store at the scrape', async function () {
    this.timeout(60_000);
    const [helper, sharer] = await Promise.all([t.connect(demo.contosoHelper), t.connect(demo.contosoSharer)]);
    const waiting = valueOf(await request(helper, 'session:create', {}));
    const joining = valueOf(await request(helper, 'session:create', {}));
    assert.deepEqual(await liveByState(), { created: 2 });

    valueOf(await request(sharer, 'session:join', { code: joining.code }));
    assert.deepEqual(await liveByState(), { created: 1, joined: 1 });

    valueOf(await request(sharer, 'session:consent', { sessionId: joining.sessionId, allow: true }));
    assert.deepEqual(await liveByState(), { created: 1, sharing: 1 });

    valueOf(await request(helper, 'session:end', { sessionId: waiting.sessionId }));
    valueOf(await request(sharer, 'session:end', { sessionId: joining.sessionId }));
    assert.deepEqual(await liveByState(), {});
  });
}
