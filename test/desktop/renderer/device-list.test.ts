// Devices > All devices in Chromium, served by the console host with the real main services, against the
// real relay whose demo tenant was filled by `npm run demo:devices`: sorting by every column, the filters
// and the search against the data, the selection through syncs, a sync's progress and Cancel sync, and
// the layout of a narrow window.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page, WebSocketRoute } from 'playwright-core';
import { deviceSortKeys, type Device, type DeviceQuery } from '#protocol';
import {
  columnHeader, contoso, countShown, countText, devicesGrid, expectSortedBy, fillDemoDevices, gateDevicePages, renderedNames,
  startDeviceConsole, tenantDevices, type DeviceConsole,
} from './device-console.js';

/** Screenshots for a person to look at, when RH_MEASURE_DIR names a folder. */
const measureDir = process.env.RH_MEASURE_DIR;

describe('Devices > All devices in the console (real relay, real main)', function () {
  this.timeout(180_000);
  let rh: DeviceConsole;
  let page: Page;
  let data: Device[];
  let byName: Map<string, Device>;

  const load = async () => {
    data = await tenantDevices(rh.relay.directory);
    byName = new Map(data.map((d) => [d.name, d]));
  };
  const matching = (p: (d: Device) => boolean) => data.filter(p).length;

  before(async function () {
    this.timeout(240_000);
    rh = await startDeviceConsole((relay) => fillDemoDevices(relay.dataDir, 2000));
    page = rh.page;
    await load();
    assert.ok(data.length > 2000, `the tenant holds the demo's devices and 2,000 more, not ${data.length}`);
  });
  after(async () => {
    await rh?.close();
  });

  it('fills itself at sign-in (main syncs; nobody pressed Sync) and says when it last synced', async () => {
    await countShown(page, data.length);
    await page.getByText(/^Last synced /).waitFor();
    assert.ok(await page.getByRole('button', { name: 'Sync', exact: true }).isEnabled());
    // Virtualized: a few dozen rows in the page, not two thousand.
    const rows = await devicesGrid(page).getByRole('row').count();
    assert.ok(rows > 10 && rows < 80, `${rows} rows in the page`);
    assert.equal(await devicesGrid(page).getAttribute('aria-rowcount'), String(data.length + 1));
    // A reload keeps saying when: main's inventory knows its last finished sync.
    const shown = await page.getByText(/^Last synced /).innerText();
    await page.reload();
    await countShown(page, data.length);
    assert.equal(await page.getByText(/^Last synced /).innerText(), shown);
  });

  it('sorts by every column from its header, ascending then descending, in the order of the data', async () => {
    for (const key of deviceSortKeys) {
      const header = columnHeader(page, key);
      await header.getByRole('button').click();
      // The name column starts ascending: its first click turns it around.
      const first = key === 'name' ? 'desc' : 'asc';
      const second = first === 'asc' ? 'desc' : 'asc';
      await expectSortedBy(page, byName, key, first);
      assert.equal(await header.getAttribute('aria-sort'), first === 'asc' ? 'ascending' : 'descending', `${key} header`);
      await header.getByRole('button').click();
      await expectSortedBy(page, byName, key, second);
      assert.equal(await header.getAttribute('aria-sort'), second === 'asc' ? 'ascending' : 'descending', `${key} header`);
      assert.equal(await devicesGrid(page).locator('[aria-sort]').count(), 1, 'one column is the sorted one');
    }
  });

  it('sorts from the keyboard too: a header is a button that takes Enter', async () => {
    const header = columnHeader(page, 'lastCheckIn');
    await header.getByRole('button').focus();
    await page.keyboard.press('Enter');
    await expectSortedBy(page, byName, 'lastCheckIn', 'asc');
    await page.keyboard.press('Enter');
    await expectSortedBy(page, byName, 'lastCheckIn', 'desc');
    assert.equal(await header.getAttribute('aria-sort'), 'descending');
    await columnHeader(page, 'name').getByRole('button').click();
    await expectSortedBy(page, byName, 'name', 'asc');
  });

  it('offers the OSes of the inventory, and each filter narrows the count to the devices that match', async () => {
    const osOptions = await page.getByLabel('OS', { exact: true }).locator('option').allInnerTexts();
    assert.deepEqual(osOptions.slice(1).sort(), [...new Set(data.map((d) => d.platform))].sort());

    const filters: [label: string, value: string, matches: (d: Device) => boolean][] = [
      ['OS', 'macOS', (d) => d.platform === 'macOS'],
      ['Compliance', 'noncompliant', (d) => d.compliance === 'noncompliant'],
      ['Ownership', 'personal', (d) => d.ownership === 'personal'],
      ['Enrollment', 'pending', (d) => d.managedBy === 'enrollment' && !d.approved],
      ['Enrollment', 'approved', (d) => d.managedBy === 'enrollment' && d.approved],
      ['Enrollment', 'import', (d) => d.managedBy === 'import'],
    ];
    for (const [label, value, matches] of filters) {
      const select = page.getByLabel(label, { exact: true });
      await select.selectOption(value);
      const n = matching(matches);
      assert.ok(n > 0 && n < data.length, `${label} = ${value} should narrow the demo tenant (${n})`);
      await countShown(page, n);
      for (const name of await renderedNames(page)) assert.ok(matches(byName.get(name)!), `${name} shown under ${label} = ${value}`);
      await select.selectOption(label === 'OS' ? '' : 'any');
      await countShown(page, data.length);
    }

    // Filters combine.
    await page.getByLabel('OS', { exact: true }).selectOption('Windows');
    await page.getByLabel('Compliance', { exact: true }).selectOption('noncompliant');
    await countShown(page, matching((d) => d.platform === 'Windows' && d.compliance === 'noncompliant'));
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await countShown(page, data.length);
    for (const label of ['OS', 'Compliance', 'Enrollment']) {
      assert.equal(await page.getByLabel(label, { exact: true }).locator('option:checked').innerText(), 'All', `${label} shows All again`);
    }

    // Intune-managed: the demo tenant has no Intune, and the list says none match.
    await page.getByLabel('Enrollment', { exact: true }).selectOption('intune');
    await countShown(page, 0);
    await page.getByText('No devices match the search and filters.').waitFor();
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await countShown(page, data.length);
  });

  it('narrows as you type: by device name, by primary user, by serial number', async () => {
    const search = page.getByRole('searchbox', { name: 'Search devices' });
    assert.equal(await search.getAttribute('placeholder'), 'Device name, user or serial number');
    const contains = (text: string) => matching((d) => [d.name, d.primaryUser, d.serialNumber].some((v) => v.toLowerCase().includes(text.toLowerCase())));
    const target = data.find((d) => d.managedBy === 'import' && d.name.includes('-LT-0'))!;

    // Typed a few letters at a time (lower case: the search ignores case), the count follows each pause.
    const prefix = target.name.slice(0, target.name.length - 3).toLowerCase();
    for (const typed of [prefix.slice(0, 10), prefix, target.name.toLowerCase()]) {
      await search.pressSequentially(typed.slice((await search.inputValue()).length), { delay: 20 });
      await countShown(page, contains(typed));
    }
    assert.deepEqual(await renderedNames(page), [target.name]);

    await search.fill(target.primaryUser);
    await countShown(page, contains(target.primaryUser));
    assert.ok((await renderedNames(page)).includes(target.name));

    await search.fill(target.serialNumber);
    await countShown(page, contains(target.serialNumber));
    assert.ok((await renderedNames(page)).includes(target.name));

    await search.fill('');
    await countShown(page, data.length);
  });

  it('never lets an older query\'s late answer replace a newer one\'s rows', async () => {
    // A second window on the same console, whose answers from main the test can hold back.
    const slow = await rh.context.newPage();
    await slow.setViewportSize({ width: 1366, height: 900 });
    const held: (() => void)[] = [];
    const slowIds = new Set<number>();
    await slow.routeWebSocket(/\/api\?k=/, (ws: WebSocketRoute) => {
      const server = ws.connectToServer();
      ws.onMessage((m) => {
        const call = JSON.parse(String(m)) as { id: number; method: string; args: [DeviceQuery] };
        if (call.method === 'listDevices' && call.args[0].search === 'CONTOSO-LT') slowIds.add(call.id);
        server.send(m);
      });
      server.onMessage((m) => {
        const answer = JSON.parse(String(m)) as { id?: number };
        if (answer.id !== undefined && slowIds.has(answer.id)) held.push(() => ws.send(m));
        else ws.send(m);
      });
    });
    await slow.goto(rh.host.url);
    await countShown(slow, data.length);
    const search = slow.getByRole('searchbox', { name: 'Search devices' });
    await search.fill('CONTOSO-LT');
    const deadline = Date.now() + 10_000;
    while (held.length === 0 && Date.now() < deadline) await slow.waitForTimeout(20);
    assert.ok(held.length > 0, 'the first search was asked for');
    await search.fill('CONTOSO-MB');
    const mb = matching((d) => d.name.includes('CONTOSO-MB'));
    await countShown(slow, mb);
    for (const answer of held.splice(0)) answer();
    await slow.waitForTimeout(300);
    await countShown(slow, mb);
    for (const name of await renderedNames(slow)) assert.match(name, /CONTOSO-MB/);
    await slow.close();
  });

  it('keeps the selected device through a sync (updated in place), moves it with the keyboard, and says when a sync removed it', async () => {
    const grid = devicesGrid(page);
    const third = grid.getByRole('row').nth(3);
    const name = await third.getByRole('link').innerText();
    await third.getByRole('gridcell').nth(2).click();
    assert.equal(await third.getAttribute('aria-selected'), 'true');
    const selected = grid.locator('[role=row][aria-selected=true]');

    // The directory changes the selected device; a sync brings the change, and the row stays selected.
    const device = byName.get(name)!;
    const changed: Device = { ...device, compliance: device.compliance === 'noncompliant' ? 'compliant' : 'noncompliant', complianceReasons: [], updatedAt: new Date().toISOString() };
    await rh.relay.directory.upsertDevice(changed);
    await page.getByRole('button', { name: 'Sync', exact: true }).click();
    await selected.getByRole('gridcell', { name: changed.compliance === 'compliant' ? 'Compliant' : 'Not compliant', exact: true }).waitFor();
    assert.equal(await selected.getByRole('link').innerText(), name, 'the same device is still selected');
    assert.equal(await selected.count(), 1);

    // Arrow down: the next row is selected (and focused), this one no longer.
    const nextName = await grid.getByRole('row').nth(4).getByRole('link').innerText();
    await selected.focus();
    await page.keyboard.press('ArrowDown');
    await selected.filter({ hasText: nextName }).waitFor();
    assert.equal(await selected.count(), 1);
    assert.equal(await page.evaluate(() => {
      let el = document.activeElement;
      while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
      return el?.getAttribute('aria-selected');
    }), 'true', 'the keyboard focus moved with the selection');

    // The selected device is removed from the directory: the sync drops it, and the list says so.
    await rh.relay.directory.removeDevices(contoso, [byName.get(nextName)!.id], new Date().toISOString());
    await page.getByRole('button', { name: 'Sync', exact: true }).click();
    await page.getByText(`The selected device, ${nextName}, was removed from the inventory by the last sync.`).waitFor();
    await countShown(page, data.length - 1);
    assert.equal(await grid.locator('[role=row][aria-selected=true]').count(), 0);
    await load();
  });

  it('shows a sync\'s progress with the numbers, lets Cancel sync stop it, and keeps what it received', async () => {
    // 12,000 new devices in the directory: several of main's pages (at most 5,000 each). Changed after
    // the last sync's cursor (demo:devices dates its changes up to --count ms in the past, which a
    // console that synced seconds ago has already passed).
    const now = Date.now();
    await rh.relay.directory.upsertDevices(Array.from({ length: 12_000 }, (_, i): Device => {
      const like = data[i % data.length]!;
      return { ...like, id: `extra-${i}`, name: `EXTRA-${String(i).padStart(6, '0')}`, serialNumber: `XS${i}`, updatedAt: new Date(now + i).toISOString() };
    }));
    const gate = gateDevicePages(rh.relay.relay);
    gate.hold(1);
    await page.getByRole('button', { name: 'Sync', exact: true }).click();
    await gate.holding();
    const bar = page.getByRole('progressbar', { name: 'Sync progress' });
    await bar.waitFor();
    const text = page.getByText(/^Synced [\d,]+ of [\d,]+ devices \(\d+ %\)$/);
    await text.waitFor();
    const [, received, expected, percent] = /^Synced ([\d,]+) of ([\d,]+) devices \((\d+) %\)$/.exec(await text.innerText())!;
    const num = (s: string | undefined) => Number(s!.replace(/,/g, ''));
    assert.ok(num(received) > 0 && num(received) < num(expected), `${received} of ${expected}`);
    assert.equal(Number(await bar.getAttribute('value')), Number(percent), 'the bar shows the same percentage');
    assert.ok(await page.getByRole('button', { name: 'Sync', exact: true }).isDisabled(), 'one sync at a time');
    if (measureDir) {
      mkdirSync(measureDir, { recursive: true });
      await page.screenshot({ path: join(measureDir, 'device-list-1366-syncing.png') });
    }

    await page.getByRole('button', { name: 'Cancel sync' }).click();
    gate.release();
    const cancelled = page.getByText(/^Sync cancelled after [\d,]+ devices\./);
    await cancelled.waitFor();
    await bar.waitFor({ state: 'detached' });
    // What came before the cancel is kept: the list counts the devices of the pages applied, not all.
    const kept = Number(/after ([\d,]+) devices/.exec(await cancelled.innerText())![1]!.replace(/,/g, ''));
    assert.ok(kept > 0 && kept < 12_000, `${kept} devices received before the cancel`);
    const shown = Number((await page.getByText(/^[\d,]+ devices$/).innerText()).replace(/\D/g, ''));
    assert.ok(shown > data.length && shown < data.length + 12_000, `${shown} devices in the list after the cancel`);

    // The next sync goes on from there and ends, with every device.
    await load();
    await page.getByRole('button', { name: 'Sync', exact: true }).click();
    await countShown(page, data.length, 60_000);
    await bar.waitFor({ state: 'detached' });
    await page.getByText(/^Last synced /).waitFor();
    await columnHeader(page, 'lastCheckIn').getByRole('button').click();
    await columnHeader(page, 'lastCheckIn').getByRole('button').click();
    await expectSortedBy(page, byName, 'lastCheckIn', 'desc');
  });

  it('keeps the device name readable in a 600 px window (columns fold instead), and shows every column at 1366 px', async () => {
    await columnHeader(page, 'name').getByRole('button').click();
    await expectSortedBy(page, byName, 'name', 'asc');
    await page.setViewportSize({ width: 1366, height: 900 });
    for (const key of deviceSortKeys) assert.ok(await columnHeader(page, key).isVisible(), `${key} shown at 1366 px`);
    if (measureDir) await page.screenshot({ path: join(measureDir, 'device-list-1366.png') });

    await page.setViewportSize({ width: 600, height: 900 });
    await columnHeader(page, 'ownership').waitFor({ state: 'hidden' });
    for (const key of ['name', 'managedBy'] as const) assert.ok(await columnHeader(page, key).isVisible(), `${key} shown at 600 px`);
    const cell = devicesGrid(page).getByRole('row').nth(1).getByRole('gridcell').first();
    const size = await cell.evaluate((el) => ({ width: el.getBoundingClientRect().width, cut: el.scrollWidth > el.clientWidth }));
    assert.ok(size.width >= 150, `the name cell is ${size.width} px wide at 600 px`);
    assert.equal(size.cut, false, 'the whole name shows');
    const page600 = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, inner: innerWidth }));
    assert.ok(page600.scroll <= page600.inner, `nothing sticks out sideways (${page600.scroll} px in ${page600.inner})`);
    if (measureDir) await page.screenshot({ path: join(measureDir, 'device-list-600.png') });
    await page.setViewportSize({ width: 1366, height: 900 });
    assert.equal(countText(data.length), await page.getByText(countText(data.length), { exact: true }).innerText());
  });
});
