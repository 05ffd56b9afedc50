// An Intune device sync (issue 8, "Measure"): 100,000 managed devices listed from the Graph stand-in
// over HTTPS (pages of 999 as the relay asks, Intune's 1,000 at most), written into a new SQLite
// directory; then a sync with nothing changed; then a change of 1 % (half changed, a quarter added, a
// quarter removed), which the relay finds by listing again, writes, and confirms with an ids-only listing.
// Standalone: tsx bench/intune-sync.ts [--devices=N] (prints the table, writes bench/results/intune-sync.json).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { applyConfiguredTenants } from '#relay/directory/configured-tenants.js';
import { createDirectory } from '#relay/directory/index.js';
import { createAppToken } from '#relay/identity/entra/app-token.js';
import { createGraphGet } from '#relay/identity/entra/graph-request.js';
import { createIntuneSync, type IntuneSyncResult } from '#relay/identity/entra/intune-sync.js';
import { createMemoryLog } from '#relay/log.js';
import { createHttpsFetch } from '#relay/net/https-fetch.js';
import { startEntraStandIn } from '#test/support/entra-stand-in.js';
import { startGraphStandIn, type ManagedDeviceRecord } from '#test/support/graph-stand-in.js';
import { measure, table, writeResult, type BenchResult } from './stats.js';

const defaultDevices = 100_000;
const tid = '3f6e1d2c-8b7a-4c5d-9e0f-1a2b3c4d5e6f';
const app = { clientId: '8e7d6c5b-4a3f-4e2d-9c1b-0a9f8e7d6c5b', clientSecret: 'bench-intune-secret' };
const oses = [['Windows', '10.0.22631.3447'], ['macOS', '14.4.1'], ['iOS', '17.4.1'], ['Android', '14'], ['Linux', '6.5']] as const;
const states = ['compliant', 'compliant', 'compliant', 'compliant', 'noncompliant', 'inGracePeriod', 'unknown', 'conflict'] as const;

const guid = (n: number) => `${n.toString(16).padStart(8, '0')}-5a5a-4b4b-8c8c-${n.toString(16).padStart(12, '0')}`;
function device(n: number): ManagedDeviceRecord {
  const [operatingSystem, osVersion] = oses[n % oses.length]!;
  // One device in 50 is an "iPhone" with no serial number: duplicate names, as real tenants have them.
  const dup = n % 50 === 0;
  return {
    id: guid(n), deviceName: dup ? 'iPhone' : `DEV-${String(n).padStart(6, '0')}`, operatingSystem: dup ? 'iOS' : operatingSystem, osVersion,
    userPrincipalName: `user${n % 20_000}@contoso.example`, complianceState: states[n % states.length]!, managedDeviceOwnerType: n % 7 === 0 ? 'personal' : 'company',
    serialNumber: dup ? '' : `SN${String(n).padStart(8, '0')}`, manufacturer: 'Contoso Hardware', model: 'Model 7',
    enrolledDateTime: '2024-03-01T08:00:00Z', lastSyncDateTime: '2025-05-01T07:45:12Z', deviceCategoryDisplayName: n % 10 === 0 ? 'Finance devices' : 'Unknown',
  };
}

export async function intuneSync(devices = defaultDevices): Promise<BenchResult> {
  const entra = await startEntraStandIn({
    tenants: [{ tenantId: tid, apps: [{ ...app, redirectUris: [], applicationPermissions: ['DeviceManagementManagedDevices.Read.All'] }] }],
  });
  const graph = await startGraphStandIn({ entra });
  const dir = mkdtempSync(join(tmpdir(), 'rh-bench-intune-'));
  const directory = createDirectory({ dataDir: dir });
  try {
    await applyConfiguredTenants(directory, [{
      id: 'contoso', name: 'Contoso', verifiedDomains: ['contoso.example'], settings: {},
      identity: {
        type: 'entra', tenantId: tid, ...app, consoleClientId: 'console', audience: 'api://remote-help',
        authorityHost: entra.authorityHost, graphUrl: graph.url,
      },
    }]);
    graph.intune.set(tid, Array.from({ length: devices }, (_, i) => device(i + 1)));
    const log = createMemoryLog();
    const ca = [entra.caPem, graph.caPem];
    const get = createGraphGet({
      token: createAppToken({ tenantId: tid, ...app, authorityHost: entra.authorityHost, graphUrl: graph.url, ca, log }),
      fetch: createHttpsFetch(ca), log,
    });
    let t = Date.parse('2025-05-01T10:00:00Z');
    const sync = createIntuneSync({ tenantId: 'contoso', graphUrl: graph.url, get, directory, clock: { now: () => t }, log });
    const timed = async (): Promise<{ ms: number; result: IntuneSyncResult; requests: number }> => {
      const before = graph.intune.requestCount();
      const started = performance.now();
      const answer = await sync.run();
      if (!answer.ok) throw new Error(`sync failed: ${answer.error.message}`);
      return { ms: Math.round(performance.now() - started), result: answer.value, requests: graph.intune.requestCount() - before };
    };

    const full = await timed();
    if (full.result.written !== devices) throw new Error(`the first sync wrote ${full.result.written} of ${devices}`);
    t += 15 * 60_000;
    const quiet = await timed();
    // 1 %: half of it changed (compliance, OS update, a check-in), a quarter new, a quarter deleted.
    const onePercent = Math.round(devices / 100);
    const changed = Math.round(onePercent / 2);
    const added = Math.round(onePercent / 4);
    const removed = onePercent - changed - added;
    for (let i = 0; i < changed; i++) {
      const n = 1 + i * 97 % devices;
      graph.intune.update(tid, guid(n), { complianceState: 'noncompliant', osVersion: '10.0.26100.1', lastSyncDateTime: '2025-05-01T10:10:00Z' });
    }
    for (let i = 0; i < added; i++) graph.intune.put(tid, device(devices + 1 + i));
    for (let i = 0; i < removed; i++) graph.intune.remove(tid, guid(devices - i * 13));
    t += 15 * 60_000;
    const delta = await timed();
    if (delta.result.removed !== removed || delta.result.written < added) {
      throw new Error(`the delta sync wrote ${delta.result.written} and removed ${delta.result.removed}`);
    }
    const perSecond = (ms: number) => Math.round(devices / (ms / 1000));
    return {
      name: 'intune-sync',
      description: `Intune sync of ${devices} managed devices from the Graph stand-in over HTTPS into a new SQLite directory`,
      measures: [
        measure(`first sync, ${devices} devices (list + write all)`, [full.ms]),
        measure('sync with nothing changed (list + compare)', [quiet.ms]),
        measure(`sync after a 1 % change (${changed} changed, ${added} added, ${removed} removed)`, [delta.ms]),
      ],
      notes: [
        `first sync: ${full.requests} Graph requests (pages of 999), ${perSecond(full.ms)} devices/s, ${full.result.written} written`,
        `nothing changed: ${quiet.requests} requests, ${quiet.result.written} written, ${quiet.result.unchanged} compared and unchanged`,
        `1 % change: ${delta.requests} requests (the listing, then an ids-only listing to confirm the removals), ${delta.result.written} written, ${delta.result.removed} removed`,
        `Graph documents no delta for managedDevices: every sync lists all devices; only changed ones are written, so the consoles' delta stays at what changed`,
        'the stand-in, the relay\'s sync and SQLite in one process on this machine (2 cores); real Graph adds its own latency per page',
      ],
    };
  } finally {
    directory.close();
    await graph.close();
    await entra.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const devices = Number(process.argv.find((a) => a.startsWith('--devices='))?.slice('--devices='.length) ?? defaultDevices);
  const result = await intuneSync(devices);
  console.log(`  → ${writeResult(result)}`);
  console.log(`\n${table([result])}`);
  for (const note of result.notes) console.log(`  ${note}`);
}
