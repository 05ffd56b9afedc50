// Serves the ui test bundle (built with esbuild, as the real pages are) on 127.0.0.1, a secure
// context for getDisplayMedia and the clipboard, and opens it in Debian's Chromium.
import { build } from 'esbuild';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser, newPerson } from './browser.js';

const here = dirname(fileURLToPath(import.meta.url));

export interface UiPageHost {
  origin: string;
  browser: Browser;
  /** A fresh context and page with the test bundle loaded and localization ready. */
  open(): Promise<{ context: BrowserContext; page: Page }>;
  close(): Promise<void>;
}

export async function startUiPageHost(): Promise<UiPageHost> {
  const dir = mkdtempSync(join(tmpdir(), 'rh-ui-'));
  await build({
    entryPoints: [resolve(here, '../fixtures/ui/test-page.ts')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    sourcemap: 'inline',
    outfile: join(dir, 'test-page.js'),
    logLevel: 'error',
  });
  writeFileSync(
    join(dir, 'index.html'),
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>ui test</title>' +
      '<script type="module" src="/test-page.js"></script></head><body><main id="root"></main></body></html>',
  );
  const files: Record<string, { body: Buffer; type: string }> = {
    '/': { body: readFileSync(join(dir, 'index.html')), type: 'text/html; charset=utf-8' },
    '/test-page.js': { body: readFileSync(join(dir, 'test-page.js')), type: 'text/javascript; charset=utf-8' },
  };
  const server: Server = createServer((req, res) => {
    const file = files[(req.url ?? '/').split('?')[0] ?? '/'];
    if (!file) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': file.type, 'cache-control': 'no-store' }).end(file.body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const browser = await launchBrowser();
  const contexts: BrowserContext[] = [];
  return {
    origin,
    browser,
    async open() {
      const context = await newPerson(browser);
      contexts.push(context);
      await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(origin + '/');
      await page.waitForFunction(() => 'rhTest' in window);
      await page.evaluate(() => (window as unknown as { rhTest: { ready: Promise<unknown> } }).rhTest.ready);
      return { context, page };
    },
    async close() {
      for (const c of contexts) await c.close().catch(() => undefined);
      await browser.close();
      await new Promise<void>((r) => server.close(() => r()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The usual setup of a describe block: one page host for the block, and a fresh page (its own browser
 * context) for every test, handed to `onPage` before the test runs.
 */
export function useUiPage(onPage: (page: Page) => void): void {
  let host: UiPageHost | undefined;
  let page: Page | undefined;
  before(async () => {
    host = await startUiPageHost();
  });
  after(async () => {
    await host?.close();
  });
  beforeEach(async () => {
    ({ page } = await host!.open());
    onPage(page);
  });
  afterEach(async () => {
    await page?.context().close();
  });
}
