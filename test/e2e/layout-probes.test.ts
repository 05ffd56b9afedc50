// The accessibility tests' own probe for forced colours and reduced motion (test/support/layout-probes.ts),
// shown able to fail, in Chromium on pages made for it: an animation that goes on under reduced motion
// and a button without a border in forced colours are reported; a page that stops its motion and keeps
// its borders passes.
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { launchBrowser } from '../support/browser.js';
import { forcedColourProblems } from '../support/layout-probes.js';

const page = (css: string) => `<!doctype html><meta charset="utf-8"><title>probe</title>
<style>
  button { border: 2px solid; transition: color 150ms, background-color 150ms; }
  #spinner { width: 20px; height: 20px; animation: spin 1s linear infinite; }
  @keyframes spin { to { transform: rotate(360deg); } }
  ${css}
</style>
<button>Allow</button><div id="spinner"></div>`;

describe('the forced colours and reduced motion probe', function () {
  this.timeout(60_000);
  let browser: Browser;
  before(async () => {
    browser = await launchBrowser();
  });
  after(async () => browser?.close());

  it('reports an animation that goes on under reduced motion, and a control that loses its border', async () => {
    const p = await browser.newPage();
    try {
      await p.setContent(page('@media (forced-colors: active) { button { border: none; } }'));
      const problems = await forcedColourProblems(p, 'made up');
      assert.ok(problems.some((m) => /^made up with reduced motion: animations still running \(spin \(Infinity ms on div#spinner\)\)$/.test(m)), problems.join('\n'));
      assert.ok(problems.some((m) => m.includes('in forced colours: button "Allow" has no visible border')), problems.join('\n'));
    } finally {
      await p.close();
    }
  });

  it('passes a page that stops its motion under reduced motion and keeps its borders', async () => {
    const p = await browser.newPage();
    try {
      await p.setContent(page('@media (prefers-reduced-motion: reduce) { *, *::before, *::after { animation: none !important; transition-duration: 0.01ms !important; } }'));
      // A colour transition under way when the switch comes (a theme's, 150 ms) is not motion that stays.
      await p.evaluate('document.querySelector("button").style.color = "rgb(200, 0, 0)"');
      assert.deepEqual(await forcedColourProblems(p, 'made up'), []);
    } finally {
      await p.close();
    }
  });
});
