import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDirectory, demoPassword, demoTenants, demoUsers, seedDemoTenants, type DirectoryStore } from '#relay/directory/index.js';

describe('the life of a directory user', () => {
  let dir: string;
  let directory: DirectoryStore;
  const contoso = demoTenants.contoso.id;
  const fabrikam = demoTenants.fabrikam.id;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rh-lifecycle-'));
    directory = createDirectory({ dataDir: dir });
    await seedDemoTenants(directory);
  });
  afterEach(async () => {
    directory.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('refuses a disabled user\'s right password with account-disabled, a wrong one as before, and lets them in once enabled', async () => {
    const heard: string[] = [];
    directory.onUserDisabled((tenantId, oid) => heard.push(`${tenantId}/${oid}`));
    const { oid, upn } = demoUsers.contosoHelper;
    assert.deepEqual(directory.setUserActive(contoso, oid, false), { ok: true, value: null });
    assert.equal(directory.user(contoso, oid)?.active, false);
    assert.deepEqual(heard, [`${contoso}/${oid}`]);
    const right = await directory.verifyPassword(contoso, upn, demoPassword);
    assert.equal(right.ok ? 'ok' : right.error.code, 'account-disabled');
    // Nothing is revealed before the password is right.
    const wrong = await directory.verifyPassword(contoso, upn, 'not the password');
    assert.equal(wrong.ok ? 'ok' : wrong.error.code, 'sign-in-failed');
    directory.setUserActive(contoso, oid, true);
    assert.equal((await directory.verifyPassword(contoso, upn, demoPassword)).ok, true);
    assert.equal(heard.length, 1, 'enabling is not a disabling');
  });

  it('deletes a user with their links and tells the listeners; a user of another tenant is not found', () => {
    const heard: string[] = [];
    directory.onUserDisabled((tenantId, oid) => heard.push(`${tenantId}/${oid}`));
    const { oid } = demoUsers.contosoSharer;
    directory.createPasswordLink(contoso, oid, Date.now(), 60_000);
    const other = directory.deleteUser(fabrikam, oid);
    assert.equal(other.ok ? 'ok' : other.error.code, 'not-found');
    assert.ok(directory.user(contoso, oid), 'a wrong tenant deletes nothing');
    assert.deepEqual(directory.deleteUser(contoso, oid), { ok: true, value: null });
    assert.equal(directory.user(contoso, oid), undefined);
    assert.deepEqual(heard, [`${contoso}/${oid}`]);
  });

  it('makes a row for a first sign-in through an outside provider, then updates it by subject; what the token lacks stays', () => {
    const first = directory.linkSignedInUser(contoso, 'entra', {
      subject: 'entra-oid-1', upn: 'new.person@contoso.example', name: 'New Person', jobTitle: 'Nurse', roles: ['Help Desk Operator'],
    });
    assert.ok(first.ok);
    const row = directory.user(contoso, first.value.oid);
    assert.equal(row?.source, 'entra');
    assert.equal(row?.jobTitle, 'Nurse');
    const again = directory.linkSignedInUser(contoso, 'entra', { subject: 'entra-oid-1', upn: 'new.person@contoso.example', name: 'New P. Person' });
    assert.ok(again.ok);
    assert.equal(again.value.oid, first.value.oid);
    assert.equal(directory.user(contoso, first.value.oid)?.name, 'New P. Person');
    assert.equal(directory.user(contoso, first.value.oid)?.jobTitle, 'Nurse', 'a token without a job title keeps the known one');
    // No password: such a person cannot sign in at the embedded provider.
  });

  it('gives a provisioned row (no subject yet) to the first sign-in with its UPN, and refuses a UPN of another tenant', async () => {
    const { oid, upn } = demoUsers.contosoSharer;
    const linked = directory.linkSignedInUser(contoso, 'oidc', { subject: 'sub-77', upn: upn.toUpperCase() });
    assert.ok(linked.ok);
    assert.equal(linked.value.oid, oid);
    const foreign = directory.linkSignedInUser(fabrikam, 'oidc', { subject: 'sub-78', upn });
    assert.equal(foreign.ok ? 'ok' : foreign.error.code, 'conflict');
    const second = directory.linkSignedInUser(contoso, 'oidc', { subject: 'sub-79', upn });
    assert.equal(second.ok ? 'ok' : second.error.code, 'conflict', 'one row, one provider account');
  });

  it('answers a disabled user\'s sign-in through an outside provider as inactive', () => {
    const first = directory.linkSignedInUser(contoso, 'entra', { subject: 's-1', upn: 'gone@contoso.example' });
    assert.ok(first.ok);
    directory.setUserActive(contoso, first.value.oid, false);
    const again = directory.linkSignedInUser(contoso, 'entra', { subject: 's-1', upn: 'gone@contoso.example' });
    assert.deepEqual(again, { ok: true, value: { oid: first.value.oid, active: false } });
  });
});
