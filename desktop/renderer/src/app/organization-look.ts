// The organization's look in the console: the name and logo on the header, the accent colour on every
// primary button (ui/src/organization-accent.ts). From the account (the realm lookup at sign-in), or from the branding an
// administrator has just saved, so the header changes without a restart.
import type { Account, OrganizationLook, TenantBranding } from '#protocol';

export function lookOfAccount(account: Account): OrganizationLook {
  return account.look ?? { name: account.tenantName, logo: '', accentColor: '' };
}

/** What saved branding looks like: '' fields fall back to the tenant's name and the product's colours. */
export function lookOfBranding(branding: TenantBranding, tenantName: string): OrganizationLook {
  return { name: branding.organizationName.trim() || tenantName, logo: branding.logo, accentColor: branding.accentColor };
}
