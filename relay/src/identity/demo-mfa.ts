// Demo users who sign in with a second factor (TOTP), so conditional access "require MFA" can be shown
// with both outcomes. Their secrets are fixed and public (README): add one to any authenticator app,
// or let a test compute the codes with totpCode(). Seeded only where the demo tenant Contoso exists.
import { demoPassword, demoTenants, type DirectoryStore, type NewUser } from '../directory/index.js';
import { initialsAvatar } from '../directory/avatar.js';
import type { MfaStore } from './mfa-store.js';

const contoso = demoTenants.contoso.id;

export const demoMfaUsers = {
  /** Help Desk Operator. */
  helper: { upn: 'mfa.helper@contoso.example', totpSecret: 'CM6TYSASCE72R6KCLAJYKHGBJHP3DUWO' },
  /** No role: a sharer. */
  sharer: { upn: 'mfa.sharer@contoso.example', totpSecret: 'SJZOJJNHSA6H2FBQCPKUKUM52WLE3TGI' },
} as const;

/** Used only when the directory's demo data does not have the user already (it owns the profiles). */
const fallbackProfiles: Record<keyof typeof demoMfaUsers, NewUser> = {
  helper: profile('9a7b3d6c-1e8c-4f59-a4ba-5d9e2a8f1b10', demoMfaUsers.helper.upn, 'Priya Natarajan', 'Senior IT Support Specialist', ['Help Desk Operator'], ['IT']),
  sharer: profile('8f6a2c5b-0d7b-4e48-b3a9-4c8d1f7e0a09', demoMfaUsers.sharer.upn, 'Yuki Sato', 'Financial Analyst', [], ['Finance']),
};

function profile(oid: string, upn: string, name: string, jobTitle: string, roles: string[], groups: string[]): NewUser {
  return { oid, tenantId: contoso, upn, name, jobTitle, company: 'Contoso Ltd.', roles, groups, photoUrl: initialsAvatar(name), password: demoPassword };
}

export async function seedDemoMfa(directory: DirectoryStore, mfa: MfaStore): Promise<void> {
  if (!(await directory.tenant(contoso))) return;
  for (const [key, { upn, totpSecret }] of Object.entries(demoMfaUsers) as [keyof typeof demoMfaUsers, (typeof demoMfaUsers)[keyof typeof demoMfaUsers]][]) {
    let user = await directory.userByUpn(upn);
    if (!user) {
      await directory.addUserIfMissing(fallbackProfiles[key]);
      user = await directory.userByUpn(upn);
    }
    if (user?.tenantId === contoso) await mfa.addTotpIfMissing(contoso, user.oid, totpSecret);
  }
}
