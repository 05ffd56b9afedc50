// The console's device inventory: a better-sqlite3 file in WAL mode, filled by delta sync from the
// relay's directory API, read by the virtualized device list (search, filter, page, total).
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import { device as deviceSchema, deviceQuery, type Device, type DeviceQuery, type Page, type SyncResult } from '#protocol';
import { migrate } from './migrations.js';

/** One page of GET /api/devices?since=… */
export const devicePage = z.object({
  devices: z.array(deviceSchema),
  cursor: z.string().nullable(),
  /** Ids removed from the directory since `since` (optional: older relays do not send it). */
  removed: z.array(z.string()).optional(),
});
export type DevicePage = z.infer<typeof devicePage>;

export type FetchPage = (since: string | undefined) => Promise<DevicePage>;

export interface Inventory {
  /** Pulls pages until the relay has nothing newer; each page is applied in one transaction. */
  sync(tenantId: string, fetchPage: FetchPage, onProgress?: (changed: number) => void): Promise<SyncResult>;
  list(tenantId: string, query: DeviceQuery): Page<Device>;
  get(tenantId: string, id: string): Device | undefined;
  lastSyncedAt(tenantId: string): string | null;
  close(): void;
}

interface Row {
  tenant_id: string; id: string; name: string; platform: string; os_version: string; primary_user: string;
  enrolled: number; compliance: string; compliance_reasons: string; last_check_in: string; updated_at: string;
}

function toDevice(r: Row): Device {
  return {
    id: r.id, tenantId: r.tenant_id, name: r.name, platform: r.platform, osVersion: r.os_version,
    primaryUser: r.primary_user, enrolled: r.enrolled === 1,
    compliance: deviceSchema.shape.compliance.parse(r.compliance),
    complianceReasons: JSON.parse(r.compliance_reasons) as string[],
    lastCheckIn: r.last_check_in, updatedAt: r.updated_at,
  };
}

function searchTextOf(d: Device): string {
  return [d.name, d.primaryUser, d.platform].join('\u001f').toLowerCase();
}

export function openInventory(file: string, opts: { now?: () => Date } = {}): Inventory {
  const now = opts.now ?? (() => new Date());
  mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  migrate(db);

  const upsert = db.prepare(`INSERT INTO devices
      (tenant_id, id, name, platform, os_version, primary_user, enrolled, compliance, compliance_reasons, last_check_in, updated_at, search_text)
      VALUES (@tenantId, @id, @name, @platform, @osVersion, @primaryUser, @enrolled, @compliance, @complianceReasons, @lastCheckIn, @updatedAt, @searchText)
      ON CONFLICT (tenant_id, id) DO UPDATE SET name = excluded.name, platform = excluded.platform,
        os_version = excluded.os_version, primary_user = excluded.primary_user, enrolled = excluded.enrolled,
        compliance = excluded.compliance, compliance_reasons = excluded.compliance_reasons,
        last_check_in = excluded.last_check_in, updated_at = excluded.updated_at, search_text = excluded.search_text`);
  const remove = db.prepare('DELETE FROM devices WHERE tenant_id = ? AND id = ?');
  const getCursor = db.prepare<[string], { cursor: string | null; synced_at: string | null }>('SELECT cursor, synced_at FROM sync_state WHERE tenant_id = ?');
  const setCursor = db.prepare(`INSERT INTO sync_state (tenant_id, cursor, synced_at) VALUES (?, ?, ?)
      ON CONFLICT (tenant_id) DO UPDATE SET cursor = excluded.cursor, synced_at = COALESCE(excluded.synced_at, sync_state.synced_at)`);
  const countAll = db.prepare<[string], { n: number }>('SELECT COUNT(*) AS n FROM devices WHERE tenant_id = ?');
  const getOne = db.prepare<[string, string], Row>('SELECT * FROM devices WHERE tenant_id = ? AND id = ?');

  const applyPage = db.transaction((tenantId: string, page: DevicePage, cursor: string | null, syncedAt: string | null) => {
    let removed = 0;
    for (const d of page.devices) {
      // The page is the relay's word about the caller's tenant; a row for another tenant is not stored.
      if (d.tenantId !== tenantId) continue;
      upsert.run({ ...d, enrolled: d.enrolled ? 1 : 0, complianceReasons: JSON.stringify(d.complianceReasons), searchText: searchTextOf(d) });
    }
    for (const id of page.removed ?? []) removed += remove.run(tenantId, id).changes;
    setCursor.run(tenantId, cursor, syncedAt);
    return removed;
  });

  // Statements for list() are built per filter shape and cached: four shapes in all.
  const listStatements = new Map<string, { page: Database.Statement; count: Database.Statement }>();
  function listStatement(search: boolean, compliance: boolean) {
    const key = `${search}:${compliance}`;
    let s = listStatements.get(key);
    if (!s) {
      const where = ['tenant_id = @tenantId'];
      if (compliance) where.push('compliance = @compliance');
      // A contains-search: instr() on the lower-cased copy takes the user's text literally (no
      // LIKE wildcards) and stays inside the covering index.
      if (search) where.push('instr(search_text, @needle) > 0');
      const w = where.join(' AND ');
      const order = 'ORDER BY name COLLATE NOCASE, id';
      s = {
        // Page the keys over the covering index first, then read only the rows of that page: a deep
        // OFFSET then skips index entries, not whole rows.
        // CROSS JOIN keeps that order of work (SQLite does not reorder it): page keys, then rows by key.
        page: db.prepare(`SELECT d.* FROM (SELECT id FROM devices WHERE ${w} ${order} LIMIT @limit OFFSET @offset) k
          CROSS JOIN devices d ON d.tenant_id = @tenantId AND d.id = k.id ORDER BY d.name COLLATE NOCASE, d.id`),
        count: db.prepare(`SELECT COUNT(*) AS n FROM devices WHERE ${w}`),
      };
      listStatements.set(key, s);
    }
    return s;
  }

  return {
    async sync(tenantId, fetchPage, onProgress) {
      let since = getCursor.get(tenantId)?.cursor ?? undefined;
      let changed = 0;
      let removed = 0;
      for (;;) {
        const page = devicePage.parse(await fetchPage(since));
        const next = page.cursor;
        // Done when the relay has nothing newer, or its cursor stops moving (never loop forever).
        const done = page.devices.length === 0 || next === null || next === since;
        const syncedAt = done ? now().toISOString() : null;
        removed += applyPage(tenantId, page, next ?? since ?? null, syncedAt);
        changed += page.devices.length;
        onProgress?.(changed);
        if (done) {
          return { changed, removed, total: countAll.get(tenantId)?.n ?? 0, syncedAt: syncedAt! };
        }
        since = next;
      }
    },
    list(tenantId, raw) {
      const q = deviceQuery.parse(raw);
      const search = q.search.trim();
      const s = listStatement(search !== '', q.compliance !== 'any');
      const params = { tenantId, compliance: q.compliance, needle: search.toLowerCase(), limit: q.limit, offset: q.offset };
      const items = (s.page.all(params) as Row[]).map(toDevice);
      const total = (s.count.get(params) as { n: number }).n;
      return { items, total, offset: q.offset };
    },
    get(tenantId, id) {
      const r = getOne.get(tenantId, id);
      return r ? toDevice(r) : undefined;
    },
    lastSyncedAt(tenantId) {
      return getCursor.get(tenantId)?.synced_at ?? null;
    },
    close() {
      db.close();
    },
  };
}
