// The console's device inventory at 100,000 devices (issue 8): the first full sync, a delta of 1 %
// (changes and a few removals), the list's queries (every sort key both ways, searches of 1, 3 and 8
// characters, each filter, a combination), the longest the event loop was blocked during the full sync,
// and the process's memory after it. Where the pages come from is one function (a PageSource):
// - generator: pages built beforehand as the relay's wire JSON (JSON.stringify of generated devices),
//   so the figures are the console's own work (parse, check, write, index) with the relay's left out;
// - relay: the real relay in its own process over HTTPS (relay/src/main.ts on a data folder filled with
//   the same devices), as the console syncs in production, the relay's work included.
// Standalone: tsx bench/inventory.ts [--devices=N] [--source=generator|relay|both] [--page-sizes=1000,2000,5000]
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { deviceSortKeys, type Device, type DeviceQuery } from '#protocol';
import { directoryPageSource } from '#desktop/main/directory-client.js';
import { defaultPageSize, openInventory, type Inventory, type PageSource, type SyncProgressReport } from '#desktop/main/inventory/inventory.js';
import { createHttpsClient } from '#desktop/main/net/https-client.js';
import { createDirectory, demoPassword, demoTenants, seedDemoTenants } from '#relay/directory/index.js';
import { fakeDirectory, generateDevices, type FakeDirectory } from '#test/desktop/main/device-fixtures.js';
import { listening, startRelayMain } from '#test/support/relay-process.js';
import { signInForToken } from '#test/support/sign-in.js';
import { measure, table, writeResult, type BenchResult, type Measure } from './stats.js';

const defaultDevices = 100_000;
const tenantId = demoTenants.contoso.id;
const helper = 'helper@contoso.example';
const fullRuns = 3;
const deltaRuns = 5;
const queryRuns = 15;

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;
const ms = (x: number) => Math.round(x * 100) / 100;

/** Where pages come from, and how to change the directory between syncs. */
interface Source {
  name: string;
  /** The page source for the next sync. */
  pages(): Promise<PageSource>;
  /** Changes `changes` devices and removes `removals`, as the directory would between syncs. */
  change(changes: number, removals: number, round: number): Promise<void>;
  close(): Promise<void>;
}

function changed(d: Device, round: number): Device {
  return { ...d, compliance: d.compliance === 'compliant' ? 'noncompliant' : 'compliant', lastCheckIn: new Date(Date.UTC(2026, 2, 1) + round * 60_000).toISOString(), osVersion: `${d.osVersion}.${round}` };
}

/** The generator: every page's JSON text built before the sync starts (the relay's cost left out). */
function generatorSource(devices: Device[]): Source & { directory: FakeDirectory } {
  const directory = fakeDirectory(devices);
  const live = new Map(devices.map((d) => [d.id, d]));
  let next = 0;
  return {
    name: 'generator',
    directory,
    async pages() {
      // The pages of whatever sync comes next, for any cursor and page size it asks with: built on first
      // ask from the directory, then served from memory, so a run's timing never includes building one.
      const built = new Map<string, string>();
      const source: PageSource = async (since, req) => {
        const key = `${since}|${req.limit}|${req.count}`;
        let body = built.get(key);
        if (body === undefined) {
          body = await directory.source(since, req);
          built.set(key, body);
        }
        return body;
      };
      return source;
    },
    async change(changes, removals, round) {
      const ids = [...live.keys()];
      for (let i = 0; i < changes; i++) {
        const d = changed(live.get(ids[(next++ * 7919) % ids.length]!)!, round);
        live.set(d.id, d);
        directory.put(d);
      }
      for (let i = 0; i < removals; i++) {
        const id = ids[(next++ * 104729) % ids.length]!;
        if (!live.delete(id)) continue;
        directory.remove(id);
      }
    },
    async close() {},
  };
}

/** Builds every page a sync will ask for, by asking once (untimed), so the timed sync only reads them. */
async function warm(source: PageSource, inventoryCursor: string | undefined, pageSize: number): Promise<void> {
  let since = inventoryCursor;
  for (let first = true; ; first = false) {
    const body = await source(since, { count: first, limit: pageSize, signal: new AbortController().signal });
    const page = JSON.parse(body as string) as { cursor: string | null; more?: boolean };
    if (!page.more) return;
    since = page.cursor ?? undefined;
  }
}

/** The real relay, its own process, on a data folder holding the devices. */
async function relaySource(devices: Device[]): Promise<Source> {
  const dataDir = mkdtempSync(join(tmpdir(), 'rh-bench-inv-relay-'));
  const directory = createDirectory({ dataDir });
  await seedDemoTenants(directory);
  for (let i = 0; i < devices.length; i += 5000) await directory.upsertDevices(devices.slice(i, i + 5000).map((d) => ({ ...d, tenantId })));
  const relay = await listening(startRelayMain({ RH_DATA_DIR: dataDir }));
  const caPem = readFileSync(join(dataDir, 'tls', 'ca.pem'), 'utf8');
  const token = await signInForToken(relay.url, helper, demoPassword, caPem);
  const http = createHttpsClient(caPem);
  const live = new Map(devices.map((d) => [d.id, d]));
  let next = 0;
  return {
    name: 'relay',
    async pages() {
      return directoryPageSource(http, relay.url, token);
    },
    async change(changes, _removals, round) {
      const ids = [...live.keys()];
      const batch: Device[] = [];
      for (let i = 0; i < changes; i++) {
        const d = { ...changed(live.get(ids[(next++ * 7919) % ids.length]!)!, round), tenantId, updatedAt: new Date(Date.UTC(2027, 0, 1) + round * 10_000_000 + i).toISOString() };
        live.set(d.id, d);
        batch.push(d);
      }
      // Removals go through the relay's own admin API, not this directory handle: left out here.
      await directory.upsertDevices(batch);
    },
    async close() {
      relay.child.kill('SIGTERM');
      await once(relay.child, 'exit');
      directory.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

interface SyncRun {
  totalMs: number;
  maxBlockMs: number;
  p99BlockMs: number;
  pages: number;
  phases: { parse: number; write: number; index: number };
  total: number;
}

async function timedSync(inv: Inventory, source: PageSource, pageSize: number): Promise<SyncRun> {
  const phases = { parse: 0, write: 0, index: 0 };
  let pages = 0;
  const onPage = (p: SyncProgressReport) => {
    pages++;
    phases.parse += p.timings.parse;
    phases.write += p.timings.write;
    phases.index += p.timings.index;
  };
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  const started = performance.now();
  const result = await inv.sync({ tenantId, account: helper, source, pageSize, onPage });
  const totalMs = performance.now() - started;
  delay.disable();
  if (result.cancelled) throw new Error('the sync was cancelled');
  return { totalMs, maxBlockMs: delay.max / 1e6, p99BlockMs: delay.percentile(99) / 1e6, pages, phases, total: result.total };
}

/** A query shape, run `queryRuns` times: the same query each time, or a new one each run (`q(i)`). */
interface QueryShape { name: string; q: (run: number) => DeviceQuery }

/** The list's queries as the device list sends them. A search is measured with a new word each run (the
 * list index keeps the last search's matches, so asking the same one again would measure that cache). */
function queries(devices: Device[]): QueryShape[] {
  const same = (name: string, q: DeviceQuery): QueryShape => ({ name, q: () => q });
  const out: QueryShape[] = [];
  for (const sort of deviceSortKeys) {
    for (const direction of ['asc', 'desc'] as const) out.push(same(`sort ${sort} ${direction}`, { sort, direction, limit: 100 }));
  }
  out.push(same(`sort name asc, offset ${devices.length - 100}`, { offset: devices.length - 100, limit: 100 }));
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  out.push({ name: 'search 1 character, a new one each run', q: (i) => ({ search: letters[i % letters.length]!, limit: 100 }) });
  out.push({ name: 'search 3 characters (part of a serial number), a new one each run', q: (i) => ({ search: devices[i * 37 + 1]!.serialNumber.slice(3, 6) || 'sn1', limit: 100 }) });
  out.push({ name: 'search 8 characters (part of a name), a new one each run', q: (i) => ({ search: devices[i * 101]!.name.slice(-8), limit: 100 }) });
  out.push({ name: 'search non-ASCII ("åsa", "øyvind", "陳美", …), sorted by last check-in', q: (i) => ({ search: ['åsa', 'øyvind', '陳美', 'école', 'émile'][i % 5]! + String(i % 3), sort: 'lastCheckIn', direction: 'desc', limit: 100 }) });
  const typed = devices[4242]!.name.toLowerCase();
  out.push({ name: `typing "${typed}", one query per key`, q: (i) => ({ search: typed.slice(0, 1 + (i % typed.length)), limit: 100 }) });
  out.push({ name: 'scrolling a search result (offset +100 each run)', q: (i) => ({ search: 'contoso', offset: i * 100, limit: 100 }) });
  for (const compliance of ['noncompliant', 'unknown'] as const) out.push(same(`filter compliance ${compliance}`, { compliance, limit: 100 }));
  out.push(same('filter platform Linux', { platform: 'Linux', limit: 100 }));
  out.push(same('filter ownership personal, sorted by primary user', { ownership: 'personal', sort: 'primaryUser', limit: 100 }));
  for (const enrollment of ['intune', 'approved', 'pending', 'import'] as const) out.push(same(`filter enrollment ${enrollment}`, { enrollment, limit: 100 }));
  out.push({
    name: 'combination (a new search, 3 filters, sort desc, offset 200)',
    q: (i) => ({ search: `${letters[i % letters.length]}${letters[(i * 7) % letters.length]}`, compliance: 'noncompliant', platform: 'Windows', ownership: 'company', sort: 'lastCheckIn', direction: 'desc', offset: 200, limit: 100 }),
  });
  return out;
}

async function timeQueries(inv: Inventory, devices: Device[]): Promise<Measure[]> {
  const out: Measure[] = [];
  const all: number[] = [];
  for (const { name, q } of queries(devices)) {
    const samples: number[] = [];
    for (let i = 0; i < queryRuns; i++) {
      const query = q(i);
      const t = performance.now();
      await inv.list(tenantId, query);
      samples.push(ms(performance.now() - t));
    }
    all.push(...samples);
    out.push(measure(`list: ${name}`, samples, '≤ 10 (p95)'));
  }
  out.unshift(measure('list: every query below, together', all, '≤ 10 (p95)'));
  return out;
}

/** Page size, full syncs, memory and deltas with one source; returns the inventory still open. */
async function syncFigures(src: Source & { warm?: (source: PageSource, cursor: string | undefined, pageSize: number) => Promise<void>; cursor?: () => string | undefined },
  n: number, dir: string, pageSizes: number[], runs: number, measures: Measure[], notes: string[]): Promise<{ inv: Inventory }> {
  const prepare = async (cursor: string | undefined, size: number) => {
    const source = await src.pages();
    await src.warm?.(source, cursor, size);
    gc();
    return source;
  };
  const sweep: string[] = [];
  for (const size of pageSizes) {
    const inv = openInventory(join(dir, `${src.name}-size-${size}.db`));
    try {
      const run = await timedSync(inv, await prepare(undefined, size), size);
      sweep.push(`${size}: ${Math.round(run.totalMs)} ms (${run.pages} pages), longest block ${Math.round(run.maxBlockMs)} ms`);
    } finally {
      inv.close();
    }
  }
  notes.push(`${src.name}: full sync by page size asked (one run each): ${sweep.join('; ')}. The console asks for ${defaultPageSize}`);

  const full: SyncRun[] = [];
  let inv: Inventory | null = null;
  let file = '';
  for (let r = 0; r < runs; r++) {
    inv?.close();
    file = join(dir, `${src.name}-full-${r}.db`);
    const source = await prepare(undefined, defaultPageSize);
    inv = openInventory(file);
    full.push(await timedSync(inv, source, defaultPageSize));
  }
  measures.push(measure(`${src.name}: full sync, ${n} devices (pages of ${defaultPageSize})`, full.map((f) => Math.round(f.totalMs)), '≤ 3000'));
  measures.push(measure(`${src.name}: longest event-loop block during the full sync`, full.map((f) => ms(f.maxBlockMs)), '≤ 50'));
  const last = full.at(-1)!;
  notes.push(`${src.name}: full sync, where the time went (last run, ${last.pages} pages): parse+check ${Math.round(last.phases.parse)} ms, write ${Math.round(last.phases.write)} ms, list index ${Math.round(last.phases.index)} ms, the rest (waiting for pages, turns of the event loop) ${Math.round(last.totalMs - last.phases.parse - last.phases.write - last.phases.index)} ms; event-loop delay p99 ${ms(last.p99BlockMs)} ms`);

  // Memory: the process after the full sync, and the inventory's own share (the same process with the
  // inventory closed, its list index gone).
  gc();
  const synced = process.memoryUsage();
  inv!.close();
  gc();
  const closed = process.memoryUsage();
  notes.push(`${src.name}: memory after the full sync (GC run): RSS ${mib(synced.rss)}, heap ${mib(synced.heapUsed)}, external ${mib(synced.external)} — the bench's own generated devices and pages included; the open inventory's share (heap with it open, minus heap once closed): ${mib(synced.heapUsed - closed.heapUsed)}`);
  notes.push(`${src.name}: inventory.db after the full sync: ${mib(statSync(file).size + (statSync(`${file}-wal`, { throwIfNoEntry: false })?.size ?? 0))} (file and WAL)`);

  // A console starting with a full inventory: opening checks the file; the first list builds the index.
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  const t = performance.now();
  inv = openInventory(file);
  const opened = performance.now() - t;
  await inv.list(tenantId, {});
  const first = performance.now() - t;
  delay.disable();
  measures.push(measure(`${src.name}: reopen, open the file (its checks included)`, [ms(opened)]));
  measures.push(measure(`${src.name}: reopen, first list (the list index built from the file)`, [Math.round(first)]));
  notes.push(`${src.name}: reopen: longest event-loop block while the index was built from the file ${ms(delay.max / 1e6)} ms`);

  const deltas: SyncRun[] = [];
  const changes = Math.round(n / 100);
  const removals = src.name === 'generator' ? Math.round(n / 2000) : 0;
  for (let r = 0; r < deltaRuns; r++) {
    await src.change(changes, removals, r + 1);
    deltas.push(await timedSync(inv!, await prepare(src.cursor?.(), defaultPageSize), defaultPageSize));
  }
  measures.push(measure(`${src.name}: delta sync, 1 % changed (${changes})${removals ? ` and ${removals} removed` : ''}`, deltas.map((d) => ms(d.totalMs)), '≤ 300'));
  measures.push(measure(`${src.name}: longest event-loop block during a delta sync`, deltas.map((d) => ms(d.maxBlockMs)), '≤ 50'));
  return { inv };
}

export interface InventoryBenchOptions {
  devices?: number;
  source?: 'generator' | 'relay' | 'both';
  pageSizes?: number[];
}

export async function inventoryBench(opts: InventoryBenchOptions = {}): Promise<BenchResult> {
  const n = opts.devices ?? defaultDevices;
  const which = opts.source ?? 'both';
  const pageSizes = opts.pageSizes ?? [1000, 2000, 5000];
  const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');
  const notes: string[] = [`load average at the start: ${load()} (2 cores; other work on the machine shows in every figure)`];
  const measures: Measure[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'rh-bench-inv-'));
  try {
    const devices = generateDevices(n, { tenantId });

    if (which !== 'relay') {
      const gen = generatorSource(devices);
      const { inv } = await syncFigures({ ...gen, warm, cursor: () => gen.directory.lastCursor }, n, dir, pageSizes, fullRuns, measures, notes);
      measures.push(...(await timeQueries(inv, devices)));
      notes.push(`queries: inventory.list() as desktop main answers listDevices (the list index, then the page's rows from SQLite), ${queryRuns} runs each, after the delta syncs; the first run of a sort by a few-valued column after a sync builds its order (a p95 of ${queryRuns} runs is their slowest)`);
      inv.close();
    }

    if (which !== 'generator') {
      let relay: Source | null = null;
      try {
        relay = await relaySource(devices);
        const { inv } = await syncFigures(relay, n, dir, pageSizes, 2, measures, notes);
        inv.close();
      } catch (e) {
        notes.push(`relay: not measured — ${e instanceof Error ? e.message : String(e)}`);
      } finally {
        await relay?.close();
      }
    }
    notes.push(`load average at the end: ${load()}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return {
    name: 'inventory',
    description: `Console device inventory at ${n} devices: full and delta sync, list queries, event-loop blocking, memory`,
    measures,
    notes,
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  const result = await inventoryBench({
    devices: Number(arg('devices') ?? defaultDevices),
    source: (arg('source') ?? 'both') as InventoryBenchOptions['source'],
    ...(arg('page-sizes') ? { pageSizes: arg('page-sizes')!.split(',').map(Number) } : {}),
  });
  console.log(`  → ${writeResult(result)}`);
  console.log(`\n${table([result])}`);
  for (const note of result.notes) console.log(`  ${note}`);
}
