// What the web pages cost a person (issue 10's "measure and report"): the time to the first render of the
// signed-out /rh (until its "Sign in" is on screen), in English and in Arabic (whose catalogue is a chunk
// of its own), and the gzip size of each bundle and of each language's catalogue.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { Browser } from 'playwright-core';
import { inLocale } from '#test/support/catalogue.js';
import type { RunningSystem } from '#test/support/system.js';
import { measure, type BenchResult } from './stats.js';

const root = resolve(fileURLToPath(new URL('../', import.meta.url)));
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

/** ms from navigation start to the first frame in which "Sign in" exists on /rh (shadow roots included). */
async function firstRender(browser: Browser, system: RunningSystem, locale: string): Promise<number> {
  const context = await browser.newContext({ ignoreHTTPSErrors: true, locale });
  try {
    const page = await context.newPage();
    await page.goto(system.sharerUrl, { waitUntil: 'commit' });
    // In the page's language, or English (a build without that language, as before issue 10).
    const names = JSON.stringify([...new Set(['Sign in', inLocale(locale.split('-')[0] === 'ar' ? 'ar' : 'en', 'Sign in')])]);
    // Polled in the page at each frame (a string: the pages' CSP forbids the eval waitForFunction needs).
    return await page.evaluate<number>(`new Promise((resolve, reject) => {
      const until = performance.now() + 15000;
      const tick = () => {
        const stack = [document];
        while (stack.length) {
          const node = stack.pop();
          for (const el of node.querySelectorAll('a, button')) if (${names}.includes(el.textContent.trim())) return resolve(Math.round(performance.now()));
          for (const el of node.querySelectorAll('*')) if (el.shadowRoot) stack.push(el.shadowRoot);
        }
        if (performance.now() > until) reject(new Error('no "Sign in" on /rh within 15 s'));
        else requestAnimationFrame(tick);
      };
      tick();
    })`);
  } finally {
    await context.close();
  }
}

function gzipSizes(dir: string): { file: string; raw: number; gzip: number }[] {
  return readdirSync(dir).filter((f) => f.endsWith('.js')).map((f) => {
    const body = readFileSync(join(dir, f));
    return { file: f, raw: statSync(join(dir, f)).size, gzip: gzipSync(body, { level: 9 }).length };
  });
}

export async function webPages(system: RunningSystem, browser: Browser, runs = 10): Promise<BenchResult> {
  const en: number[] = [];
  const ar: number[] = [];
  for (let i = 0; i < runs; i++) {
    en.push(await firstRender(browser, system, 'en-US'));
    ar.push(await firstRender(browser, system, 'ar-EG'));
  }
  const web = gzipSizes(join(root, 'dist/web/assets'));
  const total = web.reduce((s, f) => s + f.gzip, 0);
  const entries = web.filter((f) => !f.file.startsWith('chunk-')).map((f) => `${f.file} ${kb(f.gzip)}`);
  const catalogues = ['sv', 'ja', 'zh-Hans', 'ar'].map((l) => {
    const generated = readFileSync(join(root, 'ui/src/i18n/generated', `${l}.ts`));
    return `${l} ${kb(gzipSync(generated, { level: 9 }).length)} gzip (${kb(generated.length)} raw)`;
  });
  return {
    name: 'web-pages',
    description: 'The signed-out /rh: time to first render (until "Sign in" is on screen); bundle and catalogue sizes',
    measures: [measure('/rh first render, English', en), measure('/rh first render, Arabic', ar)],
    notes: [
      `time: performance.now() in the page at the first animation frame where the "Sign in" link exists, ${runs} fresh contexts each (no cache), loopback HTTPS`,
      `web bundles (dist/web/assets, gzip -9): ${web.length} files, ${kb(total)} in all; entries: ${entries.join(', ')}`,
      `language catalogues (generated modules, each its own chunk, fetched only when chosen): ${catalogues.join('; ')}`,
    ],
  };
}
