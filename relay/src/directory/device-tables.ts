// The directory's devices, on SQLite or PostgreSQL (KeptDb): one row per device, names unique per tenant,
// removals kept as tombstones so the consoles' delta sync hears of them, and each device source's sync
// state. Every write and removal takes the next change numbers from one counter row inside the write's
// transaction, and the delta pages by them. The counter row is locked first (PostgreSQL: FOR UPDATE;
// SQLite has one writer at a time), so numbers commit in the order they are taken and a name checked
// free stays free until the write.
//
// Writes go in batches (an import of 100k devices, a sync page): one read of the batch's rows by id and
// one of its names' owners, the decisions made in memory in order, then one counter step and one
// multi-row insert, instead of several statements per device.
import { sql, type Transaction } from 'kysely';
import type { AnyTables, KeptDb } from '../sql/kept-db.js';
import { all, first, groupBy, inChunks, inList, locksOf, parseList, run } from './kept-sql.js';
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

const columns = sql.raw(`id, tenant_id, name, platform, os_version, primary_user, enrolled, compliance, compliance_reasons,
  last_check_in, updated_at, groups, managed_by, approved, ownership, serial_number, manufacturer, model, enrolled_at, change_seq`);

function toDevice(r: DeviceRow): Device {
  return {
    id: r.id,
    tenantId: r.tenant_id,
    name: r.name,
    platform: r.platform,
    osVersion: r.os_version,
    primaryUser: r.primary_user,
    enrolled: r.enrolled === 1,
    compliance: r.compliance,
    complianceReasons: parseList(r.compliance_reasons),
    lastCheckIn: r.last_check_in,
    managedBy: r.managed_by,
    approved: r.approved === 1,
    ownership: r.ownership,
    serialNumber: r.serial_number,
    manufacturer: r.manufacturer,
    model: r.model,
    enrolledAt: r.enrolled_at,
    groups: parseList(r.groups),
    updatedAt: r.updated_at,
  };
}

const rowValues = (d: Device, seq: number) => sql`(${sql.join([
  d.id, d.tenantId, d.name, d.platform, d.osVersion, d.primaryUser, d.enrolled ? 1 : 0, d.compliance,
  JSON.stringify(d.complianceReasons), d.lastCheckIn, d.updatedAt, JSON.stringify(d.groups ?? []), d.managedBy,
  d.approved ? 1 : 0, d.ownership, d.serialNumber, d.manufacturer, d.model, d.enrolledAt, seq,
])})`;

/** Devices per statement: 20 parameters each stays under SQLite's 32766 and PostgreSQL's 65535. */
const batchSize = 500;

type Trx = Transaction<AnyTables>;
const nameKey = (tenantId: string, name: string) => `${tenantId}\n${name.toLowerCase()}`;

/** Writes devices in order, as if one by one, inside the caller's transaction (the counter already locked). */
async function writeBatch(trx: Trx, devices: readonly Device[], opts: WriteOptions): Promise<Device[]> {
  const ids = [...new Set(devices.map((d) => d.id))];
  const existing = new Map((await all(trx, sql<DeviceRow>`SELECT * FROM devices WHERE id IN ${inList(ids)}`)).map((r) => [r.id, toDevice(r)]));
  // Who holds each name (lower-case, per tenant), as the batch's earlier writes leave it.
  const owners = new Map<string, string>();
  const byTenant = groupBy(devices, (d) => d.tenantId);
  for (const [tenantId, list] of byTenant) {
    const names = [...new Set(list.map((d) => d.name.toLowerCase()))];
    for (const r of await all(trx, sql<{ id: string; name: string }>`SELECT id, name FROM devices
      WHERE tenant_id = ${tenantId} AND lower(name) IN ${inList(names)}`)) owners.set(nameKey(tenantId, r.name), r.id);
  }
  for (const d of existing.values()) owners.set(nameKey(d.tenantId, d.name), d.id);
  const ownerOf = async (tenantId: string, name: string): Promise<string | undefined> => {
    const key = nameKey(tenantId, name);
    if (owners.has(key)) return owners.get(key) || undefined;
    // A rename's candidate, not read with the batch.
    const row = await first(trx, sql<{ id: string }>`SELECT id FROM devices WHERE tenant_id = ${tenantId} AND lower(name) = lower(${name})`);
    owners.set(key, row?.id ?? '');
    return row?.id;
  };
  const freeName = async (d: Device): Promise<string> => {
    const owner = await ownerOf(d.tenantId, d.name);
    if (owner === undefined || owner === d.id) return d.name;
    const base = `${d.name} (${d.serialNumber || d.id.slice(0, 8)})`;
    for (let n = 1; ; n++) {
      const candidate = n === 1 ? base : `${base} ${n}`;
      const other = await ownerOf(d.tenantId, candidate);
      if (other === undefined || other === d.id) return candidate;
    }
  };

  const written: Device[] = [];
  let changed: Device[] = [];
  const flush = async () => {
    if (!changed.length) return;
    const last = (await first(trx, sql<{ seq: number }>`UPDATE device_change_counter SET seq = seq + ${changed.length} WHERE id = 1 RETURNING seq`))!.seq;
    const from = last - changed.length + 1;
    await sql`INSERT INTO devices (${columns}) VALUES ${sql.join(changed.map((d, i) => rowValues(d, from + i)))}
      ON CONFLICT (id) DO UPDATE SET tenant_id = excluded.tenant_id, name = excluded.name, platform = excluded.platform,
        os_version = excluded.os_version, primary_user = excluded.primary_user, enrolled = excluded.enrolled,
        compliance = excluded.compliance, compliance_reasons = excluded.compliance_reasons,
        last_check_in = excluded.last_check_in, updated_at = excluded.updated_at, groups = excluded.groups,
        managed_by = excluded.managed_by, approved = excluded.approved, ownership = excluded.ownership,
        serial_number = excluded.serial_number, manufacturer = excluded.manufacturer, model = excluded.model,
        enrolled_at = excluded.enrolled_at, change_seq = excluded.change_seq`.execute(trx);
    // A re-added id forgets its tombstone.
    for (const [tenantId, list] of groupBy(changed, (d) => d.tenantId)) {
      await sql`DELETE FROM device_removals WHERE tenant_id = ${tenantId} AND id IN ${inList(list.map((d) => d.id))}`.execute(trx);
    }
    changed = [];
  };
  const pending = new Set<string>();
  for (const d of devices) {
    let name = d.name;
    if (opts.renameOnConflict) name = await freeName(d);
    else {
      const owner = await ownerOf(d.tenantId, d.name);
      if (owner !== undefined && owner !== d.id) throw new DeviceNameTakenError(d.tenantId, d.name);
    }
    const next = { ...d, name };
    written.push(next);
    const stored = existing.get(d.id);
    // Written again exactly as it is (a restart's seeding, a source's unchanged device): no new change
    // number, so the consoles fetch nothing.
    if (stored && stored.name === next.name && stored.updatedAt === next.updatedAt && sameDeviceFacts(stored, next)) continue;
    // One statement cannot write a row twice (PostgreSQL refuses it): the earlier write goes first.
    if (pending.has(d.id)) {
      await flush();
      pending.clear();
    }
    pending.add(d.id);
    changed.push(next);
    if (stored) owners.set(nameKey(stored.tenantId, stored.name), '');
    owners.set(nameKey(next.tenantId, next.name), next.id);
    existing.set(next.id, next);
  }
  await flush();
  return written;
}

export function createDeviceTables(kept: KeptDb): DeviceTables {
  const { db } = kept;
  const locks = locksOf(kept);
  const deviceRow = (runner: Trx | typeof db, tenantId: string, id: string) =>
    first(runner, sql<DeviceRow>`SELECT * FROM devices WHERE tenant_id = ${tenantId} AND id = ${id}`);
  /** A device write: the counter locked first, then `body`. */
  const writing = <T>(body: (trx: Trx) => Promise<T>): Promise<T> =>
    db.transaction().execute(async (trx) => {
      await locks.deviceChanges(trx);
      return body(trx);
    });
  const writeAll = async (trx: Trx, devices: readonly Device[], opts: WriteOptions = {}) => {
    const out: Device[] = [];
    await inChunks(devices, batchSize, async (chunk) => void out.push(...(await writeBatch(trx, chunk, opts))));
    return out;
  };

  return {
    async device(tenantId, deviceId) {
      const row = await deviceRow(db, tenantId, deviceId);
      return row && toDevice(row);
    },
    async deviceByName(tenantId, name) {
      const row = await first(db, sql<DeviceRow>`SELECT * FROM devices WHERE tenant_id = ${tenantId} AND lower(name) = lower(${name})`);
      return row && toDevice(row);
    },
    async deviceNameOwners(tenantId, names) {
      const owners = new Map<string, string>();
      await inChunks([...new Set(names.map((n) => n.toLowerCase()))], batchSize, async (chunk) => {
        for (const r of await all(db, sql<{ id: string; name: string }>`SELECT id, name FROM devices
          WHERE tenant_id = ${tenantId} AND lower(name) IN ${inList(chunk)}`)) owners.set(r.name.toLowerCase(), r.id);
      });
      return owners;
    },
    async devicesById(tenantId, ids) {
      const found = new Map<string, Device>();
      await inChunks([...new Set(ids)], batchSize, async (chunk) => {
        for (const r of await all(db, sql<DeviceRow>`SELECT * FROM devices WHERE tenant_id = ${tenantId} AND id IN ${inList(chunk)}`)) found.set(r.id, toDevice(r));
      });
      return found;
    },
    devicesFrom: async (tenantId, source) =>
      (await all(db, sql<DeviceRow>`SELECT * FROM devices WHERE tenant_id = ${tenantId} AND managed_by = ${source}`)).map(toDevice),
    approveDevice: (tenantId, id, updatedAt) => writing(async (trx) => {
      const row = await deviceRow(trx, tenantId, id);
      if (!row) return undefined;
      const device = toDevice(row);
      return device.approved ? device : (await writeBatch(trx, [{ ...device, approved: true, updatedAt }], {}))[0]!;
    }),
    updateDevice: (tenantId, id, build, opts) => writing(async (trx) => {
      const row = await deviceRow(trx, tenantId, id);
      return (await writeBatch(trx, [build(row && toDevice(row))], opts ?? {}))[0]!;
    }),
    upsertDevice: (d, opts) => writing(async (trx) => (await writeBatch(trx, [d], opts ?? {}))[0]!),
    async upsertDevices(devices, opts) {
      if (devices.length) await writing((trx) => writeAll(trx, devices, opts));
    },
    removeDevices: (tenantId, ids, at) => writing(async (trx) => {
      let removed = 0;
      await inChunks([...new Set(ids)], batchSize, async (chunk) => {
        const gone = await all(trx, sql<{ id: string }>`DELETE FROM devices WHERE tenant_id = ${tenantId} AND id IN ${inList(chunk)} RETURNING id`);
        if (!gone.length) return;
        const last = (await first(trx, sql<{ seq: number }>`UPDATE device_change_counter SET seq = seq + ${gone.length} WHERE id = 1 RETURNING seq`))!.seq;
        const from = last - gone.length + 1;
        await sql`INSERT INTO device_removals (tenant_id, id, removed_at, change_seq)
          VALUES ${sql.join(gone.map((g, i) => sql`(${tenantId}, ${g.id}, ${at}, ${from + i})`))}
          ON CONFLICT (tenant_id, id) DO UPDATE SET removed_at = excluded.removed_at, change_seq = excluded.change_seq`.execute(trx);
        removed += gone.length;
      });
      return removed;
    }),
    deviceIds: async (tenantId, source) =>
      (await all(db, sql<{ id: string }>`SELECT id FROM devices WHERE tenant_id = ${tenantId} AND managed_by = ${source}`)).map((r) => r.id),
    pendingDevices: async (tenantId) => (await all(db, sql<DeviceRow>`SELECT * FROM devices
      WHERE tenant_id = ${tenantId} AND managed_by = 'enrollment' AND approved = 0 ORDER BY enrolled_at, id`)).map(toDevice),
    async devicesChangedSince(tenantId, after, limit) {
      const seq = after?.seq ?? 0;
      const [devices, removals] = await Promise.all([
        all(db, sql<DeviceRow>`SELECT * FROM devices WHERE tenant_id = ${tenantId} AND change_seq > ${seq} ORDER BY change_seq LIMIT ${limit}`),
        all(db, sql<{ id: string; change_seq: number }>`SELECT id, change_seq FROM device_removals
          WHERE tenant_id = ${tenantId} AND change_seq > ${seq} ORDER BY change_seq LIMIT ${limit}`),
      ]);
      // Devices and removals merged in change order (no two changes share a number).
      type Change = { seq: number; id: string; device: Device | null };
      const changes: Change[] = [
        ...devices.map((r): Change => ({ seq: r.change_seq, id: r.id, device: toDevice(r) })),
        ...removals.map((r): Change => ({ seq: r.change_seq, id: r.id, device: null })),
      ].sort((a, b) => a.seq - b.seq).slice(0, limit);
      const last = changes.at(-1);
      return {
        devices: changes.flatMap((c) => (c.device ? [c.device] : [])),
        removed: changes.flatMap((c) => (c.device ? [] : [c.id])),
        last: last ? { seq: last.seq } : undefined,
        more: changes.length === limit,
      };
    },
    async countChangesSince(tenantId, after) {
      const seq = after?.seq ?? 0;
      const row = await first(db, sql<{ n: number }>`SELECT (SELECT COUNT(*) FROM devices WHERE tenant_id = ${tenantId} AND change_seq > ${seq})
        + (SELECT COUNT(*) FROM device_removals WHERE tenant_id = ${tenantId} AND change_seq > ${seq}) AS n`);
      return Number(row?.n ?? 0);
    },
    async deviceSyncState(tenantId, source) {
      const row = await first(db, sql<{ state: string }>`SELECT state FROM device_sync_state WHERE tenant_id = ${tenantId} AND source = ${source}`);
      return row ? (JSON.parse(row.state) as unknown) : undefined;
    },
    async setDeviceSyncState(tenantId, source, state) {
      await run(db, sql`INSERT INTO device_sync_state (tenant_id, source, state) VALUES (${tenantId}, ${source}, ${JSON.stringify(state)})
        ON CONFLICT (tenant_id, source) DO UPDATE SET state = excluded.state`);
    },
  };
}
