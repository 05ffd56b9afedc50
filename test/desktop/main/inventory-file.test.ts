// The inventory file across versions and accidents: migrated from every earlier version with its rows
// kept; a file it cannot use (not SQLite, another application's, truncated, damaged, or from a newer
// console) is moved aside with its -wal and -shm, said so in the log, and replaced by a fresh inventory
// that a sync fills again. Never a crash, never a silent loss.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync, writeSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openInventory, type Inventory } from '#desktop/main/inventory/inventory.js';
import { applicationId, schemaVersion } from '#desktop/main/inventory/migrations.js';
import { fakeDirectory, generateDevices } from './device-fixtures.js';

const tenant = 'tenant-a';
const account = 'helper@contoso.example';
const at = new Date('2026-05-01T09:30:00.000Z');

/** Schema 1 exactly as the console of that version created it, with rows as it wrote them. */
function writeVersion1File(file: string): void {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.exec(`CREATE TABLE devices (
     tenant_id TEXT NOT NULL, id TEXT NOT NULL, name TEXT NOT NULL, platform TEXT NOT NULL, os_version TEXT NOT NULL,
     primary_user TEXT NOT NULL, enrolled INTEGER NOT NULL, compliance TEXT NOT NULL, compliance_reasons TEXT NOT NULL,
     last_check_in TEXT NOT NULL, updated_at TEXT NOT NULL, search_text TEXT NOT NULL, PRIMARY KEY (tenant_id, id)) WITHOUT ROWID;
   CREATE INDEX devices_list ON devices (tenant_id, name COLLATE NOCASE, id, compliance, search_text);
   CREATE INDEX devices_by_compliance ON devices (tenant_id, compliance, name COLLATE NOCASE, id);
   CREATE TABLE sync_state (tenant_id TEXT PRIMARY KEY, cursor TEXT, synced_at TEXT);
   PRAGMA user_version = 1;`);
  const insert = db.prepare('INSERT INTO devices VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
  insert.run(tenant, 'old-1', 'Reception-PC', 'Windows', '10.0.19045', 'Åsa@contoso.example', 1, 'noncompliant', '["BitLocker is off"]', '2025-12-01T08:00:00.000Z', '2025-12-01T08:00:00.000Z', 'reception-pc\u001fåsa@contoso.example\u001fwindows');
  insert.run(tenant, 'old-2', 'Lab-Mac', 'macOS', '14.5', 'bob@contoso.example', 1, 'compliant', '[]', '2025-12-02T08:00:00.000Z', '2025-12-02T08:00:00.000Z', 'lab-mac\u001fbob@contoso.example\u001fmacos');
  db.prepare('INSERT INTO sync_state VALUES (?, ?, ?)').run(tenant, '2025-12-02T08:00:00.000Z|old-2', '2025-12-02T09:00:00.000Z');
  db.close();
}

describe('inventory file: migrations and recovery', () => {
  let dir: string;
  let file: string;
  let logged: string[];
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rh-inv-file-'));
    file = join(dir, 'inventory.db');
    logged = [];
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const open = (): Inventory => openInventory(file, { now: () => at, log: { error: (msg) => void logged.push(msg) } });
  const moved = () => readdirSync(dir).filter((f) => f !== 'inventory.db' && !/^inventory\.db-(wal|shm)$/.test(f)).sort();

  it('opens an empty file (0 bytes) as a new inventory', async () => {
    writeFileSync(file, '');
    const inv = open();
    try {
      assert.equal(inv.recovered, null);
      assert.equal((await inv.list(tenant, {})).total, 0);
    } finally {
      inv.close();
    }
    assert.deepEqual(moved(), []);
    assert.deepEqual(logged, []);
  });

  it('migrates a version-1 file: its rows stay, with defaults for what version 1 did not know, and the next sync is a full one', async () => {
    writeVersion1File(file);
    const inv = open();
    try {
      assert.equal(inv.recovered, null);
      const d = inv.get(tenant, 'old-1');
      assert.deepEqual(d, {
        id: 'old-1', tenantId: tenant, name: 'Reception-PC', platform: 'Windows', osVersion: '10.0.19045', primaryUser: 'Åsa@contoso.example',
        enrolled: true, compliance: 'noncompliant', complianceReasons: ['BitLocker is off'], lastCheckIn: '2025-12-01T08:00:00.000Z',
        managedBy: 'enrollment', approved: true, ownership: 'unknown', serialNumber: '', manufacturer: '', model: '', enrolledAt: '',
        updatedAt: '2025-12-01T08:00:00.000Z',
      });
      assert.equal(inv.lastSyncedAt(tenant), '2025-12-02T09:00:00.000Z');
      // Searched and filtered like any row (version 1 searched the platform; version 2 does not).
      assert.deepEqual((await inv.list(tenant, { search: 'åSA' })).items.map((x) => x.id), ['old-1']);
      assert.equal((await inv.list(tenant, { search: 'macos' })).total, 0);
      assert.equal((await inv.list(tenant, { enrollment: 'approved' })).total, 2);

      // The relay now knows old-2 (and more); old-1 was deleted while version 1 could not hear of it.
      const relay = fakeDirectory([{ ...generateDevices(1)[0]!, id: 'old-2', name: 'Lab-Mac', managedBy: 'intune', serialNumber: 'C02XYZ' }, ...generateDevices(3, { start: 10 })]);
      const result = await inv.sync({ tenantId: tenant, account, source: relay.source });
      assert.equal(relay.calls[0]!.since, undefined, 'a full sync, not a delta from the version-1 cursor');
      assert.deepEqual([result.total, result.removed], [4, 1]);
      assert.equal(inv.get(tenant, 'old-1'), undefined);
      assert.equal(inv.get(tenant, 'old-2')?.serialNumber, 'C02XYZ');
    } finally {
      inv.close();
    }
    const db = new Database(file, { readonly: true });
    assert.equal(db.pragma('user_version', { simple: true }), schemaVersion);
    assert.equal(db.pragma('application_id', { simple: true }), applicationId);
    db.close();
  });

  it('moves aside a file of a newer console and starts a new one', async () => {
    writeVersion1File(file);
    const db = new Database(file);
    db.pragma(`application_id = ${applicationId}`);
    db.pragma(`user_version = ${schemaVersion + 1}`);
    db.close();
    const inv = open();
    try {
      assert.equal(inv.recovered?.reason, 'newer');
      assert.equal(inv.recovered?.movedTo, `${file}.newer-2026-05-01T09-30-00.000Z`);
      assert.equal((await inv.list(tenant, {})).total, 0);
    } finally {
      inv.close();
    }
    // (With its -wal and -shm, which reading the file's header through SQLite leaves beside a WAL file.)
    assert.deepEqual(moved().filter((f) => !/-(wal|shm)$/.test(f)), ['inventory.db.newer-2026-05-01T09-30-00.000Z']);
    // The moved file is intact: a newer console can take it back.
    const kept = new Database(join(dir, 'inventory.db.newer-2026-05-01T09-30-00.000Z'), { readonly: true });
    assert.equal(kept.prepare('SELECT COUNT(*) AS n FROM devices').get() !== undefined, true);
    kept.close();
    assert.match(logged.join('\n'), /written by a newer version of the console.*moved to .*inventory\.db\.newer-.*new, empty inventory/s);
  });

  const unusable: { name: string; reason: string; make: (file: string) => void }[] = [
    { name: 'a file that is not SQLite at all', reason: 'not-sqlite', make: (f) => writeFileSync(f, 'these are not the devices you are looking for\n'.repeat(100)) },
    { name: 'a file shorter than a SQLite header', reason: 'truncated', make: (f) => writeFileSync(f, 'SQLite format 3\0' + 'x'.repeat(20)) },
    {
      name: 'another application\'s SQLite file', reason: 'foreign',
      make: (f) => {
        const db = new Database(f);
        db.exec('CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT); INSERT INTO moz_places (url) VALUES (\'https://example.com\')');
        db.close();
      },
    },
    {
      name: 'a SQLite file with another application id', reason: 'foreign',
      make: (f) => {
        const db = new Database(f);
        db.pragma('application_id = 1234');
        db.pragma('user_version = 1');
        db.exec('CREATE TABLE devices (x)');
        db.close();
      },
    },
    {
      name: 'a version-1 look-alike without the inventory\'s columns', reason: 'foreign',
      make: (f) => {
        const db = new Database(f);
        db.exec('CREATE TABLE devices (id TEXT); CREATE TABLE sync_state (x); PRAGMA user_version = 1;');
        db.close();
      },
    },
  ];
  for (const c of unusable) {
    it(`moves aside ${c.name}, says so, and starts a new inventory`, async () => {
      c.make(file);
      const before = readFileSync(file);
      const inv = open();
      try {
        assert.equal(inv.recovered?.reason, c.reason);
        assert.equal(inv.recovered?.movedTo, `${file}.corrupt-2026-05-01T09-30-00.000Z`);
        const result = await inv.sync({ tenantId: tenant, account, source: fakeDirectory(generateDevices(3)).source });
        assert.equal(result.total, 3, 'the new inventory takes a sync');
      } finally {
        inv.close();
      }
      assert.deepEqual(moved(), ['inventory.db.corrupt-2026-05-01T09-30-00.000Z']);
      assert.deepEqual(readFileSync(join(dir, 'inventory.db.corrupt-2026-05-01T09-30-00.000Z')), before, 'moved as it was, not changed');
      assert.equal(logged.length, 1);
      assert.match(logged[0]!, /The device inventory .*inventory\.db .*It was moved to .*corrupt-2026-05-01T09-30-00\.000Z.*next sync fills it again/s);
    });
  }

  /** An inventory with 3000 devices, closed cleanly (WAL checkpointed into the file). */
  async function filledFile(): Promise<void> {
    const inv = openInventory(file);
    await inv.sync({ tenantId: tenant, account, source: fakeDirectory(generateDevices(3000)).source });
    inv.close();
  }

  it('moves aside a truncated inventory, with its -wal and -shm', async () => {
    await filledFile();
    truncateSync(file, Math.floor(statSync(file).size / 2));
    // What a crash can leave beside it.
    writeFileSync(`${file}-wal`, 'stale wal');
    writeFileSync(`${file}-shm`, 'stale shm');
    const inv = open();
    try {
      assert.equal(inv.recovered?.reason, 'truncated');
      assert.equal((await inv.list(tenant, {})).total, 0);
    } finally {
      inv.close();
    }
    assert.deepEqual(moved(), ['inventory.db.corrupt-2026-05-01T09-30-00.000Z', 'inventory.db.corrupt-2026-05-01T09-30-00.000Z-shm', 'inventory.db.corrupt-2026-05-01T09-30-00.000Z-wal']);
    assert.equal(readFileSync(join(dir, 'inventory.db.corrupt-2026-05-01T09-30-00.000Z-wal'), 'utf8'), 'stale wal');
    assert.match(logged[0]!, /is truncated/);
  });

  it('moves aside an inventory whose pages are damaged', async () => {
    await filledFile();
    // Garbage over a few pages in the middle (a disk error, a bad copy).
    const size = statSync(file).size;
    const fd = openSync(file, 'r+');
    writeSync(fd, Buffer.alloc(3 * 4096, 0xa5), 0, 3 * 4096, Math.floor(size / 2 / 4096) * 4096);
    closeSync(fd);
    const inv = open();
    try {
      assert.equal(inv.recovered?.reason, 'corrupt');
      assert.equal((await inv.list(tenant, {})).total, 0);
    } finally {
      inv.close();
    }
    assert.ok(existsSync(`${file}.corrupt-2026-05-01T09-30-00.000Z`));
    assert.match(logged[0]!, /is damaged/);
  });

  it('opens a healthy file without moving or logging anything', async () => {
    await filledFile();
    const inv = open();
    try {
      assert.equal(inv.recovered, null);
      assert.equal((await inv.list(tenant, {})).total, 3000);
    } finally {
      inv.close();
    }
    assert.deepEqual(moved(), []);
    assert.deepEqual(logged, []);
  });
});
