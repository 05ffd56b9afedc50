import assert from 'node:assert/strict';
import { demoTenants } from '#relay/directory/index.js';
import { connected, demo, next, request, valueOf, type TestRelay } from '../../support/relay.js';
import { eqFilter, type ScimClient, startScimRelay, stopScimRelay } from '../../support/scim-client.js';
import { signInForToken } from '../../support/sign-in.js';
import { forEachDirectoryBackend, suiteDirectoryPlace } from '../../support/directory-backends.js';

const contoso = demoTenants.contoso.id;
const token = 'contoso-scim-token-0123456789abcdef0123456789';
const enterprise = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const patchOp = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const upn = 'ines.ortega@contoso.example';
const password = 'Provisioned!Pass-2026';

// The request bodies below are the shapes Entra's provisioning service sends (Microsoft's "Tutorial:
// Develop and plan provisioning for a SCIM endpoint" and its SCIM 2.0 compliance notes): capitalised
// ops, an extension attribute as a path, a value object without a path, active as the text "False".
const entraCreate = {
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', enterprise],
  externalId: '0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef',
  userName: upn,
  active: true,
  displayName: 'Inés Ortega',
  emails: [{ primary: true, type: 'work', value: upn }],
  meta: { resourceType: 'User' },
  name: { formatted: 'Inés Ortega', familyName: 'Ortega', givenName: 'Inés' },
  roles: [],
};

describe('SCIM: the request sequence of Entra\'s provisioning service', function () {
  this.timeout(20_000);
  forEachDirectoryBackend((backend) => {
  const directory = suiteDirectoryPlace(backend);
  let relay: TestRelay;
  let scim: ScimClient;
  let userId: string;

  before(async () => ({ relay, scim } = await startScimRelay(contoso, token, await directory.open())));
  after(() => stopScimRelay(relay, scim));

  it('looks the user up (none), creates them, and finds them by userName', async () => {
    const none = await scim.get(`/Users${eqFilter('userName', upn)}`);
    assert.equal(none.status, 200);
    assert.match(String(none.headers['content-type']), /^application\/scim\+json/);
    assert.deepEqual(none.json, { schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'], totalResults: 0, startIndex: 1, itemsPerPage: 0, Resources: [] });

    const created = await scim.post('/Users', entraCreate);
    assert.equal(created.status, 201, created.text);
    userId = created.json.id;
    assert.equal(created.json.userName, upn);
    assert.equal(created.json.active, true);
    assert.equal(created.json.externalId, entraCreate.externalId);
    assert.deepEqual(created.json.emails, entraCreate.emails);
    assert.equal(created.json.meta.location, `${relay.url}/scim/v2/Users/${userId}`);

    const found = await scim.get(`/Users${eqFilter('userName', upn.toUpperCase())}`);
    assert.equal(found.json.totalResults, 1, 'userName is matched in any case');
    assert.equal(found.json.Resources[0].id, userId);
    const row = await relay.directory.user(contoso, userId);
    assert.equal(row?.source, 'scim');
    assert.equal(row?.name, 'Inés Ortega');
  });

  it('takes Entra\'s PATCH of the title and the enterprise extension, and the trust screen shows them', async () => {
    const patched = await scim.patch(`/Users/${userId}`, {
      schemas: [patchOp],
      Operations: [
        { op: 'Replace', path: 'title', value: 'Field Nurse' },
        { op: 'Add', path: `${enterprise}:department`, value: 'Cardiology' },
        { op: 'Replace', value: { [`${enterprise}:organization`]: 'Contoso Health', 'name.givenName': 'Inés María' } },
      ],
    });
    assert.equal(patched.status, 200, patched.text);
    assert.equal(patched.json.title, 'Field Nurse');
    assert.deepEqual(patched.json[enterprise], { department: 'Cardiology', organization: 'Contoso Health' });
    assert.deepEqual(patched.json.name, { formatted: 'Inés Ortega', familyName: 'Ortega', givenName: 'Inés María' }, 'the other parts of name stay');
    assert.ok(patched.json.schemas.includes(enterprise));
    const profile = await relay.directory.profile(contoso, userId);
    assert.equal(profile?.jobTitle, 'Field Nurse');
    assert.equal(profile?.company, 'Contoso Health');
    assert.equal(profile?.name, 'Inés Ortega');
    assert.equal(profile?.domainVerified, true);
  });

  it('deactivates with active "False": no more sign-in, create or join, and a live session ends on both sides with account-disabled', async () => {
    // An embedded tenant's provisioned user gets a password through a set-password link, then signs in.
    const link = await relay.directory.createPasswordLink(contoso, userId, Date.now(), 60_000);
    assert.ok((await relay.directory.usePasswordLink(link, password, Date.now())).ok);
    const userToken = await signInForToken(relay.url, upn, password, relay.caPem);
    const provisioned = await connected(relay.socket({ token: userToken }));
    const helper = await relay.connect(demo.contosoHelper);

    const created = valueOf(await request(helper, 'session:create', {}));
    const helperTrust = next(helper, 'session:trust', (t) => t.sessionId === created.sessionId);
    valueOf(await request(provisioned, 'session:join', { code: created.code }));
    const seen = await helperTrust;
    assert.equal(seen.peer.jobTitle, 'Field Nurse', 'the provisioned profile fills the trust screen');
    assert.equal(seen.peer.company, 'Contoso Health');

    const helperTold = next(helper, 'session:ended', (e) => e.sessionId === created.sessionId);
    const userTold = next(provisioned, 'session:ended', (e) => e.sessionId === created.sessionId);
    const gone = new Promise<void>((resolve) => provisioned.once('disconnect', () => resolve()));
    const off = await scim.patch(`/Users/${userId}`, { schemas: [patchOp], Operations: [{ op: 'Replace', path: 'active', value: 'False' }] });
    assert.equal(off.status, 200, off.text);
    assert.equal(off.json.active, false);
    assert.equal((await helperTold).reason, 'account-disabled');
    assert.equal((await userTold).reason, 'account-disabled');
    await gone;

    const again = await relay.directory.verifyPassword(contoso, upn, password);
    assert.equal(again.ok ? 'ok' : again.error.code, 'account-disabled');
    const refused = await connected(relay.socket({ token: userToken })).then(() => undefined, (e: Error & { data?: { code?: string } }) => e);
    assert.equal(refused?.data?.code, 'account-disabled', 'the token they hold no longer opens a socket');
    helper.disconnect();

    const read = await scim.get(`/Users/${userId}`);
    assert.equal(read.json.active, false);
    const byFilter = await scim.get(`/Users${eqFilter('userName', upn)}`);
    assert.equal(byFilter.json.Resources[0].active, false);
  });

  it('enables the user again with a value object, as older Entra jobs send it', async () => {
    const on = await scim.patch(`/Users/${userId}`, { schemas: [patchOp], Operations: [{ op: 'Replace', value: { active: true } }] });
    assert.equal(on.json.active, true);
    assert.equal((await relay.directory.verifyPassword(contoso, upn, password)).ok, true);
  });

  it('creates a group, adds the user, renames it, and removes the user by members[value eq …]; the user\'s groups follow', async () => {
    const group = await scim.post('/Groups', {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group', 'http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/Group'],
      externalId: '8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159',
      displayName: 'Ward 7 Nurses',
      meta: { resourceType: 'Group' },
    });
    assert.equal(group.status, 201, group.text);
    const groupId: string = group.json.id;

    const lookup = await scim.get(`/Groups${eqFilter('displayName', 'ward 7 nurses')}&excludedAttributes=members`);
    assert.equal(lookup.json.totalResults, 1);
    assert.equal(lookup.json.Resources[0].id, groupId);
    assert.equal('members' in lookup.json.Resources[0], false, 'excludedAttributes=members leaves them out');

    const add = await scim.patch(`/Groups/${groupId}`, {
      schemas: [patchOp], Operations: [{ name: 'addMember', op: 'Add', path: 'members', value: [{ $ref: null, value: userId }] }],
    });
    assert.equal(add.status, 204, add.text);
    assert.deepEqual((await relay.directory.user(contoso, userId))?.groups, ['Ward 7 Nurses']);
    const withMember = await scim.get(`/Groups/${groupId}`);
    assert.deepEqual(withMember.json.members.map((m: { value: string }) => m.value), [userId]);
    assert.deepEqual((await scim.get(`/Users/${userId}`)).json.groups.map((g: { display: string }) => g.display), ['Ward 7 Nurses']);

    const rename = await scim.patch(`/Groups/${groupId}`, { schemas: [patchOp], Operations: [{ op: 'Replace', path: 'displayName', value: 'Ward 7 Nursing' }] });
    assert.equal(rename.status, 204, rename.text);
    assert.deepEqual((await relay.directory.user(contoso, userId))?.groups, ['Ward 7 Nursing']);

    const remove = await scim.patch(`/Groups/${groupId}`, { schemas: [patchOp], Operations: [{ op: 'Remove', path: `members[value eq "${userId}"]` }] });
    assert.equal(remove.status, 204, remove.text);
    assert.deepEqual((await relay.directory.user(contoso, userId))?.groups, []);

    // Entra's other removal form: the members as a value list; and deleting the group leaves no name behind.
    await scim.patch(`/Groups/${groupId}`, { schemas: [patchOp], Operations: [{ op: 'Add', path: 'members', value: [{ value: userId }] }] });
    assert.deepEqual((await relay.directory.user(contoso, userId))?.groups, ['Ward 7 Nursing']);
    await scim.patch(`/Groups/${groupId}`, { schemas: [patchOp], Operations: [{ name: 'removeMember', op: 'Remove', path: 'members', value: [{ $ref: null, value: userId }] }] });
    assert.deepEqual((await relay.directory.user(contoso, userId))?.groups, []);
    await scim.patch(`/Groups/${groupId}`, { schemas: [patchOp], Operations: [{ op: 'add', path: 'members', value: [{ value: userId }] }] });
    assert.equal((await scim.delete(`/Groups/${groupId}`)).status, 204);
    assert.deepEqual((await relay.directory.user(contoso, userId))?.groups, []);
  });

  it('deletes the user: gone from the directory, 404 after', async () => {
    assert.equal((await scim.delete(`/Users/${userId}`)).status, 204);
    assert.equal(await relay.directory.user(contoso, userId), undefined);
    const after = await scim.get(`/Users/${userId}`);
    assert.equal(after.status, 404);
    assert.equal(after.json.status, '404');
  });
  after(() => directory.remove());
  });
});
