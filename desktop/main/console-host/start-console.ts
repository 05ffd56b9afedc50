// The console host's composition, callable in-process (npm start, end-to-end tests) or from main.ts.
import { fileURLToPath } from 'node:url';
import { filePermissionProtector } from '../auth/token-protector.js';
import type { ConsoleConfig } from '../config.js';
import { createConsoleServices, type ConsoleServices } from '../services.js';
import { startConsoleHost } from './host.js';

export interface RunningConsole {
  /** http://127.0.0.1:PORT/?k=SECRET */
  url: string;
  services: ConsoleServices;
  close(): Promise<void>;
}

export interface StartConsoleOptions {
  config: ConsoleConfig;
  /** dist/console by default. */
  staticDir?: string;
  log?: { error(msg: string, fields?: Record<string, unknown>): void };
}

export const defaultStaticDir = fileURLToPath(new URL('../../../dist/console/', import.meta.url));

export async function startConsole(opts: StartConsoleOptions): Promise<RunningConsole> {
  const log = opts.log ?? { error: (msg, fields) => console.error(msg, fields ?? '') };
  const services = await createConsoleServices(opts.config, {
    shell: 'console-host',
    protector: filePermissionProtector(),
    // The page opens the sign-in window itself (window.open from the user's click), so a browser
    // that the host did not start still gets it.
    openBrowser: async () => false,
    log,
  });
  const host = await startConsoleHost({
    port: opts.config.port,
    staticDir: opts.staticDir ?? defaultStaticDir,
    dispatch: services.dispatch,
    subscribe: services.events.subscribe,
    relayOrigin: new URL(opts.config.relayUrl).origin,
  });
  return {
    url: host.url,
    services,
    async close() {
      await host.close();
      await services.close();
    },
  };
}
