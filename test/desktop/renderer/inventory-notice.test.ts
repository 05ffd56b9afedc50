// The console says so when main could not use its device inventory file at start and moved it aside
// (README: "the console says so"): the real console host over a data folder whose inventory.db is not a
// database, no relay needed.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { loadConfig } from '#desktop/main/config.js';
import { startConsole, type RunningConsole } from '#desktop/main/console-host/start-console.js';
import { launchBrowser, newPerson } from '../../support/browser.js';
import { buildConsoleBundle } from '../../support/console.js';

describe('console: an unusable device inventory moved aside at start', function () {
  this.timeout(60_000);
  let dir: string;
  let running: RunningConsole;
  let browser: Browser;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rh-inventory-notice-'));
    mkdirSync(join(dir, 'data'));
    writeFileSync(join(dir, 'data', 'inventory.db'), 'this is not a database, but it is where the inventory lives');
    await buildConsoleBundle(join(dir, 'static'));
    running = await startConsole({
      config: loadConfig({ RH_RELAY_URL: 'https://127.0.0.1:1', RH_CONSOLE_DATA_DIR: join(dir, 'data'), RH_CONSOLE_PORT: '0' }),
      staticDir: join(dir, 'static'),
      log: { error: () => undefined },
    });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await running?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('says what happened and where the file went, until dismissed', async () => {
    const context = await newPerson(browser);
    const page = await context.newPage();
    await page.goto(running.url);
    const alert = page.getByRole('alert').filter({ hasText: 'The device inventory could not be used' });
    await alert.waitFor();
    const text = await alert.innerText();
    assert.match(text, /it is not a database file/);
    assert.match(text, /inventory\.db\.corrupt-/);
    assert.match(text, /a new inventory is filled by the next sync/);
    await alert.getByRole('button', { name: 'Dismiss' }).click();
    await alert.waitFor({ state: 'detached' });
    await context.close();
  });
});
