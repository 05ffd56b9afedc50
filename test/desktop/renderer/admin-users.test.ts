// Tenant administration > Users in the console, against the real relay, by the names on screen: add a
// user in a dialog and hand over the one-time link, disable and enable, require an authenticator app,
// reset a password, delete after a question, and import a CSV file (a good one, then one with bad lines).
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser, newPerson } from '../../support/browser.js';
import { startTestConsole, type TestConsole } from '../../support/console.js';
import { choosePassword } from '../../support/password-link.js';
import { demo, startTestRelay, type TestRelay } from '../../support/relay.js';
import { signInForToken } from '../../support/sign-in.js';
import { signInOnConsole } from '../../support/sign-in-page.js';

describe('Tenant administration > Users in the console', function () {
  this.timeout(120_000);
  let relay: TestRelay;
  let host: TestConsole;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  const users = () => page.getByRole('table', { name: 'Users' });
  const row = (name: string) => users().getByRole('row').filter({ has: page.getByRole('rowheader', { name }) });
  const status = (text: string | RegExp) => page.getByRole('status').filter({ hasText: text }).first();

  before(async () => {
    relay = await startTestRelay();
    const caCertPath = join(relay.dataDir, 'test-ca.pem');
    await writeFile(caCertPath, relay.caPem);
    host = await startTestConsole({ relayUrl: relay.url.replace(/\/+$/, ''), caCertPath });
    browser = await launchBrowser();
    context = await newPerson(browser);
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(host.url).origin });
    page = await context.newPage();
    await page.goto(host.url);
    await signInOnConsole(page, demo.contosoAdmin);
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    const nav = page.getByRole('navigation', { name: 'Main' });
    await nav.getByRole('link', { name: 'Tenant administration' }).click();
    await nav.getByRole('link', { name: 'Users', exact: true }).click();
    await users().waitFor();
  });
  after(async () => {
    await context?.close().catch(() => undefined);
    await browser?.close();
    await host?.close();
    await relay?.stop();
  });

  it('lists the tenant\u2019s users with their status and authenticator app', async () => {
    await row('Priya Natarajan').waitFor();
    const priya = await row('Priya Natarajan').innerText();
    assert.match(priya, /mfa\.helper@contoso\.example/);
    assert.match(priya, /Active/);
    assert.match(priya, /Set up/);
    assert.equal(await users().getByRole('cell', { name: /fabrikam\.example/ }).count(), 0, 'only the own tenant');
  });

  it('adds a user in a dialog, by keyboard, and shows the one-time link with a Copy button; the link sets their password', async () => {
    await page.getByRole('button', { name: 'Add user' }).focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Add user' });
    await dialog.waitFor();
    // Focus starts in the dialog's first field, which looks like the others.
    await page.keyboard.type('amara.okafor@contoso.example');
    const heightOf = async (label: string) => (await dialog.getByLabel(label).boundingBox())?.height ?? 0;
    assert.ok(Math.abs((await heightOf('Email')) - (await heightOf('Full name'))) < 1, 'Email is as tall as Full name');
    await dialog.getByLabel('Full name').fill('Amara Okafor');
    await dialog.getByLabel('Job title').fill('Nurse');
    await dialog.getByRole('checkbox', { name: 'Help Desk Operator' }).check();
    await dialog.getByRole('button', { name: 'Add user' }).click();
    await status('Amara Okafor added').waitFor();
    assert.equal(await dialog.isVisible(), false, 'the dialog closed');

    const linkBox = page.getByRole('textbox', { name: 'One-time link for amara.okafor@contoso.example' });
    const link = await linkBox.inputValue();
    assert.match(link, /\/auth\/set-password\?t=[\w-]{43}$/);
    // The dialog has closed: focus is on the link, not lost on the page.
    assert.ok(await linkBox.evaluate((el) => el.matches(':focus')), 'the one-time link has focus');
    await page.getByRole('button', { name: 'Copy link' }).click();
    await status('Link copied').waitFor();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), link);
    await row('Amara Okafor').waitFor();

    await choosePassword(relay.url, link, relay.caPem, 'amara picked this one');
    assert.ok(await signInForToken(relay.url, 'amara.okafor@contoso.example', 'amara picked this one', relay.caPem));
    await page.getByRole('button', { name: 'Done' }).click();
  });

  it('says why a user cannot be added, inside the dialog, and Escape closes it', async () => {
    await page.getByRole('button', { name: 'Add user' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add user' });
    await dialog.getByLabel('Email').fill('someone@elsewhere.example');
    await dialog.getByLabel('Full name').fill('Someone Else');
    await dialog.getByRole('button', { name: 'Add user' }).click();
    await dialog.getByRole('alert').waitFor();
    // What is wrong, not only that something is: the address is outside the tenant's verified domains.
    assert.match(await dialog.innerText(), /someone@elsewhere\.example is not at a verified domain/);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
  });

  it('disables and enables a user, and requires an authenticator app', async () => {
    await row('Amara Okafor').getByRole('button', { name: 'Disable Amara Okafor' }).click();
    await status('Amara Okafor is disabled').waitFor();
    assert.match(await row('Amara Okafor').innerText(), /Disabled/);
    await row('Amara Okafor').getByRole('button', { name: 'Enable Amara Okafor' }).click();
    await status('Amara Okafor can sign in again').waitFor();
    assert.match(await row('Amara Okafor').innerText(), /Active/);

    const totp = row('Amara Okafor').getByRole('switch', { name: 'Require an authenticator app for Amara Okafor' });
    assert.equal(await totp.isChecked(), false);
    await totp.check();
    await status('sets up an authenticator app at their next sign-in').waitFor();
    assert.match(await row('Amara Okafor').innerText(), /Required, not set up yet/);
  });

  it('refuses to disable the signed-in administrator, and says why', async () => {
    await row('Kenji Tanaka').getByRole('button', { name: 'Disable Kenji Tanaka' }).click();
    await page.getByRole('alert').first().waitFor();
    await page.getByText('You cannot disable yourself').waitFor();
    assert.match(await row('Kenji Tanaka').innerText(), /Active/);
  });

  it('resets a password: a new one-time link is shown', async () => {
    await row('Amara Okafor').getByRole('button', { name: 'Reset password of Amara Okafor' }).click();
    await status('The password of Amara Okafor no longer works').waitFor();
    const link = await page.getByRole('textbox', { name: 'One-time link for amara.okafor@contoso.example' }).inputValue();
    assert.match(link, /\/auth\/set-password\?t=/);
    await page.getByRole('button', { name: 'Done' }).click();
  });

  it('deletes a user after asking', async () => {
    await row('Amara Okafor').getByRole('button', { name: 'Delete Amara Okafor' }).click();
    const question = page.getByRole('dialog', { name: /Delete Amara Okafor/ });
    await question.getByRole('button', { name: 'Delete user' }).click();
    await status('Amara Okafor deleted').waitFor();
    assert.equal(await row('Amara Okafor').count(), 0);
  });

  it('imports a CSV file, and lists the problems of a bad one by line, importing nothing', async () => {
    const input = page.getByLabel('Import users (CSV)');
    await input.setInputFiles({
      name: 'people.csv', mimeType: 'text/csv',
      buffer: Buffer.from('upn,name,jobTitle,company,roles\nlena.berg@contoso.example,Lena Berg,Engineer,Contoso Ltd.,Help Desk Operator\nomar.haddad@contoso.example,Omar Haddad,,,\n'),
    });
    await status('Imported: 2 added, 0 updated.').waitFor();
    await page.getByRole('button', { name: 'Download set-password links (CSV)' }).waitFor();
    await row('Lena Berg').waitFor();

    await input.setInputFiles({
      name: 'bad.csv', mimeType: 'text/csv',
      buffer: Buffer.from('upn,name,jobTitle,company,roles\nnew.one@contoso.example,New One,,,\nnot an address,X,,,\nfar@elsewhere.example,Far,,,Ghost\n'),
    });
    const problems = page.getByRole('list', { name: 'Problems in the file' });
    await problems.waitFor();
    const items = await problems.getByRole('listitem').allInnerTexts();
    assert.ok(items.some((i) => /^Line 3: upn:/.test(i)), items.join('\n'));
    assert.ok(items.some((i) => /^Line 4: .*verified domain/.test(i)), items.join('\n'));
    assert.ok(items.some((i) => /^Line 4: roles: no such role: Ghost/.test(i)), items.join('\n'));
    assert.equal(await relay.directory.userByUpn('new.one@contoso.example'), undefined, 'nothing was imported');
  });
});
