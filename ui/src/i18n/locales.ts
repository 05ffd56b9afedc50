// The locale catalogue. English is the source locale (the text in msg() calls). Each other locale is one
// XLIFF file in ./xliff (`npm run i18n:extract` adds new texts to them); `npm run i18n` (run by build
// and typecheck) generates ./generated/<tag>.ts from them. To add a language: add it to
// lit-localize.json, extract, translate, and add one line to `targetLoaders` below.
import type { LocaleModule } from '@lit/localize';

export const sourceLocale = 'en';

/** Target locale tag → loader of its generated template module (a chunk of its own, fetched when chosen). */
export const targetLoaders: Readonly<Record<string, () => Promise<LocaleModule>>> = {
  sv: () => import('./generated/sv.js'),
  ja: () => import('./generated/ja.js'),
  'zh-Hans': () => import('./generated/zh-Hans.js'),
  ar: () => import('./generated/ar.js'),
};

export const targetLocales: readonly string[] = Object.keys(targetLoaders);

/** Scripts written right to left: the document's `dir` follows the locale. */
const rtlLanguages = new Set(['ar', 'he', 'fa', 'ur', 'ps', 'yi', 'dv', 'ckb']);

export function directionOf(locale: string): 'ltr' | 'rtl' {
  const language = locale.toLowerCase().split('-')[0] ?? '';
  return rtlLanguages.has(language) ? 'rtl' : 'ltr';
}

/** Chinese written in traditional characters (Taiwan, Hong Kong, Macao, or the script named): not the
 * simplified catalogue's readers. */
const traditionalChinese = /^zh-(hant|tw|hk|mo)\b/;

/** The best supported locale for the user's preferences, in their order: the exact tag, else the same
 * language (sv-SE → sv, zh-CN → zh-Hans), else English, the source locale. */
export function pickLocale(preferred: readonly string[]): string {
  const supported = [sourceLocale, ...targetLocales];
  for (const want of preferred) {
    const lower = want.toLowerCase();
    const exact = supported.find((s) => s.toLowerCase() === lower);
    if (exact) return exact;
    if (traditionalChinese.test(lower)) continue;
    const language = lower.split('-')[0];
    const same = supported.find((s) => s.toLowerCase().split('-')[0] === language);
    if (same) return same;
  }
  return sourceLocale;
}

/** Each language by its own name, as the language picker lists it (never translated). */
export const localeNames: Readonly<Record<string, string>> = {
  en: 'English',
  sv: 'Svenska',
  ja: '日本語',
  'zh-Hans': '简体中文',
  ar: 'العربية',
};
