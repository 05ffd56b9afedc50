// What the device list and device view tests share: a real relay whose demo tenant is filled the way an
// operator fills it (npm run demo:devices), the console host with the real main services pointed at it,
// Chromium signed in through the provider page; what the list shows, read by its accessible names; and a
// gate on the relay's device pages, to hold a sync half-way as a slow network would.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import type { Device, DeviceSortKey } from '#protocol';
import { demoTenants, type DirectoryStore } from '#relay/directory/index.js';
import type { Relay } from '#relay/start-relay.js';
import { launchBrowser, newPerson } from '../../support/browser.js';
import { startTestConsole, type TestConsole } from '../../support/console.js';
import { demo, startTestRelay, type TestRelay } from '../../support/relay.js';
import { exited, spawnTsx } from '../../support/relay-process.js';
import { signInOnConsole } from '../../support/sign-in-page.js';

export const contoso = demoTenants.contoso.id;

/** `npm run demo:devices -- --count N` into the relay's data folder, as an operator runs it. */
export async function fillDemoDevices(relayDataDir: string, count: number): Promise<void> {
  const run = await exited(spawnTsx('scripts/demo-devices.ts', ['--count', String(count)], { RH_DATA_DIR: relayDataDir }));
  assert.equal(run.code, 0, `demo:devices --count ${count}: ${run.stderr}`);
}

/** Every device of a tenant in the relay's directory: what the console's inventory is filled from. */
export async function tenantDevices(directory: DirectoryStore, tenantId: string = contoso): Promise<Device[]> {
  const all: Device[] = [];
  let after: Parameters<DirectoryStore['devicesChangedSince']>[1];
  for (;;) {
    const page = await directory.devicesChangedSince(tenantId, after, 5000);
    all.push(...page.devices);
    if (!page.more || !page.last) return all;
    after = page.last;
  }
}

export interface DeviceConsole {
  relay: TestRelay;
  host: TestConsole;
  browser: Browser;
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

/**
 * The relay (its demo tenant prepared by `prepare`, before anyone signs in), the console host, and a
 * helper signed in at a 1366 × 900 window. Resolves once main's sign-in sync has filled the list.
 */
export async function startDeviceConsole(prepare: (relay: TestRelay) => Promise<void> | void): Promise<DeviceConsole> {
  const relay = await startTestRelay();
  const parts: Partial<DeviceConsole> = { relay };
  const close = async () => {
    await parts.browser?.close().catch(() => undefined);
    await parts.host?.close().catch(() => undefined);
    await relay.stop();
  };
  try {
    await prepare(relay);
    const caCertPath = join(relay.dataDir, 'test-ca.pem');
    await writeFile(caCertPath, relay.caPem);
    parts.host = await startTestConsole({ relayUrl: relay.url.replace(/\/+$/, ''), caCertPath });
    parts.browser = await launchBrowser();
    parts.context = await newPerson(parts.browser);
    parts.page = await parts.context.newPage();
    await parts.page.setViewportSize({ width: 1366, height: 900 });
    await parts.page.goto(parts.host.url);
    await signInOnConsole(parts.page, demo.contosoHelper);
    await parts.page.getByRole('button', { name: 'Sign out' }).waitFor();
    await countShown(parts.page, (await tenantDevices(relay.directory)).length, 90_000);
    return { ...(parts as Required<typeof parts>), close };
  } catch (e) {
    await close();
    throw e;
  }
}

export const devicesGrid = (page: Page): Locator => page.getByRole('grid', { name: 'All devices' });

/** "10,000 devices", as the list says it (English grouping). */
export function countText(n: number): string {
  return n === 1 ? '1 device' : `${n.toLocaleString('en-US')} devices`;
}

export async function countShown(page: Page, n: number, timeout = 15_000): Promise<void> {
  await page.getByText(countText(n), { exact: true }).waitFor({ timeout });
}

/** The device names of the rows in the page (the ones in view and a few either side), in order. */
export async function renderedNames(page: Page): Promise<string[]> {
  return devicesGrid(page).getByRole('link').allInnerTexts();
}

export const columnLabels: Record<DeviceSortKey, string> = {
  name: 'Device name',
  managedBy: 'Managed by',
  ownership: 'Ownership',
  compliance: 'Compliance',
  platform: 'OS',
  osVersion: 'OS version',
  primaryUser: 'Primary user UPN',
  lastCheckIn: 'Last check-in',
};

export const columnHeader = (page: Page, key: DeviceSortKey): Locator =>
  devicesGrid(page).getByRole('columnheader', { name: columnLabels[key], exact: true });

/** OS versions order by their numbers ("9.1" before "10.0"): each run of digits padded. */
const versionKey = (v: string): string => v.toLowerCase().replace(/\d+/g, (digits) => digits.replace(/^0+(?=\d)/, '').padStart(10, '0'));

/** The value a column sorts by, compared as text without case (ISO times order as text; the source,
 * ownership and compliance by their stored value). */
export const sortValue = (d: Device, key: DeviceSortKey): string => (key === 'osVersion' ? versionKey(d.osVersion) : String(d[key]).toLowerCase());

/**
 * Waits until the rows in the page are the first rows of `key` in `direction`: each one's value in
 * order against its neighbours', and the first one's value the data's first. Fails with what it saw.
 */
export async function expectSortedBy(page: Page, byName: Map<string, Device>, key: DeviceSortKey, direction: 'asc' | 'desc'): Promise<void> {
  const values = [...byName.values()].map((d) => sortValue(d, key)).sort();
  const first = direction === 'asc' ? values[0] : values.at(-1);
  const deadline = Date.now() + 15_000;
  let seen: string[] = [];
  for (;;) {
    const names = await renderedNames(page);
    seen = names.map((n) => {
      const d = byName.get(n);
      return d ? sortValue(d, key) : `?${n}`;
    });
    const ordered = seen.length > 5 && seen.every((v, i) => i === 0 || (direction === 'asc' ? seen[i - 1]! <= v : seen[i - 1]! >= v));
    if (ordered && seen[0] === first) return;
    if (Date.now() > deadline) {
      assert.fail(`rows not sorted by ${key} ${direction}: expected the first value ${first}, saw ${JSON.stringify(seen.slice(0, 12))}`);
    }
    await page.waitForTimeout(50);
  }
}

/** Holds the relay's device pages (GET /api/devices) after the first `pass` of them, until released:
 * a sync stops half-way, as over a slow network, with its progress on screen. */
export interface DevicePagesGate {
  hold(pass: number): void;
  /** Lets every held request (and all after it) through. */
  release(): void;
  /** How many device pages were asked for since hold(). */
  asked(): number;
  /** Resolves once a request is being held. */
  holding(): Promise<void>;
}

export function gateDevicePages(relay: Relay): DevicePagesGate {
  type Listener = (req: IncomingMessage, res: ServerResponse) => void;
  const server = relay.io.httpServer;
  const original = server.listeners('request') as Listener[];
  server.removeAllListeners('request');
  let limit = Infinity;
  let asked = 0;
  let held: (() => void)[] = [];
  let onHeld: (() => void) | undefined;
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const pass = () => { for (const l of original) l.call(server, req, res); };
    if (new URL(req.url ?? '/', 'https://relay').pathname === '/api/devices') {
      asked++;
      if (asked > limit) {
        held.push(pass);
        onHeld?.();
        return;
      }
    }
    pass();
  });
  return {
    hold(pass) {
      limit = pass;
      asked = 0;
    },
    release() {
      limit = Infinity;
      const waiting = held;
      held = [];
      for (const pass of waiting) pass();
    },
    asked: () => asked,
    holding: () => (held.length > 0 ? Promise.resolve() : new Promise<void>((r) => (onHeld = r))),
  };
}
