// The tenant admin API over the live relay: POST /api/admin/{method} with a real token; the admin role
// is checked on every call; args are validated; answers are Ack JSON with a fitting HTTP status.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  adminMethods, type CompliancePolicy, type RoleDefinition, type SessionReport, type TenantSettingsView,
} from '#protocol';
import { createAdminService } from '#relay/admin/admin-service.js';
import { createDirectory, demoDevices, demoTenants, demoUsers, seedDemoTenants } from '#relay/directory/index.js';
import { createMemoryLog } from '#relay/log.js';
import { defaultCompliancePolicy } from '#relay/policy/compliance.js';
import type { NewReport } from '#relay/ports.js';
import { createReportLog } from '#relay/reports/index.js';
import { demo, next, rawRequest, request, startTestRelay, valueOf, whyEnded, type TestRelay } from '../../support/relay.js';
import { adminCall, caRule, enroll, errorCode, freshToken, reportsOf } from '../../support/policy-calls.js';

describe('admin API', function () {
  this.timeout(60_000);
  let t: TestRelay;
  let admin: string;

  before(async () => {
    t = await startTestRelay();
    admin = await t.token(demo.contosoAdmin);
  });
  after(async () => t?.stop());

  it('refuses a non-admin on every method with admin-only (HTTP 403), and no token with 401', async () => {
    const helper = await t.token(demo.contosoHelper);
    const fabrikamHelper = await t.token(demo.fabrikamHelper);
    for (const method of adminMethods) {
      for (const token of [helper, fabrikamHelper]) {
        const { status, ack } = await adminCall(t, token, method, {});
        assert.equal(status, 403, method);
        assert.equal(errorCode(ack), 'admin-only', method);
      }
      const anonymous = await adminCall(t, undefined, method, {});
      assert.equal(anonymous.status, 401, method);
      assert.equal(errorCode(anonymous.ack), 'unauthenticated', method);
    }
  });

  it('refuses an admin whose role was taken away at the next call, with the same token', async () => {
    const adminId = demoUsers.contosoAdmin.oid;
    await t.directory.setUserRoles(demoTenants.contoso.id, adminId, []);
    try {
      const { status, ack } = await adminCall(t, admin, 'getSettings', {});
      assert.equal(status, 403);
      assert.equal(errorCode(ack), 'admin-only');
    } finally {
      await t.directory.setUserRoles(demoTenants.contoso.id, adminId, ['Remote Help Administrator']);
    }
    valueOf((await adminCall(t, admin, 'getSettings', {})).ack);
  });

  it('answers an unknown method with not-found, bad args with validation (400)', async () => {
    const unknown = await adminCall(t, admin, 'dropTables', {});
    assert.deepEqual([unknown.status, errorCode(unknown.ack)], [404, 'not-found']);
    const bad = await adminCall(t, admin, 'updateSettings', { remoteHelpEnabled: 'yes' });
    assert.deepEqual([bad.status, errorCode(bad.ack)], [400, 'validation']);
    const extra = await adminCall(t, admin, 'getSettings', { sneaky: true });
    assert.deepEqual([extra.status, errorCode(extra.ack)], [400, 'validation']);
    const badRange = await adminCall(t, admin, 'saveRule', caRule({ conditions: { ipRanges: ['10.0.0.0/40'] }, grant: 'block' }));
    assert.deepEqual([badRange.status, errorCode(badRange.ack)], [400, 'validation']);
    assert.match(!badRange.ack.ok ? badRange.ack.error.message : '', /10\.0\.0\.0\/40/);
  });

  it('reads and changes the tenant settings; Contoso allows unenrolled help, Fabrikam keeps the default', async () => {
    const settings = valueOf((await adminCall<TenantSettingsView>(t, admin, 'getSettings', {})).ack);
    assert.deepEqual(settings, {
      remoteHelpEnabled: true, allowUnenrolled: true, chatEnabled: true, allowEnrollment: true, reportRetentionDays: 0,
      // The demo tenants keep the product's look.
      branding: { organizationName: '', logo: '', accentColor: '' },
    });
    assert.equal((await t.directory.tenant(demoTenants.fabrikam.id))?.settings.allowUnenrolled, false);
    const changed = valueOf((await adminCall<TenantSettingsView>(t, admin, 'updateSettings', { ...settings, allowEnrollment: false })).ack);
    assert.equal(changed.allowEnrollment, false);
    assert.equal(valueOf((await adminCall<TenantSettingsView>(t, admin, 'getSettings', {})).ack).allowEnrollment, false);
    valueOf((await adminCall(t, admin, 'updateSettings', settings)).ack);
  });

  it('lists the built-in roles and refuses to delete or rename them (conflict, 409)', async () => {
    const roles = valueOf((await adminCall<RoleDefinition[]>(t, admin, 'listRoles', {})).ack);
    const operator = roles.find((r) => r.name === 'Help Desk Operator')!;
    assert.deepEqual(operator.permissions, ['view-screen', 'full-control']);
    assert.deepEqual(operator.scope, { deviceGroups: ['*'], userGroups: ['*'] });
    assert.equal(operator.builtIn, true);
    const administrator = roles.find((r) => r.name === 'Remote Help Administrator')!;
    assert.equal(administrator.admin, true);
    assert.equal(administrator.permissions.length, 4);
    const deleted = await adminCall(t, admin, 'deleteRole', { id: operator.id });
    assert.deepEqual([deleted.status, errorCode(deleted.ack)], [409, 'conflict']);
    const renamed = await adminCall(t, admin, 'saveRole', { ...operator, name: 'Operators' });
    assert.deepEqual([renamed.status, errorCode(renamed.ack)], [409, 'conflict']);
  });

  it('creates, renames (keeping assignments), and deletes a custom role; never a second admin role', async () => {
    const role = { id: 'night-shift', name: 'Night Shift', permissions: ['view-screen'], scope: { deviceGroups: ['Servers'], userGroups: ['*'] }, admin: true };
    const saved = valueOf((await adminCall<RoleDefinition>(t, admin, 'saveRole', role)).ack);
    assert.equal(saved.admin, false);
    assert.equal(saved.builtIn, false);
    const clash = await adminCall(t, admin, 'saveRole', { ...role, id: 'other', name: 'night shift' });
    assert.equal(errorCode(clash.ack), 'conflict');
    const helperId = demoUsers.contosoHelper.oid;
    valueOf((await adminCall(t, admin, 'assignRoles', { userId: helperId, roles: ['Help Desk Operator', 'Night Shift'] })).ack);
    valueOf((await adminCall(t, admin, 'saveRole', { ...role, name: 'Late Shift' })).ack);
    const users = valueOf((await adminCall<{ userId: string; roles: string[] }[]>(t, admin, 'listUsers', { search: 'helper@contoso' })).ack);
    assert.deepEqual(users.find((u) => u.userId === helperId)?.roles, ['Help Desk Operator', 'Late Shift']);
    const unknown = await adminCall(t, admin, 'assignRoles', { userId: helperId, roles: ['Ghost'] });
    assert.equal(errorCode(unknown.ack), 'validation');
    valueOf((await adminCall(t, admin, 'assignRoles', { userId: helperId, roles: ['Help Desk Operator'] })).ack);
    valueOf((await adminCall(t, admin, 'deleteRole', { id: 'night-shift' })).ack);
    assert.ok(!valueOf((await adminCall<RoleDefinition[]>(t, admin, 'listRoles', {})).ack).some((r) => r.id === 'night-shift'));
  });

  it('lists users with groups and second factor, and the tenant\'s groups', async () => {
    const users = valueOf((await adminCall<{ upn: string; groups: string[]; mfaEnrolled: boolean }[]>(t, admin, 'listUsers', {})).ack);
    assert.deepEqual(users.find((u) => u.upn === demo.contosoSharer)?.groups, ['Finance']);
    assert.equal(users.find((u) => u.upn === 'mfa.helper@contoso.example')?.mfaEnrolled, true);
    assert.equal(users.find((u) => u.upn === demo.contosoHelper)?.mfaEnrolled, false);
    assert.ok(!users.some((u) => u.upn.endsWith('fabrikam.example')), 'only the own tenant');
    const groups = valueOf((await adminCall<{ deviceGroups: string[]; userGroups: string[] }>(t, admin, 'listGroups', {})).ack);
    for (const g of ['Corporate laptops', 'Finance devices', 'Servers']) assert.ok(groups.deviceGroups.includes(g), g);
    for (const g of ['Finance', 'IT']) assert.ok(groups.userGroups.includes(g), g);
  });

  it('saves, lists and deletes conditional-access rules', async () => {
    const rule = caRule({ name: 'Block contractors', conditions: { groups: ['Contractors'] }, grant: 'block' });
    valueOf((await adminCall(t, admin, 'saveRule', rule)).ack);
    assert.deepEqual(valueOf((await adminCall<unknown[]>(t, admin, 'listRules', {})).ack), [rule]);
    valueOf((await adminCall(t, admin, 'deleteRule', { id: rule.id })).ack);
    assert.deepEqual(valueOf((await adminCall<unknown[]>(t, admin, 'listRules', {})).ack), []);
    assert.equal(errorCode((await adminCall(t, admin, 'deleteRule', { id: rule.id })).ack), 'not-found');
  });

  it('re-evaluates the enrolled devices when the compliance policy changes', async () => {
    assert.deepEqual(valueOf((await adminCall<CompliancePolicy>(t, admin, 'getCompliancePolicy', {})).ack), defaultCompliancePolicy);
    const device = await enroll(t, await t.token(demo.contosoSharer), 'Policy laptop',
      { platform: 'Windows', osVersion: '10.0.22631', diskEncryption: true, firewall: true });
    assert.equal((await t.directory.device(demoTenants.contoso.id, device.deviceId))?.compliance, 'compliant');
    const stricter = { ...defaultCompliancePolicy, minOsVersion: { ...defaultCompliancePolicy.minOsVersion, Windows: '10.0.26100' } };
    valueOf((await adminCall(t, admin, 'updateCompliancePolicy', stricter)).ack);
    const after = (await t.directory.device(demoTenants.contoso.id, device.deviceId))!;
    assert.equal(after.compliance, 'noncompliant');
    assert.deepEqual(after.complianceReasons, ['OS version 10.0.22631 is below the minimum 10.0.26100']);
    valueOf((await adminCall(t, admin, 'updateCompliancePolicy', defaultCompliancePolicy)).ack);
    assert.equal((await t.directory.device(demoTenants.contoso.id, device.deviceId))?.compliance, 'compliant');
  });

  it('lists, filters and exports only the own tenant\'s reports', async () => {
    const fabrikamHelper = await t.connect(demo.fabrikamHelper);
    const fabrikamDevice = demoDevices.find((d) => d.name === 'FABRIKAM-LT-0007')!;
    const created = valueOf(await request(fabrikamHelper, 'session:create', { deviceId: fabrikamDevice.id }));
    valueOf(await request(fabrikamHelper, 'session:end', { sessionId: created.sessionId }));
    fabrikamHelper.disconnect();
    const helper = await t.connect(demo.contosoHelper);
    const own = valueOf(await request(helper, 'session:create', {}));
    valueOf(await request(helper, 'session:end', { sessionId: own.sessionId }));
    helper.disconnect();

    const reports = await reportsOf(t, admin);
    assert.ok(reports.some((r) => r.sessionId === own.sessionId));
    assert.ok(reports.every((r) => r.tenantId === demoTenants.contoso.id));
    const filtered = await reportsOf(t, admin, { helper: 'helper@contoso', outcome: 'cancelled' });
    assert.ok(filtered.length > 0 && filtered.every((r) => r.outcome === 'cancelled' && r.helper?.upn === demo.contosoHelper));
    const page = valueOf((await adminCall<{ items: SessionReport[]; total: number }>(t, admin, 'listReports', { limit: 1 })).ack);
    assert.equal(page.items.length, 1);
    assert.ok(page.total >= 1);
    const { filename, csv } = valueOf((await adminCall<{ filename: string; csv: string }>(t, admin, 'exportReportsCsv', {})).ack);
    assert.match(filename, /\.csv$/);
    assert.ok(csv.includes(own.sessionId) && !csv.includes(created.sessionId));
  });

  it('Report: ends for both (the helper hears a decline), is listed first with the address, counted new until an admin of the tenant marks it reviewed', async () => {
    const helper = await t.connect(demo.contosoHelper);
    const sharer = await t.connect(demo.contosoSharer);
    try {
      const created = valueOf(await request(helper, 'session:create', {}));
      valueOf(await request(sharer, 'session:join', { code: created.code }));
      const allowAndReport = await rawRequest(sharer, 'session:consent', { sessionId: created.sessionId, allow: true, report: true });
      assert.equal(errorCode(allowAndReport), 'validation', 'Report never goes with Allow');
      const helperEnded = next(helper, 'session:ended');
      const sharerEnded = next(sharer, 'session:ended');
      valueOf(await request(sharer, 'session:consent', { sessionId: created.sessionId, allow: false, report: true }));
      assert.deepEqual(whyEnded(await sharerEnded), { sessionId: created.sessionId, by: 'sharer', reason: 'reported' });
      // A possible impostor is not told that they were reported (relay/src/sessions/finish.ts).
      assert.deepEqual(whyEnded(await helperEnded), { sessionId: created.sessionId, by: 'sharer', reason: 'denied' });

      // A later ordinary session still lists below it.
      const later = valueOf(await request(helper, 'session:create', {}));
      valueOf(await request(helper, 'session:end', { sessionId: later.sessionId }));
      const [top] = await reportsOf(t, admin, { limit: 1 });
      assert.deepEqual([top!.sessionId, top!.outcome, top!.endReason, top!.helper?.upn, top!.sharer?.upn],
        [created.sessionId, 'reported', 'reported', demo.contosoHelper, demo.contosoSharer]);
      assert.match(top!.sharerAddress ?? '', /^(::ffff:)?127\.0\.0\.1$|^::1$/, 'the join\'s client address');

      const count = async (token: string) => (await adminCall<{ count: number }>(t, token, 'countNewReports', {})).ack;
      assert.deepEqual(valueOf(await count(admin)), { count: 1 });
      // Another tenant's administrator sees its own count and cannot mark this one; a helper gets nothing.
      const fabrikamId = demoUsers.fabrikamHelper.oid;
      await t.directory.setUserRoles(demoTenants.fabrikam.id, fabrikamId, ['Help Desk Operator', 'Remote Help Administrator']);
      try {
        const fabrikamAdmin = await freshToken(t, demo.fabrikamHelper);
        assert.deepEqual(valueOf(await count(fabrikamAdmin)), { count: 0 });
        const foreign = await adminCall(t, fabrikamAdmin, 'markReportReviewed', { id: top!.id });
        assert.equal(errorCode(foreign.ack), 'not-found');
      } finally {
        await t.directory.setUserRoles(demoTenants.fabrikam.id, fabrikamId, ['Help Desk Operator']);
      }
      const byHelper = await adminCall(t, await t.token(demo.contosoHelper), 'markReportReviewed', { id: top!.id });
      assert.equal(errorCode(byHelper.ack), 'admin-only');
      assert.deepEqual(valueOf(await count(admin)), { count: 1 });

      const review = valueOf((await adminCall<{ by: { name: string }; at: string }>(t, admin, 'markReportReviewed', { id: top!.id })).ack);
      assert.equal(review.by.name, demoUsers.contosoAdmin.name);
      assert.deepEqual(valueOf(await count(admin)), { count: 0 });
      const [reviewed] = await reportsOf(t, admin, { limit: 1 });
      assert.deepEqual([reviewed!.id, reviewed!.review?.by.name], [top!.id, demoUsers.contosoAdmin.name]);
    } finally {
      helper.disconnect();
      sharer.disconnect();
    }
  });
});

describe('report retention', () => {
  let dir: string;
  beforeEach(() => void (dir = mkdtempSync(join(tmpdir(), 'rh-retention-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const report = (tenantId: string, createdAt: string): NewReport => ({
    tenantId, sessionId: crypto.randomUUID(), helper: null, sharer: null, device: null, permission: null, warnings: [],
    outcome: 'expired', policy: { step: null, refusal: null, reportOnly: [] }, createdAt, joinedAt: null, consentAt: null,
    consent: null, endedAt: createdAt, endedBy: 'relay', endReason: 'expired',
  });

  it('deletes a tenant\'s reports older than its retention when the setting changes, and the chain still verifies', async () => {
    const now = Date.parse('2026-06-01T12:00:00Z');
    const clock = { now: () => now };
    const directory = createDirectory({ dataDir: dir });
    await seedDemoTenants(directory);
    const reports = createReportLog({ dataDir: dir, clock });
    const contoso = demoTenants.contoso.id;
    const fabrikam = demoTenants.fabrikam.id;
    await reports.append(report(contoso, '2026-04-01T00:00:00Z'));
    await reports.append(report(fabrikam, '2026-04-01T00:00:00Z'));
    const fresh = await reports.append(report(contoso, '2026-05-30T00:00:00Z'));
    const service = createAdminService({ directory, reports, clock, log: createMemoryLog() });
    const adminUser = { tenantId: contoso, userId: demoUsers.contosoAdmin.oid, upn: demoUsers.contosoAdmin.upn, name: 'Admin', roles: ['Remote Help Administrator'], amr: ['pwd'] };
    const settings = (await directory.tenant(contoso))!.settings;
    valueOf(await service.call(adminUser, 'updateSettings', { ...settings, reportRetentionDays: 30 }) as never);
    assert.deepEqual((await reports.list(contoso, {})).items.map((r) => r.id), [fresh.id]);
    assert.equal((await reports.list(fabrikam, {})).total, 1, 'another tenant keeps its own');
    assert.equal((await reports.verify()).intact, true);
    await reports.close();
    directory.close();
  });
});
