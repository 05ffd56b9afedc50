// The organization's logo as the admin view accepts it before sending: the relay's own rule (a PNG, JPEG,
// WebP or SVG data URL of at most 64 KB), checked on the file so the administrator is told at once; and
// what the logo picker says beside its button, in the console's language (a bare file input shows the
// browser's own "No file chosen", in the browser's language).
import { msg, str } from '@lit/localize';
import { formatCount } from '#ui/i18n/format.js';

/** What the relay accepts as a logo (protocol/src/policy.ts tenantBranding). */
export const logoTypes = ['image/png', 'image/jpeg', 'image/webp', 'image/svg+xml'] as const;
export const maxLogoBytes = 64 * 1024;

/** Why a file cannot be the logo, or undefined when it can. */
export function logoProblem(file: Pick<File, 'type' | 'size'>): string | undefined {
  if (!(logoTypes as readonly string[]).includes(file.type)) return msg('The logo must be a PNG, JPEG, WebP or SVG image.');
  if (file.size > maxLogoBytes) return msg(str`The logo is too large (${formatCount(Math.ceil(file.size / 1024))} KB). Use an image of at most 64 KB.`);
  return undefined;
}

/** Beside the "Choose logo…" button: the file just picked, else whether a logo is set. */
export function logoStatus(fileName: string | undefined, logo: string): string {
  if (fileName) return fileName;
  return logo ? msg('Current logo') : msg('No logo');
}
