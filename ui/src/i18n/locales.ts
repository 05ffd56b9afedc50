// The web pages' and the console's catalogues: one generated module per target locale (`npm run i18n`,
// run by build and typecheck, makes ./generated/<tag>.ts from the XLIFF files in ./xliff). Which
// languages exist and how one is chosen is in protocol/src/locales.ts, shared with the relay's pages.
import type { LocaleModule } from '@lit/localize';
import type { TargetLocale } from '#protocol/locales.js';

export { directionOf, localeCookie, localeNames, pickLocale, sourceLocale, targetLocales } from '#protocol/locales.js';

/** Target locale → loader of its generated template module (a chunk of its own, fetched when chosen). */
export const targetLoaders: Readonly<Record<TargetLocale, () => Promise<LocaleModule>>> = {
  sv: () => import('./generated/sv.js'),
  ja: () => import('./generated/ja.js'),
  'zh-Hans': () => import('./generated/zh-Hans.js'),
  ar: () => import('./generated/ar.js'),
};
