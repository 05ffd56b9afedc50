// "Verify chain" in the admin view: the report chain is one for every organization on the relay, so the
// whole of it is walked; but an organization's administrator learns only about their own records, never
// how many sessions another organization had, nor its retention runs.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAdminService } from '#relay/admin/admin-service.js';
import { createDirectory, demoTenants, demoUsers, seedDemoTenants } from '#relay/directory/index.js';
import { createMemoryLog } from '#relay/log.js';
import type { AuthUser, NewReport } from '#relay/ports.js';
import { createReportLog } from '#relay/reports/index.js';

const contoso = demoTenants.contoso.id;
const fabrikam = demoTenants.fabrikam.id;

const report = (tenantId: string, createdAt: string): NewReport => ({
  tenantId, sessionId: crypto.randomUUID(), helper: null, sharer: null, device: null, permission: null, warnings: [],
  outcome: 'expired', policy: { step: null, refusal: null, reportOnly: [] }, createdAt, joinedAt: null, consentAt: null,
  consent: null, endedAt: createdAt, endedBy: 'relay', endReason: 'expired',
});

const adminOf = (tenantId: string, u: { oid: string; upn: string }): AuthUser =>
  ({ tenantId, userId: u.oid, upn: u.upn, name: 'Admin', roles: ['Remote Help Administrator'], amr: ['pwd'] });

describe('verifying the report chain from the admin API', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rh-verify-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('tells each organization\'s administrator the chain holds, with their own organization\'s count only', async () => {
    const now = Date.parse('2026-06-01T12:00:00Z');
    const clock = { now: () => now };
    const directory = createDirectory({ dataDir: dir });
    await seedDemoTenants(directory);
    const reports = createReportLog({ dataDir: dir, clock });
    try {
      // Fabrikam's helper is made its administrator here (the demo has none).
      await directory.setUserRoles(fabrikam, demoUsers.fabrikamHelper.oid, ['Remote Help Administrator']);
      for (let i = 0; i < 2; i++) await reports.append(report(contoso, '2026-05-30T00:00:00Z'));
      for (let i = 0; i < 5; i++) await reports.append(report(fabrikam, '2026-03-01T00:00:00Z'));
      for (let i = 0; i < 7; i++) await reports.append(report(fabrikam, '2026-05-31T00:00:00Z'));
      // Fabrikam's retention removes its five old records: a run recorded under its tenant id.
      assert.equal(await reports.applyRetention(fabrikam, '2026-04-01T00:00:00Z'), 5);
      const service = createAdminService({ directory, reports, clock, log: createMemoryLog() });

      const seenByContoso = await service.call(adminOf(contoso, demoUsers.contosoAdmin), 'verifyReports', {});
      assert.deepEqual(seenByContoso, { ok: true, value: { intact: true, checked: 2, firstBadSeq: null, problem: null } });
      assert.ok(!JSON.stringify(seenByContoso).includes(fabrikam), 'nothing of Fabrikam');

      const seenByFabrikam = await service.call(adminOf(fabrikam, demoUsers.fabrikamHelper), 'verifyReports', {});
      assert.deepEqual(seenByFabrikam, { ok: true, value: { intact: true, checked: 7, firstBadSeq: null, problem: null } });
      // The operator's own check still walks and counts everything.
      assert.equal((await reports.verify()).checked, 14);
    } finally {
      await reports.close();
      directory.close();
    }
  });
});
