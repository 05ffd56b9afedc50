import assert from 'node:assert/strict';
import type { RoleDefinition } from '#protocol';
import { builtInRoles } from '#relay/directory/index.js';
import {
  canHelp, coversDevice, coversUser, definedRoles, effectivePermissions, isAdmin, permissionLevel,
} from '#relay/policy/permissions.js';

const role = (name: string, permissions: RoleDefinition['permissions'], deviceGroups: string[], userGroups: string[], admin = false): RoleDefinition => ({
  id: name.toLowerCase().replace(/\W+/g, '-'), name, description: '', permissions, scope: { deviceGroups, userGroups }, builtIn: false, admin,
});
const finance = role('Finance Support', ['view-screen'], ['Finance devices'], ['Finance']);
const elevator = role('Elevator', ['elevation'], ['*'], ['*']);
const defs = [...builtInRoles, finance, elevator];

describe('permissions', () => {
  it('grants the union of the token roles\' definitions', () => {
    const perms = effectivePermissions(definedRoles(['Finance Support', 'Elevator'], defs));
    assert.deepEqual([...perms].sort(), ['elevation', 'view-screen']);
    assert.deepEqual([...effectivePermissions(definedRoles(['Remote Help Administrator'], defs))].sort(),
      ['elevation', 'full-control', 'unattended', 'view-screen']);
  });

  it('grants nothing for a role name the tenant does not define', () => {
    assert.deepEqual(definedRoles(['Ghost Role', 'help desk operator'], defs), []);
    assert.equal(effectivePermissions(definedRoles(['Ghost Role'], defs)).size, 0);
  });

  it('lets only view-screen or full-control help; elevation alone does not', () => {
    assert.equal(canHelp(finance), true);
    assert.equal(canHelp(elevator), false);
    assert.equal(permissionLevel([finance]), 'view-screen');
    assert.equal(permissionLevel([finance, builtInRoles[0]!]), 'full-control');
    assert.equal(permissionLevel([elevator]), null);
  });

  it('covers a device whose groups meet the role\'s device groups, or any with *', () => {
    assert.equal(coversDevice(finance, ['Corporate laptops', 'Finance devices']), true);
    assert.equal(coversDevice(finance, ['Servers']), false);
    assert.equal(coversDevice(finance, []), false);
    assert.equal(coversDevice(builtInRoles[0]!, []), true);
  });

  it('covers an unenrolled session (no device) only with a role scoped to all devices', () => {
    assert.equal(coversDevice(finance, null), false);
    assert.equal(coversDevice(builtInRoles[0]!, null), true);
  });

  it('covers a sharer whose user groups meet the role\'s user groups, or anyone with *', () => {
    assert.equal(coversUser(finance, ['Finance']), true);
    assert.equal(coversUser(finance, ['Contractors']), false);
    assert.equal(coversUser(finance, []), false);
    assert.equal(coversUser(builtInRoles[1]!, []), true);
  });

  it('knows the admin by the definition, not by the name in the token', () => {
    assert.equal(isAdmin(['Remote Help Administrator'], defs), true);
    assert.equal(isAdmin(['Help Desk Operator', 'Finance Support'], defs), false);
    assert.equal(isAdmin(['Remote Help Administrator'], defs.filter((d) => !d.admin)), false);
  });
});
