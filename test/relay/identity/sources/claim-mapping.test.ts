import assert from 'node:assert/strict';
import { builtInRoles } from '#relay/directory/index.js';
import { mapRoles, safePicture } from '#relay/identity/sources/claim-mapping.js';

describe('roles from a provider\'s claims', () => {
  const map = { claim: 'member_of', map: { 'rh-helpdesk': 'Help Desk Operator', 'RH-Admins': 'Remote Help Administrator' } };

  it('maps the operator\'s values, in any case, to the tenant\'s roles', () => {
    assert.deepEqual(mapRoles(['staff', 'RH-HELPDESK'], map, builtInRoles, false), ['Help Desk Operator']);
    assert.deepEqual(mapRoles(['rh-admins', 'rh-helpdesk'], map, builtInRoles, false), ['Help Desk Operator', 'Remote Help Administrator']);
  });

  it('never lets a group a user could name become a role by its name or id', () => {
    // A provider where people create their own groups: naming one after a role gives nothing.
    assert.deepEqual(mapRoles(['my-group', 'remote-help-administrator', 'Remote Help Administrator'], map, builtInRoles, false), []);
    assert.deepEqual(mapRoles(['Remote Help Administrator'], { claim: 'groups' }, builtInRoles, false), [], 'no map, an untrusted claim: no roles');
  });

  it('takes Entra\'s administrator-assigned app roles by a role\'s id or name when no map is given', () => {
    assert.deepEqual(mapRoles(['help-desk-operator', 'Something.Else'], { claim: 'roles' }, builtInRoles, true), ['Help Desk Operator']);
  });

  it('keeps only pictures a trust screen may load: https or an inline image', () => {
    assert.equal(safePicture('https://idp.example/p.png'), 'https://idp.example/p.png');
    assert.equal(safePicture('data:image/png;base64,AA=='), 'data:image/png;base64,AA==');
    assert.equal(safePicture('http://idp.example/p.png'), undefined);
    assert.equal(safePicture('javascript:alert(1)'), undefined);
  });
});
