// Sessions the sharer reported ("I didn't expect this"): first in the administrator's list, counted
// as new until an administrator marks them reviewed; reviews are kept beside the chain, per tenant.
import assert from 'node:assert/strict';
import type { ReportStore } from '#relay/reports/index.js';
import { report } from '../../fixtures/reports.js';
import { forEachReportBackend, type ReportPlace } from '../../support/report-backends.js';

const at = (day: number) => `2026-03-${String(day).padStart(2, '0')}T10:00:00.000Z`;
const reviewer = (userId: string, day: number) => ({ by: { userId, name: `Admin ${userId}` }, at: at(day) });

forEachReportBackend((backend) => {
  describe('reported sessions in the reports', () => {
    let place: ReportPlace;
    let log: ReportStore;
    beforeEach(async () => {
      place = await backend.fresh();
      log = await place.open();
      // Contoso: ten sessions over ten days; days 3 and 7 reported. Fabrikam: one reported, in between.
      for (let day = 1; day <= 10; day++) {
        const reported = day === 3 || day === 7;
        await log.append(report({
          sessionId: `c${day}`, createdAt: at(day), outcome: reported ? 'reported' : 'completed',
          ...(reported ? { consent: 'denied', endedBy: 'sharer', endReason: 'reported', sharerAddress: `203.0.113.${day}` } : {}),
        }));
        if (day === 5) await log.append(report({ tenantId: 'fabrikam', sessionId: 'f5', createdAt: at(5), outcome: 'reported' }));
      }
    });
    afterEach(() => place.remove());

    const sessions = async (q: Parameters<ReportStore['list']>[1]) => (await log.list('contoso', q)).items.map((r) => r.sessionId);

    it('lists reported sessions first, newest first among them, then the rest newest first, across pages', async () => {
      assert.deepEqual(await sessions({}), ['c7', 'c3', 'c10', 'c9', 'c8', 'c6', 'c5', 'c4', 'c2', 'c1']);
      // A page that starts inside the reported part and one that starts after it.
      assert.deepEqual(await sessions({ offset: 1, limit: 3 }), ['c3', 'c10', 'c9']);
      assert.deepEqual(await sessions({ offset: 4, limit: 3 }), ['c8', 'c6', 'c5']);
      assert.equal((await log.list('contoso', { offset: 4, limit: 3 })).total, 10);
      // Filters still apply to both parts.
      assert.deepEqual(await sessions({ from: at(4), to: at(8) }), ['c7', 'c8', 'c6', 'c5', 'c4']);
      assert.deepEqual(await sessions({ outcome: 'reported' }), ['c7', 'c3']);
      const top = (await log.list('contoso', { limit: 1 })).items[0]!;
      assert.deepEqual([top.sharerAddress, top.endReason, top.helper?.upn, top.device?.name], ['203.0.113.7', 'reported', 'helper@contoso.example', 'LAPTOP-0001']);
    });

    it('counts the tenant\'s unreviewed reported sessions; marking one reviewed lowers the count and keeps the first review', async () => {
      assert.equal(await log.newReportCount('contoso'), 2);
      assert.equal(await log.newReportCount('fabrikam'), 1);
      const [c7] = (await log.list('contoso', { limit: 1 })).items;
      assert.deepEqual(await log.markReviewed('contoso', c7!.id, reviewer('anna', 11)), reviewer('anna', 11));
      assert.equal(await log.newReportCount('contoso'), 1);
      assert.equal(await log.newReportCount('fabrikam'), 1, 'another tenant\'s count is its own');
      // A second administrator's click changes nothing.
      assert.deepEqual(await log.markReviewed('contoso', c7!.id, reviewer('bo', 12)), reviewer('anna', 11));
      const listed = (await log.list('contoso', { limit: 2 })).items;
      assert.deepEqual(listed.map((r) => [r.sessionId, r.review?.by.name ?? null]), [['c7', 'Admin anna'], ['c3', null]]);
      const csv = await log.exportCsv('contoso', { outcome: 'reported' });
      assert.match(csv, /reviewedBy,reviewedAt/);
      assert.match(csv, /203\.0\.113\.7,.*Admin anna,2026-03-11T10:00:00\.000Z/);
    });

    it('refuses to mark another tenant\'s report, or one that was not reported, and the chain still verifies', async () => {
      const [f5] = (await log.list('fabrikam', {})).items;
      assert.equal(await log.markReviewed('contoso', f5!.id, reviewer('anna', 11)), null);
      assert.equal(await log.newReportCount('fabrikam'), 1);
      const completed = (await log.list('contoso', { outcome: 'completed', limit: 1 })).items[0]!;
      assert.equal(await log.markReviewed('contoso', completed.id, reviewer('anna', 11)), null);
      assert.equal(await log.markReviewed('contoso', 'no-such-report', reviewer('anna', 11)), null);
      const [c7] = (await log.list('contoso', { limit: 1 })).items;
      await log.markReviewed('contoso', c7!.id, reviewer('anna', 11));
      // Records without a sharer address (written before it was kept) and a review beside them: intact.
      const verified = await log.verify();
      assert.deepEqual([verified.intact, verified.checked], [true, 11]);
    });
  });
});
