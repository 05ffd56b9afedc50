// When the inventory syncs, and what the console hears of it: after a sign-in (and a sign-in restored at
// start), every N minutes while signed in, and on the Sync button. One sync at a time (asking again joins
// the running one); cancel stops it after the page being applied; sign-out stops the timer and cancels.
// Progress goes to the renderer as DesktopEvent 'inventory:sync', at most ten a second, and once at the end.
import { fail, ok, type Ack, type DesktopEvent, type ErrorCode, type SyncProgress, type SyncResult } from '#protocol';
import { directoryFailure } from '../directory-client.js';
import { InventoryError, type Inventory, type PageSource } from './inventory.js';

export type SyncTrigger = SyncProgress['trigger'];

/** Runs `fn` every `ms` until the returned function is called (injected: tests step time by hand). */
export type Every = (ms: number, fn: () => void) => () => void;

export const systemEvery: Every = (ms, fn) => {
  const timer = setInterval(fn, ms);
  // A timer alone does not keep the process alive (tests, and the console host on its way out).
  timer.unref();
  return () => clearInterval(timer);
};

export interface SyncServiceDeps {
  inventory: Inventory;
  /** The signed-in tenant and account, or null. */
  account: () => { tenantId: string; upn: string } | null;
  /** The relay's pages for the signed-in user; null when no token can be had (sign-in expired). */
  pageSource: () => Promise<PageSource | null>;
  emit: (event: DesktopEvent) => void;
  /** Minutes between syncs while signed in; 0 = only at sign-in and on Sync. */
  intervalMinutes: number;
  every?: Every;
  /** Milliseconds, for the progress throttle. */
  clock?: () => number;
  pageSize?: number;
  log: { error(msg: string, fields?: Record<string, unknown>): void };
}

export interface SyncService {
  /** Syncs now, or joins the sync that is running. Never throws: a failure is an Ack. */
  run(trigger: SyncTrigger): Promise<Ack<SyncResult>>;
  /** Stops the running sync after its current page; false when none runs. */
  cancel(): boolean;
  /** Someone signed in (or was restored at start): sync now, then on the interval. */
  signedIn(): void;
  /** Stops the interval and the running sync, and waits for it to end. */
  signedOut(): Promise<void>;
  readonly running: boolean;
}

/** At most one progress event per this many ms while a sync runs (the final one always goes). */
export const progressIntervalMs = 100;

function errorOf(e: unknown): { code: ErrorCode; message: string } | null {
  return e instanceof InventoryError ? { code: e.code, message: e.message } : directoryFailure(e);
}

export function createSyncService(deps: SyncServiceDeps): SyncService {
  const clock = deps.clock ?? (() => performance.now());
  const every = deps.every ?? systemEvery;
  let current: { promise: Promise<Ack<SyncResult>>; controller: AbortController } | null = null;
  let stopInterval: (() => void) | null = null;

  async function sync(trigger: SyncTrigger, controller: AbortController): Promise<Ack<SyncResult>> {
    const who = deps.account();
    if (!who) return fail('unauthenticated', 'not signed in');
    let lastEmit = -Infinity;
    let last: Omit<SyncProgress, 'state' | 'trigger'> = { received: 0, expected: null, total: 0 };
    const emit = (state: SyncProgress['state'], error?: ErrorCode) =>
      deps.emit({ type: 'inventory:sync', payload: { state, trigger, ...last, ...(error ? { error } : {}) } });
    emit('syncing');
    try {
      const source = await deps.pageSource();
      if (!source) {
        emit('failed', 'unauthenticated');
        return fail('unauthenticated', 'the sign-in has expired');
      }
      const result = await deps.inventory.sync({
        tenantId: who.tenantId,
        account: who.upn,
        source,
        signal: controller.signal,
        ...(deps.pageSize ? { pageSize: deps.pageSize } : {}),
        onPage: ({ received, expected, total }) => {
          last = { received, expected, total };
          const t = clock();
          if (t - lastEmit < progressIntervalMs) return;
          lastEmit = t;
          emit('syncing');
        },
      });
      last = { ...last, total: result.total };
      emit(result.cancelled ? 'cancelled' : 'done');
      return ok(result);
    } catch (e) {
      const known = errorOf(e);
      if (!known) deps.log.error('inventory sync failed', { trigger, error: (e as Error)?.stack ?? String(e) });
      emit('failed', known?.code ?? 'internal');
      return known ? fail(known.code, known.message) : fail('internal', 'internal error');
    }
  }

  const service: SyncService = {
    get running() {
      return current !== null;
    },
    run(trigger) {
      if (current) return current.promise;
      const controller = new AbortController();
      const promise = sync(trigger, controller).finally(() => {
        if (current?.promise === promise) current = null;
      });
      current = { promise, controller };
      return promise;
    },
    cancel() {
      if (!current || current.controller.signal.aborted) return false;
      current.controller.abort();
      return true;
    },
    signedIn() {
      stopInterval?.();
      stopInterval = deps.intervalMinutes > 0 ? every(deps.intervalMinutes * 60_000, () => void service.run('interval')) : null;
      void service.run('sign-in');
    },
    async signedOut() {
      stopInterval?.();
      stopInterval = null;
      const running = current;
      if (!running) return;
      running.controller.abort();
      await running.promise;
    },
  };
  return service;
}
