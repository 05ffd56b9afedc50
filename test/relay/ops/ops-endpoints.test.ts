// What an operator sees of a running relay: /healthz and /readyz for the load balancer, /metrics for
// Prometheus, request ids that lead from a refusal (its answer, its report) to the relay's log lines,
// and a log in which a client's mistake is not an error with a stack.
import assert from 'node:assert/strict';
import { adminPath } from '#protocol';
import { httpsRequest } from '../../support/https-fetch.js';
import { reportsOf } from '../../support/policy-calls.js';
import { connected, demo, httpsGet, request, startTestRelay, valueOf, type ClientSocket, type TestRelay } from '../../support/relay.js';

/** The value of one sample of the Prometheus text, e.g. sample(text, 'rh_refusals_total{code="code-invalid",via="socket"}'). */
function sample(metrics: string, name: string): number | undefined {
  const line = metrics.split('\n').find((l) => l.startsWith(`${name} `));
  return line === undefined ? undefined : Number(line.slice(name.length + 1));
}

describe('operating a relay', function () {
  this.timeout(60_000);
  let t: TestRelay;
  let helper: ClientSocket;
  let sharer: ClientSocket;

  before(async () => {
    t = await startTestRelay();
    [helper, sharer] = await Promise.all([t.connect(demo.contosoHelper), t.connect(demo.contosoSharer)]);
  });
  after(async () => t?.stop());

  const metrics = async (headers: Record<string, string> = {}) => httpsRequest(`${t.url}/metrics`, t.caPem, { headers });

  it('answers /healthz and /readyz, cheaply and without a log line each', async () => {
    const linesBefore = t.logLines.length;
    const health = await httpsGet(`${t.url}/healthz`, t.caPem);
    assert.equal(health.status, 200);
    assert.deepEqual(JSON.parse(health.body), { status: 'ok' });
    const ready = await httpsGet(`${t.url}/readyz`, t.caPem);
    assert.equal(ready.status, 200, ready.body);
    assert.deepEqual(JSON.parse(ready.body), { status: 'ready' });
    assert.equal(ready.headers['cache-control'], 'no-store');
    assert.equal(t.logLines.length, linesBefore, 'a probe was logged');
  });

  it('counts connections, live sessions, refusals by code and the time of events and store calls on /metrics', async () => {
    const created = valueOf(await request(helper, 'session:create', {}));
    const wrong = await request(sharer, 'session:join', { code: created.code.replace(/^./, (c) => (c === '0' ? '1' : '0')) });
    assert.equal(wrong.ok ? 'ok' : wrong.error.code, 'code-invalid');
    const res = await metrics();
    assert.equal(res.status, 200, res.body);
    assert.match(String(res.headers['content-type']), /^text\/plain/);
    const text = res.body;
    assert.equal(sample(text, 'rh_connections'), 2);
    assert.equal(sample(text, 'rh_live_sessions{state="created"}'), 1);
    assert.equal(sample(text, 'rh_refusals_total{code="code-invalid",via="socket"}'), 1);
    assert.equal(sample(text, 'rh_event_duration_seconds_count{event="session:join"}'), 1);
    assert.equal(sample(text, 'rh_event_duration_seconds_count{event="session:create"}'), 1);
    assert.ok((sample(text, 'rh_store_duration_seconds_count{store="sessions",method="lookupCode"}') ?? 0) >= 1, 'store calls are not timed');
    assert.ok((sample(text, 'rh_store_duration_seconds_count{store="limits",method="hit"}') ?? 0) >= 1, 'rate-limit windows are not timed');
    // A create reads the helper's tenant and account in the directory (the database /readyz checks).
    assert.ok((sample(text, 'rh_store_duration_seconds_count{store="directory",method="tenant"}') ?? 0) >= 1, 'directory calls are not timed');
    assert.ok(sample(text, 'nodejs_eventloop_lag_seconds') !== undefined, 'no event loop lag');
    valueOf(await request(helper, 'session:end', { sessionId: created.sessionId }));
    // A connection refused at its handshake is counted too.
    const stranger = t.socket({ token: 'not-a-token' });
    await assert.rejects(connected(stranger), (e: Error & { data?: { code?: string } }) => e.data?.code === 'unauthenticated');
    stranger.disconnect();
    const after = (await metrics()).body;
    assert.equal(sample(after, 'rh_refusals_total{code="unauthenticated",via="handshake"}'), 1);
    assert.equal(sample(after, 'rh_live_sessions{state="created"}'), undefined);
    assert.equal(sample(after, 'rh_session_outcomes_total{outcome="cancelled"}'), 1);
    assert.ok((sample(after, 'rh_store_duration_seconds_count{store="reports",method="append"}') ?? 0) >= 1, 'report appends are not timed');
  });

  it('leads from a refusal on the record to its answer and its log lines by one request id', async () => {
    const created = valueOf(await request(helper, 'session:create', {}));
    // Someone of another organization tries the code: told what an unknown code gets, and on the record
    // of the code's tenant as another organization's attempt.
    const stranger = await t.connect(demo.fabrikamSharer);
    const refused = await request(stranger, 'session:join', { code: created.code });
    assert.ok(!refused.ok, JSON.stringify(refused));
    const requestId = refused.error.requestId;
    assert.match(requestId ?? '', /^[A-Za-z0-9_-]{16}$/, 'the refusal names no request');
    const onRecord = (await reportsOf(t, await t.token(demo.contosoAdmin)))
      .find((r) => r.sessionId === created.sessionId && r.policy.refusal?.code === 'tenant-mismatch');
    assert.equal(onRecord?.policy.refusal?.requestId, requestId, 'the report does not name the request');
    const lines = t.logLines.filter((l) => (JSON.parse(l) as { requestId?: string }).requestId === requestId);
    assert.ok(lines.some((l) => l.includes('"msg":"join refused"') && l.includes('tenant-mismatch')), `no log line of the refusal: ${lines.join('\n')}`);
    // An unknown code's refusal names its own request too: the id does not tell a live code of another
    // organization from a code nobody has.
    const unknown = await request(stranger, 'session:join', { code: '00000000' });
    assert.ok(!unknown.ok && unknown.error.code === refused.error.code);
    assert.match(unknown.error.requestId ?? '', /^[A-Za-z0-9_-]{16}$/);
    assert.notEqual(unknown.error.requestId, requestId);
    stranger.disconnect();
    valueOf(await request(helper, 'session:end', { sessionId: created.sessionId }));
  });

  it('gives every HTTP answer a request id of its own and counts an HTTP refusal by code', async () => {
    const res = await httpsRequest(`${t.url}${adminPath('listReports')}`, t.caPem, {
      method: 'POST', headers: { 'content-type': 'application/json', 'x-request-id': 'chosen-by-the-client' }, body: '{}',
    });
    assert.equal(res.status, 401);
    const id = String(res.headers['x-request-id']);
    // Without a trusted proxy in front, a client does not choose the id its request is logged under.
    assert.match(id, /^[A-Za-z0-9_-]{16}$/);
    assert.equal(sample((await metrics()).body, 'rh_refusals_total{code="unauthenticated",via="http"}'), 1);
  });

  it('does not log a malformed request as an error with a stack: it is the client\'s mistake', async () => {
    const res = await httpsGet(`${t.url}/assets/%E0%A4%A`, t.caPem);
    assert.equal(res.status, 400);
    assert.ok(!t.logLines.some((l) => l.includes('"level":"error"')), 'an error was logged');
    assert.ok(!t.logLines.some((l) => l.includes('"stack"')), 'a stack was logged');
  });

  it('serves /metrics to this host only, not to a client that came through a proxy', async () => {
    assert.equal((await metrics({ 'x-forwarded-for': '127.0.0.1' })).status, 403);
    assert.equal((await metrics({ forwarded: 'for=127.0.0.1' })).status, 403);
  });
});
