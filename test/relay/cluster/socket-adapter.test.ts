// Socket.IO across nodes (DESIGN §12): two relays given one Redis share their rooms through the
// redis-streams adapter, so what the session routing does on one node (emit to a member's room,
// fetch or disconnect sockets) reaches a socket held by the other.
import assert from 'node:assert/strict';
import { connectRedis, type RedisClient } from '#relay/live/redis-client.js';
import { createMemoryLog } from '#relay/log.js';
import { startRedisServer, type RedisServer } from '../../support/redis-server.js';
import { demo, next, startTestRelay, type TestRelay } from '../../support/relay.js';
import { waitFor } from '../../support/wait.js';

describe('Socket.IO over two relays sharing Redis', function () {
  this.timeout(60_000);
  let redisServer: RedisServer;
  const clients: RedisClient[] = [];
  let a: TestRelay;
  let b: TestRelay;

  before(async () => {
    redisServer = await startRedisServer();
    for (let i = 0; i < 2; i++) clients.push(await connectRedis(redisServer.url, createMemoryLog()));
    a = await startTestRelay({}, { redis: clients[0]! });
    b = await startTestRelay({}, { redis: clients[1]! });
  });
  after(async () => {
    await Promise.allSettled([a?.stop(), b?.stop()]);
    for (const c of clients) await c.close().catch(() => undefined);
    await redisServer?.stop();
  });

  it('reaches a socket on the other node: a room emit, fetchSockets and disconnectSockets', async () => {
    const onB = await b.connect(demo.contosoSharer);
    await waitFor(async () => (await a.relay.io.fetchSockets()).some((s) => s.id === onB.id), 10_000, 'node A never saw the socket on node B');
    const remote = (await a.relay.io.fetchSockets()).find((s) => s.id === onB.id)!;
    assert.equal(remote.data.user.upn, demo.contosoSharer);

    a.relay.io.in(onB.id!).socketsJoin('session:s1:sharer');
    await waitFor(async () => (await b.relay.io.in('session:s1:sharer').fetchSockets()).length === 1, 10_000, 'the room never spanned the nodes');
    const told = next(onB, 'session:peer', (p) => p.sessionId === 's1', 10_000);
    a.relay.io.to('session:s1:sharer').emit('session:peer', { sessionId: 's1', role: 'helper', present: true, paused: false });
    assert.equal((await told).role, 'helper');

    const gone = new Promise<string>((resolve) => onB.once('disconnect', resolve));
    a.relay.io.in('session:s1:sharer').disconnectSockets(true);
    assert.equal(await gone, 'io server disconnect');
  });
});
