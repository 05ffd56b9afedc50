import assert from 'node:assert/strict';
import { demoPassword, demoTenants, demoUsers, lastAdministrator, seedDemoTenants, type DirectoryStore } from '#relay/directory/index.js';
import { forEachDirectoryBackend, freshDirectoryPlace } from '../../support/directory-backends.js';

describe('the life of a directory user', () => forEachDirectoryBackend((backend) => {
  const place = freshDirectoryPlace(backend);
  let directory: DirectoryStore;
  const contoso = demoTenants.contoso.id;
  const fabrikam = demoTenants.fabrikam.id;
  beforeEach(async () => {
    directory = await place().open();
    await seedDemoTenants(directory);
  });

  it('refuses a disabled user\'s right password with account-disabled, a wrong one as before, and lets them in once enabled', async () => {
    const heard: string[] = [];
    directory.onUserDisabled((tenantId, oid) => heard.push(`${tenantId}/${oid}`));
    const { oid, upn } = demoUsers.contosoHelper;
    assert.deepEqual(await directory.setUserActive(contoso, oid, false), { ok: true, value: null });
    assert.equal((await directory.user(contoso, oid))?.active, false);
    assert.deepEqual(heard, [`${contoso}/${oid}`]);
    const right = await directory.verifyPassword(contoso, upn, demoPassword);
    assert.equal(right.ok ? 'ok' : right.error.code, 'account-disabled');
    // Nothing is revealed before the password is right.
    const wrong = await directory.verifyPassword(contoso, upn, 'not the password');
    assert.equal(wrong.ok ? 'ok' : wrong.error.code, 'sign-in-failed');
    await directory.setUserActive(contoso, oid, true);
    assert.equal((await directory.verifyPassword(contoso, upn, demoPassword)).ok, true);
    assert.equal(heard.length, 1, 'enabling is not a disabling');
  });

  it('never lets two administrators taken away at once leave the tenant without one: the check is in the write', async () => {
    const { contosoAdmin: admin, contosoHelper: second } = demoUsers;
    await directory.setUserRoles(contoso, second.oid, ['Remote Help Administrator']);
    const answers = await Promise.all([
      directory.setUserActive(contoso, admin.oid, false, { keepAnAdmin: true }),
      directory.deleteUser(contoso, second.oid, { keepAnAdmin: true }),
    ]);
    assert.deepEqual(answers.map((a) => (a.ok ? 'ok' : a.error.message)).sort(), ['ok', lastAdministrator].sort());
    const left = (await directory.users(contoso, '')).filter((u) => u.active && u.roles.includes('Remote Help Administrator'));
    assert.equal(left.length, 1, 'one active administrator is left');
    // Without the guard (SCIM, the life cycle itself) the last one can go.
    assert.equal((await directory.setUserActive(contoso, left[0]!.userId, false)).ok, true);
  });

  it('keeps both of two SCIM group edits made at once: each reads and writes in one step', async () => {
    const { contosoHelper: a, contosoSharer: b } = demoUsers;
    const made = await directory.createScimGroup(contoso, { displayName: 'Ward 9', externalId: null, members: [] }, Date.now());
    assert.ok(made.ok);
    const add = (oid: string) => directory.updateScimGroup(contoso, made.value.id, (g) => ({
      ok: true as const, value: { displayName: g.displayName, externalId: g.externalId, members: [...(g.members ?? []).map((m) => m.oid), oid] },
    }), Date.now());
    await Promise.all([add(a.oid), add(b.oid)]);
    const group = await directory.scimGroup(contoso, made.value.id, true);
    assert.deepEqual(group?.members?.map((m) => m.oid).sort(), [a.oid, b.oid].sort());
    assert.ok((await directory.userGroups(contoso, a.oid)).includes('Ward 9'));
  });

  it('deletes a user with their links and tells the listeners; a user of another tenant is not found', async () => {
    const heard: string[] = [];
    directory.onUserDisabled((tenantId, oid) => heard.push(`${tenantId}/${oid}`));
    const { oid } = demoUsers.contosoSharer;
    await directory.createPasswordLink(contoso, oid, Date.now(), 60_000);
    const other = await directory.deleteUser(fabrikam, oid);
    assert.equal(other.ok ? 'ok' : other.error.code, 'not-found');
    assert.ok(await directory.user(contoso, oid), 'a wrong tenant deletes nothing');
    assert.deepEqual(await directory.deleteUser(contoso, oid), { ok: true, value: null });
    assert.equal(await directory.user(contoso, oid), undefined);
    assert.deepEqual(heard, [`${contoso}/${oid}`]);
  });

  it('makes a row for a first sign-in through an outside provider, then updates it by subject; what the token lacks stays', async () => {
    const first = await directory.linkSignedInUser(contoso, 'entra', {
      subject: 'entra-oid-1', upn: 'new.person@contoso.example', name: 'New Person', jobTitle: 'Nurse', roles: ['Help Desk Operator'],
    });
    assert.ok(first.ok);
    const row = await directory.user(contoso, first.value.oid);
    assert.equal(row?.source, 'entra');
    assert.equal(row?.jobTitle, 'Nurse');
    const again = await directory.linkSignedInUser(contoso, 'entra', { subject: 'entra-oid-1', upn: 'new.person@contoso.example', name: 'New P. Person' });
    assert.ok(again.ok);
    assert.equal(again.value.oid, first.value.oid);
    assert.equal((await directory.user(contoso, first.value.oid))?.name, 'New P. Person');
    assert.equal((await directory.user(contoso, first.value.oid))?.jobTitle, 'Nurse', 'a token without a job title keeps the known one');
    // No password: such a person cannot sign in at the embedded provider.
  });

  const provision = async (upn: string) => {
    const made = await directory.createScimUser(contoso, {
      upn, name: 'Provisioned Person', jobTitle: 'Ward nurse', company: 'Contoso Health', photoUrl: '', externalId: null, attributes: {}, active: true,
    }, Date.now());
    assert.ok(made.ok);
    return made.value.oid;
  };

  it('gives a SCIM-provisioned row (no subject yet) to the first sign-in with its UPN, keeping what SCIM said', async () => {
    const oid = await provision('nurse@contoso.example');
    const linked = await directory.linkSignedInUser(contoso, 'oidc', { subject: 'sub-77', upn: 'NURSE@contoso.example' });
    assert.deepEqual(linked, { ok: true, value: { oid, active: true } });
    assert.equal((await directory.user(contoso, oid))?.jobTitle, 'Ward nurse');
    const second = await directory.linkSignedInUser(contoso, 'oidc', { subject: 'sub-79', upn: 'nurse@contoso.example' });
    assert.equal(second.ok ? 'ok' : second.error.code, 'conflict', 'one row, one provider account');
  });

  it('never gives an embedded row to an outside sign-in by its UPN: no one takes over the administrator by name', async () => {
    const { oid, upn } = demoUsers.contosoAdmin;
    const takeover = await directory.linkSignedInUser(contoso, 'oidc', { subject: 'mallory', upn, name: 'Mallory' });
    assert.equal(takeover.ok ? 'ok' : takeover.error.code, 'conflict');
    assert.equal((await directory.user(contoso, oid))?.subject, null, 'the row is untouched');
    assert.equal((await directory.user(contoso, oid))?.name, demoUsers.contosoAdmin.name);
  });

  it('refuses a UPN of another tenant, and a new name at a domain another tenant verified', async () => {
    const foreign = await directory.linkSignedInUser(fabrikam, 'oidc', { subject: 'sub-78', upn: demoUsers.contosoSharer.upn });
    assert.equal(foreign.ok ? 'ok' : foreign.error.code, 'conflict');
    const squat = await directory.linkSignedInUser(fabrikam, 'oidc', { subject: 'sub-80', upn: 'not-yet-here@contoso.example' });
    assert.equal(squat.ok ? 'ok' : squat.error.code, 'conflict', 'contoso.example is Contoso\'s to give');
    assert.equal(await directory.userByUpn('not-yet-here@contoso.example'), undefined);
  });

  it('does not make a deleted outside person again from a token they still hold, until they are provisioned again', async () => {
    const oid = await provision('leaver@contoso.example');
    assert.ok((await directory.linkSignedInUser(contoso, 'entra', { subject: 'leaver-oid', upn: 'leaver@contoso.example' })).ok);
    await directory.deleteUser(contoso, oid);
    const again = await directory.linkSignedInUser(contoso, 'entra', { subject: 'leaver-oid', upn: 'leaver@contoso.example' });
    assert.equal(again.ok ? 'ok' : again.error.code, 'account-disabled');
    const back = await provision('leaver@contoso.example');
    assert.deepEqual(await directory.linkSignedInUser(contoso, 'entra', { subject: 'leaver-oid', upn: 'leaver@contoso.example' }), { ok: true, value: { oid: back, active: true } });
  });

  it('answers a disabled user\'s sign-in through an outside provider as inactive', async () => {
    const first = await directory.linkSignedInUser(contoso, 'entra', { subject: 's-1', upn: 'gone@contoso.example' });
    assert.ok(first.ok);
    await directory.setUserActive(contoso, first.value.oid, false);
    const again = await directory.linkSignedInUser(contoso, 'entra', { subject: 's-1', upn: 'gone@contoso.example' });
    assert.deepEqual(again, { ok: true, value: { oid: first.value.oid, active: false } });
  });
}));
