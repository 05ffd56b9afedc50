import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Device } from '#protocol';
import { createDirectory, demoDevices, demoTenants, seedDemoTenants } from '#relay/directory/index.js';
import { DeviceNameTakenError } from '#relay/directory/device-tables.js';
import { directoryMigrations, schemaVersion } from '#relay/directory/schema.js';
import { forEachDirectoryBackend, freshDirectoryPlace } from '../../support/directory-backends.js';

const contoso = demoTenants.contoso.id;
const base = demoDevices.find((d) => d.tenantId === contoso)!;
const device = (id: string, name: string, extra: Partial<Device> = {}): Device => ({ ...base, id, name, updatedAt: '2030-01-01T00:00:00.000Z', ...extra });

describe('the directory\'s devices', () => forEachDirectoryBackend((backend) => {
  const place = freshDirectoryPlace(backend);

  it('keeps device names unique per tenant, ignoring case; the same device keeps its name', async () => {
    const directory = await place().open();
    await seedDemoTenants(directory);
    await directory.upsertDevice(device('a', 'Reception PC'));
    await assert.rejects(directory.upsertDevice(device('b', 'RECEPTION pc')), DeviceNameTakenError);
    assert.equal(await directory.device(contoso, 'b'), undefined, 'a refused device is not written');
    await directory.upsertDevice(device('a', 'Reception PC', { osVersion: '11' }));
    assert.equal((await directory.device(contoso, 'a'))?.osVersion, '11');
    // Another tenant may use the name.
    const fabrikamDevice = demoDevices.find((d) => d.tenantId === demoTenants.fabrikam.id)!;
    await directory.upsertDevice({ ...fabrikamDevice, id: 'f-1', name: 'Reception PC' });
    directory.close();
  });

  it('renames a source\'s duplicate (Intune allows them) with its serial number, then a counter', async () => {
    const directory = await place().open();
    await seedDemoTenants(directory);
    await directory.upsertDevices([device('i-1', 'iPhone', { serialNumber: 'SN1' }), device('i-2', 'iPhone', { serialNumber: 'SN1' }), device('i-3', 'iPhone', { serialNumber: 'SN1' })], { renameOnConflict: true });
    assert.deepEqual(await Promise.all(['i-1', 'i-2', 'i-3'].map(async (id) => (await directory.device(contoso, id))?.name)), ['iPhone', 'iPhone (SN1)', 'iPhone (SN1) 2']);
    // Written again, a device keeps the name it got.
    await directory.upsertDevices([device('i-2', 'iPhone', { serialNumber: 'SN1' })], { renameOnConflict: true });
    assert.equal((await directory.device(contoso, 'i-2'))?.name, 'iPhone (SN1)');
    directory.close();
  });

  it('merges removals into the delta in time order, tells each once, and forgets one when the device comes back', async () => {
    const directory = await place().open();
    await seedDemoTenants(directory);
    const t = (s: number) => new Date(Date.UTC(2031, 0, 1, 0, 0, s)).toISOString();
    const start = (await directory.devicesChangedSince(contoso, undefined, 100_000)).last;
    await directory.upsertDevice(device('r-1', 'R1', { updatedAt: t(1) }));
    await directory.upsertDevice(device('r-2', 'R2', { updatedAt: t(2) }));
    assert.equal(await directory.removeDevices(contoso, ['r-1', 'nobody'], t(3)), 1);
    await directory.upsertDevice(device('r-3', 'R3', { updatedAt: t(4) }));
    const page = await directory.devicesChangedSince(contoso, start, 10);
    assert.deepEqual(page.devices.map((d) => d.id), ['r-2', 'r-3']);
    assert.deepEqual(page.removed, ['r-1']);
    assert.ok(page.last!.seq > start!.seq);
    assert.equal(await directory.countChangesSince(contoso, start), 3);
    // Page by page in the order of the changes: the removal sits between r-2 and r-3.
    const one = await directory.devicesChangedSince(contoso, start, 2);
    assert.deepEqual([one.devices.map((d) => d.id), one.removed, one.more], [['r-2'], ['r-1'], true]);
    await directory.upsertDevice(device('r-1', 'R1', { updatedAt: t(5) }));
    // The same device written again unchanged is no change.
    await directory.upsertDevice(device('r-1', 'R1', { updatedAt: t(5) }));
    const back = await directory.devicesChangedSince(contoso, one.last, 10);
    assert.deepEqual([back.devices.map((d) => d.id), back.removed], [['r-3', 'r-1'], []]);
    // Removals are per tenant.
    assert.deepEqual((await directory.devicesChangedSince(demoTenants.fabrikam.id, start, 10)).removed, []);
    directory.close();
  });

  it('hands a change written with an older time (a writer whose clock is behind) to a console whose cursor is past that time', async () => {
    const directory = await place().open();
    await seedDemoTenants(directory);
    await directory.upsertDevice(device('late-1', 'LATE1', { updatedAt: '2035-01-01T00:00:00.000Z' }));
    const cursor = (await directory.devicesChangedSince(contoso, undefined, 100_000)).last;
    await directory.upsertDevice(device('early-1', 'EARLY1', { updatedAt: '2020-01-01T00:00:00.000Z' }));
    await directory.removeDevices(contoso, ['late-1'], '2020-01-01T00:00:01.000Z');
    const delta = await directory.devicesChangedSince(contoso, cursor, 10);
    assert.deepEqual([delta.devices.map((d) => d.id), delta.removed], [['early-1'], ['late-1']]);
    directory.close();
  });

  it('lists the enrolled browsers that wait for approval, oldest first, and each source\'s devices', async () => {
    const directory = await place().open();
    await seedDemoTenants(directory);
    await directory.upsertDevice(device('p-2', 'P2', { managedBy: 'enrollment', approved: false, enrolledAt: '2030-02-02T00:00:00.000Z' }));
    await directory.upsertDevice(device('p-1', 'P1', { managedBy: 'enrollment', approved: false, enrolledAt: '2030-01-01T00:00:00.000Z' }));
    await directory.upsertDevice(device('ok', 'OK', { managedBy: 'enrollment', approved: true }));
    await directory.upsertDevice(device('in-1', 'IN1', { managedBy: 'intune' }));
    assert.deepEqual((await directory.pendingDevices(contoso)).map((d) => d.id), ['p-1', 'p-2']);
    assert.deepEqual(await directory.deviceIds(contoso, 'intune'), ['in-1']);
    await directory.setDeviceSyncState(contoso, 'intune', { deltaLink: 'https://graph/x?$deltatoken=1' });
    directory.close();
    const reopened = await place().open();
    assert.deepEqual(await reopened.deviceSyncState(contoso, 'intune'), { deltaLink: 'https://graph/x?$deltatoken=1' });
    assert.equal(await reopened.deviceSyncState(contoso, 'import'), undefined);
    reopened.close();
  });
}));

describe('the directory\'s devices in an older SQLite file', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rh-devices-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  // A file left at each earlier schema version, with a tenant and two devices of one name, opens at the
  // current version with its rows kept: the duplicate renamed, devices marked imported and approved.
  for (let version = 1; version < schemaVersion; version++) {
    it(`migrates a directory file from version ${version} to ${schemaVersion}, keeping its devices`, async () => {
      const file = join(dir, 'directory.db');
      const old = new Database(file);
      for (let v = 0; v < version; v++) {
        old.exec(directoryMigrations[v]!);
        old.pragma(`user_version = ${v + 1}`);
      }
      old.prepare('INSERT INTO tenants (id, name, verified_domains, settings) VALUES (?, ?, ?, ?)').run('t1', 'T1', '["t1.example"]', '{}');
      const insert = old.prepare(`INSERT INTO devices (id, tenant_id, name, platform, os_version, primary_user, enrolled, compliance,
        compliance_reasons, last_check_in, updated_at) VALUES (?, 't1', ?, 'Windows', '11', 'u@t1.example', 1, 'compliant', '[]', ?, ?)`);
      insert.run('d-00000001', 'Laptop', '2025-01-01T00:00:00.000Z', '2025-01-01T00:00:00.000Z');
      // From version 7 on, names are unique already (migration 7 renamed the duplicate this way).
      insert.run('d-00000002', version >= 7 ? 'LAPTOP (d-000000)' : 'LAPTOP', '2025-01-02T00:00:00.000Z', '2025-01-02T00:00:00.000Z');
      // From version 8 on, every write takes a change number.
      if (version >= 8) old.exec(`UPDATE devices SET change_seq = CASE id WHEN 'd-00000001' THEN 1 ELSE 2 END; UPDATE device_change_counter SET seq = 2`);
      old.close();

      const directory = createDirectory({ dataDir: dir });
      const first = (await directory.device('t1', 'd-00000001'))!;
      const second = (await directory.device('t1', 'd-00000002'))!;
      assert.equal(first.name, 'Laptop');
      assert.equal(second.name, 'LAPTOP (d-000000)');
      assert.deepEqual([first.managedBy, first.approved, first.ownership, first.serialNumber], ['import', true, 'unknown', '']);
      // Numbered in their old (time, id) order; the next write comes after them.
      assert.deepEqual((await directory.devicesChangedSince('t1', undefined, 10)).devices.map((d) => d.id), ['d-00000001', 'd-00000002']);
      const last = (await directory.devicesChangedSince('t1', undefined, 10)).last!;
      await directory.upsertDevice({ ...first, osVersion: '12' });
      assert.deepEqual((await directory.devicesChangedSince('t1', last, 10)).devices.map((d) => d.osVersion), ['12']);
      directory.close();
      const check = new Database(file, { readonly: true });
      assert.equal(check.pragma('user_version', { simple: true }), schemaVersion);
      check.close();
    });
  }

  it('refuses a directory file from a newer relay rather than writing to it', () => {
    const file = join(dir, 'directory.db');
    const newer = new Database(file);
    newer.pragma(`user_version = ${schemaVersion + 1}`);
    newer.close();
    assert.throws(() => createDirectory({ dataDir: dir }), /newer than this relay knows/);
  });
});
