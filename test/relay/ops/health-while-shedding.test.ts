// A node far behind sheds TCP (relay/src/socket/overload.ts sets server.maxConnections): what an operator's
// probes see then, as the README says. A probe on a connection it keeps alive still gets /healthz and
// /readyz answered; a probe that opens a new connection each time is refused at the TCP level (no HTTP
// answer at all) until the node takes connections again.
import assert from 'node:assert/strict';
import { Agent, request } from 'node:https';
import { shedTcp } from '#relay/socket/overload.js';
import { keepLoopBusy } from '../../support/busy-loop.js';
import { startTestRelay, type TestRelay } from '../../support/relay.js';

describe('health endpoints while the node sheds TCP', function () {
  this.timeout(30_000);
  let t: TestRelay;
  before(async () => {
    t = await startTestRelay();
  });
  after(() => t.stop());

  /** The status of GET `path` on `relay`, or the network error's code when there was no HTTP answer. */
  const getOn = (relay: TestRelay) => (path: string, agent: Agent | false): Promise<number | string> => new Promise((resolve) => {
    const req = request(`${relay.url}${path}`, { ca: relay.caPem, agent }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
    req.end();
  });
  const get = (path: string, agent: Agent | false) => getOn(t)(path, agent);

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

  it('is what a relay does on its own when its event loop falls far behind: new connections closed until it has caught up', async () => {
    // Its own relay, with a threshold that work below passes by far (the shared one's is set out of
    // reach, for the tests beside it).
    const own = await startTestRelay({ RH_OVERLOAD_LAG_MS: '50' });
    const kept = new Agent({ keepAlive: true, maxSockets: 1, ca: own.caPem });
    const on = getOn(own);
    /** Waits for `line` among the lines logged from `from` on; answers where it is. */
    const logged = async (line: string, from: number): Promise<number> => {
      const at = () => own.logLines.findIndex((l, i) => i >= from && l.includes(line));
      const deadline = Date.now() + 10_000;
      while (at() < 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      assert.ok(at() >= 0, `no "${line}" in ${own.logLines.slice(from).join('\n')}`);
      return at();
    };
    try {
      // Settled after its start (which may itself have looked like a stall), with one connection kept open.
      const settled = Date.now() + 10_000;
      while ((await on('/healthz', false)) !== 200 && Date.now() < settled) await new Promise((r) => setTimeout(r, 100));
      assert.equal(await on('/healthz', kept), 200);
      const before = own.logLines.length;
      // Behind all the time, not one pause (which the probe's mean forgives): turns of 400 ms of work,
      // each a timer's whole wait late, until the probes below have their answers.
      const busy = keepLoopBusy(400);
      let behind: number;
      let fresh: number | string;
      let keptAnswer: number | string;
      try {
        behind = await logged('relay far behind: not taking new TCP connections', before);
        await new Promise((r) => setTimeout(r, 100)); // the server counts its connections asynchronously
        fresh = await on('/healthz', false);
        keptAnswer = await on('/healthz', kept);
      } finally {
        await busy.stop();
      }
      assert.equal(typeof fresh, 'string', `a new connection got an HTTP answer (${fresh}) while the relay was far behind`);
      assert.equal(keptAnswer, 200, 'the kept connection is answered meanwhile');
      await logged('relay taking new TCP connections again', behind);
      assert.equal(await on('/healthz', false), 200);
    } finally {
      kept.destroy();
      await own.stop();
    }
  });
});
