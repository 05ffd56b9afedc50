// A text as a person sees it in another language: the translation the locale's catalogue gives for an
// English text of the UI (test/ui/catalogues.test.ts checks every text has one). End-to-end tests find
// controls by these names, as a Swedish or Japanese user would.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DOMParser } from '@xmldom/xmldom';

const root = resolve(fileURLToPath(new URL('../../', import.meta.url)));
/** Per locale: each English text → its translation, placeholders written {N} on both sides. */
const cache = new Map<string, Map<string, string>>();

interface XmlChild { nodeType: number; nodeName: string; nodeValue: string | null; getAttribute?(name: string): string | null }
/** An element's text with each placeholder written as {N} (its x id). */
function withHoles(el: { childNodes: { length: number; item(i: number): XmlChild | null } }): string {
  let out = '';
  for (let i = 0; i < el.childNodes.length; i++) {
    const n = el.childNodes.item(i)!;
    if (n.nodeType === 1 && n.nodeName === 'x') out += `{${n.getAttribute?.('id') ?? ''}}`;
    else if (n.nodeType === 3 || n.nodeType === 4) out += n.nodeValue ?? '';
  }
  return out;
}

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
    if (source && target) texts.set(withHoles(source), withHoles(target));
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

/** A text with placeholders in `locale`: `english` names them {0}, {1}… as the extracted catalogue numbers
 * them (in the order they appear in the English), and `values` fill them in. Throws for an unknown text. */
export function inLocaleWith(locale: string, english: string, ...values: (string | number)[]): string {
  return inLocale(locale, english).replace(/\{(\d+)\}/g, (_, i: string) => String(values[Number(i)]));
}
