// One device in the console (real relay, real main): its overview with where it comes from (and the
// self-reported mark for an enrolled browser), its hardware ("Unknown" where the source could not tell),
// its compliance with every reason, its recent sessions from the relay's reports (and the empty and error
// states), and how a sync that ends while it is open refreshes it, or says that it was removed.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Locator, Page, WebSocketRoute } from 'playwright-core';
import type { Ack, CreatedSession, Device } from '#protocol';
import { demoDevices, demoUsers } from '#relay/directory/index.js';
import { demo, next, request, type TestRelay } from '../../support/relay.js';
import { contoso, countShown, devicesGrid, startDeviceConsole, tenantDevices, type DeviceConsole } from './device-console.js';

const measureDir = process.env.RH_MEASURE_DIR;

/** An enrolled browser that waits for approval: its properties are its own word, hardware unknown. */
const selfReported: Device = {
  id: 'contoso-enrolled-anna', tenantId: contoso, name: 'ANNA-BROWSER-01', platform: 'Windows', osVersion: '10.0.26100',
  primaryUser: 'sharer@contoso.example', enrolled: true, compliance: 'compliant', complianceReasons: [],
  lastCheckIn: new Date(Date.now() - 3_600_000).toISOString(), groups: ['Corporate laptops'], managedBy: 'enrollment',
  approved: false, ownership: 'personal', serialNumber: '', manufacturer: '', model: '', enrolledAt: new Date(Date.now() - 86_400_000).toISOString(),
  updatedAt: new Date().toISOString(),
};

/** A whole session on `deviceId` through the relay with real sockets: created, joined, allowed, ended. */
async function completedSession(relay: TestRelay, deviceId: string): Promise<void> {
  const helper = await relay.connect(demo.contosoHelper);
  const sharer = await relay.connect(demo.contosoSharer);
  try {
    const created = (await request(helper, 'session:create', { deviceId })) as Ack<CreatedSession>;
    assert.ok(created.ok, JSON.stringify(created));
    const trust = next(helper, 'session:trust');
    assert.ok((await request(sharer, 'session:join', { code: created.value.code })).ok);
    await trust;
    assert.ok((await request(sharer, 'session:consent', { sessionId: created.value.sessionId, allow: true })).ok);
    const ended = next(sharer, 'session:ended');
    assert.ok((await request(helper, 'session:end', { sessionId: created.value.sessionId })).ok);
    await ended;
  } finally {
    helper.disconnect();
    sharer.disconnect();
  }
}

async function openDevice(page: Page, name: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'All devices' }).click();
  await page.getByRole('searchbox', { name: 'Search devices' }).fill(name);
  await countShown(page, 1);
  await devicesGrid(page).getByRole('link', { name, exact: true }).click();
  await page.getByRole('heading', { name, exact: true }).waitFor();
}

/** The value beside a property's name in a section of the device view. */
function propertyValue(page: Page, section: string, name: string): Locator {
  const region = page.getByRole('region', { name: section });
  return region.locator('dt', { hasText: new RegExp(`^${name}$`) }).locator('xpath=following-sibling::dd[1]');
}
const property = (page: Page, section: string, name: string): Promise<string> => propertyValue(page, section, name).innerText();

/** Whether `text` shows inside `where` (its shadow roots included, where innerText does not reach). */
const shows = (where: Locator, text: string | RegExp): Promise<boolean> => where.getByText(text, { exact: typeof text === 'string' }).first().isVisible();

describe('a device in the console (real relay, real main)', function () {
  this.timeout(180_000);
  let rh: DeviceConsole;
  let page: Page;
  const noncompliant = demoDevices.find((d) => d.name === 'CONTOSO-LT-0219')!;

  before(async function () {
    this.timeout(240_000);
    rh = await startDeviceConsole(async (relay) => {
      await relay.directory.upsertDevice(selfReported);
      await completedSession(relay, noncompliant.id);
    });
    page = rh.page;
  });
  after(async () => {
    await rh?.close();
  });

  it('marks the enrolled browser as self-reported in the list, awaiting approval', async () => {
    await page.getByRole('searchbox', { name: 'Search devices' }).fill(selfReported.name);
    await countShown(page, 1);
    const row = devicesGrid(page).getByRole('row').filter({ hasText: selfReported.name });
    const managedBy = row.getByRole('gridcell').nth(1);
    assert.ok(await shows(managedBy, 'Self-reported'), 'the mark in the Managed by column');
    assert.ok(await shows(managedBy, 'Awaiting approval'));
  });

  it('shows an imported device: overview, hardware, compliance with each reason, and its recent sessions', async () => {
    await openDevice(page, noncompliant.name);
    assert.ok(await shows(propertyValue(page, 'Overview', 'Managed by'), 'Imported'));
    assert.equal(await propertyValue(page, 'Overview', 'Managed by').getByText('Self-reported').count(), 0);
    assert.equal(await property(page, 'Overview', 'Approval'), 'Approved');
    assert.equal(await property(page, 'Overview', 'Ownership'), 'Corporate');
    assert.equal(await property(page, 'Overview', 'Primary user'), noncompliant.primaryUser);
    assert.equal(await property(page, 'Overview', 'OS'), noncompliant.platform);
    assert.equal(await property(page, 'Overview', 'OS version'), noncompliant.osVersion);
    assert.equal(await property(page, 'Hardware', 'Manufacturer'), noncompliant.manufacturer);
    assert.equal(await property(page, 'Hardware', 'Model'), 'Unknown', 'an empty model reads "Unknown"');
    assert.equal(await property(page, 'Hardware', 'Serial number'), noncompliant.serialNumber);

    const compliance = page.getByRole('region', { name: 'Compliance' });
    await compliance.getByText('Not compliant', { exact: true }).waitFor();
    const reasons = await compliance.getByRole('list', { name: 'Compliance reasons' }).getByRole('listitem').allInnerTexts();
    assert.deepEqual(reasons, noncompliant.complianceReasons);

    const sessions = page.getByRole('table', { name: 'Recent sessions' });
    await sessions.waitFor();
    const row = sessions.getByRole('row').nth(1);
    const cells = await row.getByRole('cell').allInnerTexts();
    assert.match(cells[0]!, new RegExp(`${demoUsers.contosoHelper.name}\\s+${demoUsers.contosoHelper.upn}`));
    assert.match(cells[1]!, /\d{4}/, 'when it started');
    assert.match(cells[2]!, /sec|min|hr/, 'how long it lasted');
    assert.equal(cells[3], 'Completed');
    assert.ok(await page.getByRole('toolbar', { name: 'Remote actions' }).getByRole('button', { name: 'New remote assistance session' }).isEnabled());
    if (measureDir) await page.screenshot({ path: join(measureDir, 'device-view-1366.png'), fullPage: true });

    // In a 600 px window the view stacks its sections; nothing sticks out sideways.
    await page.setViewportSize({ width: 600, height: 900 });
    const widths = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, inner: innerWidth }));
    assert.ok(widths.scroll <= widths.inner, `the page is ${widths.scroll} px wide in a ${widths.inner} px window`);
    if (measureDir) await page.screenshot({ path: join(measureDir, 'device-view-600.png'), fullPage: true });
    await page.setViewportSize({ width: 1366, height: 900 });
  });

  it('shows the self-reported device as such, its unknown hardware, and no sessions yet', async () => {
    await openDevice(page, selfReported.name);
    const title = page.getByRole('heading', { name: selfReported.name }).locator('..');
    assert.ok(await shows(title, 'Self-reported'), 'the mark beside the name');
    const managedBy = propertyValue(page, 'Overview', 'Managed by');
    assert.ok(await shows(managedBy, 'Self-reported'));
    assert.ok(await shows(managedBy, 'Awaiting approval'));
    assert.ok(await shows(managedBy, /nothing proves these properties/));
    assert.equal(await property(page, 'Overview', 'Approval'), 'Awaiting approval');
    assert.equal(await property(page, 'Overview', 'Ownership'), 'Personal');
    for (const name of ['Manufacturer', 'Model', 'Serial number']) assert.equal(await property(page, 'Hardware', name), 'Unknown', name);
    await page.getByText('No remote help sessions on this device yet.').waitFor();
    if (measureDir) await page.screenshot({ path: join(measureDir, 'device-view-self-reported-1366.png'), fullPage: true });
  });

  it('refreshes the open device when a sync ends, and says so when the sync removed it', async () => {
    await openDevice(page, selfReported.name);
    await rh.relay.directory.upsertDevice({ ...selfReported, approved: true, compliance: 'noncompliant', complianceReasons: ['Firewall is off'], updatedAt: new Date().toISOString() });
    // Main's own sync (as on its interval): the view hears of it and reads the device again.
    const synced = await rh.host.services.api.syncDevices();
    assert.ok(synced.ok, JSON.stringify(synced));
    const compliance = page.getByRole('region', { name: 'Compliance' });
    await compliance.getByRole('listitem').filter({ hasText: 'Firewall is off' }).waitFor();
    assert.equal(await property(page, 'Overview', 'Approval'), 'Approved');

    await rh.relay.directory.removeDevices(contoso, [selfReported.id], new Date().toISOString());
    assert.ok((await rh.host.services.api.syncDevices()).ok);
    await page.getByText('The last sync removed this device from the inventory. Its last known properties are shown.').waitFor();
    assert.ok(await page.getByRole('button', { name: 'New remote assistance session' }).isDisabled());
    await page.getByRole('button', { name: 'Back to all devices' }).click();
    await page.getByRole('searchbox', { name: 'Search devices' }).fill('');
    await countShown(page, (await tenantDevices(rh.relay.directory)).length);
  });

  it('says when the recent sessions cannot be read, and reads them again on Try again', async () => {
    // A second window whose first deviceSessions answer from main is replaced by a failure.
    const other = await rh.context.newPage();
    await other.setViewportSize({ width: 1366, height: 900 });
    let failed = false;
    const ids = new Set<number>();
    await other.routeWebSocket(/\/api\?k=/, (ws: WebSocketRoute) => {
      const server = ws.connectToServer();
      ws.onMessage((m) => {
        const call = JSON.parse(String(m)) as { id: number; method: string };
        if (call.method === 'deviceSessions' && !failed) ids.add(call.id);
        server.send(m);
      });
      server.onMessage((m) => {
        const answer = JSON.parse(String(m)) as { id?: number };
        if (answer.id !== undefined && ids.delete(answer.id)) {
          failed = true;
          ws.send(JSON.stringify({ id: answer.id, result: { ok: false, error: { code: 'relay-unreachable', message: 'test' } } }));
        } else ws.send(m);
      });
    });
    await other.goto(rh.host.url);
    await openDevice(other, noncompliant.name);
    const alert = other.getByRole('alert').filter({ hasText: 'The recent sessions could not be read.' });
    await alert.waitFor();
    await other.getByRole('button', { name: 'Try again' }).click();
    await other.getByRole('table', { name: 'Recent sessions' }).getByRole('cell', { name: 'Completed' }).waitFor();
    await other.close();
  });
});
