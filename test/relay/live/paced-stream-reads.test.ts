// The adapter's stream reader, paced (paced-stream-reads.ts): entries that come while it waits after a
// read are brought by one read, not one read each; the client the adapter publishes on is the relay's
// own, unchanged.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { withPacedStreamReads } from '#relay/live/paced-stream-reads.js';
import type { RedisClient } from '#relay/live/redis-client.js';
import { useRedis } from '../../support/redis-server.js';

/** The reply's shape for one stream (node-redis types it loosely). */
type Read = { name: string; messages: { id: string; message: Record<string, string> }[] }[] | null;

describe('paced reads of the adapter stream', () => {
  const redis = useRedis();

  it('brings the entries that came during the pause in one read, and runs every other command on the client given', async () => {
    const stream = `rh-paced-${randomUUID()}`;
    const forAdapter = withPacedStreamReads(redis.client, 300);
    // Commands go to the relay's client: what one writes, the other reads.
    await forAdapter.set(`${stream}:k`, 'v');
    assert.equal(await redis.client.get(`${stream}:k`), 'v');
    assert.notEqual(forAdapter.duplicate, redis.client.duplicate, 'the relay client itself was changed');

    const reader = forAdapter.duplicate() as RedisClient;
    reader.on('error', () => undefined);
    await reader.connect();
    try {
      // As the adapter polls: block until something comes, then read on from the last entry.
      const reads: number[] = [];
      const first = reader.xRead([{ key: stream, id: '$' }], { BLOCK: 5000, COUNT: 100 });
      await new Promise((r) => setTimeout(r, 50));
      await redis.client.xAdd(stream, '*', { n: '1' });
      const got = (await first) as Read;
      reads.push(got?.[0]?.messages.length ?? 0);
      const last = got![0]!.messages.at(-1)!.id;
      // Nine more arrive one by one, right after the first read answered, while the next one waits.
      const second = reader.xRead([{ key: stream, id: last }], { BLOCK: 5000, COUNT: 100 });
      for (let n = 2; n <= 10; n++) await redis.client.xAdd(stream, '*', { n: String(n) });
      const rest = (await second) as Read;
      reads.push(rest?.[0]?.messages.length ?? 0);
      assert.deepEqual(reads, [1, 9]);
      assert.deepEqual(rest![0]!.messages.map((m) => m.message['n']), ['2', '3', '4', '5', '6', '7', '8', '9', '10']);
    } finally {
      reader.destroy();
    }
  });
});
