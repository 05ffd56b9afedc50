// A node on several-node state (Redis) is ready only while Redis answers: a Redis that hangs takes the
// node out of the load balancer's rotation within the probe's timeout, and it comes back by itself
// once Redis answers again. What failed is named, and nothing else (no address, no password).
import assert from 'node:assert/strict';
import { httpsGet, startTestRelay, type TestRelay } from '../../support/relay.js';
import { useRedis } from '../../support/redis-server.js';
import { waitFor } from '../../support/wait.js';

describe('readiness with Redis', function () {
  this.timeout(60_000);
  const redis = useRedis();

  it('says "not ready: redis" while Redis does not answer, and ready again once it does', async () => {
    // Stopped here, not in an `after`: useRedis closes its client in its own `after`, which runs first.
    const t: TestRelay = await startTestRelay({}, { redis: redis.client });
    try {
      const readyz = async () => {
        const res = await httpsGet(`${t.url}/readyz`, t.caPem);
        return { status: res.status, body: JSON.parse(res.body) as unknown };
      };
      assert.deepEqual(await readyz(), { status: 200, body: { status: 'ready' } });
      // Frozen, not gone: the connection stays open and a PING waits, as with an overloaded Redis.
      redis.server.child.kill('SIGSTOP');
      assert.deepEqual(await readyz(), { status: 503, body: { status: 'unready', draining: false, failed: ['redis'] } });
      assert.equal((await httpsGet(`${t.url}/healthz`, t.caPem)).status, 200, 'the process itself is alive');
      redis.server.child.kill('SIGCONT');
      await waitFor(async () => (await readyz()).status === 200, 10_000, 'the node never became ready again');
    } finally {
      redis.server.child.kill('SIGCONT');
      await t.stop();
    }
  });
});
