// The console against the real relay: sign in through the embedded provider's page (in the window the
// console opens), sync the demo tenant's devices, find one, and start a remote help session for it.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser, newPerson } from '../../support/browser.js';
import { signInOnConsole } from '../../support/sign-in-page.js';
import { startSystem, type RunningSystem } from '../../support/system.js';
import { startTestConsole, type TestConsole } from '../../support/console.js';

describe('console host with the real relay', function () {
  this.timeout(120_000);
  let system: RunningSystem;
  let host: TestConsole;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  before(async () => {
    system = await startSystem({ console: false });
    host = await startTestConsole({ relayUrl: system.relayUrl, caCertPath: system.caCertPath });
    browser = await launchBrowser();
    context = await newPerson(browser);
    page = await context.newPage();
  });
  after(async () => {
    await browser?.close();
    await host?.close();
    await system?.stop();
  });

  it('signs in through the provider page and shows who is signed in', async () => {
    await page.goto(host.url);
    await signInOnConsole(page, 'helper@contoso.example');
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    assert.match(await page.getByRole('banner').innerText(), /helper@contoso\.example/);
    // Tokens stay in main: the page holds no token, only the account.
    const status = await host.services.api.getStatus();
    assert.ok(status.ok && status.value.account?.tenantName === 'Contoso');
  });

  it('syncs the tenant devices into the list, and search narrows it', async () => {
    await page.getByRole('link', { name: 'Devices', exact: true }).click();
    const rows = page.getByRole('grid', { name: 'All devices' }).getByRole('link');
    await rows.first().waitFor();
    const all = await rows.allInnerTexts();
    assert.ok(all.length > 1, `devices listed: ${all.join(', ')}`);
    assert.match(await page.getByText(/Last synced/).innerText(), /Last synced/);
    const target = all[all.length - 1]!;
    await page.getByLabel('Search devices').fill(target);
    await page.waitForFunction((n) => {
      const app = document.querySelector('rh-console-app');
      const table = app?.shadowRoot?.querySelector('rh-device-list')?.shadowRoot?.querySelector('rh-device-table');
      const links = [...(table?.shadowRoot?.querySelectorAll('[role=grid] a') ?? [])].map((a) => a.textContent);
      return links.length >= 1 && links.every((t) => t?.includes(n));
    }, target);
    await page.getByRole('link', { name: target, exact: true }).click();
    await page.getByRole('heading', { name: target }).waitFor();
  });

  it('starts a remote help session for the device and shows a security code', async () => {
    await page.getByRole('button', { name: 'New remote assistance session' }).click();
    await page.getByRole('radio', { name: /Remote help/ }).check();
    await page.getByRole('button', { name: 'Continue' }).click();
    const code = page.getByLabel('Security code');
    await code.waitFor();
    assert.match(await code.innerText(), /^[0-9A-HJKMNP-TV-Z]{4} [0-9A-HJKMNP-TV-Z]{4}$/);
  });

  it('signs out: back to the sign-in screen, relay socket closed, token cache removed', async () => {
    await page.getByRole('button', { name: 'End session' }).click();
    await page.getByText('Session ended').first().waitFor();
    const cacheFiles = () => readdirSync(join(host.dataDir, 'data')).filter((f) => f.startsWith('token-cache-'));
    assert.equal(cacheFiles().length, 1);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Email', { exact: true }).waitFor();
    const status = await host.services.api.getStatus();
    assert.ok(status.ok && status.value.account === null && !status.value.relayConnected);
    assert.deepEqual(cacheFiles(), []);
  });
});
