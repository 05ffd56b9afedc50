import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createReportLog, type ReportStore } from '#relay/reports/index.js';
import { openRaw, report } from '../../fixtures/reports.js';

describe('session reports: retention', () => {
  let dir: string;
  let log: ReportStore;
  const now = Date.parse('2026-06-15T12:00:00.000Z');
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rh-reports-'));
    log = createReportLog({ dataDir: dir, clock: { now: () => now } });
  });
  afterEach(async () => {
    log.close();
    await rm(dir, { recursive: true, force: true });
  });

  const day = (d: string) => `2026-${d}T09:00:00.000Z`;
  const seed = () => {
    // Interleaved in the one global chain: Contoso old, Fabrikam old, Contoso new, …
    log.append(report({ createdAt: day('01-10'), sharer: { userId: 'g', upn: 'gone-forever@contoso.example', name: 'Gone' } }));
    log.append(report({ tenantId: 'fabrikam', createdAt: day('01-11'), helper: { userId: 'f', upn: 'helper@fabrikam.example', name: 'F' } }));
    log.append(report({ createdAt: day('02-20'), sharer: { userId: 'g', upn: 'gone-forever@contoso.example', name: 'Gone' } }));
    log.append(report({ createdAt: day('05-01') }));
    log.append(report({ tenantId: 'fabrikam', createdAt: day('05-02') }));
    log.append(report({ createdAt: day('06-01') }));
  };

  it('removes only the old records of that tenant, keeps the others, and the chain still verifies', () => {
    seed();
    assert.equal(log.applyRetention('contoso', '2026-03-01'), 2);

    assert.deepEqual(log.list('contoso', {}).items.map((r) => r.createdAt), [day('06-01'), day('05-01')]);
    assert.deepEqual(log.list('fabrikam', {}).items.map((r) => r.createdAt), [day('05-02'), day('01-11')]);

    const v = log.verify();
    assert.equal(v.intact, true);
    assert.equal(v.checked, 6);
    assert.deepEqual(v.removed, [{ runId: 1, tenantId: 'contoso', before: '2026-03-01T00:00:00.000Z', at: '2026-06-15T12:00:00.000Z', count: 2 }]);
    assert.equal(v.message, 'Report chain intact: 6 records (2 records removed by retention on 2026-06-15)');
  });

  it('keeps removing as time goes on, and new records still chain on', () => {
    seed();
    assert.equal(log.applyRetention('contoso', '2026-03-01'), 2);
    assert.equal(log.applyRetention('contoso', '2026-03-01'), 0, 'nothing left to remove the second time');
    const appended = log.append(report({ createdAt: day('06-15') }));
    assert.equal(appended.seq, 7);
    assert.equal(log.applyRetention('fabrikam', '2026-05-03T00:00:00Z'), 2);
    assert.equal(log.list('fabrikam', {}).total, 0);
    const v = log.verify();
    assert.equal(v.intact, true);
    assert.equal(v.checked, 7);
    assert.deepEqual(v.removed.map((r) => [r.tenantId, r.count]), [['contoso', 2], ['fabrikam', 2]]);
  });

  it('the removed content is gone from the file, and the record of the run cannot be changed', () => {
    seed();
    log.applyRetention('contoso', '2026-03-01');
    const raw = openRaw(dir);
    const rows = raw.prepare('SELECT seq, body, helper_upn, removed_by, hash FROM reports WHERE seq IN (1, 3)').all() as Array<Record<string, unknown>>;
    assert.deepEqual(rows.map((r) => [r.seq, r.body, r.helper_upn, r.removed_by]), [[1, null, null, 1], [3, null, null, 1]]);
    assert.throws(() => raw.prepare('UPDATE retention_runs SET before = \'2000-01-01\'').run(), /append-only/);
    assert.throws(() => raw.prepare('DELETE FROM retention_runs').run(), /append-only/);
    assert.throws(() => raw.prepare('DELETE FROM reports WHERE seq = 1').run(), /never deleted/);
    raw.close();
    log.close();
    assert.doesNotMatch(readFileSync(join(dir, 'reports.db')).toString('latin1'), /gone-forever/);
    log = createReportLog({ dataDir: dir });
    assert.equal(log.verify().intact, true);
  });

  it('a tombstone still takes part in the chain: editing its header is caught', () => {
    seed();
    log.applyRetention('contoso', '2026-03-01');
    const raw = openRaw(dir);
    raw.exec('DROP TRIGGER reports_update_only_by_retention');
    raw.prepare("UPDATE reports SET created_at = '2026-01-09T00:00:00.000Z' WHERE seq = 3").run();
    raw.close();
    assert.equal(log.verify().firstBadSeq, 3);
    assert.equal(log.verify().problem, 'record 3 was edited: its hash does not match its content');
  });

  it('a date that is not a date is a bug in the caller, not a silent no-op', () => {
    assert.throws(() => log.applyRetention('contoso', 'last tuesday'), RangeError);
  });
});
