// The organization's accent colour (tenant branding) on a page: set on the document's root, where every
// component's tokens read it, with the text colour that reads best on it. One function for the web pages
// and the console.
import { onAccentColor } from '#protocol/branding.js';

const accentProperties = ['--rh-color-accent', '--rh-color-on-accent'] as const;

/** No accent, or not '#rrggbb': the product's own colours. */
export function applyAccent(root: HTMLElement, accentColor: string | undefined): void {
  if (accentColor && /^#[0-9a-fA-F]{6}$/.test(accentColor)) {
    root.style.setProperty('--rh-color-accent', accentColor);
    root.style.setProperty('--rh-color-on-accent', onAccentColor(accentColor));
  } else {
    for (const p of accentProperties) root.style.removeProperty(p);
  }
}
