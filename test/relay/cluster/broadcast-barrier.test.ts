// What a node still publishes, by session (socket/broadcast-barrier.ts), on the real streams adapter and
// Redis: a room change or emit of a session is "busy" from the call until its publish is done (and so in
// effect on this node), which is when an emit kept on this node may go without overtaking it
// (session-routing.ts); an emit kept on this node publishes nothing and waits for nothing.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { createMemoryLog } from '#relay/log.js';
import { connectRedis, type RedisClient } from '#relay/live/redis-client.js';
import { createBroadcastBarrier } from '#relay/socket/broadcast-barrier.js';
import { createRelayIo } from '#relay/socket/create-socket-server.js';
import { room, sessionOfRoom, userRoom } from '#relay/socket/session-routing.js';
import { useRedis } from '../../support/redis-server.js';

describe('the broadcast barrier, by session', () => {
  const redis = useRedis();

  it("is busy for a session while its room change or emit is being published, and not for another session's", async () => {
    const client: RedisClient = await connectRedis(redis.server.url, createMemoryLog());
    const barrier = createBroadcastBarrier(sessionOfRoom);
    const io = createRelayIo(createServer(), { pingIntervalMs: 25_000, pingTimeoutMs: 20_000, redis: client, broadcasts: barrier });
    try {
      io.in(room('s1', 'colleague')).socketsLeave(room('s1', 'colleague-chat'));
      assert.equal(barrier.busy('s1'), true, 'a colleague let out of the chat was not waited for');
      assert.equal(barrier.busy('s2'), false);
      await barrier.published();
      assert.equal(barrier.busy('s1'), false);

      io.to([room('s2', 'sharer'), room('s2', 'colleague-chat')]).emit('session:peer', { sessionId: 's2', role: 'helper', present: true, paused: false });
      io.in(room('s3', 'colleague')).socketsJoin(room('s3', 'colleague-chat'));
      assert.deepEqual([barrier.busy('s1'), barrier.busy('s2'), barrier.busy('s3')], [false, true, true]);
      await barrier.published();
      assert.deepEqual([barrier.busy('s2'), barrier.busy('s3')], [false, false]);

      // Kept on this node: nothing published, nothing to wait for. A person's room is no session's.
      io.local.to(room('s4', 'sharer')).emit('session:peer', { sessionId: 's4', role: 'helper', present: true, paused: false });
      io.to(userRoom('t', 'u')).emit('session:peer', { sessionId: 's5', role: 'helper', present: true, paused: false });
      assert.deepEqual([barrier.busy('s4'), barrier.busy('s5')], [false, false]);
      await barrier.published();
    } finally {
      await io.close();
      await client.close().catch(() => undefined);
    }
  });

  it('reads the session of its rooms only', () => {
    assert.equal(sessionOfRoom(room('0b5c7e1e-5a5e-4a43-9d0e-1d7c2b1f7a11', 'colleague-chat')), '0b5c7e1e-5a5e-4a43-9d0e-1d7c2b1f7a11');
    assert.equal(sessionOfRoom(userRoom('tenant-contoso', 'u1')), undefined);
    assert.equal(sessionOfRoom('session:'), undefined);
  });
});
