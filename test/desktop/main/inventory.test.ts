// The console's device inventory on a real SQLite file: the list (every sort key both ways, every
// filter, the search, the count) checked against a plain JavaScript filter and sort of the same devices,
// and the delta sync (adds, changes, removals, resume after an interruption, cancel, another account).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { deviceOwnerships, deviceSortKeys, enrollmentFilters, type Device, type DeviceQuery, type DeviceSortKey } from '#protocol';
import { openInventory, type DevicePage, type Inventory, type PageSource } from '#desktop/main/inventory/inventory.js';
import { applicationId, schemaVersion } from '#desktop/main/inventory/migrations.js';
import { fakeDirectory, generateDevices } from './device-fixtures.js';

const tenant = 'tenant-a';
const account = 'helper@contoso.example';

// The reference: what the list must show, computed the plainest way.
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
/** OS versions by their numbers: "9.1" before "10.0". */
function cmpVersion(a: string, b: string): number {
  const ta = a.toLowerCase().match(/\d+|\D+/g) ?? [];
  const tb = b.toLowerCase().match(/\d+|\D+/g) ?? [];
  for (let i = 0; i < Math.min(ta.length, tb.length); i++) {
    const x = ta[i]!;
    const y = tb[i]!;
    const c = /^\d/.test(x) && /^\d/.test(y) ? Number(x) - Number(y) : cmp(x, y);
    if (c !== 0) return c;
  }
  return ta.length - tb.length;
}
const byKey: Record<DeviceSortKey, (a: Device, b: Device) => number> = {
  name: (a, b) => cmp(a.name.toLowerCase(), b.name.toLowerCase()),
  managedBy: (a, b) => cmp(a.managedBy, b.managedBy),
  ownership: (a, b) => cmp(a.ownership, b.ownership),
  compliance: (a, b) => cmp(a.compliance, b.compliance),
  platform: (a, b) => cmp(a.platform.toLowerCase(), b.platform.toLowerCase()) || cmp(a.platform, b.platform),
  osVersion: (a, b) => cmpVersion(a.osVersion, b.osVersion),
  primaryUser: (a, b) => cmp(a.primaryUser.toLowerCase(), b.primaryUser.toLowerCase()),
  lastCheckIn: (a, b) => Date.parse(a.lastCheckIn) - Date.parse(b.lastCheckIn),
};
function expected(all: Device[], q: DeviceQuery): Device[] {
  const needle = (q.search ?? '').trim().toLowerCase();
  const enrollment = (d: Device) => (d.managedBy === 'enrollment' ? (d.approved ? 'approved' : 'pending') : d.managedBy);
  const rows = all.filter((d) =>
    (!needle || [d.name, d.primaryUser, d.serialNumber].some((f) => f.toLowerCase().includes(needle)))
    && (!q.compliance || q.compliance === 'any' || d.compliance === q.compliance)
    && (!q.platform || d.platform === q.platform)
    && (!q.ownership || q.ownership === 'any' || d.ownership === q.ownership)
    && (!q.enrollment || q.enrollment === 'any' || enrollment(d) === q.enrollment));
  const key = byKey[q.sort ?? 'name'];
  const sign = q.direction === 'desc' ? -1 : 1;
  return rows.sort((a, b) => sign * (key(a, b) || cmp(a.id, b.id)));
}
async function assertList(inv: Inventory, all: Device[], q: DeviceQuery, label: string): Promise<void> {
  const want = expected(all, q);
  const got = await inv.list(tenant, q);
  assert.equal(got.total, want.length, `total for ${label}`);
  const offset = q.offset ?? 0;
  assert.deepEqual(got.items.map((d) => d.id), want.slice(offset, offset + (q.limit ?? 100)).map((d) => d.id), `rows for ${label}`);
}

/** The relay's directory over these devices (its JSON pages; a test can make a call fail). */
const pagesOf = (devices: Device[]) => fakeDirectory(devices);

describe('desktop inventory (real SQLite file)', () => {
  let dir: string;
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'rh-inv-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const open = () => openInventory(join(dir, 'inventory.db'), { log: { error: () => undefined } });

  it('creates its schema once, stamped as an inventory, and opens an existing file again without changing it', () => {
    const file = join(dir, 'inventory.db');
    open().close();
    open().close();
    const db = new Database(file, { readonly: true });
    assert.equal(db.pragma('user_version', { simple: true }), schemaVersion);
    assert.equal(db.pragma('application_id', { simple: true }), applicationId);
    assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[];
    assert.deepEqual(tables.map((t) => t.name), ['devices', 'sync_state']);
    db.close();
  });

  describe('the list, against a plain filter and sort of the same devices', function () {
    this.timeout(60_000);
    let inv: Inventory;
    let all: Device[];
    let listDir: string;
    before(async () => {
      listDir = mkdtempSync(join(tmpdir(), 'rh-inv-list-'));
      all = generateDevices(5000);
      inv = openInventory(join(listDir, 'inventory.db'));
      const result = await inv.sync({ tenantId: tenant, account, source: pagesOf(all).source, pageSize: 700 });
      assert.equal(result.total, 5000);
    });
    after(() => {
      inv.close();
      rmSync(listDir, { recursive: true, force: true });
    });

    it('sorts by every column, both ways, ties broken by id, on the first, a middle and the last page', async () => {
      for (const sort of deviceSortKeys) {
        for (const direction of ['asc', 'desc'] as const) {
          for (const offset of [0, 2450, 4950]) await assertList(inv, all, { sort, direction, offset, limit: 100 }, `${sort} ${direction} @${offset}`);
        }
      }
    });

    it('pages are stable: the pages put together are the whole ordered list', async () => {
      const ids: string[] = [];
      for (let offset = 0; offset < 5000; offset += 500) ids.push(...(await inv.list(tenant, { sort: 'compliance', direction: 'desc', offset, limit: 500 })).items.map((d) => d.id));
      assert.deepEqual(ids, expected(all, { sort: 'compliance', direction: 'desc' }).map((d) => d.id));
    });

    it('filters by compliance, platform, ownership and enrollment, each value, with the count', async () => {
      for (const compliance of ['compliant', 'noncompliant', 'unknown'] as const) await assertList(inv, all, { compliance, limit: 200 }, `compliance ${compliance}`);
      for (const platform of ['Windows', 'macOS', 'iOS', 'Android', 'Linux']) await assertList(inv, all, { platform, sort: 'lastCheckIn', direction: 'desc' }, `platform ${platform}`);
      for (const ownership of deviceOwnerships) await assertList(inv, all, { ownership, sort: 'osVersion' }, `ownership ${ownership}`);
      for (const enrollment of enrollmentFilters) await assertList(inv, all, { enrollment, sort: 'primaryUser', offset: 50 }, `enrollment ${enrollment}`);
      assert.equal((await inv.list(tenant, { platform: 'Symbian' })).total, 0, 'an OS no device has');
    });

    it('combines filters, a search and a sort', async () => {
      await assertList(inv, all, { compliance: 'noncompliant', platform: 'Windows', ownership: 'company', enrollment: 'intune', search: 'pc', sort: 'lastCheckIn', direction: 'desc' }, 'combination');
      await assertList(inv, all, { enrollment: 'pending', search: 'example', sort: 'platform', offset: 10, limit: 20 }, 'pending + search');
    });

    it('searches name, primary user and serial number: contains, ignoring case, non-ASCII too', async () => {
      const serial = all.find((d) => d.serialNumber)!.serialNumber;
      for (const search of ['PC-0001', 'pc-0001', 'ALICE', 'émile', 'ÉMILE', 'åsa', 'ÅSA', 'øyvind', '陳美', 'école', serial.toLowerCase(), serial.slice(3, 7), '  kiosk-00  ']) {
        const got = await inv.list(tenant, { search, limit: 500 });
        assert.ok(got.total > 0, `something matches ${search}`);
        await assertList(inv, all, { search, limit: 500 }, `search ${search}`);
      }
      assert.equal((await inv.list(tenant, { search: 'windows' })).total, 0, 'the platform is a filter, not searched');
      assert.equal((await inv.list(tenant, { search: `${all[0]!.name}${all[0]!.primaryUser}` })).total, 0, 'a search does not run across two fields');
    });

    it('answers a search typed a key at a time, and a search widened again, like a fresh one', async () => {
      const typed = 'émile12@';
      for (let i = 1; i <= typed.length; i++) await assertList(inv, all, { search: typed.slice(0, i), limit: 50 }, `typed ${typed.slice(0, i)}`);
      for (let i = typed.length; i >= 1; i--) await assertList(inv, all, { search: typed.slice(0, i), sort: 'name', direction: 'desc', limit: 50 }, `erased to ${typed.slice(0, i)}`);
      await assertList(inv, all, { search: 'mile1', limit: 50 }, 'a search inside the last one');
    });

    it('takes % and _ in a search literally', async () => {
      for (const search of ['%', '_', 'qa%', 'lab_', 'b_-', 'a%-']) await assertList(inv, all, { search }, `search ${search}`);
      assert.ok((await inv.list(tenant, { search: '%' })).total > 0);
      assert.equal((await inv.list(tenant, { search: 'l_b' })).total, 0, '_ is not a wildcard');
      assert.equal((await inv.list(tenant, { search: 'p%1' })).total, 0, '% is not a wildcard');
    });

    it('offers the OSes present as the platform filter', async () => {
      assert.deepEqual((await inv.filters(tenant)).platforms, ['Android', 'iOS', 'Linux', 'macOS', 'Windows']);
    });

    it('reads a device back with every field the relay sent', () => {
      for (const d of [all[0]!, all[1]!, all.find((x) => x.managedBy === 'enrollment' && !x.approved)!]) assert.deepEqual(inv.get(tenant, d.id), d);
      assert.equal(inv.get(tenant, 'no-such-device'), undefined);
    });
  });

  it('applies a delta: added, changed and removed devices, from the stored cursor', async () => {
    const inv = open();
    try {
      const devices = generateDevices(300);
      const relay = pagesOf(devices);
      const first = await inv.sync({ tenantId: tenant, account, source: relay.source, pageSize: 100 });
      assert.deepEqual([first.changed, first.removed, first.total, first.cancelled], [300, 0, 300, false]);
      assert.ok(inv.lastSyncedAt(tenant));
      assert.deepEqual(relay.calls.map((c) => c.count), [true, false, false]);
      assert.equal(relay.calls[0]!.limit, 100);

      const changed = { ...devices[5]!, compliance: 'noncompliant' as const, complianceReasons: ['Firewall is off'], name: 'Renamed-PC', updatedAt: '2027-01-01T00:00:00.000Z' };
      const added = generateDevices(1, { start: 300, seed: 7 })[0]!;
      relay.put(changed);
      relay.put(added);
      relay.remove(devices[9]!.id);
      relay.remove(devices[10]!.id);
      const calls = relay.calls.length;
      const second = await inv.sync({ tenantId: tenant, account, source: relay.source, pageSize: 100 });
      assert.equal(relay.calls[calls]!.since, '300', 'asked from the cursor where the last sync ended');
      assert.deepEqual([second.changed, second.removed, second.total], [2, 2, 299]);
      assert.deepEqual(inv.get(tenant, changed.id), changed);
      assert.equal(inv.get(tenant, devices[9]!.id), undefined);
      const now = [...devices.filter((d) => d.id !== devices[9]!.id && d.id !== devices[10]!.id && d.id !== changed.id), changed, added];
      await assertList(inv, now, { limit: 500 }, 'after the delta');
      await assertList(inv, now, { search: 'renamed' }, 'the changed name is searched');
      // The same search before and after a sync: the answer follows the sync, not the last search's matches.
      await assertList(inv, now, { search: 'renamed-p' }, 'before the next sync');
      relay.put({ ...devices[20]!, name: 'Renamed-PC-2', updatedAt: '2027-01-02T00:00:00.000Z' });
      await inv.sync({ tenantId: tenant, account, source: relay.source, pageSize: 100 });
      const later = now.map((d) => (d.id === devices[20]!.id ? { ...d, name: 'Renamed-PC-2' } : d));
      await assertList(inv, later, { search: 'renamed-p' }, 'after the next sync');
    } finally {
      inv.close();
    }
  });

  it('a list asked while a sync applies pages shows each page whole or not at all: no missing row, none out of order', async () => {
    const devices = generateDevices(2000);
    const relay = pagesOf(devices);
    const inv = open();
    try {
      await inv.sync({ tenantId: tenant, account, source: relay.source, pageSize: 1000 });
      // A delta that moves devices in the lastCheckIn order and removes others, page after page.
      for (let i = 0; i < 600; i++) {
        const d = devices[(i * 7) % 2000]!;
        if (i % 3 === 0) relay.remove(d.id);
        else relay.put({ ...d, lastCheckIn: new Date(Date.UTC(2025, 0, 1) + i * 1000).toISOString() });
      }
      let syncing = true;
      const answers: { items: Device[]; total: number }[] = [];
      const reader = (async () => {
        while (syncing) {
          answers.push(await inv.list(tenant, { sort: 'lastCheckIn', limit: 500 }));
          await new Promise((r) => setImmediate(r));
        }
      })();
      await inv.sync({ tenantId: tenant, account, source: relay.source, pageSize: 50 });
      syncing = false;
      await reader;
      assert.ok(answers.length > 10, `${answers.length} lists during the sync`);
      for (const a of answers) {
        assert.equal(a.items.length, Math.min(500, a.total));
        for (let i = 1; i < a.items.length; i++) {
          const x = a.items[i - 1]!;
          const y = a.items[i]!;
          assert.ok(x.lastCheckIn < y.lastCheckIn || (x.lastCheckIn === y.lastCheckIn && x.id < y.id), `row ${i} in order`);
        }
      }
    } finally {
      inv.close();
    }
  });

  it('an interruption keeps whole pages only, and the next sync resumes there and ends as if nothing happened', async () => {
    const devices = generateDevices(1000);
    const relay = pagesOf(devices);
    relay.before = (call) => {
      if (call === 3) throw Object.assign(new Error('connect ECONNRESET'), { code: 'ECONNRESET' });
    };
    const inv = open();
    try {
      await assert.rejects(inv.sync({ tenantId: tenant, account, source: relay.source, pageSize: 150 }), /ECONNRESET/);
      assert.equal((await inv.list(tenant, {})).total, 300, 'two whole pages');
      relay.before = undefined;
      const resumed = await inv.sync({ tenantId: tenant, account, source: relay.source, pageSize: 150 });
      assert.equal(resumed.changed, 700, 'only what was not applied');
      assert.equal(relay.calls[3]!.since, relay.calls[2]!.since, 'resumed after the last whole page');

      const clean = openInventory(join(dir, 'clean.db'));
      try {
        await clean.sync({ tenantId: tenant, account, source: pagesOf(devices).source, pageSize: 150 });
        for (const sort of ['name', 'lastCheckIn'] as const) {
          const a = await inv.list(tenant, { sort, limit: 500, offset: 500 });
          const b = await clean.list(tenant, { sort, limit: 500, offset: 500 });
          assert.deepEqual(a, b);
        }
      } finally {
        clean.close();
      }
    } finally {
      inv.close();
    }
  });

  it('a page the relay got wrong is not applied at all, not even its valid devices', async () => {
    const devices = generateDevices(10);
    const inv = open();
    try {
      const bad: PageSource = async () => ({ devices: [devices[0]!, { ...devices[1]!, compliance: 'sort-of' }, devices[2]!], cursor: 'c1', more: false } as unknown as DevicePage);
      await assert.rejects(inv.sync({ tenantId: tenant, account, source: bad }), (e: unknown) => (e as { code?: string }).code === 'validation');
      await assert.rejects(inv.sync({ tenantId: tenant, account, source: async () => '<html>proxy error</html>' }), (e: unknown) => (e as { code?: string }).code === 'validation');
      assert.equal((await inv.list(tenant, {})).total, 0);
    } finally {
      inv.close();
    }
  });

  it('cancel stops after the page being applied; what was applied stays, and the next sync goes on from there', async () => {
    const devices = generateDevices(1000);
    const relay = pagesOf(devices);
    const inv = open();
    try {
      const controller = new AbortController();
      const result = await inv.sync({
        tenantId: tenant, account, source: relay.source, pageSize: 200, signal: controller.signal,
        onPage: (p) => { if (p.received === 400) controller.abort(); },
      });
      assert.equal(result.cancelled, true);
      assert.equal(result.total, 400);
      assert.equal((await inv.list(tenant, {})).total, 400);
      const rest = await inv.sync({ tenantId: tenant, account, source: relay.source, pageSize: 200 });
      assert.deepEqual([rest.changed, rest.total, rest.cancelled], [600, 1000, false]);
    } finally {
      inv.close();
    }
  });

  it('cancel also stops a page that is still on its way', async () => {
    const inv = open();
    try {
      const controller = new AbortController();
      const hanging: PageSource = (_since, { signal }) => new Promise((_resolve, reject) => {
        signal.addEventListener('abort', () => reject(Object.assign(new Error('The operation was aborted'), { name: 'AbortError' })));
      });
      const running = inv.sync({ tenantId: tenant, account, source: hanging, signal: controller.signal });
      setImmediate(() => controller.abort());
      const result = await running;
      assert.equal(result.cancelled, true);
      assert.equal(result.total, 0);
    } finally {
      inv.close();
    }
  });

  it('reads an older relay (no `more`, no `removed`) until it sends an empty page', async () => {
    const devices = generateDevices(250);
    const sorted = [...devices].sort((a, b) => a.updatedAt.localeCompare(b.updatedAt));
    const calls: (string | undefined)[] = [];
    const old: PageSource = async (since) => {
      calls.push(since);
      const rest = since ? sorted.filter((d) => d.updatedAt > since) : sorted;
      const page = rest.slice(0, 100);
      return JSON.stringify({ devices: page, cursor: page.length ? page.at(-1)!.updatedAt : (since ?? null) });
    };
    const inv = open();
    try {
      const result = await inv.sync({ tenantId: tenant, account, source: old });
      assert.equal(result.total, 250);
      assert.equal(calls.length, 4, 'three pages and the empty one');
    } finally {
      inv.close();
    }
  });

  it('keeps tenants apart', async () => {
    const inv = open();
    try {
      await inv.sync({ tenantId: 'tenant-a', account, source: pagesOf(generateDevices(20, { tenantId: 'tenant-a' })).source });
      // A page that (wrongly) carries another tenant's rows does not leak them into this tenant.
      await inv.sync({ tenantId: 'tenant-b', account, source: pagesOf([...generateDevices(5, { tenantId: 'tenant-b', start: 100 }), ...generateDevices(3, { tenantId: 'tenant-a', start: 200 })]).source });
      assert.equal((await inv.list('tenant-a', {})).total, 20);
      assert.equal((await inv.list('tenant-b', {})).total, 5);
      assert.equal(inv.get('tenant-b', 'dev-0000200'), undefined);
    } finally {
      inv.close();
    }
  });

  it('another account starts over from scratch, and what it is not sent is removed', async () => {
    const devices = generateDevices(100);
    const inv = open();
    try {
      await inv.sync({ tenantId: tenant, account, source: pagesOf(devices).source });
      // A helper scoped to fewer devices signs in on the same console.
      const scoped = pagesOf(devices.slice(0, 30));
      const result = await inv.sync({ tenantId: tenant, account: 'scoped@contoso.example', source: scoped.source, pageSize: 20 });
      assert.equal(scoped.calls[0]!.since, undefined, 'a full sync');
      assert.deepEqual([result.total, result.removed], [30, 70]);
      await assertList(inv, devices.slice(0, 30), { limit: 500 }, 'only the scoped devices');
    } finally {
      inv.close();
    }
  });

  it('reopens with what it had, and the list answers from the file', async () => {
    const devices = generateDevices(2000);
    let inv = open();
    await inv.sync({ tenantId: tenant, account, source: pagesOf(devices).source, pageSize: 500 });
    inv.close();
    inv = open();
    try {
      await assertList(inv, devices, { sort: 'primaryUser', direction: 'desc', offset: 1000, search: 'contoso' }, 'after reopening');
    } finally {
      inv.close();
    }
  });
});
