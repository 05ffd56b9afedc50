// Tenant administration > Device enrollment in the console, against the real relay, by the names on
// screen (issue 8): browsers enrolled through /enroll wait for approval; the administrator approves one,
// removes another after a question, and imports a CSV file (a good one, then one with bad lines). And the
// rule editor's "Only approved devices" for a rule that requires a compliant device.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { demoTenants } from '#relay/directory/index.js';
import { launchBrowser, newPerson } from '../../support/browser.js';
import { startTestConsole, type TestConsole } from '../../support/console.js';
import { enroll, goodWindows, type EnrolledDevice } from '../../support/policy-calls.js';
import { demo, startTestRelay, type TestRelay } from '../../support/relay.js';
import { signInOnConsole } from '../../support/sign-in-page.js';

const contoso = demoTenants.contoso.id;

describe('Tenant administration > Device enrollment in the console', function () {
  this.timeout(120_000);
  let relay: TestRelay;
  let host: TestConsole;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let front: EnrolledDevice;
  let kiosk: EnrolledDevice;

  const nav = () => page.getByRole('navigation', { name: 'Main' });
  const section = () => page.getByRole('region', { name: 'Device enrollment', exact: true });
  const pending = () => section().getByRole('table', { name: 'Devices awaiting approval' });
  const row = (name: string) => pending().getByRole('row').filter({ has: page.getByRole('rowheader', { name, exact: true }) });
  const status = (text: string | RegExp) => page.getByRole('status').filter({ hasText: text }).first();

  before(async () => {
    relay = await startTestRelay();
    const caCertPath = join(relay.dataDir, 'test-ca.pem');
    await writeFile(caCertPath, relay.caPem);
    const sharer = await relay.token(demo.contosoSharer);
    front = await enroll(relay, sharer, 'FRONT-DESK-BROWSER', goodWindows);
    kiosk = await enroll(relay, sharer, 'Kiosk, made-up name', { platform: 'Windows', osVersion: '10.0.26100', diskEncryption: false, firewall: true });
    host = await startTestConsole({ relayUrl: relay.url.replace(/\/+$/, ''), caCertPath });
    browser = await launchBrowser();
    context = await newPerson(browser);
    page = await context.newPage();
    await page.goto(host.url);
    await signInOnConsole(page, demo.contosoAdmin);
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    await nav().getByRole('link', { name: 'Tenant administration' }).click();
    await nav().getByRole('link', { name: 'Device enrollment', exact: true }).click();
    await pending().waitFor();
  });
  after(async () => {
    await context?.close().catch(() => undefined);
    await browser?.close();
    await host?.close();
    await relay?.stop();
  });

  it('keeps "Devices" for the inventory: one link of that name in the navigation', async () => {
    assert.equal(await nav().getByRole('link', { name: 'Devices', exact: true }).count(), 1);
    await section().getByRole('heading', { name: 'Device enrollment', exact: true }).waitFor();
  });

  it('lists the browsers awaiting approval, oldest first, marked self-reported, with their compliance', async () => {
    await row('FRONT-DESK-BROWSER').waitFor();
    const names = await pending().getByRole('rowheader').allInnerTexts();
    assert.deepEqual(names, ['FRONT-DESK-BROWSER', 'Kiosk, made-up name']);
    const text = await row('FRONT-DESK-BROWSER').innerText();
    assert.match(text, /Windows 10\.0\.26100/);
    assert.match(text, /Self-reported/);
    assert.match(text, /sharer@contoso\.example/);
    assert.match(await row('Kiosk, made-up name').innerText(), /Not compliant/);
  });

  it('approves a device: it leaves the list, and the relay has it approved', async () => {
    await row('FRONT-DESK-BROWSER').getByRole('button', { name: 'Approve FRONT-DESK-BROWSER' }).click();
    await status('FRONT-DESK-BROWSER approved.').waitFor();
    assert.equal(await row('FRONT-DESK-BROWSER').count(), 0);
    assert.equal((await relay.directory.device(contoso, front.deviceId))?.approved, true);
  });

  it('removes a device after asking; Cancel keeps it', async () => {
    await row('Kiosk, made-up name').getByRole('button', { name: 'Remove Kiosk, made-up name' }).click();
    const question = page.getByRole('dialog', { name: /Remove Kiosk, made-up name\?/ });
    await question.getByRole('button', { name: 'Cancel' }).click();
    assert.ok(await relay.directory.device(contoso, kiosk.deviceId), 'still there after Cancel');

    await row('Kiosk, made-up name').getByRole('button', { name: 'Remove Kiosk, made-up name' }).click();
    await question.getByRole('button', { name: 'Remove device' }).click();
    await status('Kiosk, made-up name removed.').waitFor();
    assert.equal(await relay.directory.device(contoso, kiosk.deviceId), undefined);
    await pending().getByText('No devices are waiting for approval.').waitFor();
  });

  it('imports a CSV file, and lists the problems of a bad one by line, importing nothing', async () => {
    const input = section().getByLabel('Import devices (CSV)');
    // The file is chosen with the console's own button (in its language): Enter on it opens the file
    // input's chooser (held back here, where the test gives the file instead).
    assert.equal(await section().getByText('No file chosen', { exact: true }).count(), 1);
    await input.evaluate((el) => el.addEventListener('click', (e) => { e.preventDefault(); el.setAttribute('data-opened', ''); }, { once: true }));
    await section().getByRole('button', { name: 'Choose a CSV file…' }).press('Enter');
    await page.waitForFunction((el) => el?.hasAttribute('data-opened'), await input.elementHandle(), { timeout: 5_000 });
    await input.setInputFiles({
      name: 'devices.csv', mimeType: 'text/csv',
      buffer: Buffer.from('name,serialNumber,primaryUser,platform,ownership\nCONTOSO-LT-0900,SN-0900,sharer@contoso.example,Windows,company\nCONTOSO-LT-0901,SN-0901,,Linux,\n'),
    });
    await status('Imported: 2 added, 0 updated.').waitFor();
    await section().getByText('devices.csv', { exact: true }).waitFor();
    assert.deepEqual([(await relay.directory.deviceByName(contoso, 'CONTOSO-LT-0900'))?.managedBy, (await relay.directory.deviceByName(contoso, 'CONTOSO-LT-0900'))?.approved], ['import', true]);

    await input.setInputFiles({
      name: 'bad.csv', mimeType: 'text/csv',
      buffer: Buffer.from('name,serialNumber,primaryUser,ownership\nCONTOSO-LT-0902,SN-0902,,company\n,SN-0903,,\nFRONT-DESK-BROWSER,SN-0904,,\nCONTOSO-LT-0905,SN-0905,,rented\n'),
    });
    const problems = section().getByRole('list', { name: 'Problems in the file' });
    await problems.waitFor();
    const items = await problems.getByRole('listitem').allInnerTexts();
    assert.ok(items.some((i) => /^Line 3: name: empty/.test(i)), items.join('\n'));
    assert.ok(items.some((i) => /^Line 4: .*already named FRONT-DESK-BROWSER/.test(i)), items.join('\n'));
    assert.ok(items.some((i) => /^Line 5: ownership: "rented"/.test(i)), items.join('\n'));
    assert.equal(await relay.directory.deviceByName(contoso, 'CONTOSO-LT-0902'), undefined, 'nothing was imported');
  });

  it('the rule editor offers "Only approved devices" for a compliant-device rule, checked by default, and the list says it', async () => {
    await nav().getByRole('link', { name: 'Conditional access', exact: true }).click();
    await page.getByRole('button', { name: 'New rule' }).click();
    await page.getByLabel('Rule name').fill('Compliant sharers, self-reported ok');
    assert.equal(await page.getByRole('checkbox', { name: 'Only approved devices' }).count(), 0, 'not offered for Block');
    await page.getByRole('radio', { name: 'Require compliant device' }).check();
    const approvedOnly = page.getByRole('checkbox', { name: 'Only approved devices' });
    assert.equal(await approvedOnly.isChecked(), true);
    await approvedOnly.uncheck();
    await page.getByRole('button', { name: 'Save rule' }).click();
    await page.getByText('Rule “Compliant sharers, self-reported ok” saved.', { exact: false }).waitFor();
    const rules = page.getByRole('table', { name: 'Conditional access rules' });
    const lenient = rules.getByRole('row').filter({ hasText: 'Compliant sharers, self-reported ok' });
    assert.match(await lenient.innerText(), /Require compliant device \(self-reported devices pass\)/);
    assert.equal((await relay.directory.rules(contoso)).find((r) => r.name === 'Compliant sharers, self-reported ok')?.approvedDevicesOnly, false);

    await page.getByRole('button', { name: 'New rule' }).click();
    await page.getByLabel('Rule name').fill('Approved sharers');
    await page.getByRole('radio', { name: 'Require compliant device' }).check();
    await page.getByRole('button', { name: 'Save rule' }).click();
    await page.getByText('Rule “Approved sharers” saved.', { exact: false }).waitFor();
    assert.match(await rules.getByRole('row').filter({ hasText: 'Approved sharers' }).innerText(), /Require compliant device \(approved devices only\)/);
    assert.equal((await relay.directory.rules(contoso)).find((r) => r.name === 'Approved sharers')?.approvedDevicesOnly, true);
  });
});
