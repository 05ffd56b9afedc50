// Names of the permission levels, for the trust screen (the level of this session) and the admin
// view (what a role may do). Records over the permissions: a new one without a name does not compile.
import { msg } from '@lit/localize';
import type { Permission } from '#protocol/policy.js';

const sessionLevels: Record<Permission, () => string> = {
  'view-screen': () => msg('View only'),
  'full-control': () => msg('Full control'),
  'elevation': () => msg('Full control with elevation'),
  'unattended': () => msg('Unattended access'),
};

const rolePermissions: Record<Permission, () => string> = {
  'view-screen': () => msg('View screen'),
  'full-control': () => msg('Full control'),
  'elevation': () => msg('Elevation'),
  'unattended': () => msg('Unattended'),
};

/** The level of help in one session, as the trust screen names it. */
export function sessionLevelLabel(p: Permission): string {
  return sessionLevels[p]();
}

/** A permission a role grants, as the admin view names it. */
export function permissionLabel(p: Permission): string {
  return rolePermissions[p]();
}
