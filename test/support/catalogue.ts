// A text as a person sees it in another language: the translation the locale's catalogue gives for an
// English text of the UI (test/ui/catalogues.test.ts checks every text has one). End-to-end tests find
// controls by these names, as a Swedish or Japanese user would.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DOMParser } from '@xmldom/xmldom';

const root = resolve(fileURLToPath(new URL('../../', import.meta.url)));
const cache = new Map<string, Map<string, string>>();

function catalogue(locale: string): Map<string, string> {
  let texts = cache.get(locale);
  if (texts) return texts;
  texts = new Map();
  const doc = new DOMParser().parseFromString(readFileSync(join(root, 'ui/src/i18n/xliff', `${locale}.xlf`), 'utf8'), 'text/xml');
  const units = doc.getElementsByTagName('trans-unit');
  for (let i = 0; i < units.length; i++) {
    const u = units.item(i)!;
    const source = u.getElementsByTagName('source').item(0);
    const target = u.getElementsByTagName('target').item(0);
    // Only whole texts: one with placeholders has no single translation to look for.
    if (source && target && source.getElementsByTagName('x').length === 0) texts.set(source.textContent ?? '', target.textContent ?? '');
  }
  cache.set(locale, texts);
  return texts;
}

/** `english` in `locale` ('en': itself). Throws for a text the catalogue does not have. */
export function inLocale(locale: string, english: string): string {
  if (locale === 'en') return english;
  const t = catalogue(locale).get(english);
  if (t === undefined) throw new Error(`the ${locale} catalogue has no translation of "${english}"`);
  return t;
}
