// The basic cases of Microsoft's SCIM validator (the provisioning test tool for Entra's gallery): schema
// discovery, then create / get / filter / patch / replace / delete of users and groups, 404 after a
// delete and 409 on a duplicate, with bodies in the validator's shapes.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { demoTenants, demoUsers } from '#relay/directory/index.js';
import { type TestRelay } from '../../support/relay.js';
import { eqFilter, type ScimClient, startScimRelay, stopScimRelay } from '../../support/scim-client.js';
import { forEachDirectoryBackend, suiteDirectoryPlace } from '../../support/directory-backends.js';

const contoso = demoTenants.contoso.id;
const token = 'validator-token-0123456789abcdef0123456789abcdef';
const userSchema = 'urn:ietf:params:scim:schemas:core:2.0:User';
const groupSchema = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const enterprise = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const patchOp = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

const validatorUser = (n: number) => ({
  schemas: [userSchema, enterprise],
  userName: `val.user${n}.${randomUUID().slice(0, 8)}@contoso.example`,
  active: true,
  displayName: `VALIDATOR USER ${n}`,
  title: 'Tester',
  emails: [{ type: 'work', value: `user${n}@prohaska.example`, primary: true }],
  preferredLanguage: 'sv-SE',
  name: { givenName: 'Sandy', familyName: `Nia${n}`, formatted: `Sandy Nia${n}` },
  addresses: [{ type: 'work', streetAddress: '1 Main St', locality: 'Lund', postalCode: '22100', country: 'SE', primary: true }],
  phoneNumbers: [{ type: 'work', value: '+46 46 000 00 00' }, { type: 'mobile', value: '+46 70 000 00 00' }],
  externalId: randomUUID(),
  [enterprise]: { employeeNumber: String(1000 + n), department: 'QA', organization: 'Contoso Ltd.', manager: { value: 'mgr-1' } },
});

describe('SCIM: the validator\'s basic cases', function () {
  this.timeout(20_000);
  forEachDirectoryBackend((backend) => {
  const directory = suiteDirectoryPlace(backend);
  let relay: TestRelay;
  let scim: ScimClient;

  before(async () => ({ relay, scim } = await startScimRelay(contoso, token, await directory.open())));
  after(() => stopScimRelay(relay, scim));

  describe('discovery', () => {
    it('answers ServiceProviderConfig: PATCH and filter supported, bulk, sort and etag not, bearer tokens', async () => {
      const res = await scim.get('/ServiceProviderConfig');
      assert.equal(res.status, 200);
      assert.deepEqual(res.json.schemas, ['urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig']);
      assert.equal(res.json.patch.supported, true);
      assert.deepEqual(res.json.filter, { supported: true, maxResults: 200 });
      assert.equal(res.json.bulk.supported, false);
      assert.equal(res.json.authenticationSchemes[0].type, 'oauthbearertoken');
    });

    it('answers ResourceTypes and Schemas, made from the attributes it reads', async () => {
      const types = await scim.get('/ResourceTypes');
      assert.deepEqual(types.json.Resources.map((r: { id: string }) => r.id), ['User', 'Group']);
      assert.deepEqual(types.json.Resources[0].schemaExtensions, [{ schema: enterprise, required: false }]);
      assert.equal((await scim.get('/ResourceTypes/Group')).json.endpoint, '/Groups');
      const schemas = await scim.get('/Schemas');
      assert.deepEqual(schemas.json.Resources.map((r: { id: string }) => r.id), [userSchema, enterprise, groupSchema]);
      const user = await scim.get(`/Schemas/${userSchema}`);
      const userName = user.json.attributes.find((a: { name: string }) => a.name === 'userName');
      assert.deepEqual([userName.required, userName.uniqueness, userName.caseExact], [true, 'server', false]);
      assert.equal(user.json.attributes.find((a: { name: string }) => a.name === 'groups').mutability, 'readOnly');
    });
  });

  describe('users', () => {
    it('creates a user and reads it back as sent, by id, by userName and by externalId', async () => {
      const body = validatorUser(1);
      const created = await scim.post('/Users', body);
      assert.equal(created.status, 201, created.text);
      const { id } = created.json;
      for (const key of ['userName', 'displayName', 'title', 'emails', 'preferredLanguage', 'name', 'addresses', 'phoneNumbers', 'externalId', enterprise] as const) {
        assert.deepEqual(created.json[key], body[key], key);
      }
      assert.deepEqual(created.json.meta.resourceType, 'User');
      assert.ok(created.json.meta.created && created.json.meta.lastModified);
      const byId = await scim.get(`/Users/${id}`);
      assert.deepEqual(byId.json, created.json);
      assert.equal((await scim.get(`/Users${eqFilter('userName', body.userName)}`)).json.Resources[0].id, id);
      assert.equal((await scim.get(`/Users${eqFilter('externalId', body.externalId)}`)).json.totalResults, 1);
      // externalId is caseExact (RFC 7643): another case is another value.
      assert.equal((await scim.get(`/Users${eqFilter('externalId', body.externalId.toUpperCase())}`)).json.totalResults, 0);
      assert.equal((await relay.directory.profile(contoso, id))?.company, 'Contoso Ltd.');
    });

    it('answers 409 uniqueness for a userName that exists, in any case', async () => {
      const body = validatorUser(2);
      assert.equal((await scim.post('/Users', body)).status, 201);
      const again = await scim.post('/Users', { ...validatorUser(3), userName: body.userName.toUpperCase() });
      assert.equal(again.status, 409);
      assert.deepEqual([again.json.status, again.json.scimType], ['409', 'uniqueness']);
      const demo = await scim.post('/Users', { ...validatorUser(4), userName: demoUsers.contosoHelper.upn });
      assert.equal(demo.status, 409, 'a user the organization already has is not made twice');
    });

    it('patches several attributes at once, and disabling shows in a GET and in a filter', async () => {
      const { json: created } = await scim.post('/Users', validatorUser(5));
      const newName = `renamed.${randomUUID().slice(0, 8)}@contoso.example`;
      const patched = await scim.patch(`/Users/${created.id}`, {
        schemas: [patchOp],
        Operations: [
          { op: 'replace', path: 'userName', value: newName },
          { op: 'replace', path: 'displayName', value: 'Renamed Person' },
          { op: 'replace', path: 'emails[type eq "work"].value', value: 'renamed@prohaska.example' },
          { op: 'replace', path: 'name.familyName', value: 'Renamed' },
          { op: 'add', path: 'phoneNumbers[type eq "fax"].value', value: '+46 46 111 11 11' },
          { op: 'remove', path: `${enterprise}:manager` },
        ],
      });
      assert.equal(patched.status, 200, patched.text);
      assert.equal(patched.json.userName, newName);
      assert.equal(patched.json.emails[0].value, 'renamed@prohaska.example');
      assert.equal(patched.json.name.familyName, 'Renamed');
      assert.equal(patched.json.name.givenName, 'Sandy');
      assert.deepEqual(patched.json.phoneNumbers.map((p: { type: string }) => p.type), ['work', 'mobile', 'fax']);
      assert.equal(patched.json[enterprise].manager, undefined);
      assert.equal((await relay.directory.user(contoso, created.id))?.upn, newName);
      assert.equal((await relay.directory.user(contoso, created.id))?.name, 'Renamed Person');

      await scim.patch(`/Users/${created.id}`, { schemas: [patchOp], Operations: [{ op: 'replace', path: 'active', value: false }] });
      assert.equal((await scim.get(`/Users/${created.id}`)).json.active, false);
      const filtered = await scim.get(`/Users${eqFilter('userName', newName)}`);
      assert.equal(filtered.json.Resources[0].active, false);
      const inactive = await scim.get(`/Users?filter=${encodeURIComponent(`active eq false and displayName co "renamed"`)}`);
      assert.deepEqual(inactive.json.Resources.map((r: { id: string }) => r.id), [created.id], 'a filter no index answers is applied too');
    });

    it('replaces a user with PUT: attributes left out are gone, active left out stays as it is', async () => {
      const body = validatorUser(6);
      const { json: created } = await scim.post('/Users', body);
      await scim.patch(`/Users/${created.id}`, { schemas: [patchOp], Operations: [{ op: 'replace', path: 'active', value: false }] });
      const put = await scim.put(`/Users/${created.id}`, { schemas: [userSchema], userName: body.userName, displayName: 'Put Person', title: 'Lead' });
      assert.equal(put.status, 200, put.text);
      assert.equal(put.json.title, 'Lead');
      assert.equal(put.json.emails, undefined);
      assert.equal(put.json[enterprise], undefined);
      assert.equal(put.json.active, false);
      assert.equal((await relay.directory.profile(contoso, created.id))?.company, '', 'the organization went with the extension');
    });

    it('deletes a user: 204, then 404 for a GET, a PATCH and a second DELETE', async () => {
      const { json: created } = await scim.post('/Users', validatorUser(7));
      assert.equal((await scim.delete(`/Users/${created.id}`)).status, 204);
      assert.equal((await scim.get(`/Users/${created.id}`)).status, 404);
      assert.equal((await scim.patch(`/Users/${created.id}`, { schemas: [patchOp], Operations: [{ op: 'replace', path: 'title', value: 'x' }] })).status, 404);
      assert.equal((await scim.delete(`/Users/${created.id}`)).status, 404);
    });

    it('pages the list in a stable order with startIndex and count', async () => {
      const all = await scim.get('/Users?count=200');
      const total: number = all.json.totalResults;
      assert.ok(total >= 8);
      const page = await scim.get('/Users?startIndex=3&count=2');
      assert.deepEqual([page.json.startIndex, page.json.itemsPerPage, page.json.totalResults], [3, 2, total]);
      assert.deepEqual(page.json.Resources.map((r: { id: string }) => r.id), all.json.Resources.slice(2, 4).map((r: { id: string }) => r.id));
      const countOnly = await scim.get('/Users?count=0');
      assert.deepEqual([countOnly.json.totalResults, countOnly.json.Resources.length], [total, 0]);
      const projected = await scim.get('/Users?count=1&attributes=userName');
      assert.deepEqual(Object.keys(projected.json.Resources[0]).sort(), ['id', 'meta', 'schemas', 'userName']);
    });
  });

  describe('groups', () => {
    it('creates, reads, filters, patches, replaces and deletes a group; 409 for a name in use, 404 after delete', async () => {
      const { json: member } = await scim.post('/Users', validatorUser(8));
      const created = await scim.post('/Groups', { schemas: [groupSchema], displayName: 'Validator Group', externalId: randomUUID(), members: [{ value: member.id }] });
      assert.equal(created.status, 201, created.text);
      const id: string = created.json.id;
      assert.deepEqual(created.json.members.map((m: { value: string }) => m.value), [member.id]);
      assert.equal((await scim.get(`/Groups/${id}`)).json.displayName, 'Validator Group');
      assert.equal((await scim.get(`/Groups${eqFilter('displayName', 'Validator Group')}`)).json.totalResults, 1);
      const duplicate = await scim.post('/Groups', { schemas: [groupSchema], displayName: 'validator group' });
      assert.deepEqual([duplicate.status, duplicate.json.scimType], [409, 'uniqueness']);

      const renamed = await scim.patch(`/Groups/${id}`, { schemas: [patchOp], Operations: [{ op: 'replace', value: { displayName: 'Validator Group 2' } }] });
      assert.equal(renamed.status, 204, renamed.text);
      assert.deepEqual((await relay.directory.user(contoso, member.id))?.groups, ['Validator Group 2']);
      const removed = await scim.patch(`/Groups/${id}`, { schemas: [patchOp], Operations: [{ op: 'remove', path: `members[value eq "${member.id}"]` }] });
      assert.equal(removed.status, 204);
      assert.equal((await scim.get(`/Groups/${id}`)).json.members, undefined);

      const put = await scim.put(`/Groups/${id}`, { schemas: [groupSchema], displayName: 'Validator Group 3', members: [{ value: member.id }] });
      assert.equal(put.status, 200, put.text);
      assert.deepEqual((await relay.directory.user(contoso, member.id))?.groups, ['Validator Group 3']);

      assert.equal((await scim.delete(`/Groups/${id}`)).status, 204);
      assert.equal((await scim.get(`/Groups/${id}`)).status, 404);
      assert.deepEqual((await relay.directory.user(contoso, member.id))?.groups, []);
    });
  });
  after(() => directory.remove());
  });
});
