// The language catalogues (issue 10): every text a component shows through msg() has a translation in
// every locale, with the same placeholders, and no English left in; and a catalogue holds no text that
// no component uses any more. The texts in use come from the tool that builds the catalogues
// (`lit-localize extract`), run into a temporary folder, never from a list kept by hand.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { DOMParser } from '@xmldom/xmldom';
import { targetLocales } from '#ui/i18n/locales.js';

const root = resolve(fileURLToPath(new URL('../../', import.meta.url)));
const config = JSON.parse(readFileSync(join(root, 'lit-localize.json'), 'utf8')) as {
  targetLocales: string[];
  tsConfig: string;
  inputFiles: string[];
  interchange: { xliffDir: string };
};

interface Unit { id: string; source: string; target: string | undefined; sourceHoles: string[]; targetHoles: string[] }

/** Names that stay as they are in every language. */
const keptAsIs = /^(Remote Help|Intune|Microsoft Entra|SCIM|CSV|MFA|OIDC|URL|OS|Windows|macOS|Linux|iOS|Android|ID|UPN|OK|[\d\s.:%()/·—–-]*)$/;
/** Words that are spelled the same in a language as in English. */
const sameWord: Readonly<Record<string, ReadonlySet<string>>> = { sv: new Set(['Status']) };

function unitsOf(file: string): Unit[] {
  const doc = new DOMParser().parseFromString(readFileSync(file, 'utf8'), 'text/xml');
  const units = doc.getElementsByTagName('trans-unit');
  const out: Unit[] = [];
  type Node = { getElementsByTagName(name: string): { length: number; item(i: number): { getAttribute(a: string): string | null } | null } };
  const holes = (el: Node | undefined): string[] => {
    const xs = el?.getElementsByTagName('x');
    const out: string[] = [];
    for (let i = 0; xs && i < xs.length; i++) out.push(`${xs.item(i)?.getAttribute('id')}=${xs.item(i)?.getAttribute('equiv-text')}`);
    return out.sort();
  };
  for (let i = 0; i < units.length; i++) {
    const u = units.item(i)!;
    const source = u.getElementsByTagName('source').item(0) ?? undefined;
    const targets = u.getElementsByTagName('target');
    const target = targets.item(0) ?? undefined;
    assert.ok(targets.length <= 1, `${file}: ${u.getAttribute('id')} has ${targets.length} targets`);
    out.push({
      id: u.getAttribute('id') ?? '',
      source: source?.textContent ?? '',
      target: target?.textContent ?? undefined,
      sourceHoles: holes(source),
      targetHoles: holes(target),
    });
  }
  return out;
}

describe('language catalogues', function () {
  this.timeout(120_000);

  it('lists the same languages in the catalogue tool and in the pages', () => {
    assert.deepEqual([...config.targetLocales].sort(), [...targetLocales].sort());
  });

  for (const locale of config.targetLocales) {
    it(`${locale}: every text is translated, with its placeholders, and no English left in`, () => {
      const units = unitsOf(join(root, config.interchange.xliffDir, `${locale}.xlf`));
      assert.ok(units.length > 0);
      const missing = units.filter((u) => !u.target?.trim()).map((u) => `${u.id} "${u.source}"`);
      assert.deepEqual(missing, [], `${missing.length} texts have no ${locale} translation`);
      const holes = units.filter((u) => u.sourceHoles.join() !== u.targetHoles.join()).map((u) => `${u.id}: ${u.sourceHoles.join()} ≠ ${u.targetHoles.join()}`);
      assert.deepEqual(holes, [], `${locale} translations whose placeholders differ from the English`);
      const english = units.filter((u) => u.target === u.source && !keptAsIs.test(u.source.trim()) && !sameWord[locale]?.has(u.source)).map((u) => `${u.id} "${u.source}"`);
      assert.deepEqual(english, [], `${locale} translations that are the English text`);
    });
  }

  it('holds exactly the texts the components use: none missing, none left over', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'rh-catalogue-'));
    try {
      // Paths in the tool's configuration are relative to the file: this one lives in the temporary folder.
      const fresh = { ...config, tsConfig: join(root, config.tsConfig), inputFiles: config.inputFiles.map((f) => join(root, f)), interchange: { ...config.interchange, xliffDir: join(tmp, 'xliff') }, output: { mode: 'runtime', outputDir: join(tmp, 'out') } };
      writeFileSync(join(tmp, 'lit-localize.json'), JSON.stringify(fresh));
      await promisify(execFile)(join(root, 'node_modules/.bin/lit-localize'), ['extract', '--config', join(tmp, 'lit-localize.json')], { cwd: root });
      for (const locale of config.targetLocales) {
        const inUse = new Set(unitsOf(join(tmp, 'xliff', `${locale}.xlf`)).map((u) => u.id));
        const kept = new Set(unitsOf(join(root, config.interchange.xliffDir, `${locale}.xlf`)).map((u) => u.id));
        const notKept = [...inUse].filter((id) => !kept.has(id));
        const unused = [...kept].filter((id) => !inUse.has(id));
        assert.deepEqual(notKept, [], `${locale}: texts in the components that the catalogue lacks (run npm run i18n:extract, then translate)`);
        assert.deepEqual(unused, [], `${locale}: texts in the catalogue that no component uses`);
      }
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});
