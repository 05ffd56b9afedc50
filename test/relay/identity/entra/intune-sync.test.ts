// An Entra tenant's devices from Intune (issue 8), against the Entra ID and Microsoft Graph stand-ins
// (test/support/entra-stand-in.ts, graph-stand-in.ts, entra/managed-devices.ts): the listing paged
// through @odata.nextLink, only changed devices written, removals confirmed and turned into tombstones,
// throttling waited out, a failed sync that keeps what it wrote, duplicate names, a restart, the
// compliance mapping, and a relay that syncs by itself and shows the devices on the consoles' API.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '#relay/config.js';
import { applyConfiguredTenants } from '#relay/directory/configured-tenants.js';
import { createDirectory, type DirectoryStore } from '#relay/directory/index.js';
import { createAppToken } from '#relay/identity/entra/app-token.js';
import { createGraphGet, type Sleep } from '#relay/identity/entra/graph-request.js';
import { complianceFrom, graphDate, ownershipFrom, platformFrom } from '#relay/identity/entra/intune-devices.js';
import { createIntuneSync, startIntuneSchedule, type IntuneSync, type IntuneSyncResult } from '#relay/identity/entra/intune-sync.js';
import { createMemoryLog } from '#relay/log.js';
import { createHttpsFetch } from '#relay/net/https-fetch.js';
import { readOperatorConfig, type ConfiguredTenant } from '#relay/operator-config.js';
import { systemClock, type Clock } from '#relay/ports.js';
import { startRelay } from '#relay/start-relay.js';
import type { Ack, Device } from '#protocol';
import { startEntraStandIn, type EntraStandIn } from '#test/support/entra-stand-in.js';
import { startGraphStandIn, type GraphStandIn, type ManagedDeviceRecord } from '#test/support/graph-stand-in.js';
import { httpsRequest } from '#test/support/https-fetch.js';
import { waitFor } from '#test/support/wait.js';

const tid = '7d2e8b63-4c1f-4e9f-8b62-1a3c5d7e9f20';
const web = { clientId: '1c8f3d2e-6b5a-4f4c-9d3e-2b0a9f8e7d6c', clientSecret: 'intune-test-web-secret' };
const consoleId = '5e4d3c2b-1a0f-4e9d-8c7b-a69584736251';
const api = { audience: 'api://remote-help', clientId: 'b2c3d4e5-f6a7-4b8c-9d0e-1f2a3b4c5d6e' };
const helper = { oid: '66666666-6666-4666-8666-666666666666', upn: 'adele@contoso.test', name: 'Adele Vance', appRoles: ['help-desk-operator'] };
const graphPermissions = ['User.Read.All', 'GroupMember.Read.All', 'Organization.Read.All', 'ProfilePhoto.Read.All', 'DeviceManagementManagedDevices.Read.All'];
const rhTenant = 'contoso';

const guid = (n: number) => `${n.toString(16).padStart(8, '0')}-1111-4222-8333-${n.toString(16).padStart(12, '0')}`;
const intuneDevice = (n: number, extra: Partial<ManagedDeviceRecord> = {}): ManagedDeviceRecord => ({
  id: guid(n), deviceName: `PC-${String(n).padStart(4, '0')}`, operatingSystem: 'Windows', osVersion: '10.0.22631.3447',
  userPrincipalName: `user${n}@contoso.test`, complianceState: 'compliant', managedDeviceOwnerType: 'company',
  serialNumber: `SN${String(n).padStart(6, '0')}`, manufacturer: 'Contoso Hardware', model: 'Surface Laptop 6',
  enrolledDateTime: '2024-03-01T08:00:00Z', lastSyncDateTime: '2025-05-01T07:45:12.123Z', ...extra,
});
const dirId = (n: number) => `intune-${guid(n)}`;

describe('devices from Intune (Graph managedDevices) for an Entra tenant', function () {
  this.timeout(60_000);
  let entra: EntraStandIn;
  let graph: GraphStandIn;
  let dir: string;

  const tenants = (intune?: { syncMinutes: number }): ConfiguredTenant[] => [{
    id: rhTenant, name: 'Contoso', verifiedDomains: ['contoso.test'], settings: {},
    identity: {
      type: 'entra', tenantId: tid, clientId: web.clientId, clientSecret: web.clientSecret, consoleClientId: consoleId,
      audience: api.clientId, scopes: [`${api.audience}/session`], authorityHost: entra.authorityHost, graphUrl: graph.url,
      ...(intune ? { intune } : {}),
    },
  }];

  before(async () => {
    entra = await startEntraStandIn({
      tenants: [{
        tenantId: tid,
        apps: [
          { clientId: consoleId, publicClient: true, redirectUris: ['http://localhost'] },
          { ...web, redirectUris: ['https://localhost/auth/callback'], applicationPermissions: graphPermissions },
        ],
        apis: [{ audience: api.audience, clientId: api.clientId, scopes: ['session'], accessTokenVersion: 2 }],
        users: [{ ...helper, password: 'unused-password-1' }],
      }],
    });
    graph = await startGraphStandIn({ entra });
    dir = mkdtempSync(join(tmpdir(), 'rh-intune-'));
  });
  after(async () => {
    await graph?.close();
    await entra?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** A directory of its own per test, with the configured tenant in it. */
  let n = 0;
  async function newDirectory(): Promise<{ directory: DirectoryStore; dataDir: string }> {
    const dataDir = join(dir, `d${n++}`);
    const directory = createDirectory({ dataDir });
    await applyConfiguredTenants(directory, tenants());
    return { directory, dataDir };
  }

  /** The relay's clock, moved by the test: each sync's writes carry the time it says. */
  function testClock(start = Date.parse('2025-05-01T10:00:00Z')): Clock & { advance(ms: number): void } {
    let t = start;
    return { now: () => t, advance: (ms) => void (t += ms) };
  }

  /** The sync as the relay builds it (app-only token, graph-request's retries), with a sleep that only
   * records how long it was asked to wait. */
  function syncFor(directory: DirectoryStore, clock: Clock, opts: { clientId?: string; clientSecret?: string; pageSize?: number } = {}) {
    const waits: number[] = [];
    const sleep: Sleep = (ms) => {
      waits.push(ms);
      return Promise.resolve();
    };
    const log = createMemoryLog();
    const ca = [entra.caPem, graph.caPem];
    const get = createGraphGet({
      token: createAppToken({
        tenantId: tid, clientId: opts.clientId ?? web.clientId, clientSecret: opts.clientSecret ?? web.clientSecret,
        authorityHost: entra.authorityHost, graphUrl: graph.url, ca, log,
      }),
      fetch: createHttpsFetch(ca), log, sleep,
    });
    const sync = createIntuneSync({ tenantId: rhTenant, graphUrl: graph.url, get, directory, clock, log, ...(opts.pageSize ? { pageSize: opts.pageSize } : {}) });
    return { sync, waits, log };
  }

  const value = <T>(a: Ack<T>): T => {
    if (!a.ok) throw new Error(`expected ok, got ${a.error.code}: ${a.error.message}`);
    return a.value;
  };
  const run = async (sync: IntuneSync): Promise<IntuneSyncResult> => value(await sync.run());
  const intuneRequests = () => graph.requests.filter((r) => r.path.startsWith('/v1.0/deviceManagement/managedDevices'));
  const names = async (directory: DirectoryStore) =>
    (await Promise.all((await directory.deviceIds(rhTenant, 'intune')).map(async (id) => (await directory.device(rhTenant, id))!.name))).sort();

  beforeEach(() => {
    graph.intune.set(tid, []);
    graph.intune.setPageSize(1000);
  });

  it('pages through every device on the first sync and writes each as the device contract says', async () => {
    const { directory } = await newDirectory();
    const clock = testClock();
    graph.intune.set(tid, Array.from({ length: 7 }, (_, i) => intuneDevice(i + 1)));
    graph.intune.update(tid, guid(3), {
      deviceName: 'MAC-0003', operatingSystem: 'macOS', osVersion: '14.4.1', complianceState: 'noncompliant', managedDeviceOwnerType: 'personal',
      manufacturer: 'Apple', model: 'MacBook Pro', serialNumber: 'C02XYZ', deviceCategoryDisplayName: 'Finance devices',
    });
    const { sync } = syncFor(directory, clock, { pageSize: 3 });
    const before = intuneRequests().length;
    const result = await run(sync);
    assert.deepEqual({ ...result, durationMs: 0 }, { listed: 7, pages: 3, written: 7, unchanged: 0, removed: 0, skipped: 0, durationMs: 0 });
    const asked = intuneRequests().slice(before);
    assert.equal(asked.length, 3, 'one request per page');
    const first = new URL(asked[0]!.url, graph.url);
    assert.equal(first.pathname, '/v1.0/deviceManagement/managedDevices');
    assert.equal(first.searchParams.get('$top'), '3');
    assert.ok(first.searchParams.get('$select')!.split(',').includes('complianceState'));
    assert.ok(asked.slice(1).every((r) => r.url.includes('$skiptoken=') && r.url.includes('$select=')), 'the nextLinks were followed as given');
    assert.ok(asked.every((r) => r.authorization?.startsWith('Bearer ')));

    const mac = await directory.device(rhTenant, dirId(3));
    assert.deepEqual(mac, {
      id: dirId(3), tenantId: rhTenant, name: 'MAC-0003', platform: 'macOS', osVersion: '14.4.1', primaryUser: 'user3@contoso.test',
      enrolled: true, compliance: 'noncompliant', complianceReasons: ['Intune reports the device as not compliant'],
      lastCheckIn: '2025-05-01T07:45:12.123Z', managedBy: 'intune', approved: true, ownership: 'personal', serialNumber: 'C02XYZ',
      manufacturer: 'Apple', model: 'MacBook Pro', enrolledAt: '2024-03-01T08:00:00.000Z', groups: ['Finance devices'],
      updatedAt: '2025-05-01T10:00:00.000Z',
    } satisfies Device);
    // Intune's "Unknown" category is no group; its placeholder dates are no dates.
    assert.deepEqual((await directory.device(rhTenant, dirId(1)))?.groups, []);
    assert.equal((await directory.deviceIds(rhTenant, 'intune')).length, 7);
    assert.deepEqual(await sync.state(), { version: 1, completedAt: '2025-05-01T10:00:00.000Z', devices: 7 });
    directory.close();
  });

  it('moves only what changed on a later sync — adds, changes, removals — and the delta shows them, removed ids too', async () => {
    const { directory } = await newDirectory();
    const clock = testClock();
    graph.intune.set(tid, Array.from({ length: 6 }, (_, i) => intuneDevice(i + 1)));
    graph.intune.setPageSize(2);
    const { sync } = syncFor(directory, clock);
    await run(sync);
    const firstSync = (await directory.devicesChangedSince(rhTenant, undefined, 100)).last;

    clock.advance(15 * 60_000);
    const quiet = await run(sync);
    assert.equal(quiet.written, 0, 'nothing changed in Intune: nothing is written');
    assert.equal(quiet.unchanged, 6);
    assert.deepEqual((await directory.devicesChangedSince(rhTenant, firstSync, 100)).devices, [], 'the consoles have nothing to fetch');

    clock.advance(15 * 60_000);
    graph.intune.update(tid, guid(2), { complianceState: 'noncompliant' });
    graph.intune.update(tid, guid(5), { deviceName: 'PC-0005-RENAMED', lastSyncDateTime: '2025-05-01T10:20:00Z' });
    graph.intune.remove(tid, guid(4));
    graph.intune.put(tid, intuneDevice(7));
    const delta = await run(sync);
    assert.deepEqual({ written: delta.written, removed: delta.removed, unchanged: delta.unchanged, listed: delta.listed }, { written: 3, removed: 1, unchanged: 3, listed: 6 });
    const changes = await directory.devicesChangedSince(rhTenant, firstSync, 100);
    assert.deepEqual(changes.devices.map((d) => d.id).sort(), [dirId(2), dirId(5), dirId(7)].sort());
    assert.deepEqual(changes.removed, [dirId(4)]);
    assert.ok(changes.devices.every((d) => d.updatedAt === '2025-05-01T10:30:00.000Z'), 'written at the relay\'s clock');
    assert.equal((await directory.device(rhTenant, dirId(5)))?.name, 'PC-0005-RENAMED');
    assert.equal((await directory.device(rhTenant, dirId(2)))?.compliance, 'noncompliant');
    assert.equal(await directory.device(rhTenant, dirId(4)), undefined);
    directory.close();
  });

  it('waits out a 429\'s Retry-After (and a 503\'s) and goes on with the listing', async () => {
    const { directory } = await newDirectory();
    graph.intune.set(tid, Array.from({ length: 4 }, (_, i) => intuneDevice(i + 1)));
    graph.intune.setPageSize(2);
    const { sync, waits } = syncFor(directory, testClock());
    // The second page is throttled twice, then unavailable once.
    graph.intune.beforeRequest(1, () => {
      graph.intune.throttleNext(2, 7);
      graph.intune.failNext(1, 503, 3);
    });
    const before = intuneRequests().length;
    const result = await run(sync);
    assert.equal(result.listed, 4);
    assert.deepEqual(waits, [7000, 7000, 3000], 'each wait is the Retry-After Graph gave');
    assert.equal(intuneRequests().length - before, 5, 'two pages, and three tries again');
    directory.close();
  });

  it('keeps what a failed sync wrote, removes nothing, keeps the old state, and a rerun completes', async () => {
    const { directory } = await newDirectory();
    const clock = testClock();
    graph.intune.set(tid, Array.from({ length: 6 }, (_, i) => intuneDevice(i + 1)));
    graph.intune.setPageSize(2);
    const { sync, log } = syncFor(directory, clock);
    await run(sync);
    const state = await sync.state();

    clock.advance(60_000);
    graph.intune.update(tid, guid(1), { complianceState: 'error' });
    graph.intune.remove(tid, guid(6));
    // Page 2 fails with a status no retry changes.
    graph.intune.beforeRequest(1, () => graph.intune.failNext(1, 500));
    const failed = await sync.run();
    assert.equal(failed.ok, false);
    assert.equal((await directory.device(rhTenant, dirId(1)))?.compliance, 'noncompliant', 'page 1, read before the failure, is written');
    assert.ok(await directory.device(rhTenant, dirId(6)), 'a device is not removed on an incomplete listing');
    assert.deepEqual(await sync.state(), state, 'the state is the last complete listing\'s');
    assert.ok(log.lines.some((l) => l.includes('stopped part way')));

    clock.advance(60_000);
    const rerun = await run(sync);
    assert.deepEqual({ written: rerun.written, removed: rerun.removed }, { written: 0, removed: 1 });
    assert.equal(await directory.device(rhTenant, dirId(6)), undefined);
    assert.equal((await sync.state())?.completedAt, new Date(clock.now()).toISOString());
    directory.close();
  });

  it('does not remove a device that paging skipped while another was deleted: a second listing confirms', async () => {
    const { directory } = await newDirectory();
    graph.intune.set(tid, Array.from({ length: 6 }, (_, i) => intuneDevice(i + 1)));
    graph.intune.setPageSize(2);
    const { sync } = syncFor(directory, testClock());
    await run(sync);
    // Device 1 is deleted once page 1 (devices 1 and 2) is read: page 2 starts at the old offset, after device 3.
    graph.intune.beforeRequest(1, () => graph.intune.remove(tid, guid(1)));
    const result = await run(sync);
    assert.equal(result.listed, 5, 'the listing missed device 3');
    assert.equal(result.removed, 0, 'the ids-only listing found device 3: nothing is gone');
    assert.ok(await directory.device(rhTenant, dirId(3)), 'the skipped device stays');
    const next = await run(sync);
    assert.equal(next.removed, 1);
    assert.equal(await directory.device(rhTenant, dirId(1)), undefined, 'the deleted device goes at the next sync');
    directory.close();
  });

  it('gives duplicate Intune names unique names in the directory, and keeps them from sync to sync', async () => {
    const { directory } = await newDirectory();
    graph.intune.set(tid, [
      intuneDevice(1, { deviceName: 'iPhone', operatingSystem: 'iOS', serialNumber: 'F17ABC' }),
      intuneDevice(2, { deviceName: 'iPhone', operatingSystem: 'iOS', serialNumber: 'F17DEF' }),
      intuneDevice(3, { deviceName: 'IPHONE', operatingSystem: 'iPadOS', serialNumber: '' }),
      intuneDevice(4, { deviceName: 'iPhone', operatingSystem: 'iOS', serialNumber: '' }),
    ]);
    graph.intune.setPageSize(3);
    const clock = testClock();
    const { sync } = syncFor(directory, clock);
    await run(sync);
    assert.deepEqual((await names(directory)), ['iPhone', 'iPhone (F17DEF)', `IPHONE (${guid(3).slice(0, 8)})`, `iPhone (${guid(4).slice(0, 8)})`].sort());
    assert.equal((await directory.device(rhTenant, dirId(3)))?.platform, 'iOS', 'iPadOS counts as iOS');
    clock.advance(60_000);
    const again = await run(sync);
    assert.equal(again.written, 0, 'a name given for a duplicate is not given again');
    // The first "iPhone" is renamed in Intune: the name is free for nobody else until the next sync.
    graph.intune.update(tid, guid(1), { deviceName: 'Reception iPhone' });
    await run(sync);
    assert.ok((await names(directory)).includes('Reception iPhone'));
    assert.equal(new Set((await names(directory)).map((x) => x.toLowerCase())).size, 4);
    directory.close();
  });

  it('keeps its state across a restart: the next sync starts from it and writes nothing new', async () => {
    const { directory, dataDir } = await newDirectory();
    graph.intune.set(tid, Array.from({ length: 5 }, (_, i) => intuneDevice(i + 1)));
    const clock = testClock();
    await run(syncFor(directory, clock).sync);
    const cursor = (await directory.devicesChangedSince(rhTenant, undefined, 100)).last;
    directory.close();

    const reopened = createDirectory({ dataDir });
    clock.advance(3_600_000);
    const { sync } = syncFor(reopened, clock);
    assert.deepEqual(await sync.state(), { version: 1, completedAt: '2025-05-01T10:00:00.000Z', devices: 5 }, 'read back from device_sync_state');
    const result = await run(sync);
    assert.deepEqual({ written: result.written, unchanged: result.unchanged }, { written: 0, unchanged: 5 });
    assert.deepEqual(await reopened.devicesChangedSince(rhTenant, cursor, 100), { devices: [], removed: [], last: undefined, more: false });
    reopened.close();
  });

  it('waits out the interval after a restart instead of listing again at once', async () => {
    const clock = systemClock;
    const ran: number[] = [];
    const fake = (completedAgoMs: number | undefined): IntuneSync => ({
      tenantId: 't',
      run: () => {
        ran.push(Date.now());
        return Promise.resolve({ ok: true, value: { listed: 0, pages: 1, written: 0, unchanged: 0, removed: 0, skipped: 0, durationMs: 0 } });
      },
      state: async () => (completedAgoMs === undefined ? undefined : { version: 1, completedAt: new Date(clock.now() - completedAgoMs).toISOString(), devices: 0 }),
    });
    const started = Date.now();
    const schedule = startIntuneSchedule({ syncs: [{ sync: fake(100), intervalMs: 600 }], clock, log: createMemoryLog(), firstDelayMs: 0 });
    try {
      await waitFor(() => ran.length >= 1, 5000, 'the first sync after the restart never ran');
      assert.ok(ran[0]! - started >= 450, `the last listing was 100 ms ago with a 600 ms interval: the first sync waits ~500 ms (it waited ${ran[0]! - started} ms)`);
    } finally {
      await schedule.stop();
    }
    const count = ran.length;
    const fresh = startIntuneSchedule({ syncs: [{ sync: fake(undefined), intervalMs: 60_000 }], clock, log: createMemoryLog(), firstDelayMs: 0 });
    await waitFor(() => ran.length > count, 5000, 'a tenant never synced did not sync at once');
    await fresh.stop();
  });

  it('answers Graph\'s refusal when the registration lacks DeviceManagementManagedDevices.Read.All, and writes nothing', async () => {
    const { directory } = await newDirectory();
    const noIntune = { clientId: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d', clientSecret: 'no-intune-secret' };
    entra.addApp(tid, { ...noIntune, redirectUris: [], applicationPermissions: ['User.Read.All'] });
    graph.intune.set(tid, [intuneDevice(1)]);
    const { sync, log } = syncFor(directory, testClock(), noIntune);
    const result = await sync.run();
    assert.equal(result.ok, false);
    assert.equal(!result.ok && result.error.code, 'identity-provider-unavailable');
    assert.equal((await directory.deviceIds(rhTenant, 'intune')).length, 0);
    assert.equal(await sync.state(), undefined);
    assert.ok(log.lines.some((l) => l.includes('Graph permissions')), 'the log tells the operator where to look');
    directory.close();
  });

  it('maps every Intune compliance state, ownership and operating system', () => {
    const reasons = (s: string, grace?: string) => complianceFrom(s, grace);
    assert.deepEqual(reasons('compliant'), { compliance: 'compliant', reasons: [] });
    assert.deepEqual(reasons('inGracePeriod', '2025-05-08T09:30:00Z'), { compliance: 'compliant', reasons: ['In grace period until 2025-05-08 09:30 UTC'] });
    assert.deepEqual(reasons('inGracePeriod', '9999-12-31T23:59:59.9999999Z'), { compliance: 'compliant', reasons: ['In grace period'] });
    assert.deepEqual(reasons('noncompliant'), { compliance: 'noncompliant', reasons: ['Intune reports the device as not compliant'] });
    assert.deepEqual(reasons('conflict'), { compliance: 'noncompliant', reasons: ['Intune reports a compliance conflict (policies disagree)'] });
    assert.deepEqual(reasons('error'), { compliance: 'noncompliant', reasons: ['Intune reports a compliance error'] });
    assert.deepEqual(reasons('unknown'), { compliance: 'unknown', reasons: [] });
    assert.deepEqual(reasons('configManager'), { compliance: 'unknown', reasons: ['Compliance is evaluated by Configuration Manager, not Intune'] });
    assert.deepEqual(reasons('unknownFutureValue'), { compliance: 'unknown', reasons: ['Intune reports the compliance state "unknownFutureValue"'] });
    assert.deepEqual(['company', 'personal', 'unknown', null, 'other'].map(ownershipFrom), ['company', 'personal', 'unknown', 'unknown', 'unknown']);
    assert.deepEqual(
      ['Windows', 'windows', 'iOS', 'iPadOS', 'macOS', 'MacMDM', 'Android', 'AndroidForWork', 'AndroidEnterprise', 'Linux', 'ChromeOS', '', 'Holographic'].map(platformFrom),
      ['Windows', 'Windows', 'iOS', 'iOS', 'macOS', 'macOS', 'Android', 'Android', 'Android', 'Linux', 'ChromeOS', 'Unknown', 'Holographic'],
    );
    assert.deepEqual(['0001-01-01T00:00:00Z', '2025-05-01T07:45:12.1234567Z', null, 'garbage'].map(graphDate), ['', '2025-05-01T07:45:12.123Z', '', '']);
  });

  it('maps each state through the sync, as the trust screen and device list read it', async () => {
    const { directory } = await newDirectory();
    const states = ['compliant', 'inGracePeriod', 'noncompliant', 'conflict', 'error', 'unknown', 'configManager'] as const;
    graph.intune.set(tid, states.map((complianceState, i) => intuneDevice(i + 1, { complianceState, complianceGracePeriodExpirationDateTime: '2025-05-08T09:30:00Z' })));
    await run(syncFor(directory, testClock()).sync);
    assert.deepEqual(await Promise.all(states.map(async (_, i) => (await directory.device(rhTenant, dirId(i + 1)))?.compliance)),
      ['compliant', 'compliant', 'noncompliant', 'noncompliant', 'noncompliant', 'unknown', 'unknown']);
    directory.close();
  });

  it('reads intune.syncMinutes from the configuration: absent is the default, 0 turns it off, a bad value is named', () => {
    const file = join(dir, 'rh.yaml');
    const write = (intune: string) => writeFileSync(file, `tenants:
  - id: contoso
    name: Contoso
    verifiedDomains: [contoso.test]
    identity:
      type: entra
      tenantId: ${tid}
      clientId: a
      clientSecret: s
      consoleClientId: b
      audience: api://remote-help
${intune}`);
    write('');
    const entraOf = (c: ReturnType<typeof readOperatorConfig>) => (c.tenants[0]!.identity.type === 'entra' ? c.tenants[0]!.identity : undefined);
    assert.equal(entraOf(readOperatorConfig(file, {}))?.intune, undefined);
    write('      intune: { syncMinutes: 0 }\n');
    assert.deepEqual(entraOf(readOperatorConfig(file, {}))?.intune, { syncMinutes: 0 });
    write('      intune: { syncMinutes: ${SYNC} }\n');
    assert.deepEqual(entraOf(readOperatorConfig(file, { SYNC: '30' }))?.intune, { syncMinutes: 30 });
    write('      intune: { syncMinutes: -5, every: 3 }\n');
    assert.throws(() => readOperatorConfig(file, {}), (e: Error) => /tenants\[0\]\.identity\.intune\.syncMinutes/.test(e.message) && /tenants\[0\]\.identity\.intune\.every: unknown key/.test(e.message));
  });

  describe('in a running relay', () => {
    it('syncs an Entra tenant\'s devices at start; the consoles\' /api/devices lists them, then a delta with removed ids', async () => {
      graph.intune.set(tid, Array.from({ length: 5 }, (_, i) => intuneDevice(i + 1, i === 2 ? { complianceState: 'noncompliant' } : {})));
      graph.intune.setPageSize(2);
      const dataDir = join(dir, 'relay');
      const config = { ...loadConfig({ RH_PORT: '0', RH_HOST: 'localhost', RH_DATA_DIR: dataDir, RH_WEB_DIST: join(dataDir, 'no-web') }), tenants: tenants() };
      const directory = createDirectory({ dataDir });
      await applyConfiguredTenants(directory, config.tenants);
      const relay = await startRelay({ config, directory, log: createMemoryLog(), clock: systemClock, outgoingCa: [entra.caPem, graph.caPem] });
      try {
        const ca = [readFileSync(relay.caCertPath!, 'utf8'), entra.caPem, graph.caPem].join('\n');
        const token = await entra.issueToken({ tenantId: tid, oid: helper.oid, clientId: consoleId });
        const devices = async (since?: string) => {
          const res = await httpsRequest(`${relay.url}/api/devices${since ? `?since=${encodeURIComponent(since)}` : ''}`, ca, { headers: { authorization: `Bearer ${token}` } });
          assert.equal(res.status, 200, res.body);
          return JSON.parse(res.body) as { devices: Device[]; removed: string[]; cursor: string | null; more: boolean };
        };
        // Nobody asks: the relay lists Intune by itself a moment after it starts.
        await waitFor(async () => (await devices()).devices.length === 5, 20_000, 'the relay never synced the Intune devices');
        const first = await devices();
        assert.ok(first.devices.every((d) => d.managedBy === 'intune' && d.approved));
        assert.equal(first.devices.find((d) => d.id === dirId(3))?.compliance, 'noncompliant');

        // The next sync (what the relay's timer runs every 15 minutes), into the relay's own directory.
        graph.intune.remove(tid, guid(1));
        graph.intune.update(tid, guid(2), { osVersion: '10.0.26100.1' });
        const { sync } = syncFor(directory, { now: () => Date.now() + 1 });
        await run(sync);
        const delta = await devices(first.cursor!);
        assert.deepEqual(delta.devices.map((d) => [d.id, d.osVersion]), [[dirId(2), '10.0.26100.1']]);
        assert.deepEqual(delta.removed, [dirId(1)]);
      } finally {
        await relay.close();
        directory.close();
      }
    });

    it('does not sync when the tenant says intune.syncMinutes: 0', async () => {
      graph.intune.set(tid, [intuneDevice(1)]);
      const dataDir = join(dir, 'relay-off');
      const config = { ...loadConfig({ RH_PORT: '0', RH_HOST: 'localhost', RH_DATA_DIR: dataDir, RH_WEB_DIST: join(dataDir, 'no-web') }), tenants: tenants({ syncMinutes: 0 }) };
      const directory = createDirectory({ dataDir });
      await applyConfiguredTenants(directory, config.tenants);
      const before = graph.intune.requestCount();
      const relay = await startRelay({ config, directory, log: createMemoryLog(), clock: systemClock, outgoingCa: [entra.caPem, graph.caPem] });
      try {
        // The default sync starts 1 s after the relay: a quiet 2 s says this one never will.
        await new Promise((r) => setTimeout(r, 2000));
        assert.equal(graph.intune.requestCount(), before);
        assert.equal((await directory.deviceIds(rhTenant, 'intune')).length, 0);
      } finally {
        await relay.close();
        directory.close();
      }
    });
  });
});
