// When the console syncs its inventory and what the renderer hears of it: the sync service (one at a
// time, cancel, progress at most ten a second and once at the end, failures as codes, the interval
// while signed in) and the desktop API around it (sign-in and a restored sign-in start a sync, sign-out
// stops it, the list's query and filters, a device's sessions), on a real inventory file and, for the
// API, the directory over real HTTPS.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ok, fail, type Account, type DesktopEvent, type DeviceSession, type SyncProgress } from '#protocol';
import type { AuthService } from '#desktop/main/auth/auth-service.js';
import { loadConfig } from '#desktop/main/config.js';
import { createDesktopApi } from '#desktop/main/desktop-api.js';
import { directoryPageSource } from '#desktop/main/directory-client.js';
import { defaultPageSize, openInventory, type Inventory, type PageSource } from '#desktop/main/inventory/inventory.js';
import { createSyncService, progressIntervalMs, type Every, type SyncService } from '#desktop/main/inventory/sync-service.js';
import { createHttpsClient } from '#desktop/main/net/https-client.js';
import type { RelayLink } from '#desktop/main/relay-link.js';
import { fakeDirectory, generateDevices, type FakeDirectory } from './device-fixtures.js';
import { startDirectoryStandIn, type DirectoryStandIn } from './directory-stand-in.js';

const tenant = 'tenant-a';
const upn = 'helper@contoso.example';

/** A timer the test fires by hand. */
function manualEvery() {
  const timers: { ms: number; fn: () => void; stopped: boolean }[] = [];
  const every: Every = (ms, fn) => {
    const t = { ms, fn, stopped: false };
    timers.push(t);
    return () => { t.stopped = true; };
  };
  return { every, timers, live: () => timers.filter((t) => !t.stopped) };
}

const progressOf = (events: DesktopEvent[]): SyncProgress[] => events.flatMap((e) => (e.type === 'inventory:sync' ? [e.payload] : []));

describe('inventory sync service', () => {
  let dir: string;
  let inv: Inventory;
  let events: DesktopEvent[];
  let logged: string[];
  let signedIn: boolean;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rh-inv-sync-'));
    inv = openInventory(join(dir, 'inventory.db'));
    events = [];
    logged = [];
    signedIn = true;
  });
  afterEach(() => {
    inv.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function service(source: PageSource | null, opts: { every?: Every; clock?: () => number; intervalMinutes?: number; pageSize?: number } = {}): SyncService {
    return createSyncService({
      inventory: inv,
      account: () => (signedIn ? { tenantId: tenant, upn } : null),
      pageSource: async () => source,
      emit: (e) => void events.push(e),
      intervalMinutes: opts.intervalMinutes ?? 15,
      every: opts.every ?? manualEvery().every,
      clock: opts.clock ?? (() => 0),
      pageSize: opts.pageSize ?? 100,
      log: { error: (msg) => void logged.push(msg) },
    });
  }

  it('reports progress at most every 100 ms, with the expected count for the percentage, and once when done', async () => {
    let now = 0;
    const relay = fakeDirectory(generateDevices(1000));
    // Each page takes 30 ms of the test's clock.
    relay.before = () => { now += 30; };
    const result = await service(relay.source, { clock: () => now }).run('manual');
    assert.ok(result.ok);
    assert.equal(result.value.total, 1000);
    const progress = progressOf(events);
    assert.deepEqual(progress[0], { state: 'syncing', trigger: 'manual', received: 0, expected: null, total: 0 });
    assert.deepEqual(progress.at(-1), { state: 'done', trigger: 'manual', received: 1000, expected: 1000, total: 1000 });
    const during = progress.slice(1, -1);
    assert.ok(during.length >= 2 && during.length <= 4, `${during.length} progress events for 10 pages of 30 ms`);
    assert.ok(during.every((p) => p.state === 'syncing' && p.expected === 1000));
    assert.ok(during.every((p, i) => i === 0 || p.received > during[i - 1]!.received));
    assert.equal(progressIntervalMs, 100);
  });

  it('runs one sync at a time: asking again while it runs joins it', async () => {
    const relay = fakeDirectory(generateDevices(500));
    const sync = service(relay.source);
    const first = sync.run('interval');
    const second = sync.run('manual');
    assert.equal(first, second);
    assert.equal(sync.running, true);
    const [a, b] = await Promise.all([first, second]);
    assert.deepEqual(a, b);
    assert.equal(relay.calls.length, 5, 'each page asked for once');
    assert.equal(sync.running, false);
    assert.ok(progressOf(events).every((p) => p.trigger === 'interval'));
  });

  it('cancel stops after the page being applied, answers cancelled, and tells the renderer', async () => {
    const relay = fakeDirectory(generateDevices(1000));
    const sync = service(relay.source);
    assert.equal(sync.cancel(), false, 'nothing to cancel');
    relay.before = (call) => { if (call === 3) sync.cancel(); };
    const result = await sync.run('manual');
    assert.ok(result.ok);
    assert.equal(result.value.cancelled, true);
    assert.ok(result.value.total >= 200 && result.value.total <= 300, `whole pages only (${result.value.total})`);
    assert.equal(result.value.total % 100, 0);
    assert.equal(progressOf(events).at(-1)?.state, 'cancelled');
    relay.before = undefined;
    const rest = await sync.run('manual');
    assert.ok(rest.ok);
    assert.equal(rest.value.total, 1000);
  });

  it('answers failures as codes and tells the renderer which; a bug is logged and answered as internal', async () => {
    const cases: [PageSource, string][] = [
      [async () => { throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8443'), { code: 'ECONNREFUSED' }); }, 'relay-unreachable'],
      [async () => 'not json', 'validation'],
      [async () => { throw new TypeError('x is undefined'); }, 'internal'],
    ];
    for (const [source, code] of cases) {
      events = [];
      const result = await service(source).run('manual');
      assert.equal(!result.ok && result.error.code, code);
      assert.deepEqual(progressOf(events).at(-1), { state: 'failed', trigger: 'manual', received: 0, expected: null, total: 0, error: code });
    }
    assert.equal(logged.length, 1);
    assert.match(logged[0]!, /inventory sync failed/);
    events = [];
    const expired = await service(null).run('manual');
    assert.equal(!expired.ok && expired.error.code, 'unauthenticated');
    assert.equal(progressOf(events).at(-1)?.error, 'unauthenticated');
    signedIn = false;
    const out = await service(fakeDirectory([]).source).run('manual');
    assert.equal(!out.ok && out.error.code, 'unauthenticated');
  });

  it('syncs at sign-in and then on the interval; sign-out stops the timer and cancels a running sync', async () => {
    const timer = manualEvery();
    const relay = fakeDirectory(generateDevices(300));
    const sync = service(relay.source, { every: timer.every, intervalMinutes: 15 });
    sync.signedIn();
    assert.equal(sync.running, true, 'a sign-in starts a sync at once');
    assert.deepEqual(timer.live().map((t) => t.ms), [15 * 60_000]);
    const first = await sync.run('manual');
    assert.ok(first.ok);
    assert.equal(progressOf(events)[0]?.trigger, 'sign-in');

    relay.put({ ...generateDevices(1, { start: 900 })[0]!, updatedAt: '2027-01-01T00:00:00.000Z' });
    events = [];
    timer.live()[0]!.fn();
    assert.equal(sync.running, true, 'the interval starts a sync');
    const second = await sync.run('manual');
    assert.ok(second.ok);
    assert.deepEqual([second.value.changed, second.value.total], [1, 301]);
    assert.equal(progressOf(events)[0]?.trigger, 'interval');

    // Signing in again (another account) replaces the timer rather than adding one.
    sync.signedIn();
    await sync.run('manual');
    assert.equal(timer.live().length, 1);

    // More than a page waits: a sign-out while the first is on its way ends the sync there.
    for (const d of generateDevices(250, { start: 1000 })) relay.put(d);
    let release!: () => void;
    relay.before = () => new Promise<void>((r) => { release = r; });
    events = [];
    timer.live()[0]!.fn();
    await new Promise((r) => setImmediate(r));
    const out = sync.signedOut();
    release();
    await out;
    assert.equal(sync.running, false);
    assert.equal(timer.live().length, 0);
    assert.equal(progressOf(events).at(-1)?.state, 'cancelled');
  });

  it('with the interval off (0), syncs only at sign-in and on Sync', async () => {
    const timer = manualEvery();
    const sync = service(fakeDirectory(generateDevices(10)).source, { every: timer.every, intervalMinutes: 0 });
    sync.signedIn();
    await sync.run('manual');
    assert.equal(timer.timers.length, 0);
  });

  it('reads the interval from RH_SYNC_INTERVAL_MINUTES: 15 by default, 0 turns it off, anything else is refused by name', () => {
    assert.equal(loadConfig({}).syncIntervalMinutes, 15);
    assert.equal(loadConfig({ RH_SYNC_INTERVAL_MINUTES: '0' }).syncIntervalMinutes, 0);
    assert.equal(loadConfig({ RH_SYNC_INTERVAL_MINUTES: '60' }).syncIntervalMinutes, 60);
    for (const bad of ['-5', '1.5', 'often', '', '100000']) {
      assert.throws(() => loadConfig({ RH_SYNC_INTERVAL_MINUTES: bad }), /RH_SYNC_INTERVAL_MINUTES/, bad);
    }
  });
});

describe('desktop API: inventory methods and sync triggers', () => {
  let relay: DirectoryStandIn;
  let dir: string;
  before(async () => { relay = await startDirectoryStandIn(); });
  after(() => relay.close());
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rh-inv-api-'));
    relay.seen.length = 0;
    relay.override = null;
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const account: Account = { upn, name: 'Helper', tenantId: tenant, tenantName: 'Contoso', roles: ['Help Desk Operator'], profile: null };

  /** Makes the directory hold its next answer until released; resolves once the request has arrived. */
  function stall(directory: FakeDirectory): { arrived: Promise<void>; release: () => void } {
    let release = () => {};
    let arrive = () => {};
    const arrived = new Promise<void>((r) => { arrive = r; });
    directory.before = () => new Promise<void>((r) => {
      release = r;
      arrive();
    });
    return { arrived, release: () => release() };
  }

  /** The API as services.ts builds it, with a stand-in sign-in and relay socket. */
  function consoleWith(directory: FakeDirectory, opts: { inventoryFile?: string; signedIn?: boolean } = {}) {
    let current: Account | null = opts.signedIn ? account : null;
    const auth: AuthService = {
      beginSignIn: async () => ok({ authUrl: 'https://idp.example/authorize', opened: false }),
      completeSignIn: async () => { current = account; return ok(account); },
      cancelSignIn: async () => false,
      account: () => current,
      accessToken: async () => (current ? 'tok-123' : null),
      signOut: async () => { current = null; },
      restore: async () => undefined,
    };
    const link: RelayLink = { connect: () => undefined, disconnect: () => undefined, connected: () => false, request: async () => fail('internal') as never };
    const http = createHttpsClient(relay.caPem);
    const events: DesktopEvent[] = [];
    const timer = manualEvery();
    const logged: string[] = [];
    const inventory = openInventory(opts.inventoryFile ?? join(dir, 'inventory.db'), { log: { error: (m) => void logged.push(m) } });
    relay.directory = directory;
    const sync = createSyncService({
      inventory,
      account: () => (current ? { tenantId: current.tenantId, upn: current.upn } : null),
      pageSource: async () => (current ? directoryPageSource(http, relay.url, 'tok-123') : null),
      emit: (e) => void events.push(e),
      intervalMinutes: 15,
      every: timer.every,
      log: { error: (m) => void logged.push(m) },
    });
    const api = createDesktopApi({ shell: 'console-host', relayUrl: relay.url, http, auth, inventory, sync, relay: link });
    return { api, sync, events, timer, logged, close: () => inventory.close() };
  }

  it('a completed sign-in syncs the inventory in main; the list then answers the new query shape', async () => {
    const devices = generateDevices(1200);
    const c = consoleWith(fakeDirectory(devices));
    try {
      const before = await c.api.listDevices({});
      assert.equal(!before.ok && before.error.code, 'unauthenticated');
      assert.ok((await c.api.completeSignIn()).ok);
      assert.equal(c.sync.running, true);
      const done = await c.api.syncDevices();
      assert.ok(done.ok);
      assert.equal(done.value.total, 1200);
      assert.deepEqual(relay.seen.map((s) => s.query['limit']), [String(defaultPageSize)], 'one page');
      assert.equal(relay.seen[0]!.query['count'], '1');
      assert.ok(progressOf(c.events).some((p) => p.state === 'done' && p.trigger === 'sign-in'));

      const page = await c.api.listDevices({ search: 'kiosk', compliance: 'compliant', sort: 'lastCheckIn', direction: 'desc', limit: 10 });
      assert.ok(page.ok);
      const want = devices.filter((d) => d.name.toLowerCase().includes('kiosk') && d.compliance === 'compliant');
      assert.equal(page.value.total, want.length);
      assert.ok(page.value.items.every((d, i, all) => i === 0 || all[i - 1]!.lastCheckIn >= d.lastCheckIn));
      const filters = await c.api.deviceFilters();
      assert.deepEqual(filters.ok && filters.value, { platforms: ['Android', 'iOS', 'Linux', 'macOS', 'Windows'] });

      const cancel = await c.api.cancelSync();
      assert.deepEqual(cancel, ok({ cancelled: false }));
    } finally {
      c.close();
    }
  });

  it('sign-out stops the interval and cancels the running sync', async () => {
    const directory = fakeDirectory(generateDevices(50));
    const c = consoleWith(directory, { signedIn: true });
    try {
      c.sync.signedIn();
      await c.api.syncDevices();
      assert.equal(c.timer.live().length, 1);
      const held = stall(directory);
      const running = c.api.syncDevices();
      await held.arrived;
      const out = c.api.signOut();
      assert.deepEqual(await out, ok(null));
      held.release();
      const result = await running;
      assert.ok(result.ok && result.value.cancelled);
      assert.equal(c.timer.live().length, 0);
    } finally {
      c.close();
    }
  });

  it('cancelSync answers whether a sync was running, and the sync answers cancelled', async () => {
    const directory = fakeDirectory(generateDevices(50));
    const c = consoleWith(directory, { signedIn: true });
    try {
      const held = stall(directory);
      const running = c.api.syncDevices();
      await held.arrived;
      assert.deepEqual(await c.api.cancelSync(), ok({ cancelled: true }));
      const result = await running;
      held.release();
      assert.ok(result.ok && result.value.cancelled);
    } finally {
      c.close();
    }
  });

  it('someone who may not help is told so (permission-missing), and the renderer hears the sync failed', async () => {
    const c = consoleWith(fakeDirectory([]), { signedIn: true });
    try {
      relay.override = (_req, res) => {
        res.writeHead(403, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code: 'permission-missing', message: 'no' } }));
        return true;
      };
      const result = await c.api.syncDevices();
      assert.equal(!result.ok && result.error.code, 'permission-missing');
      assert.equal(progressOf(c.events).at(-1)?.error, 'permission-missing');
    } finally {
      c.close();
    }
  });

  it('deviceSessions forwards to the relay with the user\'s token; not signed in, unknown device and refusals as codes', async () => {
    const sessions: DeviceSession[] = [{ sessionId: 's1', helperName: 'Ana', helperUpn: 'ana@contoso.example', startedAt: '2026-04-01T10:00:00.000Z', endedAt: null, outcome: 'ended' }];
    relay.sessions.set('dev-0000001', sessions);
    const out = consoleWith(fakeDirectory([]));
    try {
      const refused = await out.api.deviceSessions({ id: 'dev-0000001' });
      assert.equal(!refused.ok && refused.error.code, 'unauthenticated');
    } finally {
      out.close();
    }
    const c = consoleWith(fakeDirectory([]), { signedIn: true });
    try {
      assert.deepEqual(await c.api.deviceSessions({ id: 'dev-0000001' }), ok(sessions));
      assert.equal(relay.seen.at(-1)?.auth, 'Bearer tok-123');
      const missing = await c.api.deviceSessions({ id: 'gone' });
      assert.equal(!missing.ok && missing.error.code, 'not-found');
      relay.override = (_req, res) => {
        res.writeHead(403, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code: 'out-of-scope', message: 'no' } }));
        return true;
      };
      const scoped = await c.api.deviceSessions({ id: 'dev-0000001' });
      assert.equal(!scoped.ok && scoped.error.code, 'out-of-scope');
    } finally {
      c.close();
    }
  });

  it('getStatus tells the renderer when the inventory file was unusable and where it went', async () => {
    const file = join(dir, 'inventory.db');
    writeFileSync(file, 'not a database');
    const c = consoleWith(fakeDirectory([]), { inventoryFile: file });
    try {
      const status = await c.api.getStatus();
      assert.ok(status.ok);
      assert.equal(status.value.inventoryNotice?.code, 'inventory-recovered');
      assert.equal(status.value.inventoryNotice?.reason, 'not-sqlite');
      assert.match(status.value.inventoryNotice?.movedTo ?? '', /inventory\.db\.corrupt-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\.\d{3}Z$/);
      assert.equal(c.logged.length, 1);
    } finally {
      c.close();
    }
    const fine = consoleWith(fakeDirectory([]), { inventoryFile: file });
    try {
      const status = await fine.api.getStatus();
      assert.ok(status.ok && !('inventoryNotice' in status.value));
    } finally {
      fine.close();
    }
  });
});
