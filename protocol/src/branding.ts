// What every part shows of an organization's branding (tenant settings): the look a page applies, and the
// text colour on its accent. Pure, so the relay's sign-in pages, the web pages and the console agree.
import type { OrganizationLook, TenantBranding } from './policy.js';

/** The two text colours on an accent: the tokens' white and their near-black text (--rh-color-text). */
export const onAccentLight = '#ffffff';
export const onAccentDark = '#1b1c20';

/** WCAG 2.x relative luminance of '#rrggbb'. */
export function relativeLuminance(hex: string): number {
  const channel = (i: number): number => {
    const c = parseInt(hex.slice(1 + 2 * i, 3 + 2 * i), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(0) + 0.7152 * channel(1) + 0.0722 * channel(2);
}

/** WCAG contrast ratio of two '#rrggbb' colours (1 to 21). */
export function contrastRatio(a: string, b: string): number {
  const [hi, lo] = [relativeLuminance(a), relativeLuminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/** The text colour for an accent: white or near-black, whichever has the higher contrast with it. */
export function onAccentColor(accent: string): typeof onAccentLight | typeof onAccentDark {
  return contrastRatio(accent, onAccentLight) >= contrastRatio(accent, onAccentDark) ? onAccentLight : onAccentDark;
}

/** The organization as its pages show it: the branding's name, else the tenant's; its logo and accent ('' = none). */
export function organizationLookOf(tenant: { name: string; settings?: { branding?: TenantBranding } }): OrganizationLook {
  const b = tenant.settings?.branding;
  return { name: b?.organizationName.trim() || tenant.name, logo: b?.logo ?? '', accentColor: b?.accentColor ?? '' };
}
