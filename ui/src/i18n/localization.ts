// Runtime-mode @lit/localize: one mechanism for all user-visible text. Each page's composition root
// calls setUpLocalization() once; components only call msg() and updateWhenLocaleChanges().
import { configureLocalization } from '@lit/localize';
import { directionOf, localeCookie, pickLocale, sourceLocale, targetLoaders, targetLocales } from './locales.js';

export interface Localization {
  getLocale(): string;
  /** Loads the locale, then updates `<html lang dir>`; components re-render themselves. */
  setLocale(locale: string): Promise<void>;
}

const storageKey = 'rh:locale';
/** The same choice as a cookie, which the relay's own pages (sign-in, sign-out) read: one picker for the site. */
const cookieName = localeCookie;

/** The language a person chose with a picker on this site, if any (it wins over the browser's): this
 * page's stored choice, else the one made on the relay's sign-in pages (the cookie). */
export function rememberedLocale(): string | undefined {
  let stored: string | undefined;
  try {
    stored = globalThis.localStorage?.getItem(storageKey) ?? undefined;
  } catch {
    stored = undefined; // storage blocked: the cookie or the browser's languages decide
  }
  return stored ?? cookieLocale();
}

function cookieLocale(): string | undefined {
  const cookies = globalThis.document?.cookie ?? '';
  for (const part of cookies.split(';')) {
    const [name, value] = part.split('=', 2).map((s) => s.trim());
    if (name === cookieName && value && /^[A-Za-z-]{2,16}$/.test(value)) return value;
  }
  return undefined;
}

function remember(locale: string): void {
  try {
    globalThis.localStorage?.setItem(storageKey, locale);
  } catch {
    // storage blocked: the cookie below still carries the choice
  }
  if (globalThis.document) {
    globalThis.document.cookie = `${cookieName}=${encodeURIComponent(locale)}; Path=/; Max-Age=${365 * 24 * 60 * 60}; SameSite=Lax; Secure`;
  }
}

let active: (Localization & { choose(locale: string): Promise<void> }) | undefined;

/** The page's localization once set up: what the language picker reads and changes. */
export function pageLocalization(): (Localization & { choose(locale: string): Promise<void> }) | undefined {
  return active;
}

/** Configures @lit/localize (the library allows this once per page) and applies the preferred
 * locale to the document: the one the person chose before on this site, else the browser's. */
export async function setUpLocalization(doc: Document, preferred: readonly string[]): Promise<Localization> {
  const runtime = configureLocalization({
    sourceLocale,
    targetLocales,
    loadLocale: (locale) => {
      const load = targetLoaders[locale as keyof typeof targetLoaders] as (typeof targetLoaders)[keyof typeof targetLoaders] | undefined;
      // configureLocalization only asks for a listed target locale, so this is a bug if reached.
      if (!load) throw new Error(`no loader for locale ${locale}`);
      return load();
    },
  });
  const setLocale = async (locale: string): Promise<void> => {
    await runtime.setLocale(locale);
    applyDocumentLocale(doc, runtime.getLocale());
  };
  const chosen = rememberedLocale();
  await setLocale(pickLocale(chosen ? [chosen, ...preferred] : preferred));
  active = {
    getLocale: runtime.getLocale,
    setLocale,
    /** The picker: switch now, and remember it for every page of this site. */
    async choose(locale: string) {
      remember(locale);
      await setLocale(locale);
    },
  };
  return active;
}

export function applyDocumentLocale(doc: Document, locale: string): void {
  doc.documentElement.lang = locale;
  doc.documentElement.dir = directionOf(locale);
}
