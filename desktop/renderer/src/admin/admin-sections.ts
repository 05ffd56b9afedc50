// The sections of Tenant administration, in navigation order, with their names.
import { msg } from '@lit/localize';

export const adminSections = ['settings', 'users', 'devices', 'roles', 'assignments', 'rules', 'compliance', 'reports'] as const;
export type AdminSection = (typeof adminSections)[number];

export function sectionLabel(s: AdminSection): string {
  switch (s) {
    case 'settings':
      return msg('Settings');
    case 'users':
      return msg('Users');
    case 'devices':
      // Not "Devices": that is the console's inventory, in the same navigation (DESIGN §9).
      return msg('Device enrollment');
    case 'roles':
      return msg('Roles');
    case 'assignments':
      return msg('Assignments');
    case 'rules':
      return msg('Conditional access');
    case 'compliance':
      return msg('Compliance policy');
    case 'reports':
      return msg('Reports');
  }
}

export function isAdminSection(value: string): value is AdminSection {
  return (adminSections as readonly string[]).includes(value);
}
