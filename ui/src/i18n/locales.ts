// The locale catalogue. English is the source locale (the text in msg() calls). To add a language:
// extract with `lit-localize extract`, translate, generate `locales/<tag>.ts`, and add one line to
// `targetLoaders` below. No component changes.
import type { LocaleModule } from '@lit/localize';

export const sourceLocale = 'en';

/** Target locale tag → loader of its generated template module (none yet: English only). */
export const targetLoaders: Readonly<Record<string, () => Promise<LocaleModule>>> = {};

export const targetLocales: readonly string[] = Object.keys(targetLoaders);

/** Scripts written right to left: the document's `dir` follows the locale. */
const rtlLanguages = new Set(['ar', 'he', 'fa', 'ur', 'ps', 'yi', 'dv', 'ckb']);

export function directionOf(locale: string): 'ltr' | 'rtl' {
  const language = locale.toLowerCase().split('-')[0] ?? '';
  return rtlLanguages.has(language) ? 'rtl' : 'ltr';
}

/** The best supported locale for the user's preferences (exact tag, then language only). */
export function pickLocale(preferred: readonly string[]): string {
  const supported = [sourceLocale, ...targetLocales];
  for (const want of preferred) {
    const lower = want.toLowerCase();
    const exact = supported.find((s) => s.toLowerCase() === lower);
    if (exact) return exact;
    const language = supported.find((s) => s.toLowerCase() === lower.split('-')[0]);
    if (language) return language;
  }
  return sourceLocale;
}
