// An Entra tenant's devices from Intune: Microsoft Graph's managedDevices (v1.0, app-only), paged through
// @odata.nextLink, written to the directory as the device contract says (intune-devices.ts), with the
// compliance Intune computed.
//   list      https://learn.microsoft.com/graph/api/intune-devices-manageddevice-list?view=graph-rest-1.0
//   paging    https://learn.microsoft.com/graph/paging
//   throttle  https://learn.microsoft.com/graph/throttling (429/503/504 waited out in graph-request.ts)
//
// Why a listing and not delta: Graph documents a delta function for many resources
// (https://learn.microsoft.com/graph/delta-query-overview#supported-resources) — managedDevice is not one
// of them, in v1.0 or in beta (the `devices` delta there is Entra's device objects, which carry no
// Intune compliance). Nor does managedDevice have a last-modified time to filter on, and lastSyncDateTime
// does not move when an administrator renames a device, Intune re-evaluates compliance (a grace period
// ending) or the device is deleted. So each sync lists every device, with a narrow $select and the
// largest page, and compares it with what the directory holds:
//   - only devices whose fields changed are written (updatedAt = the relay's clock), page by page, so the
//     consoles' delta sync fetches just those, and a sync cut short keeps what it wrote;
//   - a device the directory holds and a complete listing lacks is removed (a tombstone the consoles'
//     delta turns into a removal) — after a second, ids-only listing confirms it is gone: paging may skip
//     a device while others are deleted ($skip paging), and a device must not vanish for that;
//   - the sync state (device_sync_state, 'intune') records the last complete listing, so a restarted relay
//     waits out the interval instead of listing again at once. There is no delta link to keep: the
//     directory's own rows are the state the next listing is compared with, and they survive a restart.
// A listing that fails part way (Graph down, throttled beyond its Retry-After, a malformed page) removes
// nothing and leaves the state as it was; the next sync starts over from the first page.
import { z } from 'zod';
import { fail, ok, type Ack, type Device } from '#protocol';
import type { DirectoryStore } from '../../directory/index.js';
import type { Clock, Log } from '../../ports.js';
import type { GraphGet } from './graph-request.js';
import { deviceFrom, duplicateNames, intuneDeviceId, isNameOf, managedDevice, managedDeviceSelect, sameDevice } from './intune-devices.js';

export type IntuneDirectory = Pick<DirectoryStore, 'device' | 'devicesById' | 'deviceNameOwners' | 'upsertDevices' | 'removeDevices' | 'deviceIds' | 'deviceSyncState' | 'setDeviceSyncState'>;

export interface IntuneSyncDeps {
  /** The Remote Help tenant the devices belong to. */
  tenantId: string;
  /** e.g. https://graph.microsoft.com (no trailing slash needed). */
  graphUrl: string;
  /** Graph GETs with the relay's app-only token (graph-request.ts: retries 429/503/504 after Retry-After). */
  get: GraphGet;
  directory: IntuneDirectory;
  clock: Clock;
  log: Log;
  /** $top of each page (default 999). */
  pageSize?: number;
}

/** What device_sync_state holds for 'intune': the last complete listing. */
export interface IntuneSyncState {
  version: 1;
  /** When the last complete listing ended (ISO 8601). */
  completedAt: string;
  /** How many devices it listed. */
  devices: number;
}

export interface IntuneSyncResult {
  /** Devices Intune listed. */
  listed: number;
  /** Pages read, the confirming ids-only listing's included. */
  pages: number;
  /** Devices added or changed in the directory. */
  written: number;
  unchanged: number;
  removed: number;
  /** Items of a page that did not have a managedDevice's shape (skipped, logged). */
  skipped: number;
  durationMs: number;
}

export interface IntuneSync {
  readonly tenantId: string;
  /** One sync; a call while one runs waits for that one. Never throws: a failure is an Ack. */
  run(signal?: AbortSignal): Promise<Ack<IntuneSyncResult>>;
  state(): Promise<IntuneSyncState | undefined>;
}

const page = z.object({ value: z.array(z.unknown()), '@odata.nextLink': z.string().optional() });
const idsPage = z.object({ value: z.array(z.object({ id: z.string() }).loose()), '@odata.nextLink': z.string().optional() });
const syncState = z.object({ version: z.literal(1), completedAt: z.string(), devices: z.number() });
/** Beyond any tenant: 1,000 pages of 999 is a million devices. A server that links on forever is cut. */
const maxPages = 1000;

export function createIntuneSync(deps: IntuneSyncDeps): IntuneSync {
  const { tenantId, directory, log } = deps;
  const base = deps.graphUrl.replace(/\/+$/, '');
  const origin = new URL(base).origin;
  const top = deps.pageSize ?? 999;
  const listUrl = (select: readonly string[]) => `${base}/v1.0/deviceManagement/managedDevices?$select=${select.join(',')}&$top=${top}`;
  const iso = () => new Date(deps.clock.now()).toISOString();
  let running: Promise<Ack<IntuneSyncResult>> | undefined;

  /** Every page of a listing, one at a time; stops at the first failure (the caller keeps what it did). */
  async function eachPage<T>(first: string, schema: z.ZodType<{ value: T[]; '@odata.nextLink'?: string | undefined }>, signal: AbortSignal | undefined,
    use: (items: T[]) => void | Promise<void>): Promise<Ack<number>> {
    let url: string | undefined = first;
    let pages = 0;
    while (url) {
      if (pages >= maxPages) return failed('more pages than the relay reads', { pages });
      const res = await deps.get(url, signal);
      if (!res.ok) return res;
      if (res.value.status === 404) return failed('Graph answered 404 for the managed devices (is Intune licensed for the tenant?)', {});
      let json: unknown;
      try {
        json = JSON.parse(res.value.body.toString('utf8'));
      } catch {
        return failed('a page that is not JSON', { page: pages });
      }
      const parsed = schema.safeParse(json);
      if (!parsed.success) return failed('a page of an unexpected shape', { page: pages, issues: parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.')}: ${i.message}`) });
      pages++;
      await use(parsed.data.value);
      const next: string | undefined = parsed.data['@odata.nextLink'];
      // Followed as given (the paging page's rule), but only to Graph: the link carries the relay's token.
      if (next !== undefined && !sameOrigin(next, origin)) return failed('a nextLink to another host was not followed', {});
      if (next === url) return failed('a nextLink to the same page', { page: pages });
      url = next;
    }
    return ok(pages);
  }

  function failed(why: string, fields: Record<string, unknown>): Ack<never> {
    log.error(`intune: ${why}`, { tenantId, ...fields });
    return fail('internal', 'Microsoft Graph sent a managed device listing the relay cannot read.');
  }

  /** The name a device gets: its Intune name when free, else one that tells it apart (serial number,
   * then the Intune id's start); a name the sync gave it before stays while Intune's name is the same. */
  function nameFor(d: Device, stored: Device | undefined, claimed: Map<string, string>, owners: ReadonlyMap<string, string>): string {
    if (stored && isNameOf(stored.name, d)) {
      const owner = claimed.get(stored.name.toLowerCase());
      if (owner === undefined || owner === d.id) return stored.name;
    }
    const free = (name: string) => {
      const owner = claimed.get(name.toLowerCase()) ?? owners.get(name.toLowerCase());
      return owner === undefined || owner === d.id;
    };
    for (const name of [d.name, ...duplicateNames(d)]) if (free(name)) return name;
    // All taken (a stale record with the same name and serial): the directory appends a counter.
    return duplicateNames(d).at(-1)!;
  }

  async function sync(signal: AbortSignal | undefined): Promise<Ack<IntuneSyncResult>> {
    const started = performance.now();
    const seen = new Set<string>();
    let written = 0;
    let unchanged = 0;
    let skipped = 0;
    const listed = await eachPage(listUrl(managedDeviceSelect), page, signal, async (items) => {
      const at = iso();
      const mappedPage: Device[] = [];
      for (const item of items) {
        const md = managedDevice.safeParse(item);
        if (!md.success) {
          skipped++;
          continue;
        }
        const mapped = deviceFrom(tenantId, md.data, at);
        // A device listed twice (paging while devices change) is taken once.
        if (seen.has(mapped.id)) continue;
        seen.add(mapped.id);
        mappedPage.push(mapped);
      }
      // One read of the page's stored devices and one of the names it may take, not one per device.
      const storedById = await directory.devicesById(tenantId, mappedPage.map((d) => d.id));
      const changed = mappedPage.filter((d) => {
        const stored = storedById.get(d.id);
        return !(stored && sameDevice(stored, d));
      });
      unchanged += mappedPage.length - changed.length;
      const owners = changed.length ? await directory.deviceNameOwners(tenantId, changed.flatMap((d) => [d.name, ...duplicateNames(d)])) : new Map<string, string>();
      const writes: Device[] = [];
      // Names given on this page, so two new devices of one name on one page are told apart too.
      const claimed = new Map<string, string>();
      for (const mapped of changed) {
        const name = nameFor(mapped, storedById.get(mapped.id), claimed, owners);
        claimed.set(name.toLowerCase(), mapped.id);
        writes.push({ ...mapped, name });
      }
      // A name taken between the read and the write is renamed by the directory (renameOnConflict).
      if (writes.length) await directory.upsertDevices(writes, { renameOnConflict: true });
      written += writes.length;
    });
    if (skipped) log.warn('intune: managed devices of an unexpected shape were skipped', { tenantId, skipped });
    if (!listed.ok) {
      if (signal?.aborted) return listed; // the relay is closing: nothing to report
      log.warn('intune: device sync stopped part way; what it wrote stays, nothing is removed, the next sync starts over', {
        tenantId, written, code: listed.error.code, error: listed.error.message,
      });
      return listed;
    }
    let pages = listed.value;
    let removed = 0;
    const missing = (await directory.deviceIds(tenantId, 'intune')).filter((id) => !seen.has(id));
    if (missing.length) {
      // Confirmed by a second listing of ids alone: gone is what neither listing has.
      const again = new Set<string>();
      const confirmed = await eachPage(listUrl(['id']), idsPage, signal, (items) => {
        for (const item of items) again.add(intuneDeviceId(item.id));
      });
      if (!confirmed.ok) {
        log.warn('intune: removals not confirmed; they wait for the next sync', { tenantId, missing: missing.length, error: confirmed.error.message });
        return confirmed;
      }
      pages += confirmed.value;
      const gone = missing.filter((id) => !again.has(id));
      removed = gone.length ? await directory.removeDevices(tenantId, gone, iso()) : 0;
    }
    const state: IntuneSyncState = { version: 1, completedAt: iso(), devices: seen.size };
    await directory.setDeviceSyncState(tenantId, 'intune', state);
    const result: IntuneSyncResult = { listed: seen.size, pages, written, unchanged, removed, skipped, durationMs: Math.round(performance.now() - started) };
    log.info('intune: devices synced', { tenantId, ...result });
    return ok(result);
  }

  return {
    tenantId,
    run(signal) {
      running ??= sync(signal)
        .catch((error: unknown) => {
          log.error('intune: device sync failed', { tenantId, error });
          return fail<IntuneSyncResult>('internal', 'The Intune device sync failed.');
        })
        .finally(() => {
          running = undefined;
        });
      return running;
    },
    async state() {
      const parsed = syncState.safeParse(await directory.deviceSyncState(tenantId, 'intune'));
      return parsed.success ? parsed.data : undefined;
    },
  };
}

export interface IntuneScheduleOptions {
  syncs: readonly { sync: IntuneSync; intervalMs: number }[];
  clock: Clock;
  log: Log;
  /** Before the first sync of a tenant that has never completed one (default 1 s: the relay finishes starting). */
  firstDelayMs?: number;
  /** After a failed sync, the first retry (doubling up to the interval; default 1 minute). */
  retryAfterMs?: number;
}

export interface IntuneSchedule {
  /** Stops the timers, aborts a sync under way and waits for it to end. */
  stop(): Promise<void>;
}

/** Each tenant's sync every intervalMs, the first one when the last complete listing (kept across
 * restarts) is that old; a failure is retried sooner, backing off to the interval. */
export function startIntuneSchedule(opts: IntuneScheduleOptions): IntuneSchedule {
  const stopping = new AbortController();
  const timers = new Set<NodeJS.Timeout>();
  const inFlight = new Set<Promise<unknown>>();
  const firstDelayMs = opts.firstDelayMs ?? 1000;
  const retryAfterMs = opts.retryAfterMs ?? 60_000;

  const later = (ms: number, fn: () => void) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      fn();
    }, Math.max(0, ms));
    timer.unref();
    timers.add(timer);
  };

  for (const { sync, intervalMs } of opts.syncs) {
    let failures = 0;
    const tick = (): void => {
      if (stopping.signal.aborted) return;
      const done = sync.run(stopping.signal).then((result) => {
        if (stopping.signal.aborted) return;
        if (result.ok) {
          failures = 0;
          later(intervalMs, tick);
        } else {
          failures++;
          const wait = Math.min(intervalMs, retryAfterMs * 2 ** (failures - 1));
          opts.log.warn('intune: device sync failed; tried again later', { tenantId: sync.tenantId, inSeconds: Math.round(wait / 1000), failures, errorCode: result.error.code, error: result.error.message });
          later(wait, tick);
        }
      });
      inFlight.add(done);
      void done.finally(() => inFlight.delete(done));
    };
    // The first sync waits on the last one's time, read from the directory; a stop meanwhile schedules nothing.
    const first = sync.state().then((last) => {
      if (stopping.signal.aborted) return;
      const since = last ? opts.clock.now() - Date.parse(last.completedAt) : Infinity;
      later(Number.isFinite(since) ? Math.min(intervalMs, Math.max(firstDelayMs, intervalMs - since)) : firstDelayMs, tick);
    }, (error: unknown) => {
      opts.log.error('intune: the last sync\'s state could not be read; syncing soon', { tenantId: sync.tenantId, error });
      if (!stopping.signal.aborted) later(firstDelayMs, tick);
    });
    inFlight.add(first);
    void first.finally(() => inFlight.delete(first));
  }

  return {
    async stop() {
      stopping.abort();
      for (const t of timers) clearTimeout(t);
      timers.clear();
      await Promise.all([...inFlight]);
    },
  };
}

function sameOrigin(url: string, origin: string): boolean {
  try {
    return new URL(url).origin === origin;
  } catch {
    return false;
  }
}
