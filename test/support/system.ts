// The whole system for an end-to-end test or a benchmark, on free ports in a temp folder: the real
// relay (startRelay: HTTPS with its local CA, the embedded provider, the demo tenants, the built web
// pages) and the console host pointed at it, trusting that CA. Same parts as `npm start`, in-process
// so a test reads the relay's log and nothing outlives stop().
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig as loadConsoleConfig } from '#desktop/main/config.js';
import { startConsole, type RunningConsole } from '#desktop/main/console-host/start-console.js';
import { loadConfig } from '#relay/config.js';
import { startRelay } from '#relay/start-relay.js';
import { createDirectory, seedDemoTenants } from '#relay/directory/index.js';
import { createMemoryLog } from '#relay/log.js';
import { systemClock } from '#relay/ports.js';

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
  dataDir: string;
  /** Every line the relay logged, as written (JSON). */
  relayLog: string[];
  stop(): Promise<void>;
}

export interface SystemOptions {
  /** Start the console host too (default true). */
  console?: boolean;
  /** Extra relay settings (RH_* variables), e.g. a short ping interval. */
  relayEnv?: Record<string, string>;
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
      ...opts.relayEnv,
    });
    const directory = createDirectory({ dataDir: config.dataDir });
    stops.push({ what: 'directory', stop: async () => directory.close() });
    await seedDemoTenants(directory);
    const log = createMemoryLog();
    const relay = await startRelay({ config, directory, log, clock: systemClock });
    stops.push({ what: 'relay', stop: () => relay.close() });
    const relayUrl = relay.url.replace(/\/+$/, '');
    const caCertPath = relay.caCertPath;
    if (!caCertPath) throw new Error('the test system serves the local CA\'s certificate');

    let consoleUrl = '';
    if (opts.console !== false) {
      const running: RunningConsole = await startConsole({
        config: loadConsoleConfig({
          RH_RELAY_URL: relayUrl,
          RH_CA_CERT: caCertPath,
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
      dataDir,
      relayLog: log.lines,
      stop,
    };
  } catch (e) {
    await stop();
    throw e;
  }
}
