// The directory's devices in SQLite: one row per device, names unique per tenant, removals kept as
// tombstones so the consoles' delta sync hears of them, and each device source's sync state. Every write
// and removal takes the next change number (one counter row, inside the write's transaction: SQLite has
// one writer at a time, so numbers commit in order) and the delta pages by it.
import type Database from 'better-sqlite3';
import type { Device, DeviceSource } from '#protocol';
import type { DeviceChanges, DeviceCursor } from '../ports.js';

interface DeviceRow {
  id: string; tenant_id: string; name: string; platform: string; os_version: string; primary_user: string;
  enrolled: number; compliance: Device['compliance']; compliance_reasons: string; last_check_in: string; updated_at: string;
  groups: string; managed_by: DeviceSource; approved: number; ownership: Device['ownership']; serial_number: string;
  manufacturer: string; model: string; enrolled_at: string; change_seq: number;
}

/** Another device of the tenant has this name (case-insensitive). */
export class DeviceNameTakenError extends Error {
  constructor(readonly tenantId: string, readonly deviceName: string) {
    super(`a device named "${deviceName}" exists in this tenant`);
  }
}

export interface WriteOptions {
  /** A source that cannot choose its names (Intune allows duplicates): a taken name gets the serial
   * number (or the id's start) appended, then a counter. Without it, a taken name throws DeviceNameTakenError. */
  renameOnConflict?: boolean;
}

export interface DeviceTables {
  device(tenantId: string, deviceId: string): Promise<Device | undefined>;
  deviceByName(tenantId: string, name: string): Promise<Device | undefined>;
  /** The ids of the tenant's devices with these names, by lower-case name (names are unique without case). */
  deviceNameOwners(tenantId: string, names: readonly string[]): Promise<Map<string, string>>;
  /** The tenant's devices with these ids, by id: one read for a sync page. */
  devicesById(tenantId: string, ids: readonly string[]): Promise<Map<string, Device>>;
  /** A tenant's devices from one source (an import matches its rows to them by serial number). */
  devicesFrom(tenantId: string, source: DeviceSource): Promise<Device[]>;
  /** Adds or replaces a device; `updatedAt` is what the console's delta sync follows. A re-added id
   * forgets its tombstone. Answers the device as written (its name may differ, see WriteOptions). */
  upsertDevice(device: Device, opts?: WriteOptions): Promise<Device>;
  /** Approves a device that is still there, read and written in one transaction (a removal meanwhile is
   * not undone by writing the device back); undefined when there is none. */
  approveDevice(tenantId: string, id: string, updatedAt: string): Promise<Device | undefined>;
  /** Reads the device (undefined if there is none) and writes what `build` makes of it, in one
   * transaction: a change by someone else (an approval) between the read and the write is not lost.
   * `build` must not do I/O. Throws DeviceNameTakenError as upsertDevice does. */
  updateDevice(tenantId: string, id: string, build: (existing: Device | undefined) => Device, opts?: WriteOptions): Promise<Device>;
  /** Adds or replaces many devices in one transaction (a sync page, an import, the demo's large inventory). */
  upsertDevices(devices: readonly Device[], opts?: WriteOptions): Promise<void>;
  /** Deletes devices and leaves a tombstone at `at` for each one that existed; answers how many. */
  removeDevices(tenantId: string, ids: readonly string[], at: string): Promise<number>;
  /** Ids of a tenant's devices from one source (a full Intune sync removes those it no longer lists). */
  deviceIds(tenantId: string, source: DeviceSource): Promise<string[]>;
  /** Enrolled browsers that wait for an administrator, oldest first. */
  pendingDevices(tenantId: string): Promise<Device[]>;
  devicesChangedSince(tenantId: string, after: DeviceCursor | undefined, limit: number): Promise<DeviceChanges>;
  /** How many changes (devices and removals) lie after `after`: the console's progress percentage. */
  countChangesSince(tenantId: string, after: DeviceCursor | undefined): Promise<number>;
  deviceSyncState(tenantId: string, source: DeviceSource): Promise<unknown>;
  setDeviceSyncState(tenantId: string, source: DeviceSource, state: unknown): Promise<void>;
}

const factFields = [
  'tenantId', 'platform', 'osVersion', 'primaryUser', 'enrolled', 'compliance', 'lastCheckIn',
  'managedBy', 'approved', 'ownership', 'serialNumber', 'manufacturer', 'model', 'enrolledAt',
] as const satisfies readonly (keyof Device)[];

const sameList = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((v, i) => v === b[i]);

/** Whether two records of one device say the same things, its name and updatedAt aside: each writer
 * judges those itself (the directory wants them equal; a source that names duplicates itself compares
 * names its own way). */
export function sameDeviceFacts(a: Device, b: Device): boolean {
  return factFields.every((f) => a[f] === b[f])
    && sameList(a.complianceReasons, b.complianceReasons)
    && sameList(a.groups ?? [], b.groups ?? []);
}

export function createDeviceTables(db: Database.Database): DeviceTables {
  const q = {
    device: db.prepare<[string, string], DeviceRow>('SELECT * FROM devices WHERE tenant_id = ? AND id = ?'),
    byId: db.prepare<[string], DeviceRow>('SELECT * FROM devices WHERE id = ?'),
    byName: db.prepare<[string, string], DeviceRow>('SELECT * FROM devices WHERE tenant_id = ? AND name = ? COLLATE NOCASE'),
    since: db.prepare<{ tenant: string; seq: number; limit: number }, DeviceRow>(
      'SELECT * FROM devices WHERE tenant_id = @tenant AND change_seq > @seq ORDER BY change_seq LIMIT @limit'),
    removedSince: db.prepare<{ tenant: string; seq: number; limit: number }, { id: string; change_seq: number }>(
      'SELECT id, change_seq FROM device_removals WHERE tenant_id = @tenant AND change_seq > @seq ORDER BY change_seq LIMIT @limit'),
    countSince: db.prepare<{ tenant: string; seq: number }, { n: number }>(
      `SELECT (SELECT COUNT(*) FROM devices WHERE tenant_id = @tenant AND change_seq > @seq)
            + (SELECT COUNT(*) FROM device_removals WHERE tenant_id = @tenant AND change_seq > @seq) AS n`),
    nextSeq: db.prepare<[], { seq: number }>('UPDATE device_change_counter SET seq = seq + 1 WHERE id = 1 RETURNING seq'),
    upsert: db.prepare(
      `INSERT INTO devices (id, tenant_id, name, platform, os_version, primary_user, enrolled, compliance,
         compliance_reasons, last_check_in, updated_at, groups, managed_by, approved, ownership, serial_number,
         manufacturer, model, enrolled_at, change_seq)
       VALUES (@id, @tenantId, @name, @platform, @osVersion, @primaryUser, @enrolled, @compliance, @reasons, @lastCheckIn,
         @updatedAt, @groups, @managedBy, @approved, @ownership, @serialNumber, @manufacturer, @model, @enrolledAt, @seq)
       ON CONFLICT(id) DO UPDATE SET tenant_id = excluded.tenant_id, name = excluded.name, platform = excluded.platform,
         os_version = excluded.os_version, primary_user = excluded.primary_user, enrolled = excluded.enrolled,
         compliance = excluded.compliance, compliance_reasons = excluded.compliance_reasons,
         last_check_in = excluded.last_check_in, updated_at = excluded.updated_at, groups = excluded.groups,
         managed_by = excluded.managed_by, approved = excluded.approved, ownership = excluded.ownership,
         serial_number = excluded.serial_number, manufacturer = excluded.manufacturer, model = excluded.model,
         enrolled_at = excluded.enrolled_at, change_seq = excluded.change_seq`),
    forgetRemoval: db.prepare('DELETE FROM device_removals WHERE tenant_id = ? AND id = ?'),
    remove: db.prepare('DELETE FROM devices WHERE tenant_id = ? AND id = ?'),
    tombstone: db.prepare(`INSERT INTO device_removals (tenant_id, id, removed_at, change_seq) VALUES (?, ?, ?, ?)
      ON CONFLICT (tenant_id, id) DO UPDATE SET removed_at = excluded.removed_at, change_seq = excluded.change_seq`),
    nameOwners: db.prepare<[string, string], { id: string; name: string }>(
      'SELECT id, name FROM devices WHERE tenant_id = ? AND name COLLATE NOCASE IN (SELECT value FROM json_each(?))'),
    devicesById: db.prepare<[string, string], DeviceRow>('SELECT * FROM devices WHERE tenant_id = ? AND id IN (SELECT value FROM json_each(?))'),
    devicesFrom: db.prepare<[string, string], DeviceRow>('SELECT * FROM devices WHERE tenant_id = ? AND managed_by = ?'),
    idsOf: db.prepare<[string, string], { id: string }>('SELECT id FROM devices WHERE tenant_id = ? AND managed_by = ?'),
    pending: db.prepare<[string], DeviceRow>(
      "SELECT * FROM devices WHERE tenant_id = ? AND managed_by = 'enrollment' AND approved = 0 ORDER BY enrolled_at, id"),
    syncState: db.prepare<[string, string], { state: string }>('SELECT state FROM device_sync_state WHERE tenant_id = ? AND source = ?'),
    setSyncState: db.prepare(`INSERT INTO device_sync_state (tenant_id, source, state) VALUES (?, ?, ?)
      ON CONFLICT (tenant_id, source) DO UPDATE SET state = excluded.state`),
  };

  const toDevice = (r: DeviceRow): Device => ({
    id: r.id,
    tenantId: r.tenant_id,
    name: r.name,
    platform: r.platform,
    osVersion: r.os_version,
    primaryUser: r.primary_user,
    enrolled: r.enrolled === 1,
    compliance: r.compliance,
    complianceReasons: JSON.parse(r.compliance_reasons) as string[],
    lastCheckIn: r.last_check_in,
    managedBy: r.managed_by,
    approved: r.approved === 1,
    ownership: r.ownership,
    serialNumber: r.serial_number,
    manufacturer: r.manufacturer,
    model: r.model,
    enrolledAt: r.enrolled_at,
    groups: JSON.parse(r.groups) as string[],
    updatedAt: r.updated_at,
  });

  const nextSeq = (): number => q.nextSeq.get()!.seq;
  const takenBy = (tenantId: string, name: string): string | undefined => q.byName.get(tenantId, name)?.id;

  const freeName = (d: Device): string => {
    const owner = takenBy(d.tenantId, d.name);
    if (owner === undefined || owner === d.id) return d.name;
    const base = `${d.name} (${d.serialNumber || d.id.slice(0, 8)})`;
    for (let n = 1; ; n++) {
      const candidate = n === 1 ? base : `${base} ${n}`;
      const other = takenBy(d.tenantId, candidate);
      if (other === undefined || other === d.id) return candidate;
    }
  };

  const write = (d: Device, opts: WriteOptions = {}): Device => {
    let name = d.name;
    if (opts.renameOnConflict) name = freeName(d);
    else {
      const owner = takenBy(d.tenantId, d.name);
      if (owner !== undefined && owner !== d.id) throw new DeviceNameTakenError(d.tenantId, d.name);
    }
    const written = { ...d, name };
    // Written again exactly as it is (a restart's seeding, a source's unchanged device): no new change
    // number, so the consoles fetch nothing.
    const existing = q.byId.get(d.id);
    if (existing) {
      const stored = toDevice(existing);
      if (stored.name === written.name && stored.updatedAt === written.updatedAt && sameDeviceFacts(stored, written)) return written;
    }
    q.upsert.run({
      ...written, enrolled: d.enrolled ? 1 : 0, approved: d.approved ? 1 : 0,
      reasons: JSON.stringify(d.complianceReasons), groups: JSON.stringify(d.groups ?? []), seq: nextSeq(),
    });
    q.forgetRemoval.run(d.tenantId, d.id);
    return written;
  };

  const upsertDevices = db.transaction((devices: readonly Device[], opts?: WriteOptions) => {
    for (const d of devices) write(d, opts);
  });

  const removeDevices = db.transaction((tenantId: string, ids: readonly string[], at: string): number => {
    let removed = 0;
    for (const id of ids) {
      if (q.remove.run(tenantId, id).changes === 0) continue;
      q.tombstone.run(tenantId, id, at, nextSeq());
      removed++;
    }
    return removed;
  });

  return {
    async device(tenantId, deviceId) {
      const row = q.device.get(tenantId, deviceId);
      return row && toDevice(row);
    },
    async deviceByName(tenantId, name) {
      const row = q.byName.get(tenantId, name);
      return row && toDevice(row);
    },
    async deviceNameOwners(tenantId, names) {
      return new Map(q.nameOwners.all(tenantId, JSON.stringify(names)).map((r) => [r.name.toLowerCase(), r.id]));
    },
    devicesById: async (tenantId, ids) => new Map(q.devicesById.all(tenantId, JSON.stringify(ids)).map((r) => [r.id, toDevice(r)])),
    devicesFrom: async (tenantId, source) => q.devicesFrom.all(tenantId, source).map(toDevice),
    approveDevice: async (tenantId, id, updatedAt) => db.transaction(() => {
      const row = q.device.get(tenantId, id);
      if (!row) return undefined;
      const device = toDevice(row);
      return device.approved ? device : write({ ...device, approved: true, updatedAt });
    })(),
    updateDevice: async (tenantId, id, build, opts) => db.transaction(() => {
      const row = q.device.get(tenantId, id);
      return write(build(row && toDevice(row)), opts);
    })(),
    upsertDevice: async (d, opts) => db.transaction(() => write(d, opts))(),
    upsertDevices: async (devices, opts) => upsertDevices(devices, opts),
    removeDevices: async (tenantId, ids, at) => removeDevices(tenantId, ids, at),
    deviceIds: async (tenantId, source) => q.idsOf.all(tenantId, source).map((r) => r.id),
    pendingDevices: async (tenantId) => q.pending.all(tenantId).map(toDevice),
    async devicesChangedSince(tenantId, after, limit) {
      const params = { tenant: tenantId, seq: after?.seq ?? 0, limit };
      // Devices and removals merged in change order (no two changes share a number).
      type Change = { seq: number; id: string; device: Device | null };
      const changes: Change[] = [
        ...q.since.all(params).map((r): Change => ({ seq: r.change_seq, id: r.id, device: toDevice(r) })),
        ...q.removedSince.all(params).map((r): Change => ({ seq: r.change_seq, id: r.id, device: null })),
      ].sort((a, b) => a.seq - b.seq).slice(0, limit);
      const last = changes.at(-1);
      return {
        devices: changes.flatMap((c) => (c.device ? [c.device] : [])),
        removed: changes.flatMap((c) => (c.device ? [] : [c.id])),
        last: last ? { seq: last.seq } : undefined,
        more: changes.length === limit,
      };
    },
    countChangesSince: async (tenantId, after) => q.countSince.get({ tenant: tenantId, seq: after?.seq ?? 0 })?.n ?? 0,
    async deviceSyncState(tenantId, source) {
      const row = q.syncState.get(tenantId, source);
      return row ? (JSON.parse(row.state) as unknown) : undefined;
    },
    setDeviceSyncState: async (tenantId, source, state) => void q.setSyncState.run(tenantId, source, JSON.stringify(state)),
  };
}
