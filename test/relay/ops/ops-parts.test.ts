// The operator endpoints' decisions on their own: who may read /metrics, and when a node is not ready.
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { createMemoryLog } from '#relay/log.js';
import { metricsAllowed } from '#relay/ops/metrics-access.js';
import { checkReadiness } from '#relay/ops/readiness.js';
import { runInRequest } from '#relay/ops/request-context.js';

const req = (remoteAddress: string, headers: Record<string, string> = {}) => ({ socket: { remoteAddress }, headers }) as unknown as IncomingMessage;

describe('who may read /metrics', () => {
  it('without a metrics token: a scraper on this host, never another host nor anyone through the proxy', () => {
    assert.equal(metricsAllowed(req('127.0.0.1'), undefined), true);
    assert.equal(metricsAllowed(req('::1'), undefined), true);
    assert.equal(metricsAllowed(req('::ffff:127.0.0.1'), undefined), true);
    assert.equal(metricsAllowed(req('192.0.2.7'), undefined), false);
    // The proxy is on this host; the client it speaks for is not.
    assert.equal(metricsAllowed(req('127.0.0.1', { 'x-forwarded-for': '127.0.0.1' }), undefined), false);
  });

  it('with a metrics token: whoever sends it as a Bearer token, from anywhere, and nobody else', () => {
    const token = 'a-long-metrics-token';
    assert.equal(metricsAllowed(req('192.0.2.7', { authorization: `Bearer ${token}` }), token), true);
    assert.equal(metricsAllowed(req('127.0.0.1'), token), false);
    assert.equal(metricsAllowed(req('127.0.0.1', { authorization: `Bearer ${token}x` }), token), false);
    assert.equal(metricsAllowed(req('127.0.0.1', { authorization: token }), token), false);
  });
});

describe('readiness', () => {
  const answers = { name: 'database', probe: () => Promise.resolve(1) };
  const hangs = { name: 'redis', probe: () => new Promise<never>(() => undefined) };
  const fails = { name: 'redis', probe: () => Promise.reject(new Error('connect ECONNREFUSED redis://:secret@10.0.0.1')) };

  it('is ready while every store answers and the node is not stopping', async () => {
    assert.deepEqual(await checkReadiness([answers], false), { ready: true, draining: false, failed: [] });
  });

  it('names the store that did not answer in time or failed, and nothing of its error', async () => {
    assert.deepEqual(await checkReadiness([answers, hangs], false, 50), { ready: false, draining: false, failed: ['redis'] });
    assert.deepEqual(await checkReadiness([fails, answers], false), { ready: false, draining: false, failed: ['redis'] });
  });

  it('is not ready once the node drains, whatever its stores say', async () => {
    assert.deepEqual(await checkReadiness([answers], true), { ready: false, draining: true, failed: [] });
  });
});

describe('the log', () => {
  it('writes one JSON line per event, naming the request it belongs to and the level as a word', () => {
    const log = createMemoryLog();
    runInRequest('Req-0123456789ab', () => log.warn('join refused', { reason: 'code-invalid' }));
    log.info('relay listening');
    const [inRequest, outside] = log.lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.equal(log.lines.length, 2);
    assert.deepEqual([inRequest?.['level'], inRequest?.['msg'], inRequest?.['requestId'], inRequest?.['reason']], ['warn', 'join refused', 'Req-0123456789ab', 'code-invalid']);
    assert.equal(outside?.['requestId'], undefined);
  });

  it('blanks a field named like a secret that a caller passed by mistake', () => {
    const log = createMemoryLog();
    log.info('oops', { code: 'K7QM4ZX2', token: 'eyJhbGciOi', text: 'my password is hunter2', headers: { cookie: 'rh_session=abc', 'user-agent': 'curl' } });
    const line = log.lines.join('\n');
    for (const secret of ['K7QM4ZX2', 'eyJhbGciOi', 'hunter2', 'rh_session=abc']) assert.ok(!line.includes(secret), `${secret} was logged`);
    assert.ok(line.includes('curl'), 'a harmless header was blanked too');
  });

  it('keeps an error\'s message and stack, not the whole object a library attached', () => {
    const log = createMemoryLog();
    log.error('handler failed', { error: Object.assign(new Error('boom'), { request: { headers: { authorization: 'Bearer x' } } }) });
    const line = JSON.parse(log.lines[0]!) as Record<string, unknown>;
    assert.equal(line['error'], 'boom');
    assert.match(String(line['stack']), /^Error: boom/);
    assert.ok(!log.lines[0]!.includes('Bearer x'));
  });
});
