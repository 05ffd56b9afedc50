// Devices for inventory tests and the inventory benchmark: deterministic (seeded), shaped like a real
// tenant (Intune, enrollment and import devices, a platform and compliance mix, non-ASCII users, names
// with the characters a search must take literally), and a page source that answers the way the
// relay's GET /api/devices does: oldest change first, `limit` at a time, `more`, `removed`, `expected`.
import type { Device } from '#protocol';
import type { DevicePage, PageRequest } from '#desktop/main/inventory/inventory.js';
import { seeded } from '#scripts/seeded-random.js';

const platforms = [
  ['Windows', ['10.0.26100', '10.0.22631', '10.0.19045'], 'Dell Inc.', ['Latitude 7440', 'OptiPlex 7010']],
  ['macOS', ['15.1', '14.7', '13.6.9'], 'Apple', ['MacBook Pro', 'MacBook Air']],
  ['iOS', ['18.1', '17.6.1'], 'Apple', ['iPhone 15', 'iPad Air']],
  ['Android', ['15', '14', '13'], 'Samsung', ['Galaxy S24', 'Galaxy Tab S9']],
  ['Linux', ['Ubuntu 24.04', 'Debian 12'], 'Lenovo', ['ThinkPad T14']],
] as const;
// Lower- and upper-case non-ASCII on purpose: the search lower-cases as JavaScript does.
const users = ['alice', 'Bob', 'chen', 'dana', 'émile', 'Åsa', 'fatima', 'goro', 'hana', 'Øyvind', '陳美'];
const bases = ['pc', 'PC', 'Lab_', 'qa%', 'Kiosk', 'ÉCOLE', 'mac'];

export function generateDevices(n: number, opts: { tenantId?: string; seed?: number; start?: number } = {}): Device[] {
  const tenantId = opts.tenantId ?? 'tenant-a';
  const random = seeded(opts.seed ?? 42);
  const start = opts.start ?? 0;
  const base = Date.UTC(2026, 0, 1);
  const out: Device[] = [];
  for (let k = 0; k < n; k++) {
    const i = start + k;
    const [platform, versions, manufacturer, models] = platforms[Math.floor(random() * random() * platforms.length)]!;
    const r = random();
    const managedBy = r < 0.7 ? 'intune' : r < 0.9 ? 'enrollment' : 'import';
    const approved = managedBy !== 'enrollment' || random() < 0.5;
    const c = random();
    const compliance = c < 0.8 ? 'compliant' : c < 0.95 ? 'noncompliant' : 'unknown';
    const o = random();
    const ownership = managedBy === 'enrollment' ? (o < 0.5 ? 'personal' : 'unknown') : o < 0.85 ? 'company' : o < 0.95 ? 'personal' : 'unknown';
    const user = users[Math.floor(random() * users.length)]!;
    out.push({
      id: `dev-${String(i).padStart(7, '0')}`,
      tenantId,
      name: `${bases[i % bases.length]!}-${String(i).padStart(6, '0')}`,
      platform,
      osVersion: versions[Math.floor(random() * versions.length)]!,
      primaryUser: `${user}${i % 997}@contoso.example`,
      enrolled: managedBy !== 'import',
      compliance,
      complianceReasons: compliance === 'noncompliant' ? ['Disk encryption is off'] : [],
      lastCheckIn: new Date(base + Math.floor(random() * 30 * 86_400_000)).toISOString(),
      managedBy,
      approved,
      ownership,
      // A browser cannot tell its hardware: enrollment devices have none.
      serialNumber: managedBy === 'enrollment' ? '' : `SN${Math.floor(random() * 36 ** 8).toString(36).toUpperCase().padStart(8, '0')}`,
      manufacturer: managedBy === 'enrollment' ? '' : manufacturer,
      model: managedBy === 'enrollment' ? '' : models[Math.floor(random() * models.length)]!,
      enrolledAt: new Date(base - Math.floor(random() * 365 * 86_400_000)).toISOString(),
      ...(i % 3 === 0 ? { groups: ['Corporate laptops'] } : {}),
      updatedAt: new Date(base + i * 1000).toISOString(),
    });
  }
  return out;
}

export interface FakeDirectory {
  /** The page source: what GET /api/devices would answer to this request, as the relay's JSON body. */
  source: (since: string | undefined, req: PageRequest) => Promise<string>;
  /** Every request, in order. */
  calls: { since: string | undefined; count: boolean; limit: number }[];
  /** Replaces a device (a new updatedAt is given) or adds one. */
  put(d: Device): void;
  /** Deletes a device: later pages name it in `removed`. */
  remove(id: string): void;
  /** Runs before each answer (e.g. throw on the third page). */
  before?: (call: number) => void | Promise<void>;
  /** The cursor of the last page answered. */
  lastCursor: string | undefined;
}

/** An in-memory directory with a change log, paged like the relay: cursor = position in the log. */
export function fakeDirectory(devices: Device[]): FakeDirectory {
  // The change log: one entry per change, oldest first; a device's older entries are superseded.
  const log: ({ device: Device } | { removed: string })[] = [...devices].sort((a, b) => a.updatedAt.localeCompare(b.updatedAt)).map((device) => ({ device }));
  const latest = new Map<string, number>(log.map((e, i) => ['device' in e ? e.device.id : e.removed, i]));
  const calls: FakeDirectory['calls'] = [];
  const dir: FakeDirectory = {
    calls,
    lastCursor: undefined,
    put(d) {
      log.push({ device: d });
      latest.set(d.id, log.length - 1);
    },
    remove(id) {
      log.push({ removed: id });
      latest.set(id, log.length - 1);
    },
    async source(since, req) {
      calls.push({ since, count: req.count, limit: req.limit });
      await dir.before?.(calls.length);
      let at = since === undefined ? 0 : Number(since);
      const page: DevicePage = { devices: [], removed: [], cursor: since ?? null, more: false };
      if (req.count) {
        let expected = 0;
        for (let i = at; i < log.length; i++) if (latest.get(idOf(log[i]!)) === i) expected++;
        page.expected = expected;
      }
      let n = 0;
      for (; at < log.length && n < req.limit; at++) {
        const e = log[at]!;
        if (latest.get(idOf(e)) !== at) continue;
        if ('device' in e) page.devices.push(e.device);
        // A full sync (no cursor) has nothing to remove: the console had nothing from here.
        else if (since !== undefined) page.removed!.push(e.removed);
        n++;
      }
      while (at < log.length && latest.get(idOf(log[at]!)) !== at) at++;
      page.cursor = String(at);
      page.more = at < log.length;
      dir.lastCursor = page.cursor;
      return JSON.stringify(page);
    },
  };
  return dir;
}

function idOf(e: { device: Device } | { removed: string }): string {
  return 'device' in e ? e.device.id : e.removed;
}
