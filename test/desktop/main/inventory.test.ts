import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Device } from '#protocol';
import { openInventory, type Inventory } from '#desktop/main/inventory/inventory.js';
import { schemaVersion } from '#desktop/main/inventory/migrations.js';
import { directoryOf, generateDevices } from '../../fixtures/devices.js';

const byName = (a: Device, b: Device) => {
  const x = a.name.toLowerCase();
  const y = b.name.toLowerCase();
  return x < y ? -1 : x > y ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
};

describe('desktop inventory (real SQLite file)', () => {
  let dir: string;
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'rh-inv-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('creates its schema once and opens an existing file again without changing it', () => {
    const file = join(dir, 'inventory.db');
    openInventory(file).close();
    openInventory(file).close();
    const db = new Database(file, { readonly: true });
    assert.equal(db.pragma('user_version', { simple: true }), schemaVersion);
    assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[];
    assert.deepEqual(tables.map((t) => t.name), ['devices', 'sync_state']);
    db.close();
  });

  it('syncs delta pages, keeps the cursor, and only asks for what is newer next time', async () => {
    const inv = openInventory(join(dir, 'inventory.db'));
    try {
      const devices = generateDevices(250);
      const dirApi = directoryOf(devices, 100);
      const first = await inv.sync('tenant-a', dirApi);
      assert.equal(first.changed, 250);
      assert.equal(first.total, 250);
      assert.ok(inv.lastSyncedAt('tenant-a'));
      // A changed device and a new one: the next sync starts from the cursor and brings just those.
      const changed = { ...devices[5]!, compliance: 'noncompliant' as const, complianceReasons: ['Firewall is off'], updatedAt: '2027-01-01T00:00:00.000Z' };
      const added = { ...generateDevices(251)[250]!, updatedAt: '2027-01-01T00:00:01.000Z' };
      const dirApi2 = directoryOf([...devices.filter((d) => d.id !== changed.id), changed, added], 100);
      const second = await inv.sync('tenant-a', dirApi2);
      assert.equal(dirApi2.calls[0], devices[devices.length - 1]!.updatedAt);
      assert.equal(second.changed, 2);
      assert.equal(second.total, 251);
      assert.deepEqual(inv.get('tenant-a', changed.id)?.complianceReasons, ['Firewall is off']);
      assert.equal(inv.get('tenant-a', 'no-such-device'), undefined);
    } finally {
      inv.close();
    }
  });

  it('keeps tenants apart', async () => {
    const inv = openInventory(join(dir, 'inventory.db'));
    try {
      await inv.sync('tenant-a', directoryOf(generateDevices(20, 'tenant-a'), 50));
      // A page that (wrongly) carries another tenant's rows does not leak them into this tenant.
      await inv.sync('tenant-b', directoryOf([...generateDevices(5, 'tenant-b'), ...generateDevices(3, 'tenant-a')], 50));
      assert.equal(inv.list('tenant-a', {}).total, 20);
      assert.equal(inv.list('tenant-b', {}).total, 5);
      assert.equal(inv.get('tenant-b', 'dev-0')?.tenantId, 'tenant-b');
      assert.equal(inv.get('tenant-b', 'dev-10'), undefined);
    } finally {
      inv.close();
    }
  });

  describe('with 100k devices', function () {
    this.timeout(120_000);
    let inv: Inventory;
    let all: Device[];
    let bigDir: string;
    before(async () => {
      bigDir = mkdtempSync(join(tmpdir(), 'rh-inv-100k-'));
      all = generateDevices(100_000);
      inv = openInventory(join(bigDir, 'inventory.db'));
      const result = await inv.sync('tenant-a', directoryOf(all, 5000));
      assert.equal(result.total, 100_000);
    });
    after(() => {
      inv.close();
      rmSync(bigDir, { recursive: true, force: true });
    });

    it('pages through all devices ordered by name, case-insensitively, with the total', () => {
      const sorted = [...all].sort(byName);
      const first = inv.list('tenant-a', { limit: 100 });
      assert.equal(first.total, 100_000);
      assert.deepEqual(first.items.map((d) => d.id), sorted.slice(0, 100).map((d) => d.id));
      const deep = inv.list('tenant-a', { offset: 73_400, limit: 50 });
      assert.equal(deep.offset, 73_400);
      assert.deepEqual(deep.items.map((d) => d.id), sorted.slice(73_400, 73_450).map((d) => d.id));
      const last = inv.list('tenant-a', { offset: 99_990, limit: 100 });
      assert.equal(last.items.length, 10);
    });

    it('searches name, primary user and platform, ignoring case', () => {
      const cases = ['PC-0421', 'CHEN7', 'macos', 'émile12@'];
      for (const search of cases) {
        const want = all.filter((d) => [d.name, d.primaryUser, d.platform].some((f) => f.toLowerCase().includes(search.toLowerCase()))).sort(byName);
        const got = inv.list('tenant-a', { search, limit: 500 });
        assert.equal(got.total, want.length, `total for ${search}`);
        assert.deepEqual(got.items.map((d) => d.id), want.slice(0, 500).map((d) => d.id), `rows for ${search}`);
      }
    });

    it('treats % and _ in a search as plain characters', () => {
      assert.equal(inv.list('tenant-a', { search: '%' }).total, 0);
      assert.equal(inv.list('tenant-a', { search: '_' }).total, 0);
    });

    it('filters by compliance, alone and with a search, and pages the filtered rows', () => {
      const non = all.filter((d) => d.compliance === 'noncompliant').sort(byName);
      const page = inv.list('tenant-a', { compliance: 'noncompliant', offset: 200, limit: 100 });
      assert.equal(page.total, non.length);
      assert.deepEqual(page.items.map((d) => d.id), non.slice(200, 300).map((d) => d.id));
      const both = all.filter((d) => d.compliance === 'unknown' && d.platform === 'Linux').sort(byName);
      const got = inv.list('tenant-a', { compliance: 'unknown', search: 'linux', limit: 500 });
      assert.equal(got.total, both.length);
      assert.deepEqual(got.items.map((d) => d.id), both.slice(0, 500).map((d) => d.id));
    });
  });
});
