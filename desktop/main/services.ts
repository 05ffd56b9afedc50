// Builds desktop main's services from config; shared by both composition roots (Electron, console host).
// The shell supplies only what differs: how the sign-in page is opened and how tokens are protected.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DesktopApi } from '#protocol';
import { createAuthService, type AuthService, type OpenBrowser } from './auth/auth-service.js';
import type { TokenProtector } from './auth/token-protector.js';
import type { ConsoleConfig } from './config.js';
import { createDesktopApi } from './desktop-api.js';
import { createEventHub, type EventHub } from './event-hub.js';
import { directoryPageSource } from './directory-client.js';
import { openInventory, type Inventory } from './inventory/inventory.js';
import { createSyncService, type Every, type SyncService } from './inventory/sync-service.js';
import { createHttpsClient } from './net/https-client.js';
import { createDispatcher, type Dispatch, type DispatchLog } from './register-api.js';
import { createRelayLink, type RelayLink } from './relay-link.js';
import { ensurePrivateDir, tightenTree } from './private-files.js';

export interface ConsoleServices {
  api: DesktopApi;
  dispatch: Dispatch;
  events: EventHub;
  auth: AuthService;
  inventory: Inventory;
  sync: SyncService;
  relay: RelayLink;
  close(): Promise<void>;
}

export interface ShellParts {
  shell: 'electron' | 'console-host';
  protector: TokenProtector;
  openBrowser: OpenBrowser;
  log: DispatchLog;
  /** The sync interval's timer (tests step it by hand); setInterval by default. */
  every?: Every;
  /** The operating system's preferred languages (Electron), for the console's first choice of language. */
  systemLanguages?: readonly string[];
}

export async function createConsoleServices(config: ConsoleConfig, parts: ShellParts): Promise<ConsoleServices> {
  let caPem: string | undefined;
  if (config.caCertPath) {
    try {
      caPem = readFileSync(config.caCertPath, 'utf8');
    } catch (e) {
      throw new Error(`RH_CA_CERT: cannot read ${config.caCertPath} (${(e as Error).message})`);
    }
  }
  const http = createHttpsClient(caPem);
  const events = createEventHub();
  // Owner-only data (private-files.ts): a folder an earlier version left readable is tightened now.
  ensurePrivateDir(config.dataDir);
  const tightened = tightenTree(config.dataDir);
  if (tightened.length > 0) parts.log.error('console data folder was readable by others: tightened to owner-only', { dataDir: config.dataDir, paths: tightened.slice(0, 20) });
  const inventory = openInventory(join(config.dataDir, 'inventory.db'), { log: parts.log });
  const auth = createAuthService({ relayUrl: config.relayUrl, dataDir: config.dataDir, http, protector: parts.protector, openBrowser: parts.openBrowser });
  const relay = createRelayLink({
    relayUrl: config.relayUrl, ca: http.ca, accessToken: () => auth.accessToken(), emit: events.emit,
    // The console's status line says the service is busy while main waits to ask again.
    onOverloaded: () => events.emit({ type: 'relay:overloaded', payload: { waiting: true } }),
    onOverloadOver: () => events.emit({ type: 'relay:overloaded', payload: { waiting: false } }),
  });
  const sync = createSyncService({
    inventory,
    account: () => {
      const a = auth.account();
      return a ? { tenantId: a.tenantId, upn: a.upn } : null;
    },
    pageSource: async () => {
      const token = await auth.accessToken();
      return token ? directoryPageSource(http, config.relayUrl, token) : null;
    },
    emit: events.emit,
    intervalMinutes: config.syncIntervalMinutes,
    ...(parts.every ? { every: parts.every } : {}),
    log: parts.log,
  });
  const api = createDesktopApi({
    shell: parts.shell, relayUrl: config.relayUrl, http, auth, inventory, sync, relay,
    ...(parts.systemLanguages ? { systemLanguages: parts.systemLanguages } : {}),
  });
  const dispatch = createDispatcher(api, parts.log);

  await auth.restore();
  if (auth.account()) {
    relay.connect();
    // A restored sign-in syncs as a new one does: whatever changed while the console was closed.
    sync.signedIn();
  }

  return {
    api, dispatch, events, auth, inventory, sync, relay,
    async close() {
      await sync.signedOut();
      relay.disconnect();
      inventory.close();
    },
  };
}
