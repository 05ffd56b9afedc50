// A relay with Redis that is closed (SIGTERM in main.ts) drains rather than ending sessions: its
// clients' connections close so that they reconnect elsewhere (socket.io-client does so by itself), a
// request it is still working on finishes first, and no live session is ended or recorded. Out of
// rotation from the first moment: a readiness probe under way is answered "draining", a new one finds no
// node to connect to.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { connect as tlsConnect } from 'node:tls';
import { connectRedis, type RedisClient } from '#relay/live/redis-client.js';
import { demoUsers } from '#relay/directory/index.js';
import { createMemoryLog } from '#relay/log.js';
import { createReportLog } from '#relay/reports/index.js';
import { startRedisServer, type RedisServer } from '../../support/redis-server.js';
import { demo, gatedStore, httpsGet, request, startTestRelay, valueOf, type TestRelay } from '../../support/relay.js';

/** A TLS connection to the relay with a GET /readyz on it whose headers are not finished yet; `finish`
 * ends them and reads the whole answer (the relay closes the connection after it: it is stopping). */
async function halfSentReadyz(relay: TestRelay): Promise<{ finish(): Promise<string> }> {
  const socket = tlsConnect({ host: 'localhost', port: relay.port, ca: relay.caPem, servername: 'localhost' });
  await once(socket, 'secureConnect');
  socket.write('GET /readyz HTTP/1.1\r\nHost: localhost\r\n');
  let answer = '';
  socket.setEncoding('utf8').on('data', (c: string) => (answer += c));
  return {
    async finish() {
      socket.write('Connection: close\r\n\r\n');
      await once(socket, 'end');
      socket.destroy();
      return answer;
    },
  };
}

describe('closing a relay that shares Redis', function () {
  this.timeout(60_000);
  let redisServer: RedisServer;
  let redis: RedisClient;
  let relay: TestRelay;

  before(async () => {
    redisServer = await startRedisServer();
  });
  after(async () => {
    await relay?.stop();
    await redis?.close().catch(() => undefined);
    await redisServer?.stop();
  });

  it('moves its clients, finishes the request in flight, and neither ends nor records the live session', async () => {
    redis = await connectRedis(redisServer.url, createMemoryLog());
    const gated = gatedStore('chatAfter');
    relay = await startTestRelay({}, { store: gated.store, redis });
    const helper = await relay.connect(demo.contosoHelper, { reconnection: true });
    const sharer = await relay.connect(demo.contosoSharer);
    assert.equal((await httpsGet(`${relay.url}/readyz`, relay.caPem)).status, 200, 'ready before the stop');
    const created = valueOf(await request(helper, 'session:create', {}));
    const sessionId = created.sessionId;
    valueOf(await request(sharer, 'session:join', { code: created.code }));
    valueOf(await request(sharer, 'session:consent', { sessionId, allow: true }));

    // A resume held inside the relay (reading the chat it must send back) when the stop comes.
    const gate = gated.arm();
    const resume = request(sharer, 'session:resume', { sessionId, afterSeq: 0 }).then(() => 'answered', () => 'no answer');
    await gate.reached;
    // A readiness probe half sent when the stop comes (its request line and a header, not the blank line
    // that ends them): the node answers it, and says it is draining.
    const probeInFlight = await halfSentReadyz(relay);
    const helperGone = new Promise<string>((resolve) => helper.once('disconnect', resolve));
    let closed = false;
    const closing = relay.relay.close().then(() => (closed = true));
    // The client was let go as a node does it for a move: its transport closed, so it tries again.
    assert.equal(await helperGone, 'transport close');
    assert.equal(helper.active, true, 'the client would not reconnect on its own');
    // A moment for a relay that did not wait to show it (the right one waits however long this is).
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(closed, false, 'the relay closed with a request still in flight');
    const answer = await probeInFlight.finish();
    assert.match(answer, /^HTTP\/1\.1 503 /, answer);
    assert.deepEqual(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)), { status: 'unready', draining: true, failed: [] });
    // Still working, but out of rotation: a load balancer's readiness probe gets no answer from it.
    const probe = await httpsGet(`${relay.url}/readyz`, relay.caPem).then((r) => `HTTP ${r.status}`, (e: NodeJS.ErrnoException) => e.code);
    assert.equal(probe, 'ECONNREFUSED', 'the draining node still takes new connections');
    gate.release();
    await closing;

    // The answer could not reach the gone socket, but the work was done, not cut off mid-way.
    assert.equal(await resume, 'no answer');
    const lines = relay.logLines.map((l) => JSON.parse(l) as { msg: string });
    const said = lines.map((l) => l.msg);
    assert.ok(said.includes('relay draining') && said.includes('relay drained'), said.join(' | '));
    assert.ok(!said.includes('requests still in flight at shutdown'), 'the in-flight request was not waited for');
    assert.ok(!said.includes('session ended'), 'the draining relay ended the session');
    const reports = createReportLog({ dataDir: relay.dataDir });
    try {
      assert.deepEqual((await reports.list(demoUsers.contosoHelper.tenantId, { limit: 50 })).items.filter((r) => r.sessionId === sessionId), []);
    } finally {
      await reports.close();
    }
    helper.disconnect();
  });
});
