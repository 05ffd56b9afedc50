// A node far behind sheds TCP (relay/src/socket/overload.ts sets server.maxConnections): what an operator's
// probes see then, as the README says. A probe on a connection it keeps alive still gets /healthz and
// /readyz answered; a probe that opens a new connection each time is refused at the TCP level (no HTTP
// answer at all) until the node takes connections again.
import assert from 'node:assert/strict';
import { Agent, request } from 'node:https';
import { shedTcp } from '#relay/socket/overload.js';
import { startTestRelay, type TestRelay } from '../../support/relay.js';

describe('health endpoints while the node sheds TCP', function () {
  this.timeout(30_000);
  let t: TestRelay;
  before(async () => {
    t = await startTestRelay();
  });
  after(() => t.stop());

  /** The status of GET `path`, or the network error's code when there was no HTTP answer. */
  const get = (path: string, agent: Agent | false): Promise<number | string> => new Promise((resolve) => {
    const req = request(`${t.url}${path}`, { ca: t.caPem, agent }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
    req.end();
  });

  it('answers a kept-alive probe, refuses a new connection, and takes new ones again after', async () => {
    const kept = new Agent({ keepAlive: true, maxSockets: 1, ca: t.caPem });
    const shed = shedTcp(t.relay.io.httpServer as unknown as Parameters<typeof shedTcp>[0]);
    try {
      assert.equal(await get('/healthz', kept), 200);
      shed(true);
      await new Promise((r) => setTimeout(r, 100)); // the server counts its connections asynchronously
      assert.deepEqual([await get('/healthz', kept), await get('/readyz', kept)], [200, 200]);
      const fresh = await get('/healthz', false);
      assert.notEqual(fresh, 200, 'a new connection was taken while shedding');
      assert.equal(typeof fresh, 'string', `a new connection got an HTTP answer (${fresh}) instead of being closed`);
      shed(false);
      assert.equal(await get('/healthz', false), 200);
    } finally {
      shed(false);
      kept.destroy();
    }
  });
});
