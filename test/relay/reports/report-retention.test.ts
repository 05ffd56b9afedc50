import assert from 'node:assert/strict';
import type { ReportStore } from '#relay/reports/index.js';
import { report } from '../../fixtures/reports.js';
import { forEachReportBackend, type ReportPlace } from '../../support/report-backends.js';

describe('session reports: retention', () => {
  forEachReportBackend((backend) => {
    let place: ReportPlace;
    let log: ReportStore;
    const now = Date.parse('2026-06-15T12:00:00.000Z');
    beforeEach(async () => {
      place = await backend.fresh();
      log = await place.open({ now: () => now });
    });
    afterEach(() => place.remove());

    const day = (d: string) => `2026-${d}T09:00:00.000Z`;
    const seed = async () => {
      // Interleaved in the one global chain: Contoso old, Fabrikam old, Contoso new, …
      await log.append(report({ createdAt: day('01-10'), sharer: { userId: 'g', upn: 'gone-forever@contoso.example', name: 'Gone' } }));
      await log.append(report({ tenantId: 'fabrikam', createdAt: day('01-11'), helper: { userId: 'f', upn: 'helper@fabrikam.example', name: 'F' } }));
      await log.append(report({ createdAt: day('02-20'), sharer: { userId: 'g', upn: 'gone-forever@contoso.example', name: 'Gone' } }));
      await log.append(report({ createdAt: day('05-01') }));
      await log.append(report({ tenantId: 'fabrikam', createdAt: day('05-02') }));
      await log.append(report({ createdAt: day('06-01') }));
    };

    it('removes only the old records of that tenant, keeps the others, and the chain still verifies', async () => {
      await seed();
      assert.equal(await log.applyRetention('contoso', '2026-03-01'), 2);

      assert.deepEqual((await log.list('contoso', {})).items.map((r) => r.createdAt), [day('06-01'), day('05-01')]);
      assert.deepEqual((await log.list('fabrikam', {})).items.map((r) => r.createdAt), [day('05-02'), day('01-11')]);

      const v = await log.verify();
      assert.equal(v.intact, true);
      assert.equal(v.checked, 6);
      assert.deepEqual(v.removed, [{ runId: 1, tenantId: 'contoso', before: '2026-03-01T00:00:00.000Z', at: '2026-06-15T12:00:00.000Z', count: 2 }]);
      assert.equal(v.message, 'Report chain intact: 6 records (2 records removed by retention on 2026-06-15)');
    });

    it('keeps removing as time goes on, and new records still chain on', async () => {
      await seed();
      assert.equal(await log.applyRetention('contoso', '2026-03-01'), 2);
      assert.equal(await log.applyRetention('contoso', '2026-03-01'), 0, 'nothing left to remove the second time');
      const appended = await log.append(report({ createdAt: day('06-15') }));
      assert.equal(appended.seq, 7);
      assert.equal(await log.applyRetention('fabrikam', '2026-05-03T00:00:00Z'), 2);
      assert.equal((await log.list('fabrikam', {})).total, 0);
      const v = await log.verify();
      assert.equal(v.intact, true);
      assert.equal(v.checked, 7);
      assert.deepEqual(v.removed.map((r) => [r.tenantId, r.count]), [['contoso', 2], ['fabrikam', 2]]);
    });

    it('the removed content is gone from the records, and the record of the run cannot be changed', async () => {
      await seed();
      await log.applyRetention('contoso', '2026-03-01');
      const raw = await place.raw();
      const rows = await raw.all<Record<string, unknown>>('SELECT seq, body, helper_upn, removed_by, hash FROM reports WHERE seq IN (1, 3) ORDER BY seq');
      assert.deepEqual(rows.map((r) => [r.seq, r.body, r.helper_upn, r.removed_by]), [[1, null, null, 1], [3, null, null, 1]]);
      await assert.rejects(raw.run('UPDATE retention_runs SET before = \'2000-01-01\''), /append-only/);
      await assert.rejects(raw.run('DELETE FROM retention_runs'), /append-only/);
      await assert.rejects(raw.run('DELETE FROM reports WHERE seq = 1'), /never deleted/);
      await raw.close();
      // SQLite: secure_delete and a checkpoint leave no trace in the file. (PostgreSQL keeps the old
      // row versions until vacuum reuses their space: the operator's backups and WAL matter there.)
      if (place.fileText) {
        await log.close();
        assert.doesNotMatch(await place.fileText(), /gone-forever/);
      }
      log = await place.open();
      assert.equal((await log.verify()).intact, true);
    });

    it('a tombstone still takes part in the chain: editing its header is caught', async () => {
      await seed();
      await log.applyRetention('contoso', '2026-03-01');
      const raw = await place.raw();
      await raw.dropTrigger('reports_update_only_by_retention');
      await raw.run("UPDATE reports SET created_at = '2026-01-09T00:00:00.000Z' WHERE seq = 3");
      await raw.close();
      const v = await log.verify();
      assert.equal(v.firstBadSeq, 3);
      assert.equal(v.problem, 'record 3 was edited: its hash does not match its content');
    });

    it('a date that is not a date is a bug in the caller, not a silent no-op', async () => {
      await assert.rejects(log.applyRetention('contoso', 'last tuesday'), RangeError);
    });
  });
});
