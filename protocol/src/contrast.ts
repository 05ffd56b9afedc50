// WCAG 2.x contrast for an organization's accent colour: which text colour goes on it. Pure, so the web
// pages, the console and the relay's sign-in pages all pick the same one.

/** The dark text colour of the design tokens (--rh-color-text, light theme). */
export const darkOnAccent = '#1b1c20';
export const lightOnAccent = '#ffffff';

/** `#rgb` or `#rrggbb` (any case) as [r, g, b] in 0–255; null for anything else. */
export function parseHexColor(hex: string): [number, number, number] | null {
  const m = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(hex.trim());
  if (!m?.[1]) return null;
  const h = m[1].length === 3 ? [...m[1]].map((c) => c + c).join('') : m[1];
  return [0, 2, 4].map((i) => parseInt(h.slice(i, i + 2), 16)) as [number, number, number];
}

/** Relative luminance (WCAG 2.2, "relative luminance"), 0 (black) to 1 (white). */
export function relativeLuminance([r, g, b]: [number, number, number]): number {
  const lin = (c: number): number => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

/** The contrast ratio of two `#rrggbb` colours, 1 to 21; NaN when either is not a colour. */
export function contrastRatio(a: string, b: string): number {
  const ca = parseHexColor(a);
  const cb = parseHexColor(b);
  if (!ca || !cb) return NaN;
  const [hi, lo] = [relativeLuminance(ca), relativeLuminance(cb)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/** The text colour for an accent background: white or #1b1c20, whichever has the higher contrast on it
 * (white on a tie, and for a value that is not a `#rgb`/`#rrggbb` colour). */
export function onAccentColor(hex: string): string {
  if (!parseHexColor(hex)) return lightOnAccent;
  return contrastRatio(hex, darkOnAccent) > contrastRatio(hex, lightOnAccent) ? darkOnAccent : lightOnAccent;
}
