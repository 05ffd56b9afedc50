// End to end, the console's device inventory at an organization's size: the helper signs in to the
// console (main syncs the demo tenant at sign-in), the operator fills the tenant with 10,000 devices
// (npm run demo:devices), the helper syncs them and sees the progress, searches, sorts by last check-in,
// opens a device, starts remote help from it, and after the session sees it among the device's recent
// sessions. The real relay, the embedded identity provider, the console host and Chromium.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { Device } from '#protocol';
import { demoUsers } from '#relay/directory/index.js';
import { useSystem } from '../support/e2e.js';
import {
  columnHeader, countShown, countText, devicesGrid, expectSortedBy, fillDemoDevices, renderedNames, tenantDevices,
} from '#test/desktop/renderer/device-console.js';
import {
  consoleSignIn, expectFramesAdvancing, readIssuedCode, sharerAnswers, sharerOpensLinkAndConnects, step,
} from './flows.js';

/** Records, from now on, every state the sync status shows (its progress bar and text), so a sync
 * that runs faster than a poll still leaves its progress on record. */
async function recordSyncStatus(page: Page): Promise<void> {
  await page.evaluate(`(() => {
    const root = document.querySelector('rh-console-app').shadowRoot.querySelector('rh-device-list').shadowRoot
      .querySelector('rh-sync-status').shadowRoot;
    window.rhSyncSeen = [];
    const note = () => {
      const bar = root.querySelector('progress');
      if (bar) window.rhSyncSeen.push({ value: bar.getAttribute('value'), text: root.querySelector('.text')?.textContent ?? '' });
    };
    new MutationObserver(note).observe(root, { childList: true, subtree: true, characterData: true, attributes: true });
  })()`);
}

const syncStatusSeen = (page: Page) => page.evaluate('window.rhSyncSeen') as Promise<{ value: string | null; text: string }[]>;

describe('end to end: the console\'s device inventory at 10,000 devices', function () {
  this.timeout(300_000);
  const e2e = useSystem();

  it('helper syncs 10,000 devices with progress, searches, sorts by last check-in, opens a device, starts a session from it, and sees it in the device\'s recent sessions', async () => {
    const helper = await e2e.person('helper');
    const sharer = await e2e.person('sharer');
    await helper.setViewportSize({ width: 1366, height: 900 });
    await consoleSignIn(helper, e2e.system);
    await step(helper, 'the console synced the demo tenant at sign-in, without a click', () => helper.getByText(/^Last synced /).waitFor({ timeout: 30_000 }));

    await step(helper, 'the operator runs npm run demo:devices -- --count 10000', () => fillDemoDevices(join(e2e.system.dataDir, 'relay'), 10_000));
    const devices = await tenantDevices(e2e.system.directory);
    const byName = new Map(devices.map((d) => [d.name, d]));
    assert.ok(devices.length >= 10_000, `${devices.length} devices in the tenant`);

    await recordSyncStatus(helper);
    await step(helper, 'helper clicks "Sync"', () => helper.getByRole('button', { name: 'Sync', exact: true }).click());
    await step(helper, `the list counts ${countText(devices.length)}`, () => countShown(helper, devices.length, 120_000));
    await step(helper, 'the sync showed its progress on the way: a bar and "Synced N of 10,000 devices (P %)"', async () => {
      const seen = await syncStatusSeen(helper);
      const partial = seen.filter((s) => {
        const m = /^Synced ([\d,]+) of ([\d,]+) devices \((\d+) %\)$/.exec(s.text);
        return m && Number(m[2]!.replace(/,/g, '')) >= 10_000 && Number(m[3]) === Number(s.value) && Number(s.value) > 0 && Number(s.value) < 100;
      });
      assert.ok(partial.length > 0, `progress seen: ${JSON.stringify(seen.slice(0, 10))}`);
      await helper.getByRole('progressbar').waitFor({ state: 'detached' });
    });

    const target = devices.find((d) => d.name.endsWith('-004242'))!;
    await step(helper, `helper types "${target.name}" into "Search devices", the list narrowing as they type`, async () => {
      const search = helper.getByRole('searchbox', { name: 'Search devices' });
      const prefix = target.name.slice(0, -2);
      await search.pressSequentially(prefix, { delay: 15 });
      const contains = (text: string) => devices.filter((d) => [d.name, d.primaryUser, d.serialNumber].some((v) => v.toLowerCase().includes(text.toLowerCase()))).length;
      await countShown(helper, contains(prefix));
      await search.pressSequentially(target.name.slice(-2), { delay: 15 });
      await countShown(helper, 1);
      assert.deepEqual(await renderedNames(helper), [target.name]);
      await search.fill('');
      await countShown(helper, devices.length);
    });

    let newest: Device | undefined;
    await step(helper, 'helper sorts by "Last check-in", oldest first, then newest first', async () => {
      const header = columnHeader(helper, 'lastCheckIn');
      await header.getByRole('button').click();
      await expectSortedBy(helper, byName, 'lastCheckIn', 'asc');
      await header.getByRole('button').click();
      await expectSortedBy(helper, byName, 'lastCheckIn', 'desc');
      assert.equal(await header.getAttribute('aria-sort'), 'descending');
      newest = byName.get((await renderedNames(helper))[0]!);
    });
    const device = newest!;

    await step(helper, `helper opens "${device.name}", the device checked in last`, async () => {
      await devicesGrid(helper).getByRole('link', { name: device.name, exact: true }).click();
      await helper.getByRole('heading', { name: device.name, exact: true }).waitFor();
      await helper.getByRole('region', { name: 'Hardware' }).waitFor();
      await helper.getByText('No remote help sessions on this device yet.').waitFor();
    });

    const code = await step(helper, 'helper starts remote help from the device: "New remote assistance session", "Remote help", "Continue"', async () => {
      await helper.getByRole('toolbar', { name: 'Remote actions' }).getByRole('button', { name: 'New remote assistance session' }).click();
      await helper.getByRole('radio', { name: /Remote help/ }).check();
      await helper.getByRole('button', { name: 'Continue' }).click();
      return readIssuedCode(helper);
    });
    await sharerOpensLinkAndConnects(sharer, code.link);
    await sharerAnswers(sharer, 'Allow');
    await expectFramesAdvancing(helper);
    await step(helper, 'helper ends the session and goes back to the device', async () => {
      await helper.getByRole('button', { name: 'End session' }).click();
      await helper.getByText('Session ended').first().waitFor();
      await helper.getByRole('button', { name: 'Back to the device' }).click();
      await helper.getByRole('heading', { name: device.name, exact: true }).waitFor();
    });
    await step(helper, 'the device\'s recent sessions list that session: who helped, when, how long, how it ended', async () => {
      const row = helper.getByRole('table', { name: 'Recent sessions' }).getByRole('row').nth(1);
      await row.waitFor();
      const cells = await row.getByRole('cell').allInnerTexts();
      assert.match(cells[0]!, new RegExp(`${demoUsers.contosoHelper.name}\\s+${demoUsers.contosoHelper.upn.replace('.', '\\.')}`));
      assert.match(cells[2]!, /sec|min|hr/);
      assert.equal(cells[3], 'Completed');
    });
  });
});
