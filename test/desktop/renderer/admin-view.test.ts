// Tenant administration in the console, against the real relay: what an administrator sees and
// changes, what a helper without the admin role does not see (and is refused by the relay when he
// forces it), and the reports of a session that really happened.
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Ack, ConsoleStatus, CreatedSession } from '#protocol';
import { launchBrowser, newPerson } from '../../support/browser.js';
import { demo, next, request, startTestRelay, type TestRelay } from '../../support/relay.js';
import { signInOnConsole } from '../../support/sign-in-page.js';
import { waitFor } from '../../support/wait.js';
import { startTestConsole, type TestConsole } from '../../support/console.js';

type AppState = HTMLElement & { isAdmin?: boolean; account?: unknown };

/** The console app's own answer to "may this account administer?" (undefined until the relay answered). */
async function adminKnown(page: Page): Promise<boolean> {
  const handle = await page.waitForFunction(() => {
    const app = document.querySelector('rh-console-app') as AppState | null;
    return app?.account && app.isAdmin !== undefined ? String(app.isAdmin) : undefined;
  });
  return (await handle.jsonValue()) === 'true';
}

/** A whole session through the relay with real sockets: helper creates, sharer joins, allows, pauses a
 * moment, helper ends. */
async function completedSession(relay: TestRelay): Promise<string> {
  const helper = await relay.connect(demo.contosoHelper);
  const sharer = await relay.connect(demo.contosoSharer);
  try {
    const created = (await request(helper, 'session:create', { reason: 'INC-0815 slow sign-in' })) as Ack<CreatedSession>;
    assert.ok(created.ok, JSON.stringify(created));
    const trust = next(helper, 'session:trust');
    const joined = await request(sharer, 'session:join', { code: created.value.code });
    assert.ok(joined.ok, JSON.stringify(joined));
    await trust;
    const allowed = await request(sharer, 'session:consent', { sessionId: created.value.sessionId, allow: true });
    assert.ok(allowed.ok, JSON.stringify(allowed));
    for (const paused of [true, false]) {
      const pause = await request(sharer, 'session:pause', { sessionId: created.value.sessionId, paused });
      assert.ok(pause.ok, JSON.stringify(pause));
    }
    const ended = next(sharer, 'session:ended');
    const end = await request(helper, 'session:end', { sessionId: created.value.sessionId });
    assert.ok(end.ok, JSON.stringify(end));
    await ended;
    return created.value.sessionId;
  } finally {
    helper.disconnect();
    sharer.disconnect();
  }
}

/** Devices > the first device > New remote assistance session > Remote help (Continue not yet clicked). */
async function openNewSessionDialog(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Devices', exact: true }).click();
  const first = page.getByRole('grid', { name: 'All devices' }).getByRole('link').first();
  await first.waitFor();
  await first.click();
  await page.getByRole('button', { name: 'New remote assistance session' }).click();
  await page.getByRole('radio', { name: /Remote help/ }).check();
}

describe('Tenant administration in the console', function () {
  this.timeout(120_000);
  let relay: TestRelay;
  let adminHost: TestConsole;
  let helperHost: TestConsole;
  let sharerHost: TestConsole;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  async function open(host: TestConsole, hash = ''): Promise<Page> {
    const context = await newPerson(browser);
    contexts.push(context);
    await context.grantPermissions([]);
    const page = await context.newPage();
    await page.goto(host.url + hash);
    return page;
  }

  before(async () => {
    relay = await startTestRelay();
    const caCertPath = join(relay.dataDir, 'test-ca.pem');
    await writeFile(caCertPath, relay.caPem);
    adminHost = await startTestConsole({ relayUrl: relay.url.replace(/\/+$/, ''), caCertPath });
    // One renderer build serves both consoles.
    helperHost = await startTestConsole({ relayUrl: relay.url.replace(/\/+$/, ''), caCertPath, staticDir: adminHost.staticDir });
    sharerHost = await startTestConsole({ relayUrl: relay.url.replace(/\/+$/, ''), caCertPath, staticDir: adminHost.staticDir });
    browser = await launchBrowser();
  });
  after(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await helperHost?.close();
    await sharerHost?.close();
    await adminHost?.close();
    await relay?.stop();
  });

  describe('as an administrator', () => {
    let page: Page;

    before(async () => {
      page = await open(adminHost);
      await signInOnConsole(page, demo.contosoAdmin);
      await page.getByRole('button', { name: 'Sign out' }).waitFor();
    });

    it('offers Tenant administration and its sections in the navigation', async () => {
      assert.equal(await adminKnown(page), true);
      const nav = page.getByRole('navigation', { name: 'Main' });
      await nav.getByRole('link', { name: 'Tenant administration' }).click();
      await page.getByRole('heading', { name: 'Tenant administration' }).waitFor();
      for (const name of ['Settings', 'Users', 'Device enrollment', 'Roles', 'Assignments', 'Conditional access', 'Compliance policy', 'Reports']) {
        assert.ok(await nav.getByRole('link', { name, exact: true }).isVisible(), `${name} in the navigation`);
      }
    });

    it('turns chat off: saved at the relay, and still off after a reload', async () => {
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings', exact: true }).click();
      const chat = page.getByRole('switch', { name: 'Chat' });
      await chat.waitFor();
      assert.equal(await chat.isChecked(), true, 'chat is on for Contoso to begin with');
      await chat.uncheck();
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await page.getByText('Settings saved.').waitFor();

      const atRelay = await adminHost.services.api.admin({ method: 'getSettings', args: {} });
      assert.ok(atRelay.ok && atRelay.value.chatEnabled === false, JSON.stringify(atRelay));

      await page.reload();
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Tenant administration' }).click();
      const again = page.getByRole('switch', { name: 'Chat' });
      await again.waitFor();
      assert.equal(await again.isChecked(), false);
      // Put it back for the other tests.
      await again.check();
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await page.getByText('Settings saved.').waitFor();
    });

    it('lists the built-in roles, marked and not deletable', async () => {
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Roles', exact: true }).click();
      const table = page.getByRole('table', { name: 'Roles of your organization' });
      await table.waitFor();
      const admins = table.getByRole('row').filter({ hasText: 'Remote Help Administrator' });
      assert.match(await admins.innerText(), /Built-in/);
      assert.equal(await admins.getByRole('button', { name: /^Delete/ }).count(), 0);
      assert.ok(await admins.getByRole('button', { name: 'Edit Remote Help Administrator' }).isVisible());
    });

    it('creates a role, assigns it to a user, and deletes it after confirming', async () => {
      const nav = page.getByRole('navigation', { name: 'Main' });
      await nav.getByRole('link', { name: 'Roles', exact: true }).click();
      await page.getByRole('button', { name: 'New role' }).click();
      await page.getByLabel('Role name').fill('Night shift');
      await page.getByLabel('Description').fill('Out-of-hours help, view only.');
      assert.equal(await page.getByRole('checkbox', { name: 'View screen' }).isChecked(), true);
      await page.getByRole('checkbox', { name: 'All device groups' }).uncheck();
      await page.getByRole('group', { name: 'Device groups' }).getByRole('checkbox', { name: 'Corporate laptops' }).check();
      await page.getByRole('button', { name: 'Save role' }).click();
      await page.getByText('Role “Night shift” saved. It applies from the next session.').waitFor();
      const row = page.getByRole('table', { name: 'Roles of your organization' }).getByRole('row').filter({ hasText: 'Night shift' });
      assert.match(await row.innerText(), /View screen[\s\S]*Corporate laptops[\s\S]*All user groups/);

      await nav.getByRole('link', { name: 'Assignments', exact: true }).click();
      await page.getByLabel('Search users').fill('sharer@contoso');
      const box = page.getByRole('checkbox', { name: 'Night shift for Amira Haddad' });
      // Tick the box in the list the search gave (Hanna, helper@contoso, no longer in it), not in the
      // full list shown before: the search's answer arriving after the tick would show Amira's roles
      // as they were before it.
      const helperRow = page.getByRole('cell', { name: demo.contosoHelper, exact: true });
      await waitFor(async () => (await box.isVisible()) && (await helperRow.count()) === 0, 15_000, 'the user list never narrowed to the search');
      await box.check();
      await page.getByText(/Roles of Amira Haddad saved\. They apply at Amira Haddad's next sign-in\./).waitFor();
      const users = await adminHost.services.api.admin({ method: 'listUsers', args: { search: demo.contosoSharer } });
      assert.ok(users.ok && users.value.find((u) => u.upn === demo.contosoSharer)?.roles.includes('Night shift'), JSON.stringify(users));
      await box.uncheck();
      await page.getByText(/Roles of Amira Haddad saved/).waitFor();

      await nav.getByRole('link', { name: 'Roles', exact: true }).click();
      await page.getByRole('button', { name: 'Delete Night shift' }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByText('Delete the role “Night shift”?', { exact: false }).waitFor();
      await dialog.getByRole('button', { name: 'Cancel' }).click();
      assert.equal(await row.count(), 1, 'Cancel keeps the role');
      await page.getByRole('button', { name: 'Delete Night shift' }).click();
      await dialog.getByRole('button', { name: 'Delete role' }).click();
      await page.getByText('Role “Night shift” deleted.').waitFor();
      assert.equal(await row.count(), 0);
    });

    it('refuses an IP range that is not CIDR before sending the rule', async () => {
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Conditional access', exact: true }).click();
      await page.getByRole('button', { name: 'New rule' }).click();
      await page.getByLabel('Rule name').fill('Office only');
      await page.getByLabel('IP ranges (one CIDR per line)').fill('10.0.0.0/8\n300.1.1.1/33');
      await page.getByRole('button', { name: 'Save rule' }).click();
      const alert = page.getByRole('alert').filter({ hasText: 'Not a valid IP range' });
      await alert.waitFor();
      assert.match(await alert.innerText(), /300\.1\.1\.1\/33/);
      assert.doesNotMatch(await alert.innerText(), /10\.0\.0\.0\/8/);
      const rules = await adminHost.services.api.admin({ method: 'listRules', args: {} });
      assert.ok(rules.ok && rules.value.every((r) => r.name !== 'Office only'), 'nothing was saved');

      // Corrected, report-only, requiring MFA: saved as written.
      await page.getByLabel('IP ranges (one CIDR per line)').fill('10.0.0.0/8\n2001:db8::/32');
      await page.getByLabel('Mode').selectOption({ label: 'Report-only' });
      await page.getByLabel('Multi-factor authentication').selectOption({ label: 'Signed in without MFA' });
      await page.getByRole('radio', { name: 'Require MFA' }).check();
      await page.getByRole('button', { name: 'Save rule' }).click();
      await page.getByText('Rule “Office only” saved. It applies from the next session.').waitFor();
      const row = page.getByRole('table', { name: 'Conditional access rules' }).getByRole('row').filter({ hasText: 'Office only' });
      assert.match(await row.innerText(), /Enabled[\s\S]*Report-only[\s\S]*Helpers and sharers[\s\S]*Require MFA/);
      const after = await adminHost.services.api.admin({ method: 'listRules', args: {} });
      const saved = after.ok ? after.value.find((r) => r.name === 'Office only') : undefined;
      assert.deepEqual(saved?.conditions, { ipRanges: ['10.0.0.0/8', '2001:db8::/32'], mfa: false });
      assert.equal(saved?.mode, 'report-only');

      await page.getByRole('button', { name: 'Delete Office only' }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Delete rule' }).click();
      await page.getByText('Rule “Office only” deleted.').waitFor();
    });

    it('changes the compliance policy', async () => {
      const before = await adminHost.services.api.admin({ method: 'getCompliancePolicy', args: {} });
      assert.ok(before.ok);
      try {
        await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Compliance policy', exact: true }).click();
        await page.getByLabel('Minimum Linux version').fill('6.1');
        await page.getByRole('checkbox', { name: 'Require firewall' }).setChecked(true);
        await page.getByLabel('Maximum days since last check-in').fill('14');
        await page.getByRole('button', { name: 'Save', exact: true }).click();
        await page.getByText('Compliance policy saved.').waitFor();
        const after = await adminHost.services.api.admin({ method: 'getCompliancePolicy', args: {} });
        assert.ok(after.ok, JSON.stringify(after));
        assert.equal(after.value.minOsVersion['Linux'], '6.1');
        assert.equal(after.value.requireFirewall, true);
        assert.equal(after.value.maxCheckInAgeDays, 14);
      } finally {
        await adminHost.services.api.admin({ method: 'updateCompliancePolicy', args: before.value });
      }
    });

    it('lists a session that happened, filters it, exports it as CSV, and verifies the chain', async () => {
      const sessionId = await completedSession(relay);
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Reports', exact: true }).click();
      const table = page.getByRole('table', { name: 'Session reports' });
      await table.waitFor();
      const row = table.getByRole('row').filter({ hasText: demo.contosoSharer });
      await row.first().waitFor();
      const text = await row.first().innerText();
      assert.match(text, /helper@contoso\.example/);
      assert.match(text, /Completed/);
      assert.match(text, /Unenrolled/);
      assert.match(text, /Sharing paused/, 'the pause is in the row');
      assert.match(text, /INC-0815 slow sign-in/, 'the helper\'s reason is in the row');
      assert.match(text, /Started from: The Remote Help console, not for a particular device/);
      assert.match(await page.getByText(/^Showing \d+–\d+ of \d+$/).innerText(), /^Showing 1–\d+ of \d+$/);

      // A filter that matches nothing, then one that matches.
      await page.getByLabel('Outcome').selectOption({ label: 'Denied' });
      await page.getByRole('button', { name: 'Apply filters' }).click();
      await page.getByText('No reports match.').waitFor();
      await page.getByLabel('Outcome').selectOption({ label: 'Completed' });
      await page.getByLabel('Sharer', { exact: true }).fill('sharer@contoso');
      await page.getByRole('button', { name: 'Apply filters' }).click();
      await row.first().waitFor();
      assert.equal(await page.getByText('No reports match.').count(), 0);

      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
      assert.match(download.suggestedFilename(), /\.csv$/);
      const csv = await readFile((await download.path())!, 'utf8');
      assert.ok(csv.includes(sessionId), 'the CSV has the session');
      assert.ok(csv.includes(demo.contosoSharer));
      assert.ok(csv.includes('completed'));
      assert.match(csv.split('\r\n')[0]!, /,gaps,pauses,colleagues,reason,startedFrom,/);
      assert.ok(csv.includes('INC-0815 slow sign-in,console,'), 'the reason and where it was started from are in the CSV');

      await page.getByRole('button', { name: 'Verify chain' }).click();
      const verdict = page.getByText(/The report chain is intact \(\d+ records checked\)\./);
      await verdict.waitFor();
    });
  });

  describe('as a helper without the admin role', () => {
    it('does not offer Tenant administration', async () => {
      const page = await open(helperHost);
      await signInOnConsole(page, demo.contosoHelper);
      await page.getByRole('button', { name: 'Sign out' }).waitFor();
      assert.equal(await adminKnown(page), false);
      assert.equal(await page.getByRole('link', { name: 'Tenant administration' }).count(), 0);
    });

    it('is answered admin-only by the relay when the desktop API is called anyway', async () => {
      const status = (await helperHost.services.dispatch('getStatus', [])) as Ack<ConsoleStatus>;
      assert.ok(status.ok && status.value.account?.upn === demo.contosoHelper);
      for (const method of ['listRoles', 'getSettings', 'listReports', 'verifyReports'] as const) {
        const res = await helperHost.services.dispatch('admin', [{ method, args: {} }]);
        assert.ok(!res.ok && res.error.code === 'admin-only', `${method}: ${JSON.stringify(res)}`);
      }
      const write = await helperHost.services.dispatch('admin', [{
        method: 'updateSettings',
        args: { remoteHelpEnabled: false, allowUnenrolled: true, chatEnabled: true, allowEnrollment: true, reportRetentionDays: 0 },
      }]);
      assert.ok(!write.ok && write.error.code === 'admin-only', JSON.stringify(write));
      const settings = await adminHost.services.api.admin({ method: 'getSettings', args: {} });
      assert.ok(settings.ok && settings.value.remoteHelpEnabled, 'remote help is still on');
    });

    it('sees "Only a Remote Help Administrator" in every section when he forces the view open', async () => {
      const page = await open(helperHost, '#admin/reports');
      await page.getByRole('heading', { name: 'Tenant administration' }).waitFor();
      const alert = page.getByRole('alert').filter({ hasText: 'Only a Remote Help Administrator can do that.' });
      await alert.first().waitFor();
      assert.equal(await page.getByRole('table', { name: 'Session reports' }).count(), 0, 'no reports shown');
      await page.getByRole('link', { name: 'Settings', exact: true }).click();
      await alert.first().waitFor();
      assert.equal(await page.getByRole('switch', { name: 'Chat' }).count(), 0, 'no settings shown');
    });

    it('is refused a new session by a conditional-access rule, and told which rule and what to do', async () => {
      const rule = {
        id: 'test-block-helper', name: 'No help from this desk', enabled: true, mode: 'enforce' as const, appliesTo: 'helper' as const,
        conditions: { users: [demo.contosoHelper] }, grant: 'block' as const,
      };
      const saved = await adminHost.services.api.admin({ method: 'saveRule', args: rule });
      assert.ok(saved.ok, JSON.stringify(saved));
      try {
        const page = await open(helperHost);
        // Told in the dialog itself (session:precheck), instead of Continue.
        await openNewSessionDialog(page);
        const dialog = page.getByRole('dialog', { name: 'New remote assistance session' });
        const alert = dialog.getByRole('alert').filter({ hasText: 'No help from this desk' });
        await alert.waitFor();
        const text = await alert.innerText();
        assert.match(text, /Blocked by the rule “No help from this desk”/);
        assert.match(text, /Ask your administrator\./);
        assert.equal(await dialog.getByRole('button', { name: 'Continue' }).count(), 0, 'Continue is offered although the rule blocks');
        assert.equal(await page.getByLabel('Security code').count(), 0, 'no code was given');
        await dialog.getByRole('button', { name: 'Close' }).click();
        await page.getByRole('button', { name: 'New remote assistance session' }).waitFor();
      } finally {
        await adminHost.services.api.admin({ method: 'deleteRule', args: { id: rule.id } });
      }
    });

    it('validates the admin arguments in main before anything is sent', async () => {
      const bad = await helperHost.services.dispatch('admin', [{ method: 'deleteRole', args: { id: '' } }]);
      assert.ok(!bad.ok && bad.error.code === 'validation', JSON.stringify(bad));
      const unknown = await helperHost.services.dispatch('admin', [{ method: 'dropTables', args: {} }]);
      assert.ok(!unknown.ok && unknown.error.code === 'validation', JSON.stringify(unknown));
    });
  });

  describe('as a user without a remote help role', () => {
    it('is told clearly that the role does not allow remote help, and sees no device of the organization', async () => {
      const page = await open(sharerHost);
      await signInOnConsole(page, demo.contosoSharer);
      // The relay shows devices only to those who may help: the inventory says why it stays empty.
      const alert = page.getByRole('alert').filter({ hasText: 'Your role does not allow you to give remote help.' });
      await alert.waitFor();
      assert.equal(await page.getByText('CONTOSO-LT-0142').count(), 0, 'no device was listed');
      assert.equal(await page.getByLabel('Security code').count(), 0, 'no code was given');
      assert.equal(await adminKnown(page), false);
    });
  });
});
