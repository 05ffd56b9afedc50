// Issue 12, two nodes: a chat message between members whose sockets are all on one node is not
// published to the others (with Redis, the publish and every node's read of it were most of a message's
// cost), and a member that moves to another node still gets every message from then on.
import assert from 'node:assert/strict';
import { connectRedis, defaultRedisPrefix, type RedisClient } from '#relay/live/redis-client.js';
import { createMemoryLog } from '#relay/log.js';
import { startCluster, type Cluster } from '../../support/cluster.js';
import { demo, next, request, valueOf } from '../../support/relay.js';
import { liveSessionAcross } from '../../support/cluster-session.js';
import { follow, type Member } from '../../support/session-member.js';

describe('chat between members on one node of two', function () {
  this.timeout(120_000);
  let cluster: Cluster;
  let redis: RedisClient;

  before(async () => {
    cluster = await startCluster({ nodes: 2 });
    redis = await connectRedis(cluster.redis!.url, createMemoryLog());
  });
  after(async () => {
    await redis?.close().catch(() => undefined);
    await cluster?.stop();
  });

  /** The chat messages the nodes published to each other so far (the adapter's stream). */
  const published = async (sessionId: string): Promise<number> => {
    const entries = await redis.xRange(`${defaultRedisPrefix}socket.io`, '-', '+');
    return entries.filter((e) => String(e.message['data']).includes('"chat:message"') && String(e.message['data']).includes(sessionId)).length;
  };

  /** `to` is pushed the message `from` says, with the seq its sender was answered. */
  async function heard(from: Member, to: Member, text: string): Promise<number> {
    const pushed = next(to.socket, 'chat:message', (m) => m.sessionId === from.sessionId && m.text === text, 15_000);
    const said = await from.say(text);
    assert.deepEqual(await pushed, said);
    return said.seq;
  }

  it('stays on the node while both members are there, and reaches a member that moved to the other node', async () => {
    const [a, b] = cluster.nodes;
    const { sessionId, helper, sharer } = await liveSessionAcross(cluster, { on: { helper: a!, sharer: a! } });
    assert.equal(cluster.whereIs(sessionId, 'sharer'), a);
    await heard(helper, sharer, 'first');
    await heard(sharer, helper, 'a reply');
    await heard(helper, sharer, 'and another');
    assert.equal(await published(sessionId), 0, 'a message between two members on one node went to the other node');

    // The sharer's page reloads and its new connection lands on the other node.
    sharer.socket.disconnect();
    const moved = follow(await cluster.connect(demo.contosoSharer, { node: b }), 'sharer');
    moved.sessionId = sessionId;
    const resumed = valueOf(await request(moved.socket, 'session:resume', { sessionId, afterSeq: 3 }));
    assert.deepEqual(resumed.messages, []);
    assert.equal(cluster.whereIs(sessionId, 'sharer'), b);
    await heard(helper, moved, 'across the nodes now');
    await heard(moved, helper, 'heard you');
    assert.equal(await published(sessionId), 2, 'both messages between the nodes were published once each');

    // Back on the first node: the session has had a member on the other, which may still hold a socket
    // of it, so its messages are published from now on; they still arrive once.
    moved.socket.disconnect();
    const back = follow(await cluster.connect(demo.contosoSharer, { node: a }), 'sharer');
    back.sessionId = sessionId;
    valueOf(await request(back.socket, 'session:resume', { sessionId, afterSeq: 5 }));
    const seq = await heard(helper, back, 'welcome back');
    assert.equal(seq, 6);
    assert.equal(await published(sessionId), 3);
    for (const s of [helper.socket, back.socket]) s.disconnect();
  });

  it('reaches a sharer on the other node whom the helper answers the moment the join is seen', async () => {
    const [a, b] = cluster.nodes;
    const helper = follow(await cluster.connect(demo.contosoHelper, { node: a }), 'helper');
    const sharer = follow(await cluster.connect(demo.contosoSharer, { node: b }), 'sharer');
    const created = valueOf(await request(helper.socket, 'session:create', {}));
    const sessionId = created.sessionId;
    helper.sessionId = sessionId;
    sharer.sessionId = sessionId;
    const text = 'hello, I see you joined';
    const pushed = next(sharer.socket, 'chat:message', (m) => m.sessionId === sessionId && m.text === text, 15_000);
    // The helper's node hears of the join before the sharer's join is answered, and speaks then.
    const said = next(helper.socket, 'session:trust', (t) => t.sessionId === sessionId, 15_000).then(() => helper.say(text));
    valueOf(await request(sharer.socket, 'session:join', { code: created.code }));
    assert.deepEqual(await pushed, await said);
    for (const s of [helper.socket, sharer.socket]) s.disconnect();
  });
});
