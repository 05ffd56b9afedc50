// Who may help whom, over the live relay: real sign-ins, real sockets, the admin API changing roles,
// settings and rules between sessions (no restart), device proofs with real keys, and the reports.
import assert from 'node:assert/strict';
import type { CaRule, CreatedSession, SessionEnded, TenantSettingsView } from '#protocol';
import { demoDevices, demoTenants, financeSupportRole } from '#relay/directory/index.js';
import { demoMfaUsers } from '#relay/identity/index.js';
import { demo, next, request, startTestRelay, valueOf, type ClientSocket, type TestRelay } from '../../support/relay.js';
import {
  adminCall, badWindows, caRule, connectWith, enroll, errorCode, freshToken, goodWindows, proofFor, reportsOf,
} from '../../support/policy-calls.js';

const contoso = demoTenants.contoso.id;
const byName = (name: string) => demoDevices.find((d) => d.name === name)!;
const financeLaptop = byName('CONTOSO-LT-0142'); // Corporate laptops + Finance devices, compliant
const server = byName('CONTOSO-WS-0203'); // Servers
const finance = { helper: 'finance.helper@contoso.example', contractor: 'contractor@contoso-partner.example' };
const chromeOnMac = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36';

describe('policy over the live relay', function () {
  this.timeout(60_000);
  let t: TestRelay;
  let admin: string;
  let helper: ClientSocket;
  let sharer: ClientSocket;

  const create = async (s: ClientSocket, deviceId?: string) => request(s, 'session:create', deviceId ? { deviceId } : {});
  const saveRule = async (rule: CaRule) => valueOf((await adminCall<CaRule>(t, admin, 'saveRule', rule)).ack);
  const deleteRule = async (id: string) => valueOf((await adminCall(t, admin, 'deleteRule', { id })).ack);
  const settings = async (): Promise<TenantSettingsView> => valueOf((await adminCall<TenantSettingsView>(t, admin, 'getSettings')).ack);
  const setSettings = async (patch: Partial<TenantSettingsView>) =>
    valueOf((await adminCall(t, admin, 'updateSettings', { ...(await settings()), ...patch })).ack);

  before(async () => {
    t = await startTestRelay();
    admin = await t.token(demo.contosoAdmin);
    helper = await t.connect(demo.contosoHelper);
    sharer = await t.connect(demo.contosoSharer);
  });
  after(async () => t?.stop());

  describe('roles and scope', () => {
    it('lets a scoped role help inside its device groups and refuses outside them (out-of-scope)', async () => {
      const fh = await t.connect(finance.helper);
      const inside = valueOf(await create(fh, financeLaptop.id));
      valueOf(await request(fh, 'session:end', { sessionId: inside.sessionId }));
      assert.equal(errorCode(await create(fh, server.id)), 'out-of-scope');
      // The unenrolled way has no device: only a role scoped to all devices covers it.
      assert.equal(errorCode(await create(fh, undefined)), 'out-of-scope');
      fh.disconnect();
    });

    it('refuses at join a sharer outside the role\'s user groups, and tells the helper the session was refused', async () => {
      const fh = await t.connect(finance.helper);
      const contractor = await t.connect(finance.contractor);
      const created = valueOf(await create(fh, financeLaptop.id));
      const ended = next(fh, 'session:ended', (e) => e.sessionId === created.sessionId);
      const joined = await request(contractor, 'session:join', { code: created.code });
      assert.equal(errorCode(joined), 'out-of-scope');
      const told: SessionEnded = await ended;
      assert.deepEqual({ by: told.by, reason: told.reason }, { by: 'relay', reason: 'refused' });
      // A Finance sharer is inside the scope.
      const again = valueOf(await create(fh, financeLaptop.id));
      const trust = valueOf(await request(sharer, 'session:join', { code: again.code }));
      assert.equal(trust.permission, 'view-screen');
      valueOf(await request(fh, 'session:end', { sessionId: again.sessionId }));
      fh.disconnect();
      contractor.disconnect();
    });

    it('gives a web sharer view-screen only, even from a helper who holds full control', async () => {
      const created = valueOf(await create(helper, financeLaptop.id));
      const helperTrust = next(helper, 'session:trust', (i) => i.sessionId === created.sessionId);
      const sharerTrust = valueOf(await request(sharer, 'session:join', { code: created.code }));
      assert.equal(sharerTrust.permission, 'view-screen');
      assert.equal((await helperTrust).permission, 'view-screen');
      valueOf(await request(helper, 'session:end', { sessionId: created.sessionId }));
    });

    it('applies a change of a role definition to the next session, without a restart', async () => {
      const fh = await t.connect(finance.helper);
      valueOf((await adminCall(t, admin, 'saveRole', { ...financeSupportRole, scope: { ...financeSupportRole.scope, deviceGroups: ['*'] } })).ack);
      const widened = valueOf(await create(fh, server.id));
      valueOf(await request(fh, 'session:end', { sessionId: widened.sessionId }));
      valueOf((await adminCall(t, admin, 'saveRole', { ...financeSupportRole, permissions: [] })).ack);
      assert.equal(errorCode(await create(fh, financeLaptop.id)), 'permission-missing');
      valueOf((await adminCall(t, admin, 'saveRole', financeSupportRole)).ack);
      const restored = valueOf(await create(fh, financeLaptop.id));
      valueOf(await request(fh, 'session:end', { sessionId: restored.sessionId }));
      fh.disconnect();
    });

    it('puts an assigned role into the next token, and a role taken away out of it', async () => {
      const users = valueOf((await adminCall<{ userId: string; upn: string }[]>(t, admin, 'listUsers', { search: 'sharer@contoso' })).ack);
      const sharerId = users.find((u) => u.upn === demo.contosoSharer)!.userId;
      valueOf((await adminCall(t, admin, 'assignRoles', { userId: sharerId, roles: ['Help Desk Operator'] })).ack);
      const promoted = await connectWith(t, await freshToken(t, demo.contosoSharer));
      const created = valueOf(await create(promoted, financeLaptop.id));
      valueOf(await request(promoted, 'session:end', { sessionId: created.sessionId }));
      promoted.disconnect();
      valueOf((await adminCall(t, admin, 'assignRoles', { userId: sharerId, roles: [] })).ack);
      const demoted = await connectWith(t, await freshToken(t, demo.contosoSharer));
      assert.equal(errorCode(await create(demoted, financeLaptop.id)), 'permission-missing');
      demoted.disconnect();
    });
  });

  describe('tenant settings', () => {
    it('refuses everything with remote-help-disabled while remote help is off', async () => {
      await setSettings({ remoteHelpEnabled: false });
      try {
        assert.equal(errorCode(await create(helper, financeLaptop.id)), 'remote-help-disabled');
      } finally {
        await setSettings({ remoteHelpEnabled: true });
      }
      const created = valueOf(await create(helper, financeLaptop.id));
      valueOf(await request(helper, 'session:end', { sessionId: created.sessionId }));
    });

    it('refuses the unenrolled way in Fabrikam (unenrolled-not-allowed), allows it in Contoso', async () => {
      const fabrikamHelper = await t.connect(demo.fabrikamHelper);
      const refused = await create(fabrikamHelper);
      assert.equal(errorCode(refused), 'unenrolled-not-allowed');
      fabrikamHelper.disconnect();
      const created = valueOf(await create(helper));
      valueOf(await request(helper, 'session:end', { sessionId: created.sessionId }));
      // Contoso turns it off: refused there too, from the next session on.
      await setSettings({ allowUnenrolled: false });
      try {
        assert.equal(errorCode(await create(helper)), 'unenrolled-not-allowed');
      } finally {
        await setSettings({ allowUnenrolled: true });
      }
    });

    it('turns chat off: both sides are told, and chat events are refused with chat-disabled', async () => {
      await setSettings({ chatEnabled: false });
      try {
        const created = valueOf(await create(helper, financeLaptop.id));
        const helperTrust = next(helper, 'session:trust', (i) => i.sessionId === created.sessionId);
        const sharerTrust = valueOf(await request(sharer, 'session:join', { code: created.code }));
        assert.equal(sharerTrust.chatEnabled, false);
        assert.equal((await helperTrust).chatEnabled, false);
        valueOf(await request(sharer, 'session:consent', { sessionId: created.sessionId, allow: true }));
        const sent = await request(helper, 'chat:send', { sessionId: created.sessionId, clientId: crypto.randomUUID(), text: 'hello' });
        assert.equal(errorCode(sent), 'chat-disabled');
        valueOf(await request(helper, 'session:end', { sessionId: created.sessionId }));
      } finally {
        await setSettings({ chatEnabled: true });
      }
    });
  });

  describe('conditional access', () => {
    it('blocks the helper by client IP range (v4 and v6 loopback), and names the rule', async () => {
      const rule = await saveRule(caRule({ name: 'Block loopback', appliesTo: 'helper', conditions: { ipRanges: ['127.0.0.0/8', '::1/128'] }, grant: 'block' }));
      try {
        const refused = await create(helper, financeLaptop.id);
        assert.equal(errorCode(refused), 'policy-blocked');
        assert.deepEqual(!refused.ok && refused.error.policy, { ruleId: rule.id, ruleName: 'Block loopback', remedy: 'ask-admin' });
      } finally {
        await deleteRule(rule.id);
      }
      const other = await saveRule(caRule({ appliesTo: 'helper', conditions: { ipRanges: ['10.0.0.0/8', '2001:db8::/32'] }, grant: 'block' }));
      try {
        const created = valueOf(await create(helper, financeLaptop.id));
        valueOf(await request(helper, 'session:end', { sessionId: created.sessionId }));
      } finally {
        await deleteRule(other.id);
      }
    });

    it('requires MFA of helpers: refuses a password-only token, lets a TOTP sign-in (amr mfa) through', async () => {
      const rule = await saveRule(caRule({ name: 'Helpers use MFA', appliesTo: 'helper', conditions: { roles: ['Help Desk Operator'] }, grant: 'require-mfa' }));
      try {
        const refused = await create(helper, financeLaptop.id);
        assert.equal(errorCode(refused), 'mfa-required');
        assert.equal(!refused.ok && refused.error.policy?.remedy, 'sign-in-with-mfa');
        const mfaToken = await freshToken(t, demoMfaUsers.helper.upn, { totpSecret: demoMfaUsers.helper.totpSecret });
        const mfaHelper = await connectWith(t, mfaToken);
        const created = valueOf(await create(mfaHelper, financeLaptop.id));
        valueOf(await request(mfaHelper, 'session:end', { sessionId: created.sessionId }));
        mfaHelper.disconnect();
      } finally {
        await deleteRule(rule.id);
      }
    });

    it('conditions on the user, the group and the platform', async () => {
      const byUser = await saveRule(caRule({ appliesTo: 'sharer', conditions: { users: [demo.contosoSharer] }, grant: 'block' }));
      try {
        const created = valueOf(await create(helper, financeLaptop.id));
        assert.equal(errorCode(await request(sharer, 'session:join', { code: created.code })), 'policy-blocked');
      } finally {
        await deleteRule(byUser.id);
      }
      const byGroup = await saveRule(caRule({ appliesTo: 'helper', conditions: { groups: ['IT'] }, grant: 'block' }));
      try {
        assert.equal(errorCode(await create(helper, financeLaptop.id)), 'policy-blocked');
      } finally {
        await deleteRule(byGroup.id);
      }
      const byPlatform = await saveRule(caRule({ appliesTo: 'sharer', conditions: { platforms: ['macOS'] }, grant: 'block' }));
      try {
        const onMac = await connectWith(t, await t.token(demo.contosoSharer), chromeOnMac);
        const first = valueOf(await create(helper, financeLaptop.id));
        assert.equal(errorCode(await request(onMac, 'session:join', { code: first.code })), 'policy-blocked');
        onMac.disconnect();
        const second = valueOf(await create(helper, financeLaptop.id));
        valueOf(await request(sharer, 'session:join', { code: second.code }));
        valueOf(await request(helper, 'session:end', { sessionId: second.sessionId }));
      } finally {
        await deleteRule(byPlatform.id);
      }
    });

    it('requires a compliant device of sharers: no proof or a noncompliant device is refused; a compliant one waits for approval, then joins', async () => {
      const sharerToken = await t.token(demo.contosoSharer);
      const good = await enroll(t, sharerToken, 'Amira laptop', goodWindows);
      const bad = await enroll(t, sharerToken, 'Amira old laptop', badWindows);
      const rule = await saveRule(caRule({ name: 'Compliant sharers', appliesTo: 'sharer', conditions: {}, grant: 'require-compliant-device' }));
      try {
        const first = valueOf(await create(helper));
        const refused = await request(sharer, 'session:join', { code: first.code });
        assert.equal(errorCode(refused), 'compliant-device-required');
        assert.deepEqual(!refused.ok && refused.error.policy, { ruleId: rule.id, ruleName: 'Compliant sharers', remedy: 'use-compliant-device' });

        const second = valueOf(await create(helper));
        assert.equal(errorCode(await request(sharer, 'session:join', { code: second.code, proof: await proofFor(sharer, bad) })), 'compliant-device-required');

        // Compliant by its own report, but no administrator has approved it yet.
        const waiting = valueOf(await create(helper));
        const unapproved = await request(sharer, 'session:join', { code: waiting.code, proof: await proofFor(sharer, good) });
        assert.equal(errorCode(unapproved), 'compliant-device-required');
        assert.deepEqual(!unapproved.ok && unapproved.error.policy, { ruleId: rule.id, ruleName: 'Compliant sharers', remedy: 'await-device-approval' });
        assert.match(!unapproved.ok ? unapproved.error.message : '', /waits for an administrator's approval/);

        valueOf((await adminCall(t, admin, 'approveDevice', { id: good.deviceId })).ack);
        const third = valueOf(await create(helper));
        const helperTrust = next(helper, 'session:trust', (i) => i.sessionId === third.sessionId);
        valueOf(await request(sharer, 'session:join', { code: third.code, proof: await proofFor(sharer, good) }));
        const shown = await helperTrust;
        assert.deepEqual(shown.device, { id: good.deviceId, name: 'Amira laptop', platform: 'Windows', osVersion: '10.0.26100', selfReported: true, approved: true });
        assert.deepEqual(shown.warnings, []);
        valueOf(await request(helper, 'session:end', { sessionId: third.sessionId }));
      } finally {
        await deleteRule(rule.id);
      }
    });

    it('with approvedDevicesOnly false, lets a compliant enrolled browser through unapproved, and tells the helper it is self-reported and awaiting approval', async () => {
      const sharerToken = await t.token(demo.contosoSharer);
      const pending = await enroll(t, sharerToken, 'Amira unapproved laptop', goodWindows);
      const rule = await saveRule(caRule({ appliesTo: 'sharer', conditions: {}, grant: 'require-compliant-device', approvedDevicesOnly: false }));
      try {
        const created = valueOf(await create(helper));
        const helperTrust = next(helper, 'session:trust', (i) => i.sessionId === created.sessionId);
        valueOf(await request(sharer, 'session:join', { code: created.code, proof: await proofFor(sharer, pending) }));
        const shown = await helperTrust;
        assert.deepEqual([shown.device?.name, shown.device?.selfReported, shown.device?.approved], ['Amira unapproved laptop', true, false]);
        valueOf(await request(helper, 'session:end', { sessionId: created.sessionId }));
      } finally {
        await deleteRule(rule.id);
      }
    });

    it('conditions on device enrolled, and warns the helper of a noncompliant device with its reasons', async () => {
      const sharerToken = await t.token(demo.contosoSharer);
      const bad = await enroll(t, sharerToken, 'Amira test laptop', badWindows);
      const rule = await saveRule(caRule({ appliesTo: 'sharer', conditions: { deviceEnrolled: false }, grant: 'block' }));
      try {
        const first = valueOf(await create(helper));
        assert.equal(errorCode(await request(sharer, 'session:join', { code: first.code })), 'policy-blocked');
        const second = valueOf(await create(helper));
        const helperTrust = next(helper, 'session:trust', (i) => i.sessionId === second.sessionId);
        valueOf(await request(sharer, 'session:join', { code: second.code, proof: await proofFor(sharer, bad) }));
        assert.deepEqual((await helperTrust).warnings, [{ kind: 'noncompliant', reasons: ['Disk encryption is off'] }]);
        valueOf(await request(helper, 'session:end', { sessionId: second.sessionId }));
      } finally {
        await deleteRule(rule.id);
      }
    });

    it('refuses a bad device proof with device-proof-invalid, not as a failed code: the code still works', async () => {
      const sharerToken = await t.token(demo.contosoSharer);
      const good = await enroll(t, sharerToken, 'Amira proof laptop', goodWindows);
      const created = valueOf(await create(helper, financeLaptop.id));
      const proof = await proofFor(sharer, good);
      for (let i = 0; i < 6; i++) {
        const forged = { ...proof, signature: Buffer.from(`forged-signature-${i}-padding`).toString('base64url') };
        assert.equal(errorCode(await request(sharer, 'session:join', { code: created.code, proof: forged })), 'device-proof-invalid');
      }
      // A replayed (already used) challenge is refused too.
      const used = await proofFor(sharer, good);
      const other = valueOf(await create(helper, financeLaptop.id));
      const helperTrust = next(helper, 'session:trust', (i) => i.sessionId === other.sessionId);
      valueOf(await request(sharer, 'session:join', { code: other.code, proof: used }));
      // A session bound to another device: the proven browser is not that device, and the helper is told.
      assert.deepEqual((await helperTrust).warnings, [{ kind: 'unconfirmed-device', deviceName: financeLaptop.name, reasons: [] }]);
      assert.equal(errorCode(await request(sharer, 'session:join', { code: created.code, proof: used })), 'device-proof-invalid');
      // Six refusals later, the code is still good: they were not counted as wrong codes.
      valueOf(await request(sharer, 'session:join', { code: created.code }));
      for (const s of [created, other]) valueOf(await request(helper, 'session:end', { sessionId: s.sessionId }));
    });

    it('report-only: allows, and records the rule that would have refused', async () => {
      const rule = await saveRule(caRule({ name: 'Would block helpers', mode: 'report-only', appliesTo: 'helper', conditions: {}, grant: 'block' }));
      let created: CreatedSession;
      try {
        created = valueOf(await create(helper, financeLaptop.id));
      } finally {
        await deleteRule(rule.id);
      }
      valueOf(await request(helper, 'session:end', { sessionId: created.sessionId }));
      const [report] = (await reportsOf(t, admin)).filter((r) => r.sessionId === created.sessionId);
      assert.equal(report?.outcome, 'cancelled');
      assert.deepEqual(report?.policy.reportOnly, [{ ruleId: rule.id, ruleName: 'Would block helpers', grant: 'block' }]);
      assert.equal(report?.policy.refusal, null);
    });
  });

  describe('reports', () => {
    it('records a whole session: people, device, permission, warnings, times, outcome, who ended it', async () => {
      const created = valueOf(await create(helper, financeLaptop.id));
      valueOf(await request(sharer, 'session:join', { code: created.code }));
      valueOf(await request(sharer, 'session:consent', { sessionId: created.sessionId, allow: true }));
      valueOf(await request(sharer, 'session:end', { sessionId: created.sessionId }));
      const [r] = (await reportsOf(t, admin)).filter((x) => x.sessionId === created.sessionId);
      assert.ok(r, 'the session has a report');
      assert.equal(r.tenantId, contoso);
      assert.equal(r.helper?.upn, demo.contosoHelper);
      assert.equal(r.sharer?.upn, demo.contosoSharer);
      assert.deepEqual(r.device, { id: financeLaptop.id, name: financeLaptop.name });
      assert.equal(r.permission, 'view-screen');
      assert.deepEqual(r.warnings, [{ kind: 'unconfirmed-device', deviceName: financeLaptop.name, reasons: [] }]);
      assert.equal(r.outcome, 'completed');
      assert.equal(r.consent, 'allowed');
      assert.ok(r.createdAt <= r.joinedAt! && r.joinedAt! <= r.consentAt! && r.consentAt! <= r.endedAt!);
      assert.deepEqual({ by: r.endedBy, reason: r.endReason }, { by: 'sharer', reason: 'ended' });
    });

    it('records a denial, and a refusal at create with the step and code', async () => {
      const created = valueOf(await create(helper, financeLaptop.id));
      valueOf(await request(sharer, 'session:join', { code: created.code }));
      valueOf(await request(sharer, 'session:consent', { sessionId: created.sessionId, allow: false }));
      const fh = await t.connect(finance.helper);
      assert.equal(errorCode(await create(fh, server.id)), 'out-of-scope');
      fh.disconnect();
      const reports = await reportsOf(t, admin);
      assert.equal(reports.find((r) => r.sessionId === created.sessionId)?.outcome, 'denied');
      const refusal = reports.find((r) => r.sessionId === null && r.helper?.upn === finance.helper && r.device?.id === server.id);
      assert.equal(refusal?.outcome, 'refused');
      assert.deepEqual(refusal?.policy.step, 'create');
      assert.equal(refusal?.policy.refusal?.code, 'out-of-scope');
      assert.equal(refusal?.sharer, null);
    });

    it('never records chat text, and the chain verifies', async () => {
      const created = valueOf(await create(helper, financeLaptop.id));
      valueOf(await request(sharer, 'session:join', { code: created.code }));
      valueOf(await request(sharer, 'session:consent', { sessionId: created.sessionId, allow: true }));
      valueOf(await request(helper, 'chat:send', { sessionId: created.sessionId, clientId: crypto.randomUUID(), text: 'secret-chat-words-42' }));
      valueOf(await request(helper, 'session:end', { sessionId: created.sessionId }));
      const csv = valueOf((await adminCall<{ csv: string }>(t, admin, 'exportReportsCsv', {})).ack).csv;
      assert.ok(csv.includes(created.sessionId));
      assert.ok(!csv.includes('secret-chat-words-42'));
      const verified = valueOf((await adminCall<{ intact: boolean }>(t, admin, 'verifyReports', {})).ack);
      assert.equal(verified.intact, true);
    });
  });
});
