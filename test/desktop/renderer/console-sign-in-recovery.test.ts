// The console's sign-in never gets stuck (issue 9, point 6): a sign-in window closed half-way, a
// Cancel on the provider's page, or Cancel in the console all give back a usable Sign in with a clear
// message, and the next sign-in goes through; an email whose domain no organization has set up is
// told so. The real relay and its provider, the console host with the real main, Chromium.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser, newPerson } from '../../support/browser.js';
import { startTestConsole, type TestConsole } from '../../support/console.js';
import { demo, startTestRelay, type TestRelay } from '../../support/relay.js';
import { embeddedProviderPage, signInOnConsole } from '../../support/sign-in-page.js';
import { waitFor } from '../../support/wait.js';

const answers = (url: string): Promise<boolean> => fetch(url, { signal: AbortSignal.timeout(2_000) }).then(() => true, () => false);

describe('console sign-in that never gets stuck (real relay, real main)', function () {
  this.timeout(120_000);
  let relay: TestRelay;
  let host: TestConsole;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  const emailBox = () => page.getByLabel('Email', { exact: true });
  const signInButton = () => page.getByRole('button', { name: 'Sign in', exact: true });
  const alert = () => page.getByRole('alert');

  /** Email, Sign in: resolves with the provider window the console opened, on its password step. */
  async function startSignIn(email: string): Promise<Page> {
    await emailBox().fill(email);
    const popup = context.waitForEvent('page');
    await signInButton().click();
    const provider = await popup;
    await provider.waitForURL(embeddedProviderPage.isAt);
    await provider.getByLabel('Password', { exact: true }).waitFor();
    return provider;
  }

  async function expectUsableSignIn(message: RegExp): Promise<void> {
    await alert().filter({ hasText: message }).waitFor();
    assert.ok(await emailBox().isEditable(), 'the Email box takes an address again');
    assert.ok(await signInButton().isEnabled(), 'Sign in can be pressed again');
  }

  /** Where main listens for the provider's answer: the redirect_uri of the sign-in page the console offers to open again. */
  async function loopbackOf(console: Page): Promise<string> {
    const href = await console.getByRole('link', { name: 'Open the sign-in page' }).getAttribute('href');
    const redirect = new URL(new URL(href ?? '').searchParams.get('redirect_uri') ?? '');
    redirect.hostname = '127.0.0.1';
    return redirect.href;
  }

  async function signOut(): Promise<void> {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await emailBox().waitFor();
  }

  before(async () => {
    relay = await startTestRelay();
    const caCertPath = join(relay.dataDir, 'test-ca.pem');
    await writeFile(caCertPath, relay.caPem);
    host = await startTestConsole({ relayUrl: relay.url.replace(/\/+$/, ''), caCertPath });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await host?.close();
    await relay?.stop();
  });
  beforeEach(async () => {
    context = await newPerson(browser);
    page = await context.newPage();
    await page.goto(host.url);
    await emailBox().waitFor();
  });
  afterEach(() => context.close());

  it('says that no organization is set up for the domain of an unknown email', async () => {
    await emailBox().fill('someone@nowhere.example');
    await signInButton().click();
    await expectUsableSignIn(/No organization is set up for nowhere\.example/);
    assert.doesNotMatch(await alert().innerText(), /session/i);
  });

  it('gives Sign in back with a message when the sign-in window is closed, and signs in the next time', async () => {
    const provider = await startSignIn(demo.contosoHelper);
    const listener = await loopbackOf(page);
    await provider.close();
    // The console cannot see a window on another site close; it offers the way out instead.
    await page.getByRole('button', { name: 'Cancel sign-in' }).click();
    await expectUsableSignIn(/Sign-in was cancelled\./);
    // Main let go of the sign-in: its loopback listener for the provider's answer is closed.
    await waitFor(async () => !(await answers(listener)), 10_000, `the loopback listener ${listener} still answers`);
    await signInOnConsole(page, demo.contosoHelper);
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    await signOut();
  });

  it('lets Sign in start over while a closed sign-in window is still awaited', async () => {
    const first = await startSignIn(demo.contosoHelper);
    await first.close();
    assert.ok(await signInButton().isEnabled(), 'Sign in is not held by the window that was closed');
    await signInOnConsole(page, demo.contosoHelper);
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    // The first attempt, given up, does not come back as an error on the signed-in console.
    assert.equal(await page.getByRole('alert').count(), 0);
    await signOut();
  });

  it('gives Sign in back with a message when the provider page is cancelled', async () => {
    const provider = await startSignIn(demo.contosoHelper);
    await provider.getByRole('button', { name: 'Cancel', exact: true }).click();
    await expectUsableSignIn(/Sign-in was cancelled\./);
  });
});
