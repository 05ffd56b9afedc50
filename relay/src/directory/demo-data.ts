// The demo directory: two tenants (so tenant isolation can be shown), their users and devices.
// Ids are fixed so tokens, links and tests stay meaningful across restarts; seeding is idempotent.
import { complianceReasonText, noBranding, type Device, type RoleDefinition } from '#protocol';
import type { Tenant } from '../ports.js';
import { initialsAvatar } from './avatar.js';
import type { DirectoryStore, NewUser } from './sqlite-directory.js';

export const demoPassword = 'RemoteHelp!2026';

export const demoTenants = {
  contoso: {
    id: '4c7d2a9e-6f1b-4e35-9a0c-2b8e5d7f1a36',
    name: 'Contoso',
    verifiedDomains: ['contoso.example'],
    settings: { remoteHelpEnabled: true, allowUnenrolled: true, chatEnabled: true, allowEnrollment: true, reportRetentionDays: 0, branding: noBranding },
  },
  fabrikam: {
    id: '9e3b5c71-2d84-4f6a-b1e9-7c0a4d2f8b53',
    name: 'Fabrikam',
    verifiedDomains: ['fabrikam.example'],
    settings: { remoteHelpEnabled: true, allowUnenrolled: false, chatEnabled: true, allowEnrollment: true, reportRetentionDays: 0, branding: noBranding },
  },
} as const satisfies Record<string, Tenant>;

const contoso = demoTenants.contoso.id;
const fabrikam = demoTenants.fabrikam.id;

function user(oid: string, tenantId: string, upn: string, name: string, jobTitle: string, company: string, roles: string[], groups: string[]): NewUser {
  return { oid, tenantId, upn, name, jobTitle, company, roles, groups, photoUrl: initialsAvatar(name), password: demoPassword };
}

/** A scoped custom role, so a refusal by scope can be shown: Finance devices and Finance people only, view only. */
export const financeSupportRole: RoleDefinition = {
  id: 'finance-support',
  name: 'Finance Support',
  description: 'Views the screens of Finance staff on Finance devices.',
  permissions: ['view-screen'],
  scope: { deviceGroups: ['Finance devices'], userGroups: ['Finance'] },
  builtIn: false,
  admin: false,
};

export const demoUsers = {
  contosoHelper: user('0b6f3c2e-8a41-4d7b-9e25-3f1c6a8d4b01', contoso, 'helper@contoso.example', 'Hanna Lindqvist', 'IT Support Specialist', 'Contoso Ltd.', ['Help Desk Operator'], ['IT']),
  contosoAdmin: user('1d8e4a7c-2b93-4f60-a5c8-6e0b3d9f2c02', contoso, 'admin@contoso.example', 'Kenji Tanaka', 'IT Administrator', 'Contoso Ltd.', ['Remote Help Administrator'], ['IT']),
  contosoSharer: user('2f0a6c9b-4d15-4e82-b7a3-8c2d5f1e4a03', contoso, 'sharer@contoso.example', 'Amira Haddad', 'Sales Manager', 'Contoso Ltd.', [], ['Finance']),
  // A UPN outside Contoso's verified domains: the trust screen shows it as unverified.
  contosoContractor: user('3a1b7d0c-5e26-4f93-c8b4-9d3e6a2f5b04', contoso, 'contractor@contoso-partner.example', 'Liu Wei', 'External Consultant', 'Contoso Partner Services', [], ['Contractors']),
  // A helper with a scoped custom role (Finance Support): Finance people on Finance devices, view only.
  // (The demo users who sign in with a second factor are seeded by the identity part: identity/demo-mfa.ts.)
  contosoFinanceHelper: user('8f6a2c5b-0d7b-4e48-93a9-4c8d1f7e0a09', contoso, 'finance.helper@contoso.example', 'Elin Svensson', 'Finance IT Support', 'Contoso Ltd.', ['Finance Support'], ['IT']),
  fabrikamHelper: user('4b2c8e1d-6f37-4a04-d9c5-0e4f7b3a6c05', fabrikam, 'helper@fabrikam.example', 'Oskar Berg', 'Service Desk Analyst', 'Fabrikam Inc.', ['Help Desk Operator'], ['IT']),
  fabrikamSharer: user('5c3d9f2e-7a48-4b15-e0d6-1f5a8c4b7d06', fabrikam, 'sharer@fabrikam.example', 'Sofia Romero', 'Accountant', 'Fabrikam Inc.', [], ['Finance']),
} as const satisfies Record<string, NewUser>;

// Fixed, distinct timestamps so seeding twice changes nothing and the delta order is stable.
const at = (minutes: number): string => new Date(Date.UTC(2026, 0, 5, 9, 0) + minutes * 60_000).toISOString();

function device(n: number, tenantId: string, name: string, platform: string, osVersion: string, primaryUser: string,
  groups: string[], compliance: Device['compliance'], complianceReasons: string[] = []): Device {
  return {
    id: `${tenantId.slice(0, 8)}-dev-${String(n).padStart(4, '0')}`,
    tenantId, name, platform, osVersion, primaryUser, enrolled: true, compliance, complianceReasons,
    lastCheckIn: at(n * 7), groups, updatedAt: at(n),
    // The demo tenants have no Intune: their devices came in through an administrator's import.
    managedBy: 'import', approved: true, ownership: 'company', serialNumber: `DEMO${String(n).padStart(6, '0')}`,
    manufacturer: platform === 'macOS' ? 'Apple' : platform === 'Windows' ? 'Contoso Hardware' : '', model: '', enrolledAt: at(0),
  };
}

const laptops = 'Corporate laptops';
const finance = 'Finance devices';
const servers = 'Servers';

export const demoDevices: Device[] = [
  device(1, contoso, 'CONTOSO-LT-0142', 'Windows', '10.0.22631', 'sharer@contoso.example', [laptops, finance], 'compliant'),
  device(2, contoso, 'CONTOSO-LT-0178', 'Windows', '10.0.19041', 'sharer@contoso.example', [laptops, finance], 'noncompliant',
    [complianceReasonText({ kind: 'os-below-minimum', version: '10.0.19041', minimum: '10.0.22631' })]),
  device(3, contoso, 'CONTOSO-MB-0031', 'macOS', '14.5', 'admin@contoso.example', [laptops], 'compliant'),
  device(4, contoso, 'CONTOSO-MB-0057', 'macOS', '13.6.7', 'helper@contoso.example', [laptops], 'noncompliant', [complianceReasonText({ kind: 'disk-encryption-off' })]),
  device(5, contoso, 'CONTOSO-WS-0203', 'Linux', 'Ubuntu 24.04', 'helper@contoso.example', [servers], 'compliant'),
  device(6, contoso, 'CONTOSO-LT-0219', 'Windows', '10.0.22631', 'contractor@contoso-partner.example', [laptops], 'noncompliant',
    ['Disk encryption is off', 'Firewall is off']),
  device(7, contoso, 'CONTOSO-DT-0088', 'Windows', '10.0.26100', 'admin@contoso.example', ['Corporate desktops'], 'compliant'),
  device(8, contoso, 'CONTOSO-WS-0311', 'Linux', 'Debian 12', 'sharer@contoso.example', [servers, finance], 'unknown', ['Device has not reported compliance yet']),
  device(9, fabrikam, 'FABRIKAM-LT-0007', 'Windows', '10.0.22631', 'sharer@fabrikam.example', [laptops, finance], 'compliant'),
  device(10, fabrikam, 'FABRIKAM-MB-0012', 'macOS', '12.7.4', 'sharer@fabrikam.example', [laptops], 'noncompliant',
    ['OS version 12.7.4 is below the minimum 14.0']),
  device(11, fabrikam, 'FABRIKAM-LT-0019', 'Windows', '10.0.26100', 'helper@fabrikam.example', [laptops], 'compliant'),
];

/** Adds what is missing and keeps what is there: an admin's settings, roles and assignments survive a restart. */
export async function seedDemoTenants(directory: DirectoryStore): Promise<void> {
  for (const t of Object.values(demoTenants)) {
    const added = await directory.addTenantIfMissing({ ...t, verifiedDomains: [...t.verifiedDomains], settings: { ...t.settings } });
    if (added && t.id === demoTenants.contoso.id) await directory.saveRole(t.id, financeSupportRole);
  }
  for (const u of Object.values(demoUsers)) await directory.addUserIfMissing({ ...u, roles: [...u.roles], groups: [...(u.groups ?? [])] });
  // One transaction for the demo's devices (each one unchanged since the last start writes nothing).
  await directory.upsertDevices(demoDevices);
}
