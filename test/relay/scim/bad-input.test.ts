// A SCIM request with a bad token, a bad filter or a malformed body gets the SCIM error shape and
// changes nothing: every case below counts the tenant's users and groups (and reads a user) before and
// after.
import assert from 'node:assert/strict';
import { demoTenants, demoUsers } from '#relay/directory/index.js';
import { startTestRelay, type TestRelay } from '../../support/relay.js';
import { eqFilter, scimClient, type ScimClient, type ScimResponse } from '../../support/scim-client.js';
import { forEachDirectoryBackend, suiteDirectoryPlace } from '../../support/directory-backends.js';

const contoso = demoTenants.contoso.id;
const fabrikam = demoTenants.fabrikam.id;
const contosoToken = 'contoso-scim-0123456789abcdef0123456789abcdef';
const fabrikamToken = 'fabrikam-scim-0123456789abcdef0123456789abcdef';
const userSchema = 'urn:ietf:params:scim:schemas:core:2.0:User';
const groupSchema = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const patchOp = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

function assertScimError(res: ScimResponse, status: number, scimType?: string): void {
  assert.equal(res.status, status, res.text);
  assert.match(String(res.headers['content-type']), /^application\/scim\+json/);
  assert.deepEqual(res.json.schemas, ['urn:ietf:params:scim:api:messages:2.0:Error']);
  assert.equal(res.json.status, String(status));
  assert.equal(res.json.scimType, scimType);
  assert.equal(typeof res.json.detail, 'string');
  assert.ok(res.json.detail.length > 0);
}

describe('SCIM: bad input gets the SCIM error shape and changes nothing', function () {
  this.timeout(20_000);
  forEachDirectoryBackend((backend) => {
  const directory = suiteDirectoryPlace(backend);
  let relay: TestRelay;
  let scim: ScimClient;
  let other: ScimClient;
  let userId: string;
  let groupId: string;

  const state = async () => ({
    contoso: (await relay.directory.scimUsers(contoso, undefined, { offset: 0, limit: 0 })).total,
    fabrikam: (await relay.directory.scimUsers(fabrikam, undefined, { offset: 0, limit: 0 })).total,
    groups: (await relay.directory.scimGroups(contoso, undefined, { offset: 0, limit: 0 }, false)).total,
    user: await relay.directory.scimUser(contoso, userId),
    group: await relay.directory.scimGroup(contoso, groupId, true),
  });
  /** Runs `request`, checks its error, and that nothing in the directory moved. */
  async function refusedUnchanged(request: () => Promise<ScimResponse>, status: number, scimType?: string): Promise<ScimResponse> {
    const before = await state();
    const res = await request();
    assertScimError(res, status, scimType);
    assert.deepEqual(await state(), before, 'the directory changed');
    return res;
  }

  before(async () => {
    relay = await startTestRelay({}, { scimTokens: { [contoso]: contosoToken, [fabrikam]: fabrikamToken }, directory: await directory.open() });
    scim = scimClient(relay.url, relay.caPem, contosoToken);
    other = scimClient(relay.url, relay.caPem, fabrikamToken);
    userId = (await scim.post('/Users', { schemas: [userSchema], userName: 'kept@contoso.example', title: 'Kept' })).json.id;
    groupId = (await scim.post('/Groups', { schemas: [groupSchema], displayName: 'Kept Group', members: [{ value: userId }] })).json.id;
  });
  after(async () => {
    scim?.close();
    other?.close();
    await relay?.stop();
  });

  it('refuses a request without a token or with a wrong one: 401', async () => {
    const none = await refusedUnchanged(() => scim.send('POST', '/Users', { body: { schemas: [userSchema], userName: 'x@contoso.example' }, token: null }), 401);
    assert.equal(none.headers['www-authenticate'], 'Bearer realm="scim"');
    await refusedUnchanged(() => scim.send('DELETE', `/Users/${userId}`, { token: `${contosoToken}x` }), 401);
    await refusedUnchanged(() => scim.send('GET', '/ServiceProviderConfig', { token: 'short' }), 401);
  });

  it('keeps each tenant to its own users: another tenant\'s token neither sees nor changes them', async () => {
    const listed = await other.get('/Users?count=200');
    assert.ok(listed.json.Resources.every((r: { userName: string }) => r.userName.endsWith('@fabrikam.example')));
    assert.equal((await other.get(`/Users${eqFilter('userName', 'kept@contoso.example')}`)).json.totalResults, 0);
    await refusedUnchanged(() => other.get(`/Users/${userId}`), 404);
    await refusedUnchanged(() => other.patch(`/Users/${userId}`, { schemas: [patchOp], Operations: [{ op: 'replace', path: 'active', value: false }] }), 404);
    await refusedUnchanged(() => other.delete(`/Users/${userId}`), 404);
    await refusedUnchanged(() => other.delete(`/Groups/${groupId}`), 404);
    // UPNs are unique across tenants: Fabrikam cannot take a Contoso name.
    await refusedUnchanged(() => other.post('/Users', { schemas: [userSchema], userName: 'KEPT@contoso.example' }), 409, 'uniqueness');
    // Nor put a Contoso user in one of its groups.
    await refusedUnchanged(() => other.post('/Groups', { schemas: [groupSchema], displayName: 'Raid', members: [{ value: userId }] }), 400, 'invalidValue');
    await refusedUnchanged(() => scim.post('/Groups', { schemas: [groupSchema], displayName: 'Mixed', members: [{ value: userId }, { value: demoUsers.fabrikamHelper.oid }] }), 400, 'invalidValue');
  });

  it('refuses a filter it cannot read, or one on attributes it does not have: 400 invalidFilter', async () => {
    await refusedUnchanged(() => scim.get(`/Users?filter=${encodeURIComponent('userName eq')}`), 400, 'invalidFilter');
    await refusedUnchanged(() => scim.get(`/Users?filter=${encodeURIComponent('userName eq "a" and (')}`), 400, 'invalidFilter');
    await refusedUnchanged(() => scim.get(`/Users?filter=${encodeURIComponent('favouriteColour eq "blue"')}`), 400, 'invalidFilter');
    await refusedUnchanged(() => scim.get(`/Groups?filter=${encodeURIComponent('displayName xx "a"')}`), 400, 'invalidFilter');
    await refusedUnchanged(() => scim.get('/Users?startIndex=first'), 400, 'invalidValue');
  });

  it('refuses a body that is not JSON, not a User, or too large, and creates nothing', async () => {
    await refusedUnchanged(() => scim.send('POST', '/Users', { raw: '{"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": ' }), 400, 'invalidSyntax');
    await refusedUnchanged(() => scim.send('POST', '/Users', { raw: '[]' }), 400, 'invalidSyntax');
    await refusedUnchanged(() => scim.send('POST', '/Users', { raw: JSON.stringify({ schemas: [userSchema], userName: 'a@contoso.example' }), contentType: 'text/plain' }), 400, 'invalidSyntax');
    await refusedUnchanged(() => scim.post('/Users', { schemas: [groupSchema], userName: 'wrong.schema@contoso.example' }), 400, 'invalidValue');
    await refusedUnchanged(() => scim.post('/Users', { userName: 'no.schemas@contoso.example' }), 400, 'invalidValue');
    await refusedUnchanged(() => scim.post('/Users', { schemas: [userSchema], displayName: 'No Name' }), 400, 'invalidValue');
    await refusedUnchanged(() => scim.post('/Users', { schemas: [userSchema], userName: 42 }), 400, 'invalidValue');
    await refusedUnchanged(() => scim.post('/Users', { schemas: [userSchema], userName: 'bad.active@contoso.example', active: 'maybe' }), 400, 'invalidValue');
    await refusedUnchanged(() => scim.post('/Users', { schemas: [userSchema], userName: 'bad.emails@contoso.example', emails: 'a@b.example' }), 400, 'invalidValue');
    await refusedUnchanged(() => scim.post('/Groups', { schemas: [groupSchema], displayName: '' }), 400, 'invalidValue');
    const huge = { schemas: [userSchema], userName: 'huge@contoso.example', nickName: 'x'.repeat(1024 * 1024 + 10) };
    await refusedUnchanged(() => scim.post('/Users', huge), 413);
  });

  it('refuses a PATCH it cannot apply, whole: a bad op, an unknown or read-only path, no target, a bad value', async () => {
    const patch = (...ops: unknown[]) => scim.patch(`/Users/${userId}`, { schemas: [patchOp], Operations: ops });
    await refusedUnchanged(() => scim.patch(`/Users/${userId}`, { Operations: [{ op: 'replace', path: 'title', value: 'x' }] }), 400, 'invalidSyntax');
    await refusedUnchanged(() => patch({ op: 'move', path: 'title', value: 'x' }), 400, 'invalidSyntax');
    await refusedUnchanged(() => scim.patch(`/Users/${userId}`, { schemas: [patchOp], Operations: [] }), 400, 'invalidSyntax');
    await refusedUnchanged(() => patch({ op: 'replace', path: 'favouriteColour', value: 'blue' }), 400, 'invalidPath');
    await refusedUnchanged(() => patch({ op: 'replace', path: '__proto__.polluted', value: 'yes' }), 400, 'invalidPath');
    assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
    await refusedUnchanged(() => patch({ op: 'replace', path: 'id', value: 'mine' }), 400, 'mutability');
    await refusedUnchanged(() => patch({ op: 'remove' }), 400, 'noTarget');
    await refusedUnchanged(() => patch({ op: 'replace', path: 'emails[type eq "home"].value' }), 400, 'invalidValue');
    // The first operation is fine, the second is not: neither is applied.
    await refusedUnchanged(() => patch({ op: 'replace', path: 'title', value: 'Changed' }, { op: 'replace', path: 'active', value: 'perhaps' }), 400, 'invalidValue');
    await refusedUnchanged(() => patch({ op: 'replace', path: 'title', value: 'Changed' }, { op: 'replace', path: 'userName', value: demoUsers.contosoHelper.upn }), 409, 'uniqueness');
    await refusedUnchanged(() => scim.patch(`/Groups/${groupId}`, { schemas: [patchOp], Operations: [{ op: 'add', path: 'members', value: [{ value: 'nobody' }] }] }), 400, 'invalidValue');
    await refusedUnchanged(() => scim.patch(`/Groups/${groupId}`, { schemas: [patchOp], Operations: [{ op: 'replace', path: 'members[value eq "nobody"]', value: { value: userId } }] }), 400, 'noTarget');
    await refusedUnchanged(() => scim.patch(`/Groups/${groupId}`, { schemas: [patchOp], Operations: [{ op: 'replace', path: 'members[value eq "nobody"].display', value: 'x' }] }), 400, 'mutability');
    assert.equal((await relay.directory.user(contoso, userId))?.jobTitle, 'Kept');
    assert.equal((await relay.directory.user(contoso, userId))?.active, true);
  });

  it('answers an unknown endpoint or id with a SCIM 404', async () => {
    await refusedUnchanged(() => scim.get('/Devices'), 404);
    await refusedUnchanged(() => scim.get('/Users/00000000-0000-0000-0000-000000000000'), 404);
    await refusedUnchanged(() => scim.put('/Groups/nothing', { schemas: [groupSchema], displayName: 'Nothing' }), 404);
    await refusedUnchanged(() => scim.get('/Schemas/urn:example:none'), 404);
  });
  after(() => directory.remove());
  });
});
