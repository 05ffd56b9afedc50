// The console host with the real main-process services, for tests: the renderer bundle built into a
// temp folder (same esbuild settings as scripts/build-web.ts), a temp data folder, and a relay URL.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '#desktop/main/config.js';
import { startConsole, type RunningConsole } from '#desktop/main/console-host/start-console.js';

const root = resolve(fileURLToPath(new URL('../../', import.meta.url)));

/** Builds desktop/renderer into `<dir>/index.html` + `<dir>/assets/app.js`, with the design system's
 * stylesheets the page links (assets/tokens.css, assets/page.css). */
export async function buildConsoleBundle(dir: string): Promise<void> {
  await build({
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: ['es2022'],
    sourcemap: false,
    logLevel: 'warning',
    entryPoints: { app: join(root, 'desktop/renderer/src/main.ts') },
    outdir: join(dir, 'assets'),
  });
  mkdirSync(dir, { recursive: true });
  copyFileSync(join(root, 'desktop/renderer/index.html'), join(dir, 'index.html'));
  for (const file of ['tokens.css', 'page.css']) copyFileSync(join(root, 'ui/src/design', file), join(dir, 'assets', file));
}

export interface TestConsole extends RunningConsole {
  dataDir: string;
  staticDir: string;
}

export async function startTestConsole(opts: { relayUrl: string; caCertPath?: string; staticDir?: string }): Promise<TestConsole> {
  const dataDir = mkdtempSync(join(tmpdir(), 'rh-console-'));
  const staticDir = opts.staticDir ?? join(dataDir, 'static');
  if (!opts.staticDir) await buildConsoleBundle(staticDir);
  const errors: string[] = [];
  const running = await startConsole({
    config: loadConfig({
      RH_RELAY_URL: opts.relayUrl,
      RH_CONSOLE_DATA_DIR: join(dataDir, 'data'),
      RH_CONSOLE_PORT: '0',
      ...(opts.caCertPath ? { RH_CA_CERT: opts.caCertPath } : {}),
    }),
    staticDir,
    log: { error: (msg) => void errors.push(msg) },
  });
  return {
    ...running,
    dataDir,
    staticDir,
    async close() {
      await running.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
