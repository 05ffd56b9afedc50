// During a rolling upgrade a node of an earlier version attaches sockets without naming itself in the
// session (ChatAppend.nodes), so no node may keep a chat emit to itself while one is alive
// (NodeLiveness.everyNodeNamesItself, session-routing.ts): an earlier node's key says '1', this
// version's '2'; a node whose key expired is dead and does not count.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createRedisNodeLiveness } from '#relay/live/node-liveness.js';
import { createMemoryLog } from '#relay/log.js';
import { useRedis } from '../../support/redis-server.js';
import { waitFor } from '../../support/wait.js';

describe('nodes of an earlier version among the live ones', () => {
  const redis = useRedis();

  it('keeps every emit published while an earlier node is alive, and not after it stopped', async () => {
    const prefix = `rh-marks-${randomUUID()}:`;
    const first = await createRedisNodeLiveness(redis.client, createMemoryLog(), { prefix, beatMs: 50 });
    assert.equal(first.everyNodeNamesItself(), true);
    // A node of the version before: alive, listed, its key '1'.
    await redis.client.set(`${prefix}node:earlier`, '1', { expiration: { type: 'PX', value: 60_000 } });
    await redis.client.sAdd(`${prefix}nodes`, 'earlier');
    const second = await createRedisNodeLiveness(redis.client, createMemoryLog(), { prefix, beatMs: 50 });
    try {
      assert.equal(second.everyNodeNamesItself(), false, 'a node started beside an earlier one kept emits to itself');
      await waitFor(() => !first.everyNodeNamesItself(), 5000, 'the running node never noticed the earlier one');
      // It stops (its key goes; it may stay listed until a sweep forgets it).
      await redis.client.del(`${prefix}node:earlier`);
      await waitFor(() => first.everyNodeNamesItself() && second.everyNodeNamesItself(), 5000, 'the nodes kept publishing after the earlier one stopped');
    } finally {
      await Promise.all([first.close(), second.close()]);
    }
  });
});
