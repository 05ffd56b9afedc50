// The whole system for an end-to-end test or a benchmark, on free ports in a temp folder: the real
// relay (startRelay: HTTPS with its local CA, the embedded provider, the demo tenants, the built web
// pages) and the console host pointed at it, trusting that CA. Same parts as `npm start`, in-process
// so a test reads the relay's log and nothing outlives stop(). With `tenants`, the relay runs an
// organization's configuration instead of the demo (as RH_CONFIG does in main.ts): only those tenants,
// each with its identity source, and the CAs of outside providers trusted by the relay and the console.
import type { OverloadProbe } from '#relay/socket/overload.js';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig as loadConsoleConfig } from '#desktop/main/config.js';
import { startConsole, type RunningConsole } from '#desktop/main/console-host/start-console.js';
import { loadConfig } from '#relay/config.js';
import { createIdentity, type WebSignInLimits } from '#relay/identity/index.js';
import { startRelay, type IdentityOptions } from '#relay/start-relay.js';
import { applyConfiguredTenants } from '#relay/directory/configured-tenants.js';
import { createDirectory, seedDemoTenants, type DirectoryStore } from '#relay/directory/index.js';
import { createMemoryLog } from '#relay/log.js';
import type { ConfiguredTenant } from '#relay/operator-config.js';
import { systemClock } from '#relay/ports.js';
import type { RelayFaults } from '#relay/socket/faults.js';
import { inProcessCapacity } from './relay.js';

const root = resolve(fileURLToPath(new URL('../../', import.meta.url)));

export interface RunningSystem {
  /** https://localhost:PORT */
  relayUrl: string;
  /** `${relayUrl}/rhh` */
  webHelperUrl: string;
  /** `${relayUrl}/rh` */
  sharerUrl: string;
  /** http://127.0.0.1:PORT/?k=SECRET (empty when started with console: false) */
  consoleUrl: string;
  caCertPath: string;
  /** What the console trusts: the relay's CA, and the outgoingCa (the tenants' providers) after it, in one PEM file. */
  consoleCaPath: string;
  dataDir: string;
  /** The relay's directory (tenants, users, devices), open while the system runs. */
  directory: DirectoryStore;
  /** Every line the relay logged, as written (JSON). */
  relayLog: string[];
  /** Test-only relay faults (relay/src/socket/faults.ts), read at each forwarded signal: a test sets one
   * and clears it again, in the same running system. */
  faults: RelayFaults;
  stop(): Promise<void>;
}

export interface SystemOptions {
  /** Start the console host too (default true). */
  console?: boolean;
  /** Extra relay settings (RH_* variables), e.g. a short ping interval. */
  relayEnv?: Record<string, string>;
  /** An organization's tenants (RH_CONFIG's `tenants`) instead of the demo's: only these exist. */
  tenants?: ConfiguredTenant[];
  /** CAs (PEM) of outside identity providers: trusted by the relay for its outgoing calls, and by the console. */
  outgoingCa?: string[];
  /** Runs on the directory before the relay starts: users of an embedded tenant, devices. */
  prepare?: (directory: DirectoryStore) => Promise<void> | void;
  /** The limits on started web sign-ins (a benchmark signs in more often than a person would). */
  webSignInLimits?: Partial<WebSignInLimits>;
  /** Overload on demand (createForcedOverload), in place of the node's capacity. */
  overload?: OverloadProbe;
}

/** Gives up on a part that will not stop, so one stuck server cannot hang the suite. */
async function within(ms: number, what: string, p: Promise<unknown>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<void>((r) => {
    timer = setTimeout(() => { console.error(`system: ${what} did not stop within ${ms} ms`); r(); }, ms);
  });
  await Promise.race([p, late]);
  clearTimeout(timer);
}

export async function startSystem(opts: SystemOptions = {}): Promise<RunningSystem> {
  const dataDir = mkdtempSync(join(tmpdir(), 'rh-e2e-'));
  const stops: { what: string; stop: () => Promise<unknown> }[] = [];
  const stop = async (): Promise<void> => {
    for (const s of stops.reverse()) await within(10_000, s.what, s.stop().catch((e: unknown) => console.error(`system: while stopping the ${s.what}: ${String(e)}`)));
    stops.length = 0;
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const config = loadConfig({
      RH_PORT: '0',
      RH_HOST: 'localhost',
      RH_DATA_DIR: join(dataDir, 'relay'),
      RH_WEB_DIST: join(root, 'dist', 'web'),
      ...inProcessCapacity,
      ...opts.relayEnv,
    });
    const directory = createDirectory({ dataDir: config.dataDir });
    stops.push({ what: 'directory', stop: async () => directory.close() });
    // As main.ts: the organization's tenants when a configuration names them, else the demo's.
    if (opts.tenants) await applyConfiguredTenants(directory, opts.tenants);
    else await seedDemoTenants(directory);
    await opts.prepare?.(directory);
    const log = createMemoryLog();
    const outgoingCa = opts.outgoingCa ?? [];
    const faults: RelayFaults = {};
    const relay = await startRelay({
      config: { ...config, ...(opts.tenants ? { tenants: opts.tenants } : {}) }, directory, log, clock: systemClock, outgoingCa, faults,
      ...(opts.overload ? { overload: opts.overload } : {}),
      ...(opts.webSignInLimits ? { createIdentity: (o: IdentityOptions) => createIdentity({ ...o, webSignInLimits: opts.webSignInLimits! }) } : {}),
    });
    stops.push({ what: 'relay', stop: () => relay.close() });
    const relayUrl = relay.url.replace(/\/+$/, '');
    const caCertPath = relay.caCertPath;
    if (!caCertPath) throw new Error('the test system serves the local CA\'s certificate');
    // One PEM file with several certificates: what Node's `ca` (and so RH_CA_CERT) takes.
    const consoleCaPath = outgoingCa.length ? join(dataDir, 'console-ca.pem') : caCertPath;
    if (outgoingCa.length) writeFileSync(consoleCaPath, [readFileSync(caCertPath, 'utf8'), ...outgoingCa].map((p) => p.trim()).join('\n') + '\n');

    let consoleUrl = '';
    if (opts.console !== false) {
      const running: RunningConsole = await startConsole({
        config: loadConsoleConfig({
          RH_RELAY_URL: relayUrl,
          RH_CA_CERT: consoleCaPath,
          RH_CONSOLE_DATA_DIR: join(dataDir, 'console'),
          RH_CONSOLE_PORT: '0',
        }),
        staticDir: join(root, 'dist', 'console'),
      });
      stops.push({ what: 'console host', stop: () => running.close() });
      consoleUrl = running.url;
    }

    return {
      relayUrl,
      webHelperUrl: `${relayUrl}/rhh`,
      sharerUrl: `${relayUrl}/rh`,
      consoleUrl,
      caCertPath,
      consoleCaPath,
      dataDir,
      directory,
      relayLog: log.lines,
      faults,
      stop,
    };
  } catch (e) {
    await stop();
    throw e;
  }
}
