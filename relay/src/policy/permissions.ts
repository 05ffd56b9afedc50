// What a helper may do, from the role names in the token and the tenant's role definitions (read at
// decision time). A role name the tenant does not define grants nothing. Pure functions.
import type { Permission, RoleDefinition } from '#protocol';

/** The permissions that let someone help at all; elevation and unattended only extend them. */
const helpPermissions: ReadonlySet<Permission> = new Set(['view-screen', 'full-control']);
/** The level a session is reported at: the strongest way of helping the roles grant. */
const levelOrder: readonly Permission[] = ['full-control', 'view-screen'];

/** The tenant's definitions of the roles in the token (by exact name, as Entra compares role values). */
export function definedRoles(tokenRoles: readonly string[], definitions: readonly RoleDefinition[]): RoleDefinition[] {
  const names = new Set(tokenRoles);
  return definitions.filter((d) => names.has(d.name));
}

/** The union of the roles' permissions. */
export function effectivePermissions(roles: readonly RoleDefinition[]): Set<Permission> {
  return new Set(roles.flatMap((r) => r.permissions));
}

export function canHelp(role: RoleDefinition): boolean {
  return role.permissions.some((p) => helpPermissions.has(p));
}

export function isAdmin(tokenRoles: readonly string[], definitions: readonly RoleDefinition[]): boolean {
  return definedRoles(tokenRoles, definitions).some((r) => r.admin);
}

const intersects = (scope: readonly string[], groups: readonly string[]): boolean =>
  scope.includes('*') || groups.some((g) => scope.includes(g));

/** `deviceGroups` null: an unenrolled session has no device, so only a role scoped to all devices ('*') covers it. */
export function coversDevice(role: RoleDefinition, deviceGroups: readonly string[] | null): boolean {
  return deviceGroups === null ? role.scope.deviceGroups.includes('*') : intersects(role.scope.deviceGroups, deviceGroups);
}

export function coversUser(role: RoleDefinition, userGroups: readonly string[]): boolean {
  return intersects(role.scope.userGroups, userGroups);
}

/** The strongest help permission in the roles, or null when they grant none. */
export function permissionLevel(roles: readonly RoleDefinition[]): Permission | null {
  const granted = effectivePermissions(roles);
  return levelOrder.find((p) => granted.has(p)) ?? null;
}
