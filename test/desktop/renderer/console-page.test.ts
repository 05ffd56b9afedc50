import assert from 'node:assert/strict';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser, newPerson } from '../../support/browser.js';
import { startTestConsole, type TestConsole } from '../../support/console.js';

describe('console renderer in Chromium, served by the console host', () => {
  let host: TestConsole;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const problems: string[] = [];

  before(async () => {
    // A relay nobody answers on: the page and main are real, the sign-in cannot get far.
    host = await startTestConsole({ relayUrl: 'https://127.0.0.1:1' });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await host?.close();
  });
  beforeEach(async () => {
    problems.length = 0;
    context = await newPerson(browser);
    page = await context.newPage();
    page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
    page.on('pageerror', (e) => problems.push(e.message));
  });
  afterEach(() => context.close());

  it('shows the sign-in screen with the Email field and the Sign in button, with no script or CSP errors', async () => {
    await page.goto(host.url);
    await page.getByLabel('Email', { exact: true }).waitFor();
    assert.ok(await page.getByRole('button', { name: 'Sign in', exact: true }).isVisible());
    assert.ok(await page.getByRole('main').isVisible());
    assert.deepEqual(problems, []);
  });

  it('says clearly when the Remote Help service cannot be reached', async () => {
    await page.goto(host.url);
    await page.getByLabel('Email', { exact: true }).fill('helper@contoso.example');
    await page.keyboard.press('Enter');
    const alert = page.getByRole('alert');
    await alert.waitFor();
    assert.match(await alert.innerText(), /Cannot reach the Remote Help service/);
    // The form is usable again for another try.
    assert.ok(await page.getByLabel('Email', { exact: true }).isEditable());
  });

  it('is refused without the secret in its URL', async () => {
    const res = await page.goto(new URL('/', host.url).href);
    assert.equal(res?.status(), 403);
  });
});
