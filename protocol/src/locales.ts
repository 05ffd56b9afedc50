// The languages Remote Help speaks, and how one is chosen: the same rules for the web pages, the console
// and the relay's server-rendered pages. English is the source locale (the text in msg() calls); each
// other locale is one XLIFF catalogue in ui/src/i18n/xliff. To add a language: add it here and to
// lit-localize.json, extract, translate, and add its loader in ui/src/i18n/locales.ts.

export const sourceLocale = 'en';
/** Every locale, English first. */
export const supportedLocales = ['en', 'sv', 'ja', 'zh-Hans', 'ar'] as const;
export type Locale = (typeof supportedLocales)[number];
export type TargetLocale = Exclude<Locale, typeof sourceLocale>;
export const targetLocales = supportedLocales.filter((l): l is TargetLocale => l !== sourceLocale);

/** Each language by its own name, as the language pickers list it (never translated). */
export const localeNames: Readonly<Record<Locale, string>> = {
  en: 'English',
  sv: 'Svenska',
  ja: '日本語',
  'zh-Hans': '简体中文',
  ar: 'العربية',
};

/** The cookie that holds a person's choice from a language picker: the relay's pages and the web pages
 * both read and write it. */
export const localeCookie = 'rh-locale';

/** Scripts written right to left: the document's `dir` follows the locale. */
const rtlLanguages = new Set(['ar', 'he', 'fa', 'ur', 'ps', 'yi', 'dv', 'ckb']);

export function directionOf(locale: string): 'ltr' | 'rtl' {
  return rtlLanguages.has(locale.toLowerCase().split('-')[0] ?? '') ? 'rtl' : 'ltr';
}

/** Chinese written in traditional characters (Taiwan, Hong Kong, Macao, or the script named): not the
 * simplified catalogue's readers. */
const traditionalChinese = /^zh-(hant|tw|hk|mo)\b/;

/** The exact tag, else the same language (sv-SE → sv, zh-CN → zh-Hans); undefined when none fits. */
export function matchLocale(want: string): Locale | undefined {
  const lower = want.trim().toLowerCase();
  if (!lower) return undefined;
  const exact = supportedLocales.find((s) => s.toLowerCase() === lower);
  if (exact) return exact;
  if (traditionalChinese.test(lower)) return undefined;
  const language = lower.split('-')[0];
  return supportedLocales.find((s) => s.toLowerCase().split('-')[0] === language);
}

/** The best supported locale for the user's preferences, in their order; else English. */
export function pickLocale(preferred: readonly string[]): Locale {
  for (const want of preferred) {
    const found = matchLocale(want);
    if (found) return found;
  }
  return sourceLocale;
}
