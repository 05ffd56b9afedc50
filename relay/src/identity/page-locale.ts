// The language of the relay's server-rendered pages (sign-in, email step, verification code, sign-out,
// messages), from the SAME catalogues as the web pages: one XLIFF file per locale in ui/src/i18n/xliff.
//
// How: the page modules write their texts as `t('…')` / `t(str\`…${x}\`)`, where `t` is typed as
// @lit/localize's msg (the `Msg` type below carries msg's marker), so `lit-localize extract` (which finds
// msg calls by that type; the relay's page modules are in lit-localize.json's inputFiles) lists them
// in the catalogues beside the components' texts, and the catalogue test holds them to the same rules.
// At run time `t` is a translator for the request's locale: it computes the text's lit-localize id
// (generateMsgId, as the extractor does) and looks it up in the XLIFF targets, read once at start. The
// relay reads the catalogue files as data; it imports nothing from ui/ (DESIGN §2).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateMsgId } from '@lit/localize/internal/id-generation.js';
import type { StrResult } from '@lit/localize';
import { directionOf, localeCookie, localeNames, matchLocale, sourceLocale, supportedLocales, type Locale } from '#protocol/locales.js';

/** The little of an XML DOM the reader below uses. */
interface XmlNode {
  nodeType: number;
  nodeName: string;
  nodeValue: string | null;
  firstChild: XmlNode | null;
  nextSibling: XmlNode | null;
  getAttribute(name: string): string | null;
  getElementsByTagName(name: string): { length: number; item(i: number): XmlNode | null };
}
// @xmldom/xmldom's type declarations pull in the DOM library (/// <reference lib="dom" />), which the
// relay's code must not see (DESIGN §2; its Headers would replace Node's): loaded without them.
const { DOMParser } = createRequire(import.meta.url)('@xmldom/xmldom') as {
  DOMParser: new () => { parseFromString(text: string, type: string): XmlNode };
};
const elementNode = 1;
const textNode = 3;
const cdataNode = 4;

/** @lit/localize's msg for server texts: plain strings and str`` templates, no Lit templates. The
 * optional marker property is how `lit-localize extract` recognizes a msg call. */
export type Msg = ((template: string | StrResult, options?: { id?: string; desc?: string }) => string) & { _LIT_LOCALIZE_MSG_?: never };

/** The locales of the catalogues (protocol/src/locales.ts, as the web pages have them), English first. */
export const pageLocales = supportedLocales;
export type PageLocale = Locale;
export { directionOf, localeCookie, localeNames, matchLocale, sourceLocale };

/** An Accept-Language header's tags, best first (q=0 dropped; equal weights keep their order). */
export function acceptedLanguages(header: string | undefined): string[] {
  if (!header) return [];
  return header.split(',').map((part, i) => {
    const [tag = '', ...params] = part.trim().split(';');
    const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
    return { tag: tag.trim(), q: q === undefined ? 1 : Number(q), i };
  }).filter((l) => l.tag && l.tag !== '*' && l.q > 0).sort((a, b) => b.q - a.q || a.i - b.i).map((l) => l.tag);
}

/** What a request asks for, strongest first: the picker's ?lang=, the rh-locale cookie, Accept-Language; else English. */
export function requestLocale(req: { lang?: unknown; cookieHeader?: string; acceptLanguage?: string }): { locale: PageLocale; chosen?: PageLocale } {
  const chosen = typeof req.lang === 'string' ? matchLocale(req.lang) : undefined;
  if (chosen) return { locale: chosen, chosen };
  const cookie = cookieValue(req.cookieHeader, localeCookie);
  const remembered = cookie ? matchLocale(cookie) : undefined;
  if (remembered) return { locale: remembered };
  for (const tag of acceptedLanguages(req.acceptLanguage)) {
    const found = matchLocale(tag);
    if (found) return { locale: found };
  }
  return { locale: sourceLocale };
}

/** The Set-Cookie line that remembers a choice: one year, the whole site, readable by the web pages' script. */
export function localeCookieHeader(locale: PageLocale): string {
  return `${localeCookie}=${locale}; Path=/; Max-Age=${365 * 24 * 60 * 60}; SameSite=Lax; Secure`;
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of header?.split(';') ?? []) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}

/** A translation: text, and the index of the source placeholder (<x id="N"/>) where a value goes. */
type Translation = (string | number)[];

export type Catalogues = ReadonlyMap<PageLocale, ReadonlyMap<string, Translation>>;

/** Where the catalogues are in the source tree (the relay runs from it; a relay without them fails at start). */
export const defaultCatalogueDir = resolve(fileURLToPath(new URL('../../../ui/src/i18n/xliff/', import.meta.url)));

/** Reads every target locale's XLIFF file once: id → translation with its placeholders. */
export function loadCatalogues(dir = defaultCatalogueDir): Catalogues {
  const out = new Map<PageLocale, Map<string, Translation>>();
  for (const locale of pageLocales) {
    if (locale === sourceLocale) continue;
    const doc = new DOMParser().parseFromString(readFileSync(join(dir, `${locale}.xlf`), 'utf8'), 'text/xml');
    const texts = new Map<string, Translation>();
    const units = doc.getElementsByTagName('trans-unit');
    for (let i = 0; i < units.length; i++) {
      const unit = units.item(i)!;
      const target = unit.getElementsByTagName('target').item(0);
      const id = unit.getAttribute('id');
      if (!id || !target) continue;
      const parts: Translation = [];
      for (let n = target.firstChild; n; n = n.nextSibling) {
        if (n.nodeType === elementNode && n.nodeName === 'x') parts.push(Number(n.getAttribute('id')));
        else if (n.nodeType === textNode || n.nodeType === cdataNode) parts.push(n.nodeValue ?? '');
      }
      texts.set(id, parts);
    }
    out.set(locale, texts);
  }
  return out;
}

/** The msg of one locale: the catalogue's translation, or the English text where it has none. */
export function translator(catalogues: Catalogues, locale: PageLocale): Msg {
  const texts = catalogues.get(locale);
  return (template, options) => {
    const strings = typeof template === 'string' ? [template] : [...template.strings];
    const values = typeof template === 'string' ? [] : template.values;
    const found = texts?.get(options?.id ?? generateMsgId(strings, false));
    if (!found) return strings.reduce((s, part, i) => s + String(values[i - 1]) + part);
    return found.map((p) => (typeof p === 'number' ? String(values[p] ?? '') : p)).join('');
  };
}

/** The English texts themselves: for messages that are also read in English (logs, tests). */
export const englishMsg: Msg = translator(new Map(), sourceLocale);
