// An embedded tenant's users, managed through the admin API of the live relay: add (with a one-time
// set-password link), disable and enable, delete, reset a password, require an authenticator app, and
// import a CSV file, all or nothing. Only for tenants whose users the relay keeps.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DirectoryUserView, LineProblem, PasswordLink, UserImportResult, WireError } from '#protocol';
import { createAdminService } from '#relay/admin/admin-service.js';
import { createDirectory, demoPassword, demoTenants, demoUsers, seedDemoTenants } from '#relay/directory/index.js';
import { demoMfaUsers } from '#relay/identity/index.js';
import { createMemoryLog } from '#relay/log.js';
import { systemClock } from '#relay/ports.js';
import { createReportLog } from '#relay/reports/index.js';
import { choosePassword } from '../../support/password-link.js';
import { adminCall, errorCode } from '../../support/policy-calls.js';
import { demo, startTestRelay, valueOf, type TestRelay } from '../../support/relay.js';
import { signInForToken } from '../../support/sign-in.js';

const contoso = demoTenants.contoso.id;
const header = 'upn,name,jobTitle,company,roles';
const problemsOf = (ack: { ok: boolean; error?: WireError }): LineProblem[] => (ack.ok ? [] : ack.error?.problems ?? []);

describe('managing an embedded tenant\'s users', function () {
  this.timeout(60_000);
  let t: TestRelay;
  let admin: string;
  const call = <T>(method: string, args: unknown) => adminCall<T>(t, admin, method, args);
  const usersNamed = async (search: string) => valueOf((await call<DirectoryUserView[]>('listUsers', { search })).ack);
  const userOf = async (upn: string) => (await usersNamed(upn)).find((u) => u.upn === upn);

  before(async () => {
    t = await startTestRelay();
    admin = await t.token(demo.contosoAdmin);
  });
  after(async () => t?.stop());

  it('adds a user at a verified domain and answers a one-time link where they choose their password, then sign in', async () => {
    const { ack } = await call<{ user: DirectoryUserView; link: PasswordLink }>('addUser', {
      upn: 'new.nurse@contoso.example', name: 'Amara Okafor', jobTitle: 'Nurse', company: 'Contoso Ltd.', roles: ['help desk operator'],
    });
    const { user, link } = valueOf(ack);
    assert.deepEqual(
      [user.upn, user.name, user.jobTitle, user.roles, user.active, user.source, user.mfaRequired],
      ['new.nurse@contoso.example', 'Amara Okafor', 'Nurse', ['Help Desk Operator'], true, 'embedded', false],
    );
    assert.match(link.url, new RegExp(`^${t.url}/auth/set-password\\?t=[\\w-]{43}$`));
    assert.ok(Date.parse(link.expiresAt) > Date.now() + 23 * 3600_000);
    // No password exists until the person chooses one.
    const before = await t.directory.verifyPassword(contoso, user.upn, '');
    assert.equal(before.ok ? 'ok' : before.error.code, 'sign-in-failed');
    await choosePassword(t.url, link.url, t.caPem, 'amara chooses a long one');
    assert.ok(await signInForToken(t.url, user.upn, 'amara chooses a long one', t.caPem));
  });

  it('refuses a UPN outside the verified domains, one that exists, an unknown role and a malformed address, adding nobody', async () => {
    const outside = await call('addUser', { upn: 'someone@elsewhere.example', name: 'Someone' });
    assert.deepEqual([outside.status, errorCode(outside.ack)], [400, 'validation']);
    assert.match(outside.ack.ok ? '' : outside.ack.error.message, /not at a verified domain of Contoso/);
    const taken = await call('addUser', { upn: demo.contosoHelper.toUpperCase(), name: 'Again' });
    assert.deepEqual([taken.status, errorCode(taken.ack)], [409, 'conflict']);
    const ghost = await call('addUser', { upn: 'ghost@contoso.example', name: 'Ghost', roles: ['Ghost Role'] });
    assert.equal(errorCode(ghost.ack), 'validation');
    const malformed = await call('addUser', { upn: 'not an address', name: 'X' });
    assert.deepEqual([malformed.status, errorCode(malformed.ack)], [400, 'validation']);
    assert.equal(await t.directory.userByUpn('ghost@contoso.example'), undefined);
    assert.equal(await t.directory.userByUpn('someone@elsewhere.example'), undefined);
  });

  it('disables a user (their sign-in is refused) and enables them again; never oneself', async () => {
    const { oid, upn } = demoUsers.contosoSharer;
    const off = valueOf((await call<DirectoryUserView>('setUserActive', { userId: oid, active: false })).ack);
    assert.equal(off.active, false);
    const refused = await t.directory.verifyPassword(contoso, upn, demoPassword);
    assert.equal(refused.ok ? 'ok' : refused.error.code, 'account-disabled');
    assert.equal((await userOf(upn))?.active, false, 'the list shows it');
    assert.equal(valueOf((await call<DirectoryUserView>('setUserActive', { userId: oid, active: true })).ack).active, true);
    assert.equal((await t.directory.verifyPassword(contoso, upn, demoPassword)).ok, true);

    const self = await call('setUserActive', { userId: demoUsers.contosoAdmin.oid, active: false });
    assert.deepEqual([self.status, errorCode(self.ack)], [409, 'conflict']);
    assert.equal((await t.directory.user(contoso, demoUsers.contosoAdmin.oid))?.active, true);
    const foreign = await call('setUserActive', { userId: demoUsers.fabrikamHelper.oid, active: false });
    assert.equal(errorCode(foreign.ack), 'not-found', 'another tenant\u2019s user is not found');
    assert.equal((await t.directory.user(demoTenants.fabrikam.id, demoUsers.fabrikamHelper.oid))?.active, true);
  });

  it('deletes a user, but not oneself', async () => {
    const { user } = valueOf((await call<{ user: DirectoryUserView }>('addUser', { upn: 'temp@contoso.example', name: 'Temp Worker' })).ack);
    valueOf((await call('deleteUser', { userId: user.userId })).ack);
    assert.deepEqual(await usersNamed('temp@contoso.example'), []);
    assert.equal(errorCode((await call('deleteUser', { userId: user.userId })).ack), 'not-found');
    const self = await call('deleteUser', { userId: demoUsers.contosoAdmin.oid });
    assert.deepEqual([self.status, errorCode(self.ack)], [409, 'conflict']);
    assert.ok(await t.directory.user(contoso, demoUsers.contosoAdmin.oid));
  });

  it('resets a password: the old one stops at once, the link sets a new one, an earlier link stops working', async () => {
    const { oid, upn } = demoUsers.contosoHelper;
    const first = valueOf((await call<PasswordLink>('resetPassword', { userId: oid })).ack);
    const second = valueOf((await call<PasswordLink>('resetPassword', { userId: oid })).ack);
    assert.equal(second.upn, upn);
    const old = await t.directory.verifyPassword(contoso, upn, demoPassword);
    assert.equal(old.ok ? 'ok' : old.error.code, 'sign-in-failed');
    await assert.rejects(choosePassword(t.url, first.url, t.caPem, 'the first link is retired'));
    await choosePassword(t.url, second.url, t.caPem, demoPassword);
    assert.equal((await t.directory.verifyPassword(contoso, upn, demoPassword)).ok, true);
  });

  it('requires an authenticator app, and forgets the enrolled one when the requirement is turned off', async () => {
    const { oid } = demoUsers.contosoHelper;
    const on = valueOf((await call<DirectoryUserView>('setTotpRequired', { userId: oid, required: true })).ack);
    assert.deepEqual([on.mfaRequired, on.mfaEnrolled], [true, false]);
    assert.equal((await userOf(demo.contosoHelper))?.mfaRequired, true);
    valueOf((await call('setTotpRequired', { userId: oid, required: false })).ack);
    assert.equal((await userOf(demo.contosoHelper))?.mfaRequired, false);

    // A user who enrolled (the demo's) counts as required; turning it off removes their app.
    const mfaUser = (await userOf(demoMfaUsers.sharer.upn))!;
    assert.deepEqual([mfaUser.mfaRequired, mfaUser.mfaEnrolled], [true, true]);
    const off = valueOf((await call<DirectoryUserView>('setTotpRequired', { userId: mfaUser.userId, required: false })).ack);
    assert.deepEqual([off.mfaRequired, off.mfaEnrolled], [false, false]);
  });

  it('imports a CSV file: new users with links, existing ones updated, roles by name in any case', async () => {
    const csv = [
      header,
      'lena.berg@contoso.example,Lena Berg,Engineer,Contoso Ltd.,Help Desk Operator',
      `"${demo.contosoSharer}","Sato, Mei",Analyst,Contoso Ltd.,`,
      'omar.haddad@contoso.example,عمر حداد,Technician,Contoso Ltd.,help desk operator;Remote Help Administrator',
      '',
    ].join('\r\n');
    const result = valueOf((await call<UserImportResult>('importUsers', { csv: `\uFEFF${csv}` })).ack);
    assert.deepEqual([result.created, result.updated], [2, 1]);
    assert.deepEqual(result.links.map((l) => l.upn), ['lena.berg@contoso.example', 'omar.haddad@contoso.example']);
    assert.match(result.linksCsv.csv, /^upn,name,url,expiresAt\r\nlena\.berg@contoso\.example,Lena Berg,https:\/\/\S+set-password\?t=/);
    assert.equal((await t.directory.userByUpn(demo.contosoSharer))?.name, 'Sato, Mei');
    assert.deepEqual((await t.directory.userByUpn('omar.haddad@contoso.example'))?.roles, ['Help Desk Operator', 'Remote Help Administrator']);
    await choosePassword(t.url, result.links[1]!.url, t.caPem, 'omar picks his passphrase');
    assert.ok(await signInForToken(t.url, 'omar.haddad@contoso.example', 'omar picks his passphrase', t.caPem));
  });

  it('refuses a file with bad rows as a whole, naming every problem with its line', async () => {
    const csv = [
      header,
      'good.one@contoso.example,Good One,,,',
      'bad address,No Name,,,',
      'far@elsewhere.example,Far Away,,,',
      'good.one@contoso.example,Twice,,,',
      'x@contoso.example,X,,,Ghost',
      'short@contoso.example,Short',
      `${demo.fabrikamHelper},Stolen,,,`,
      'noname@contoso.example,,,,',
    ].join('\n');
    const { status, ack } = await call('importUsers', { csv });
    assert.deepEqual([status, errorCode(ack)], [400, 'validation']);
    const problems = problemsOf(ack);
    const lines = problems.map((p) => p.line);
    assert.deepEqual([...new Set(lines)], [3, 4, 5, 6, 7, 8, 9]);
    const at = (line: number) => problems.filter((p) => p.line === line).map((p) => p.message).join(' | ');
    assert.match(at(3), /upn: must be an email address/);
    assert.match(at(4), /not at a verified domain/);
    assert.match(at(5), /already on line 2/);
    assert.match(at(6), /no such role: Ghost/);
    assert.match(at(7), /2 columns; the header has 5/);
    assert.match(at(8), /belongs to another organization/);
    assert.match(at(9), /name:/);
    assert.equal(await t.directory.userByUpn('good.one@contoso.example'), undefined, 'nothing was imported');

    const badHeader = await call('importUsers', { csv: 'email,name\nx@contoso.example,X\n' });
    assert.equal(errorCode(badHeader.ack), 'validation');
    assert.match(problemsOf(badHeader.ack)[0]?.message ?? '', /missing upn, jobTitle, company, roles; unknown email/);
    const unclosed = await call('importUsers', { csv: `${header}\n"open@contoso.example,Open,,,\n` });
    assert.equal(problemsOf(unclosed.ack)[0]?.line, 2);
  });

  it('refuses a file over 5,000 users or over 1 MB with payload-too-large', async () => {
    const rows = Array.from({ length: 5001 }, (_, i) => `u${i}@contoso.example,User ${i},,,`);
    const many = await call('importUsers', { csv: [header, ...rows].join('\n') });
    assert.equal(errorCode(many.ack), 'payload-too-large');
    assert.match(many.ack.ok ? '' : many.ack.error.message, /5001 users; at most 5000/);
    const big = await call('importUsers', { csv: `${header}\n${`a@contoso.example,${'x'.repeat(190)},,,\n`.repeat(5000)}` });
    assert.equal(errorCode(big.ack), 'payload-too-large');
    assert.equal(await t.directory.userByUpn('u1@contoso.example'), undefined);
  });

  it('refuses a file that would take the administrator role from every active administrator', async () => {
    const admins = (await usersNamed('')).filter((u) => u.active && u.roles.includes('Remote Help Administrator'));
    const csv = [header, ...admins.map((u) => `${u.upn},${u.name},,,Help Desk Operator`)].join('\n');
    const { status, ack } = await call('importUsers', { csv });
    assert.deepEqual([status, errorCode(ack)], [409, 'conflict']);
    assert.deepEqual((await t.directory.user(contoso, demoUsers.contosoAdmin.oid))?.roles, ['Remote Help Administrator']);
  });
});

describe('user management rules beyond one admin\u2019s reach', () => {
  let dir: string;
  // An administrator by token whom the directory does not hold: the one caller who can reach the last admin.
  const admin = { tenantId: contoso, userId: 'token-only-admin', upn: 'ops@contoso.example', name: 'Ops', roles: ['Remote Help Administrator'], amr: ['pwd'] };

  async function service(identityType: 'embedded' | 'entra' | 'oidc') {
    dir = mkdtempSync(join(tmpdir(), 'rh-user-admin-'));
    const directory = createDirectory({ dataDir: dir });
    await seedDemoTenants(directory);
    const reports = createReportLog({ dataDir: dir, clock: systemClock });
    const s = createAdminService({ directory, reports, clock: systemClock, log: createMemoryLog(), publicUrl: 'https://help.example', identityType: () => identityType });
    return { s, close: () => { void reports.close(); directory.close(); rmSync(dir, { recursive: true, force: true }); } };
  }

  it('answers conflict for every user change in a tenant that signs in with Entra or an OpenID provider', async () => {
    const { s, close } = await service('entra');
    try {
      const userId = demoUsers.contosoHelper.oid;
      const calls = {
        addUser: { upn: 'x@contoso.example', name: 'X', jobTitle: '', company: '', roles: [] },
        setUserActive: { userId, active: false },
        deleteUser: { userId },
        resetPassword: { userId },
        setTotpRequired: { userId, required: true },
        importUsers: { csv: `${header}\nx@contoso.example,X,,,\n` },
      } as const;
      for (const [method, args] of Object.entries(calls)) {
        const r = await s.call(admin, method as keyof typeof calls, args);
        assert.equal(r.ok ? 'ok' : r.error.code, 'conflict', method);
        assert.match(r.ok ? '' : r.error.message, /Microsoft Entra ID/);
      }
      assert.ok((await s.call(admin, 'listUsers', { search: '' })).ok, 'the list still works');
    } finally {
      close();
    }
  });

  it('never disables or deletes the last active Remote Help Administrator', async () => {
    const { s, close } = await service('embedded');
    try {
      for (const [method, args] of [['deleteUser', { userId: demoUsers.contosoAdmin.oid }], ['setUserActive', { userId: demoUsers.contosoAdmin.oid, active: false }]] as const) {
        const r = await s.call(admin, method, args);
        assert.equal(r.ok ? 'ok' : r.error.code, 'conflict', method);
        assert.match(r.ok ? '' : r.error.message, /last active Remote Help Administrator/);
      }
    } finally {
      close();
    }
  });
});
