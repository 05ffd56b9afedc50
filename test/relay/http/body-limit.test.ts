// A request body over its route's limit, sent chunked and slowly (no Content-Length to refuse it by):
// the relay answers 413 payload-too-large as soon as the limit is passed, not when the sender is done,
// and closes the connection, so a slow sender cannot hold a request (and its memory) open at will.
import assert from 'node:assert/strict';
import { request } from 'node:https';
import { adminPath } from '#protocol';
import { demo, startTestRelay, type TestRelay } from '../../support/relay.js';

const chunk = Buffer.alloc(32 * 1024, 'y');
/** 1 MiB in all, four times the admin API's 256 KiB, one chunk every 25 ms: about 0.8 s to send. */
const chunks = 32;

describe('a chunked request body over the limit', function () {
  this.timeout(30_000);
  let t: TestRelay;
  before(async () => {
    t = await startTestRelay();
  });
  after(() => t.stop());

  it('is answered 413 before the client has finished sending, and the connection is closed', async () => {
    const token = await t.token(demo.contosoAdmin);
    const result = await new Promise<{ status: number; body: string; sentWhenAnswered: number; closed: boolean }>((resolve, reject) => {
      let sent = 0;
      let sentWhenAnswered = -1;
      const req = request(`${t.url}${adminPath('listUsers')}`, {
        method: 'POST',
        ca: t.caPem,
        agent: false,
        headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked', authorization: `Bearer ${token}` },
      }, (res) => {
        sentWhenAnswered = sent;
        const parts: Buffer[] = [];
        res.on('data', (p: Buffer) => parts.push(p));
        res.on('end', () => {
          const body = Buffer.concat(parts).toString('utf8');
          // The connection ends from the relay's side while the client would still be sending.
          const socket = req.socket;
          if (!socket || socket.readableEnded || socket.destroyed) return resolve({ status: res.statusCode ?? 0, body, sentWhenAnswered, closed: true });
          const timer = setTimeout(() => resolve({ status: res.statusCode ?? 0, body, sentWhenAnswered, closed: false }), 5_000);
          const closed = () => {
            clearTimeout(timer);
            resolve({ status: res.statusCode ?? 0, body, sentWhenAnswered, closed: true });
          };
          socket.once('end', closed).once('close', closed);
        });
      });
      // Writing into a connection the relay closed fails; that is the point, not an error of the test.
      req.on('error', (error: NodeJS.ErrnoException) => {
        if (sentWhenAnswered < 0) reject(error);
      });
      req.write('{"search":"');
      const tick = setInterval(() => {
        if (sentWhenAnswered >= 0 || req.destroyed || sent >= chunks) {
          clearInterval(tick);
          if (sent >= chunks && !req.destroyed) req.end('"}');
          return;
        }
        req.write(chunk);
        sent++;
      }, 25);
    });
    assert.equal(result.status, 413);
    assert.equal((JSON.parse(result.body) as { error: { code: string } }).error.code, 'payload-too-large');
    assert.ok(result.sentWhenAnswered < chunks, `answered only after all ${chunks} chunks were sent`);
    assert.ok(result.closed, 'the relay kept the connection open after refusing the body');
  });
});
