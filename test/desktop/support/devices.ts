// Generated devices for inventory tests: deterministic, so expected search and filter results can be
// computed from the same list the inventory was filled with.
import type { Device } from '#protocol';
import type { DevicePage, FetchPage } from '#desktop/main/inventory/inventory.js';

const platforms = [['Windows', '11 23H2'], ['macOS', '14.5'], ['Linux', 'Ubuntu 24.04'], ['Windows', '10 22H2']] as const;
const users = ['alice', 'bob', 'chen', 'dana', 'émile', 'fatima', 'goro', 'hana'];

export function generateDevices(n: number, tenantId = 'tenant-a'): Device[] {
  const out: Device[] = [];
  const base = Date.UTC(2026, 0, 1);
  for (let i = 0; i < n; i++) {
    const [platform, osVersion] = platforms[i % platforms.length]!;
    const compliance = i % 10 === 0 ? 'noncompliant' : i % 37 === 0 ? 'unknown' : 'compliant';
    out.push({
      id: `dev-${i}`,
      tenantId,
      // Mixed case on purpose: ordering and search are case-insensitive.
      name: `${i % 2 ? 'PC' : 'pc'}-${String(i).padStart(6, '0')}`,
      platform,
      osVersion,
      primaryUser: `${users[i % users.length]}${i % 1000}@contoso.example`,
      enrolled: i % 50 !== 0,
      compliance,
      complianceReasons: compliance === 'noncompliant' ? ['BitLocker is off'] : [],
      lastCheckIn: new Date(base + i * 60_000).toISOString(),
      updatedAt: new Date(base + i * 1000).toISOString(),
    });
  }
  return out;
}

/** Serves `devices` the way the relay's directory delta does: oldest first, `pageSize` at a time,
 * the cursor being the last updatedAt handed out (null once there is nothing newer). */
export function directoryOf(devices: Device[], pageSize: number): FetchPage & { calls: (string | undefined)[] } {
  const sorted = [...devices].sort((a, b) => a.updatedAt.localeCompare(b.updatedAt));
  const calls: (string | undefined)[] = [];
  const fetch = async (since: string | undefined): Promise<DevicePage> => {
    calls.push(since);
    const rest = since ? sorted.filter((d) => d.updatedAt > since) : sorted;
    const page = rest.slice(0, pageSize);
    return { devices: page, cursor: page.length ? page[page.length - 1]!.updatedAt : null };
  };
  return Object.assign(fetch, { calls });
}
