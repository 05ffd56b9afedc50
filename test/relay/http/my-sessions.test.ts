// GET /api/me/sessions over the live relay: the signed-in sharer's own sessions, from the reports,
// metadata only; whose they are comes from the web session (or token), never from the request.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Ack, PastSessionsPage } from '#protocol';
import { demoPassword, demoTenants } from '#relay/directory/index.js';
import { httpsRequest } from '../../support/https-fetch.js';
import { demo, next, request, startTestRelay, valueOf, type TestRelay } from '../../support/relay.js';
import { webSignIn } from '../../support/sign-in.js';
import { report } from '../../fixtures/reports.js';

describe('GET /api/me/sessions (the sharer\'s past sessions)', () => {
  let relay: TestRelay;
  let sharerCookie: string;
  const chatText = `my password is hunter2 ${randomUUID()}`;
  let sessionId: string;

  before(async () => {
    relay = await startTestRelay();
    const [helper, sharer] = await Promise.all([relay.connect(demo.contosoHelper), relay.connect(demo.contosoSharer)]);
    // A real session with chat, so a leak of content into the history would show.
    const created = valueOf(await request(helper, 'session:create', {}));
    sessionId = created.sessionId;
    valueOf(await request(sharer, 'session:join', { code: created.code }));
    valueOf(await request(sharer, 'session:consent', { sessionId, allow: true }));
    valueOf(await request(sharer, 'session:pause', { sessionId, paused: true }));
    valueOf(await request(sharer, 'session:pause', { sessionId, paused: false }));
    valueOf(await request(sharer, 'chat:send', { sessionId, clientId: randomUUID(), text: chatText }));
    const receipt = next(sharer, 'session:receipt', (r) => r.sessionId === sessionId);
    valueOf(await request(helper, 'session:end', { sessionId }));
    await receipt;
    helper.disconnect();
    sharer.disconnect();
    // Records of others the caller must never see: the same UPN in another tenant, the helper as sharer elsewhere.
    await relay.relay.reports.append(report({ tenantId: demoTenants.fabrikam.id, sessionId: 'elsewhere',
      sharer: { userId: 'x', upn: demo.contosoSharer, name: 'Same UPN, other tenant' } }));
    await relay.relay.reports.append(report({ tenantId: demoTenants.contoso.id, sessionId: 'colleague', sharer: { userId: 'y', upn: demo.contosoAdmin, name: 'Colleague' } }));
    sharerCookie = await webSignIn(relay.url, demo.contosoSharer, demoPassword, relay.caPem);
  });
  after(async () => relay?.stop());

  const get = async (query: string, headers: Record<string, string>) => {
    const res = await httpsRequest(`${relay.url}/api/me/sessions${query}`, relay.caPem, { headers });
    return { status: res.status, text: res.body, body: JSON.parse(res.body) as Ack<PastSessionsPage> };
  };

  it('lists the signed-in sharer\'s session with the helper, times, pauses and report id, and no chat', async () => {
    const res = await get('', { cookie: sharerCookie });
    assert.equal(res.status, 200);
    const page = valueOf(res.body);
    const [stored] = (await relay.relay.reports.list(demoTenants.contoso.id, { sharer: demo.contosoSharer })).items.filter((r) => r.sessionId === sessionId);
    assert.deepEqual(page.items.map((s) => s.sessionId), [sessionId]);
    const [mine] = page.items;
    assert.deepEqual(mine, {
      reportId: stored!.id, sessionId, helper: { name: stored!.helper!.name, upn: demo.contosoHelper },
      createdAt: stored!.createdAt, sharingSince: stored!.consentAt, endedAt: stored!.endedAt, outcome: 'completed',
      pauses: stored!.pauses,
    });
    assert.equal(mine!.pauses.length, 1);
    assert.ok(!res.text.includes('hunter2'), 'no chat text in the answer');
    // Nothing but metadata: no hash, chain link, warnings or policy detail.
    assert.ok(!res.text.includes('prevHash') && !res.text.includes('"policy"'));
  });

  it('answers a helper, and a sharer of another tenant, none of these records', async () => {
    const helper = valueOf((await get('', { authorization: `Bearer ${await relay.token(demo.contosoHelper)}` })).body);
    assert.deepEqual([helper.items, helper.total], [[], 0]);
    const other = valueOf((await get('', { authorization: `Bearer ${await relay.token(demo.fabrikamSharer)}` })).body);
    assert.ok(other.items.every((s) => s.sessionId !== sessionId && s.sessionId !== 'elsewhere'));
  });

  it('takes no one else\'s name from the request, and refuses a bad page or no sign-in with stable codes', async () => {
    // An unknown parameter is refused rather than ignored: nobody learns that naming a person could work.
    const named = await get(`?upn=${encodeURIComponent(demo.contosoAdmin)}`, { cookie: sharerCookie });
    assert.deepEqual([named.status, named.body.ok ? 'ok' : named.body.error.code], [400, 'validation']);
    const tooMany = await get('?limit=51', { cookie: sharerCookie });
    assert.deepEqual([tooMany.status, tooMany.body.ok ? 'ok' : tooMany.body.error.code], [400, 'validation']);
    const anonymous = await get('', {});
    assert.deepEqual([anonymous.status, anonymous.body.ok ? 'ok' : anonymous.body.error.code], [401, 'unauthenticated']);
  });
});
