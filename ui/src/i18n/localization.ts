// Runtime-mode @lit/localize: one mechanism for all user-visible text. Each page's composition root
// calls setUpLocalization() once; components only call msg() and updateWhenLocaleChanges().
import { configureLocalization } from '@lit/localize';
import { directionOf, pickLocale, sourceLocale, targetLoaders, targetLocales } from './locales.js';

export interface Localization {
  getLocale(): string;
  /** Loads the locale, then updates `<html lang dir>`; components re-render themselves. */
  setLocale(locale: string): Promise<void>;
}

/** Configures @lit/localize (the library allows this once per page) and applies the preferred
 * locale to the document. */
export async function setUpLocalization(doc: Document, preferred: readonly string[]): Promise<Localization> {
  const runtime = configureLocalization({
    sourceLocale,
    targetLocales,
    loadLocale: (locale) => {
      const load = targetLoaders[locale];
      // configureLocalization only asks for a listed target locale, so this is a bug if reached.
      if (!load) throw new Error(`no loader for locale ${locale}`);
      return load();
    },
  });
  const setLocale = async (locale: string): Promise<void> => {
    await runtime.setLocale(locale);
    applyDocumentLocale(doc, runtime.getLocale());
  };
  await setLocale(pickLocale(preferred));
  return { getLocale: runtime.getLocale, setLocale };
}

export function applyDocumentLocale(doc: Document, locale: string): void {
  doc.documentElement.lang = locale;
  doc.documentElement.dir = directionOf(locale);
}
