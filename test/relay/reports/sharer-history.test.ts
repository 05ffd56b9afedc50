// The sharer's own past sessions (GET /api/me/sessions reads these): this person as the sharer in this
// tenant (exactly this UPN, and this stable id), newest first, paged; on both kept-data backends.
import assert from 'node:assert/strict';
import type { ReportStore } from '#relay/reports/index.js';
import { report } from '../../fixtures/reports.js';
import { forEachReportBackend, type ReportPlace } from '../../support/report-backends.js';

// The stable id follows the person, not the UPN's spelling.
const person = (upn: string, userId = `id-${upn.toLowerCase()}`) => ({ userId, upn, name: upn.split('@')[0]! });
const mine = 'sharer@contoso.example';
const me = { upn: mine, userId: `id-${mine}` };
const as = (upn: string) => ({ upn, userId: `id-${upn}` });

forEachReportBackend((backend) => {
  describe('a sharer\'s own past sessions', () => {
    let place: ReportPlace;
    let log: ReportStore;
    before(async () => {
      place = await backend.fresh();
      log = await place.open();
      const at = (day: number) => `2026-03-${String(day).padStart(2, '0')}T09:00:00.000Z`;
      // Mine: five, one written with my UPN in another case (as a directory may spell it).
      for (let i = 1; i <= 5; i++) {
        await log.append(report({ sessionId: `mine-${i}`, createdAt: at(i * 2), sharer: person(i === 3 ? 'Sharer@Contoso.Example' : mine) }));
      }
      // Not mine: another sharer of my tenant, one whose UPN contains mine, my UPN in another tenant,
      // and a session where I was the helper.
      await log.append(report({ sessionId: 'colleague', createdAt: at(3), sharer: person('sharer2@contoso.example') }));
      await log.append(report({ sessionId: 'longer', createdAt: at(4), sharer: person(`x${mine}`) }));
      await log.append(report({ tenantId: 'fabrikam', sessionId: 'other-tenant', createdAt: at(5), sharer: person(mine) }));
      await log.append(report({ sessionId: 'as-helper', createdAt: at(6), helper: person(mine), sharer: person('someone@contoso.example') }));
      // My UPN given to someone else before me (a reassigned UPN, or an OIDC username its user edited).
      await log.append(report({ sessionId: 'previous-holder', createdAt: at(7), sharer: person(mine, 'id-previous-holder') }));
    });
    after(() => place.remove());

    it('answers only the records whose sharer is this person in this tenant, newest first', async () => {
      const page = await log.sessionsOfSharer('contoso', me, { offset: 0, limit: 50 });
      assert.deepEqual(page.items.map((r) => r.sessionId), ['mine-5', 'mine-4', 'mine-3', 'mine-2', 'mine-1']);
      assert.equal(page.total, 5);
    });

    it('answers nothing of theirs to another sharer, the same UPN in another tenant, or a helper', async () => {
      const previous = await log.sessionsOfSharer('contoso', { upn: mine, userId: 'id-previous-holder' }, { offset: 0, limit: 50 });
      assert.deepEqual(previous.items.map((r) => r.sessionId), ['previous-holder'], 'the UPN\'s previous holder sees mine, or I see theirs');
      assert.deepEqual((await log.sessionsOfSharer('contoso', as('sharer2@contoso.example'), { offset: 0, limit: 50 })).items.map((r) => r.sessionId), ['colleague']);
      assert.deepEqual((await log.sessionsOfSharer('fabrikam', me, { offset: 0, limit: 50 })).items.map((r) => r.sessionId), ['other-tenant']);
      const helper = await log.sessionsOfSharer('contoso', as('helper@contoso.example'), { offset: 0, limit: 50 });
      assert.deepEqual([helper.items, helper.total], [[], 0]);
    });

    it('pages: each page holds the next records, and the total is all of them', async () => {
      const first = await log.sessionsOfSharer('contoso', me, { offset: 0, limit: 2 });
      const second = await log.sessionsOfSharer('contoso', me, { offset: 2, limit: 2 });
      const last = await log.sessionsOfSharer('contoso', me, { offset: 4, limit: 2 });
      assert.deepEqual([first, second, last].map((p) => p.items.map((r) => r.sessionId)), [['mine-5', 'mine-4'], ['mine-3', 'mine-2'], ['mine-1']]);
      assert.deepEqual([first.total, last.total, last.offset], [5, 5, 4]);
    });
  });
});
