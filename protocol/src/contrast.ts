// WCAG 2.x contrast, for an organization's accent colour: text on it is white or near-black, whichever
// reads better. Pure, so the console, the web pages and the relay agree on the same answer.

/** The near-black the design tokens use for text (--rh-color-text, light theme). */
export const darkOnAccent = '#1b1c20';
export const lightOnAccent = '#ffffff';

function channel(c: number): number {
  const s = c / 255;
  return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
}

/** Relative luminance of '#rrggbb' (WCAG 2.x); throws on anything else. */
export function relativeLuminance(hex: string): number {
  const m = /^#([0-9a-fA-F]{2})([0-9a-fA-F]{2})([0-9a-fA-F]{2})$/.exec(hex);
  if (!m) throw new Error(`not a #rrggbb colour: ${hex}`);
  const [r, g, b] = [m[1]!, m[2]!, m[3]!].map((h) => channel(parseInt(h, 16))) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** The contrast ratio of two '#rrggbb' colours, from 1 to 21. */
export function contrastRatio(a: string, b: string): number {
  const [hi, lo] = [relativeLuminance(a), relativeLuminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/** The text colour for an accent '#rrggbb': '#ffffff' or '#1b1c20', whichever has the higher contrast
 * (white on a tie). */
export function onAccentColor(hex: string): '#ffffff' | '#1b1c20' {
  return contrastRatio(hex, lightOnAccent) >= contrastRatio(hex, darkOnAccent) ? lightOnAccent : darkOnAccent;
}
