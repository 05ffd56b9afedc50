// One report per session, at its terminal state; refusals at create and join at once; live sessions at
// shutdown as ended by the relay. Real report log (SQLite in a temp folder), session service in memory.
import assert from 'node:assert/strict';
import type { SessionEnded } from '#protocol';
import { builtInRoles } from '#relay/directory/index.js';
import { closeFixtureReports, contoso, helper, noncompliantDevice, serviceUnderTest, sharer, value } from '../../fixtures/session-directory.js';

const here = { address: '127.0.0.1' };

describe('session reports', () => {
  after(closeFixtureReports);

  it('a report that cannot be written is logged as the bug it is; the session still ends for both sides', async () => {
    const t = serviceUnderTest();
    const created = value(await t.sessions.create(helper, {}));
    value(await t.sessions.join(sharer, created.code, here));
    await t.reports.close(); // the database is gone (a crashed PostgreSQL, a full disk)
    value(await t.sessions.end(helper, created.sessionId));
    assert.equal(t.notifier.to('helper', 'session:ended').length, 1);
    assert.equal(t.notifier.to('sharer', 'session:ended').length, 1);
    const failed = t.log.lines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.msg === 'report append failed');
    assert.ok(failed, 'the failure is in the log');
    assert.equal(failed.sessionId, created.sessionId);
    // A second end answers as for any ended session: the session did end.
    assert.equal((await t.sessions.end(helper, created.sessionId)).ok, false);
  });

  it('records a Report as outcome reported with the sharer\'s address; the helper is told only of a decline', async () => {
    const t = serviceUnderTest();
    const created = value(await t.sessions.create(helper, {}));
    value(await t.sessions.join(sharer, created.code, { address: '198.51.100.23' }));
    assert.equal((await t.sessions.consent(sharer, { sessionId: created.sessionId, allow: true, report: true })).ok, false, 'Report never goes with Allow');
    value(await t.sessions.consent(sharer, { sessionId: created.sessionId, allow: false, report: true }));
    assert.deepEqual(t.notifier.to('sharer', 'session:ended').map((e) => (e.payload as SessionEnded).reason), ['reported']);
    assert.deepEqual(t.notifier.to('helper', 'session:ended').map((e) => (e.payload as SessionEnded).reason), ['denied']);
    const [r] = (await t.reports.list(contoso.id, {})).items;
    assert.deepEqual([r!.outcome, r!.endReason, r!.endedBy, r!.consent, r!.sharerAddress], ['reported', 'reported', 'sharer', 'denied', '198.51.100.23']);
  });

  it('records a session that expired unjoined, once', async () => {
    const t = serviceUnderTest();
    const created = value(await t.sessions.create(helper, {}));
    t.clock.advance(10 * 60_000 + 1);
    await t.sessions.sweep();
    await t.sessions.sweep();
    const items = (await t.reports.list(contoso.id, {})).items;
    assert.equal(items.length, 1);
    assert.deepEqual([items[0]!.sessionId, items[0]!.outcome, items[0]!.endedBy, items[0]!.endReason], [created.sessionId, 'expired', 'relay', 'expired']);
    assert.equal(items[0]!.permission, 'full-control', 'the helper\'s level, as nobody joined');
  });

  it('records live sessions at shutdown as ended by the relay', async () => {
    const t = serviceUnderTest();
    const joined = value(await t.sessions.create(helper, { deviceId: noncompliantDevice.id }));
    value(await t.sessions.join(sharer, joined.code, here));
    value(await t.sessions.consent(sharer, { sessionId: joined.sessionId, allow: true }));
    const waiting = value(await t.sessions.create(helper, {}));
    await t.sessions.shutdown();
    const bySession = new Map((await t.reports.list(contoso.id, {})).items.map((r) => [r.sessionId, r]));
    const sharing = bySession.get(joined.sessionId)!;
    assert.deepEqual([sharing.outcome, sharing.endedBy, sharing.consent], ['completed', 'relay', 'allowed']);
    assert.deepEqual(sharing.device, { id: noncompliantDevice.id, name: noncompliantDevice.name });
    assert.deepEqual(sharing.warnings.map((w) => w.kind), ['noncompliant', 'unconfirmed-device']);
    assert.equal(bySession.get(waiting.sessionId)?.outcome, 'cancelled');
    assert.equal(t.notifier.to('helper', 'session:ended').length, 2);
  });

  it('records a refusal at create at once, with no session', async () => {
    const t = serviceUnderTest({ roles: builtInRoles.map((r) => ({ ...r, permissions: [] })) });
    const refused = await t.sessions.create(helper, {});
    assert.equal(refused.ok ? 'ok' : refused.error.code, 'permission-missing');
    const [r] = (await t.reports.list(contoso.id, {})).items;
    assert.deepEqual([r?.sessionId, r?.outcome, r?.policy.step, r?.policy.refusal?.code], [null, 'refused', 'create', 'permission-missing']);
  });

  it('records a refusal at join, tells the helper, and keeps the sharer out of the session', async () => {
    const t = serviceUnderTest({
      rules: [{ id: 'r1', name: 'No unenrolled sharers', enabled: true, mode: 'enforce', appliesTo: 'sharer', conditions: { deviceEnrolled: false }, grant: 'block' }],
    });
    const created = value(await t.sessions.create(helper, {}));
    const refused = await t.sessions.join(sharer, created.code, here);
    assert.deepEqual(refused.ok ? 'ok' : [refused.error.code, refused.error.policy], ['policy-blocked', { ruleId: 'r1', ruleName: 'No unenrolled sharers', remedy: 'ask-admin' }]);
    assert.deepEqual(t.notifier.to('helper', 'session:ended').map((s) => s.payload), [{ sessionId: created.sessionId, by: 'relay', reason: 'refused', code: 'policy-blocked', at: new Date(t.clock.now()).toISOString() }]);
    assert.equal(t.notifier.to('sharer', 'session:ended').length, 0);
    const [r] = (await t.reports.list(contoso.id, {})).items;
    assert.deepEqual([r?.outcome, r?.policy.step, r?.policy.refusal], ['refused', 'join', { code: 'policy-blocked', ruleId: 'r1', ruleName: 'No unenrolled sharers' }]);
    assert.equal(r?.sharer?.upn, sharer.upn);
    const retry = await t.sessions.join(sharer, created.code, here);
    assert.equal(retry.ok ? 'ok' : retry.error.code, 'code-used');
  });
});
