// The console's device inventory: a better-sqlite3 file in WAL mode, filled by delta sync from the
// relay's directory API, read by the virtualized device list through an in-memory list index
// (list-index.ts: search, filters, sort, count) and the file (the page's rows by id).
import Database from 'better-sqlite3';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { z } from 'zod';
import { device as deviceSchema, deviceQuery, type Device, type DeviceQuery, type Page, type SyncResult } from '#protocol';
import { ListIndex, type IndexLock, type ListEntry } from './list-index.js';
import { openInventoryFile, type InventoryRecovery, type OpenLog } from './open-file.js';

/** One page of GET /api/devices?since=… (the relay's wire JSON). */
export const devicePage = z.object({
  devices: z.array(deviceSchema),
  cursor: z.string().nullable(),
  /** Ids removed (or now out of the caller's scope) since `since`; older relays do not send it. */
  removed: z.array(z.string()).optional(),
  /** Another page follows; older relays do not send it (then: a page with devices means ask again). */
  more: z.boolean().optional(),
  /** With count=1: how many changes (devices and removals) lie after `since`. */
  expected: z.number().int().min(0).optional(),
});
export type DevicePage = z.infer<typeof devicePage>;

export interface PageRequest {
  /** Ask the relay for `expected` (the first request of a sync). */
  count: boolean;
  limit: number;
  signal: AbortSignal;
}

/** The relay's delta after `since`, one page: the response body as text (parsed here, where its cost is
 * measured) or already parsed. Throws on a network or HTTP failure. */
export type PageSource = (since: string | undefined, req: PageRequest) => Promise<string | DevicePage>;
/** A page source that ignores the request's options (older test fixtures): still a PageSource. */
export type FetchPage = (since: string | undefined) => Promise<DevicePage>;

export interface SyncProgressReport {
  /** Devices and removals received so far in this sync. */
  received: number;
  expected: number | null;
  /** Devices in the inventory now. */
  total: number;
  /** Where this page's time went on the console's side (ms): parsing and checking the JSON, the
   * transaction (written in steps), the list index. For the benchmark; the UI ignores them. */
  timings: { parse: number; write: number; index: number };
}

export interface SyncOptions {
  tenantId: string;
  /** Who syncs (the UPN): the relay scopes devices by role, so another account starts from scratch. */
  account: string;
  source: PageSource;
  signal?: AbortSignal;
  /** Devices per page asked of the relay (1–5000). */
  pageSize?: number;
  onPage?: (p: SyncProgressReport) => void;
}

/** A failure of the sync that is not the network's or the relay's status: the relay's answer was not a device page. */
export class InventoryError extends Error {
  constructor(readonly code: 'validation', message: string) {
    super(message);
  }
}

export interface Inventory {
  /** Pulls pages after the stored cursor until the relay has no more; each page is applied in one
   * transaction together with its cursor, so an interruption keeps whole pages only. */
  sync(opts: SyncOptions): Promise<SyncResult>;
  list(tenantId: string, query: DeviceQuery): Promise<Page<Device>>;
  /** The values the list's filters offer. */
  filters(tenantId: string): Promise<{ platforms: string[] }>;
  get(tenantId: string, id: string): Device | undefined;
  lastSyncedAt(tenantId: string): string | null;
  /** Set when opening found the file unusable and started a fresh one. */
  readonly recovered: InventoryRecovery | null;
  close(): void;
}

/** Devices per page asked of the relay. Measured at 100k devices (bench/inventory.ts, the real relay in
 * its own process and the generator alike): 2000 gave the fastest full sync (relay: 2.2 s against 2.4 s
 * at 5000 and 2.6 s at 1000) and a shorter longest event-loop block than 5000 (31 ms against 44 ms: the
 * JSON.parse of a page and its COMMIT grow with it). The next page is fetched while one is applied, so a
 * relay farther away than loopback costs little more. */
export const defaultPageSize = 2000;
/** Rows read from the file per step while the list index is built. */
const loadChunk = 5000;
/** Rows written per step of a page's transaction: a few milliseconds, so the UI's calls are answered between. */
const writeChunk = 500;
const pause = () => nextTurn();

interface Row {
  tenant_id: string; id: string; name: string; platform: string; os_version: string; primary_user: string;
  enrolled: number; compliance: string; compliance_reasons: string; last_check_in: string; updated_at: string;
  managed_by: string; approved: number; ownership: string; serial_number: string; manufacturer: string;
  model: string; enrolled_at: string; device_groups: string | null;
}

type ListRow = [id: string, name: string, platform: string, osVersion: string, primaryUser: string, compliance: string, lastCheckIn: string, managedBy: string, approved: number, ownership: string, serialNumber: string, rowid: number];

function toDevice(r: Row): Device {
  return {
    id: r.id, tenantId: r.tenant_id, name: r.name, platform: r.platform, osVersion: r.os_version,
    primaryUser: r.primary_user, enrolled: r.enrolled === 1,
    compliance: deviceSchema.shape.compliance.parse(r.compliance),
    complianceReasons: JSON.parse(r.compliance_reasons) as string[],
    lastCheckIn: r.last_check_in,
    managedBy: deviceSchema.shape.managedBy.parse(r.managed_by),
    approved: r.approved === 1,
    ownership: deviceSchema.shape.ownership.parse(r.ownership),
    serialNumber: r.serial_number, manufacturer: r.manufacturer, model: r.model, enrolledAt: r.enrolled_at,
    ...(r.device_groups === null ? {} : { groups: JSON.parse(r.device_groups) as string[] }),
    updatedAt: r.updated_at,
  };
}

// The file holds only values validated on their way in: read back without a second check.
function listEntryOf(r: ListRow): ListEntry {
  return {
    id: r[0], name: r[1], platform: r[2], osVersion: r[3], primaryUser: r[4],
    compliance: r[5] as Device['compliance'], lastCheckIn: r[6],
    managedBy: r[7] as Device['managedBy'], approved: r[8] === 1,
    ownership: r[9] as Device['ownership'], serialNumber: r[10],
  };
}

function parsePage(body: string | DevicePage): DevicePage {
  let raw: unknown = body;
  if (typeof body === 'string') {
    try {
      raw = JSON.parse(body);
    } catch {
      throw new InventoryError('validation', 'the relay answered a device page that is not JSON');
    }
  }
  const parsed = devicePage.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InventoryError('validation', `the relay answered a device page this console does not understand (${issue?.path.join('.')}: ${issue?.message})`);
  }
  return parsed.data;
}

function isAbort(e: unknown, signal: AbortSignal): boolean {
  return signal.aborted || (e as { name?: string }).name === 'AbortError';
}

export function openInventory(file: string, opts: { now?: () => Date; log?: OpenLog } = {}): Inventory {
  const now = opts.now ?? (() => new Date());
  const log = opts.log ?? { error: (msg: string) => console.error(msg) };
  const { db, recovered } = openInventoryFile(file, { log, now });
  // The sync writes through its own connection: a page's transaction stays open across turns of the
  // event loop (written a chunk at a time), and the list, reading through `db`, sees only committed pages.
  const writer = new Database(file);
  writer.pragma('synchronous = NORMAL');
  writer.pragma('cache_size = -32000');
  return createInventory(db, writer, { now, recovered });
}

function createInventory(db: Database.Database, writer: Database.Database, opts: { now: () => Date; recovered: InventoryRecovery | null }): Inventory {
  const { now } = opts;
  // Positional parameters: binding 20 named ones per row costs more than the insert itself at 100k rows.
  const upsert = writer.prepare(`INSERT INTO devices
      (tenant_id, id, name, platform, os_version, primary_user, enrolled, compliance, compliance_reasons, last_check_in,
       updated_at, managed_by, approved, ownership, serial_number, manufacturer, model, enrolled_at, device_groups, seen)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (tenant_id, id) DO UPDATE SET name = excluded.name, platform = excluded.platform,
        os_version = excluded.os_version, primary_user = excluded.primary_user, enrolled = excluded.enrolled,
        compliance = excluded.compliance, compliance_reasons = excluded.compliance_reasons,
        last_check_in = excluded.last_check_in, updated_at = excluded.updated_at, managed_by = excluded.managed_by,
        approved = excluded.approved, ownership = excluded.ownership, serial_number = excluded.serial_number,
        manufacturer = excluded.manufacturer, model = excluded.model, enrolled_at = excluded.enrolled_at,
        device_groups = excluded.device_groups, seen = excluded.seen`);
  const remove = writer.prepare('DELETE FROM devices WHERE tenant_id = ? AND id = ?');
  const sweep = writer.prepare<[string, number]>('DELETE FROM devices WHERE tenant_id = ? AND seen < ? RETURNING id').pluck();
  interface State { cursor: string | null; synced_at: string | null; account: string | null; generation: number; sweep: number }
  const getState = writer.prepare<[string], State>('SELECT cursor, synced_at, account, generation, sweep FROM sync_state WHERE tenant_id = ?');
  const putStateStatement = writer.prepare<[string, string | null, string | null, string | null, number, number]>(`INSERT INTO sync_state (tenant_id, cursor, synced_at, account, generation, sweep) VALUES (?, ?, ?, ?, ?, ?)
      ON CONFLICT (tenant_id) DO UPDATE SET cursor = excluded.cursor, synced_at = COALESCE(excluded.synced_at, sync_state.synced_at),
        account = excluded.account, generation = excluded.generation, sweep = excluded.sweep`);
  /** synced_at is kept when null is given (only a finished sync sets it). */
  const putState = (tenantId: string, s: State) => putStateStatement.run(tenantId, s.cursor, s.synced_at, s.account, s.generation, s.sweep);
  const readState = db.prepare<[string], { synced_at: string | null }>('SELECT synced_at FROM sync_state WHERE tenant_id = ?');
  const getOne = db.prepare<[string, string], Row>('SELECT * FROM devices WHERE tenant_id = ? AND id = ?');
  // The page's rows in the order of the ids given (json_each's key is the position in the array).
  const getMany = db.prepare<[string, string], Row>(`SELECT d.* FROM json_each(?) j CROSS JOIN devices d ON d.tenant_id = ? AND d.id = j.value ORDER BY j.key`);
  // By rowid, NOT INDEXED: a range of the table itself, so each chunk starts where the last one ended.
  const listChunk = db.prepare<[number, string, number], ListRow>(`SELECT id, name, platform, os_version, primary_user, compliance, last_check_in,
      managed_by, approved, ownership, serial_number, rowid FROM devices NOT INDEXED WHERE rowid > ? AND tenant_id = ? ORDER BY rowid LIMIT ?`).raw();

  // One tenant's list index at a time (the signed-in one); built from the file on first use.
  let index: { tenantId: string; ready: Promise<ListIndex> } | null = null;
  function indexOf(tenantId: string): Promise<ListIndex> {
    if (index?.tenantId !== tenantId) {
      const ready = (async () => {
        const idx = new ListIndex();
        for (let after = 0; ;) {
          const rows = listChunk.all(after, tenantId, loadChunk);
          if (rows.length > 0) await idx.applyInSteps(rows.map(listEntryOf), [], pause);
          if (rows.length < loadChunk) return idx;
          after = rows[rows.length - 1]![11];
          await pause();
        }
      })();
      const entry = { tenantId, ready };
      index = entry;
      // A load that failed is not kept: the next call tries the file again.
      ready.catch(() => { if (index === entry) index = null; });
    }
    return index.ready;
  }
  /** Drops the index (rebuilt from the file on next use) when it may no longer match the file. */
  function forgetIndex(tenantId: string): void {
    if (index?.tenantId === tenantId) index = null;
  }

  /** One page in one transaction with its cursor, written a chunk per turn; rolled back whole on any failure. */
  async function applyPage(tenantId: string, page: DevicePage, state: State, done: boolean, idx: ListIndex): Promise<{ upserted: ListEntry[]; removed: string[]; lock: IndexLock }> {
    const removed: string[] = [];
    const upserted: ListEntry[] = [];
    writer.exec('BEGIN IMMEDIATE');
    try {
      // Removals first: a device in the page's devices is its newest state.
      for (const id of page.removed ?? []) if (remove.run(tenantId, id).changes > 0) removed.push(id);
      for (let i = 0; i < page.devices.length; i++) {
        if (i > 0 && i % writeChunk === 0) await pause();
        const d = page.devices[i]!;
        // The page is the relay's word about the caller's tenant; a row for another tenant is not stored.
        if (d.tenantId !== tenantId) continue;
        upsert.run(tenantId, d.id, d.name, d.platform, d.osVersion, d.primaryUser, d.enrolled ? 1 : 0, d.compliance,
          JSON.stringify(d.complianceReasons), d.lastCheckIn, d.updatedAt, d.managedBy, d.approved ? 1 : 0, d.ownership,
          d.serialNumber, d.manufacturer, d.model, d.enrolledAt, d.groups ? JSON.stringify(d.groups) : null, state.generation);
        upserted.push(d);
      }
      if (done && state.sweep) removed.push(...(sweep.all(tenantId, state.generation) as string[]));
      putState(tenantId, { ...state, sweep: done ? 0 : state.sweep });
    } catch (e) {
      writer.exec('ROLLBACK');
      throw e;
    }
    // From the COMMIT until the index has the page, a list waits: it would otherwise read rows the index
    // does not know yet (a removed device's row missing, a changed one out of its order).
    const lock = await idx.lock();
    try {
      writer.exec('COMMIT');
    } catch (e) {
      lock.release();
      if (writer.inTransaction) writer.exec('ROLLBACK');
      throw e;
    }
    return { upserted, removed, lock };
  }

  let syncing = false;

  return {
    recovered: opts.recovered,
    async sync({ tenantId, account, source, signal = new AbortController().signal, pageSize = defaultPageSize, onPage }) {
      if (syncing) throw new Error('one inventory sync at a time');
      syncing = true;
      try {
        const idx = await indexOf(tenantId);
        let state = getState.get(tenantId) ?? { cursor: null, synced_at: null, account: null, generation: 0, sweep: 0 };
        // Devices another account synced are not this account's to see: start over, and sweep.
        if (state.account !== account) state = { ...state, cursor: null };
        if (state.cursor === null) {
          // A full sync: a new generation; rows already here that it does not bring are deleted at its end.
          state = { ...state, account, generation: state.generation + 1, sweep: idx.size > 0 ? 1 : 0 };
          putState(tenantId, { ...state, synced_at: null });
        }
        let changed = 0;
        let removed = 0;
        let received = 0;
        let expected: number | null = null;
        const cancelled = (): SyncResult => ({ changed, removed, total: idx.size, syncedAt: getState.get(tenantId)?.synced_at ?? '', cancelled: true });
        const fetchPage = (since: string | null, count: boolean) => {
          const p = source(since ?? undefined, { count, limit: pageSize, signal });
          // Fetched while the page before is applied: a failure is seen when its turn comes.
          p.catch(() => undefined);
          return p;
        };
        let since = state.cursor;
        let next = fetchPage(since, true);
        for (let first = true; ; first = false) {
          if (signal.aborted) return cancelled();
          let body: string | DevicePage;
          try {
            body = await next;
          } catch (e) {
            if (isAbort(e, signal)) return cancelled();
            throw e;
          }
          let t = performance.now();
          const page = parsePage(body);
          const parseMs = performance.now() - t;
          if (first && page.expected !== undefined) expected = page.expected;
          const cursor = page.cursor ?? since;
          // Done when the relay says so (an older relay: when a page brings nothing), or when its cursor
          // stops moving (never loop forever).
          const done = !(page.more ?? page.devices.length > 0) || cursor === since;
          if (!done && !signal.aborted) next = fetchPage(cursor, false);
          await pause();
          const syncedAt = done ? now().toISOString() : null;
          t = performance.now();
          const applied = await applyPage(tenantId, page, { ...state, cursor, synced_at: syncedAt, account }, done, idx);
          const writeMs = performance.now() - t;
          state = { ...state, cursor, sweep: done ? 0 : state.sweep };
          t = performance.now();
          try {
            await idx.applyInSteps(applied.upserted, applied.removed, pause, applied.lock);
          } catch (e) {
            // The page is committed but the index may be half-way: it is read again from the file.
            forgetIndex(tenantId);
            throw e;
          }
          const indexMs = performance.now() - t;
          changed += applied.upserted.length;
          removed += applied.removed.length;
          received += page.devices.length + (page.removed?.length ?? 0);
          onPage?.({ received, expected, total: idx.size, timings: { parse: parseMs, write: writeMs, index: indexMs } });
          if (done) return { changed, removed, total: idx.size, syncedAt: syncedAt!, cancelled: false };
          since = cursor;
        }
      } finally {
        syncing = false;
      }
    },
    async list(tenantId, raw) {
      const q = deviceQuery.parse(raw);
      const idx = await indexOf(tenantId);
      await idx.settled();
      const { ids, total } = idx.query(q);
      const items = ids.length ? getMany.all(JSON.stringify(ids), tenantId).map(toDevice) : [];
      return { items, total, offset: q.offset };
    },
    async filters(tenantId) {
      const idx = await indexOf(tenantId);
      await idx.settled();
      return { platforms: idx.platformNames() };
    },
    get(tenantId, id) {
      const r = getOne.get(tenantId, id);
      return r ? toDevice(r) : undefined;
    },
    lastSyncedAt(tenantId) {
      return readState.get(tenantId)?.synced_at ?? null;
    },
    close() {
      index = null;
      writer.close();
      db.close();
    },
  };
}
