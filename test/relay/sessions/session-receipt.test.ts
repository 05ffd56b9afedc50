// The sharer's receipt (issue 13, point 4): pushed to the sharer only, after the end, naming the report
// that went on the record, with the same helper, times and pauses as that report.
import assert from 'node:assert/strict';
import type { SessionReceipt } from '#protocol';
import { closeFixtureReports, contoso, helper, serviceUnderTest, sharer, value } from '../../fixtures/session-directory.js';

const here = { address: '127.0.0.1' };

describe('the sharer\'s receipt', () => {
  after(closeFixtureReports);

  it('names the helper, the shared time, each pause and the report of the session, to the sharer only', async () => {
    const t = serviceUnderTest();
    const created = value(await t.sessions.create(helper, {}));
    value(await t.sessions.join(sharer, created.code, here));
    t.clock.advance(5_000);
    value(await t.sessions.consent(sharer, { sessionId: created.sessionId, allow: true }));
    t.clock.advance(60_000);
    value(await t.sessions.pause(sharer, { sessionId: created.sessionId, paused: true }));
    t.clock.advance(30_000);
    value(await t.sessions.pause(sharer, { sessionId: created.sessionId, paused: false }));
    t.clock.advance(45_000);
    value(await t.sessions.end(sharer, created.sessionId));

    const [report] = (await t.reports.list(contoso.id, {})).items;
    const receipts = t.notifier.to('sharer', 'session:receipt').map((s) => s.payload as SessionReceipt);
    assert.equal(receipts.length, 1);
    assert.deepEqual(receipts[0], {
      sessionId: created.sessionId,
      reportId: report!.id,
      helper: { name: helper.name, upn: helper.upn },
      sharingSince: report!.consentAt,
      endedAt: report!.endedAt,
      pauses: [{ from: '2026-03-01T10:01:05.000Z', to: '2026-03-01T10:01:35.000Z' }],
    });
    assert.deepEqual(report!.pauses, receipts[0]!.pauses);
    assert.equal(t.notifier.to('helper', 'session:receipt').length, 0, 'the helper gets no receipt');
    // The end first, then the receipt (it waits for the report's id).
    const order = t.notifier.sent.filter((s) => s.role === 'sharer').map((s) => s.event);
    assert.deepEqual(order.slice(-2), ['session:ended', 'session:receipt']);
  });

  it('says the screen was never shared when the sharer denied, and still names the report', async () => {
    const t = serviceUnderTest();
    const created = value(await t.sessions.create(helper, {}));
    value(await t.sessions.join(sharer, created.code, here));
    value(await t.sessions.consent(sharer, { sessionId: created.sessionId, allow: false }));
    const [report] = (await t.reports.list(contoso.id, {})).items;
    const [receipt] = t.notifier.to('sharer', 'session:receipt').map((s) => s.payload as SessionReceipt);
    assert.equal(receipt?.sharingSince, null);
    assert.equal(receipt?.reportId, report!.id);
    assert.deepEqual(receipt?.pauses, []);
  });

  it('still gives a receipt, without a report id, when the report could not be written', async () => {
    const t = serviceUnderTest();
    const created = value(await t.sessions.create(helper, {}));
    value(await t.sessions.join(sharer, created.code, here));
    value(await t.sessions.consent(sharer, { sessionId: created.sessionId, allow: true }));
    await t.reports.close();
    value(await t.sessions.end(helper, created.sessionId));
    const [receipt] = t.notifier.to('sharer', 'session:receipt').map((s) => s.payload as SessionReceipt);
    assert.equal(receipt?.reportId, null);
    assert.equal(receipt?.helper.upn, helper.upn);
  });
});
