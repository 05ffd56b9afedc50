// What the renderer knows of the inventory's sync, from main's events since the page loaded: whether one
// runs now (and how far it is), when the last one finished, how the last one ended. The console app makes
// one at start, before anyone signs in, so a sync main starts at sign-in is seen from its first event
// even if it ends before the device list is on screen.
import type { SyncProgress } from '#protocol';
import { onSyncProgress, type DesktopClient } from '../api-client.js';

export interface SyncSnapshot {
  /** The sync running now, as far as main said. */
  running: SyncProgress | undefined;
  /** When the last sync that ran to the end finished (as this page saw it). */
  lastSyncedAt: string | undefined;
  /** How the last sync ended. */
  lastEnded: SyncProgress | undefined;
}

export interface SyncTracker {
  snapshot(): SyncSnapshot;
  /** Every event from now on; returns the unsubscribe function. */
  subscribe(listener: (progress: SyncProgress) => void): () => void;
  /** A Sync that this page asked for ended with main's answer: its time is the exact one. */
  syncedAt(iso: string): void;
  close(): void;
}

export function trackSync(client: DesktopClient): SyncTracker {
  let state: SyncSnapshot = { running: undefined, lastSyncedAt: undefined, lastEnded: undefined };
  const listeners = new Set<(p: SyncProgress) => void>();
  const unsubscribe = onSyncProgress(client, (p) => {
    state = p.state === 'syncing'
      ? { ...state, running: p }
      : { running: undefined, lastEnded: p, lastSyncedAt: p.state === 'done' ? new Date().toISOString() : state.lastSyncedAt };
    for (const l of [...listeners]) l(p);
  });
  return {
    snapshot: () => state,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    syncedAt(iso) {
      state = { ...state, lastSyncedAt: iso };
    },
    close: unsubscribe,
  };
}
