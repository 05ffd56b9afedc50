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
import { openInventory, type Inventory } from './inventory/inventory.js';
import { createHttpsClient } from './net/https-client.js';
import { createDispatcher, type Dispatch, type DispatchLog } from './register-api.js';
import { createRelayLink, type RelayLink } from './relay-link.js';

export interface ConsoleServices {
  api: DesktopApi;
  dispatch: Dispatch;
  events: EventHub;
  auth: AuthService;
  inventory: Inventory;
  relay: RelayLink;
  close(): Promise<void>;
}

export interface ShellParts {
  shell: 'electron' | 'console-host';
  protector: TokenProtector;
  openBrowser: OpenBrowser;
  log: DispatchLog;
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
  const inventory = openInventory(join(config.dataDir, 'inventory.db'));
  const auth = createAuthService({ relayUrl: config.relayUrl, dataDir: config.dataDir, http, protector: parts.protector, openBrowser: parts.openBrowser });
  const relay = createRelayLink({ relayUrl: config.relayUrl, ca: http.ca, accessToken: () => auth.accessToken(), emit: events.emit });
  const api = createDesktopApi({ shell: parts.shell, relayUrl: config.relayUrl, http, auth, inventory, relay });
  const dispatch = createDispatcher(api, parts.log);

  await auth.restore();
  if (auth.account()) relay.connect();

  return {
    api, dispatch, events, auth, inventory, relay,
    async close() {
      relay.disconnect();
      inventory.close();
    },
  };
}
