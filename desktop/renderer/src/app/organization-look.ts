// The organization's look in the console: the name and logo on the header, the accent colour on every
// primary button and link. From the account (the realm lookup at sign-in), or from the branding an
// administrator has just saved, so the header changes without a restart.
import type { Account, OrganizationLook, TenantBranding } from '#protocol';
import { onAccentColor } from '#protocol/branding.js';

export function lookOfAccount(account: Account): OrganizationLook {
  return account.look ?? { name: account.tenantName, logo: '', accentColor: '' };
}

/** What saved branding looks like: '' fields fall back to the tenant's name and the product's colours. */
export function lookOfBranding(branding: TenantBranding, tenantName: string): OrganizationLook {
  return { name: branding.organizationName.trim() || tenantName, logo: branding.logo, accentColor: branding.accentColor };
}

const accentProperties = ['--rh-color-accent', '--rh-color-on-accent'] as const;

/** Sets the organization's accent (and the text colour that reads best on it) on the document's root,
 * where every component's tokens read it; no accent (or not '#rrggbb'): the product's own colours. */
export function applyAccent(root: HTMLElement, accentColor: string | undefined): void {
  if (accentColor && /^#[0-9a-fA-F]{6}$/.test(accentColor)) {
    root.style.setProperty('--rh-color-accent', accentColor);
    root.style.setProperty('--rh-color-on-accent', onAccentColor(accentColor));
  } else {
    for (const p of accentProperties) root.style.removeProperty(p);
  }
}
