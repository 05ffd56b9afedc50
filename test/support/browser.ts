// Debian's Chromium driven by playwright-core, the way every end-to-end test and benchmark uses it.
// One browser per test file (launching costs ~0.5 s on 2 cores); a fresh context per person, so
// cookies and storage never leak between the helper and the sharer.
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const chromiumPath = process.env.RH_CHROMIUM ?? '/usr/bin/chromium';

/** PLATFORM-NOTES: these keep headless Chromium quiet on a closed network and let getDisplayMedia
 * answer with a synthetic moving screen, without a prompt, a user gesture or a display. */
export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--use-fake-ui-for-media-stream',
  '--use-fake-device-for-media-stream',
] as const;

/** `extraArgs`: flags one test file needs beyond these (e.g. TURN/TLS with the test CA). */
export async function launchBrowser(extraArgs: readonly string[] = []): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath, headless: true, args: [...chromiumArgs, ...extraArgs] });
}

/** A browser that can be killed outright (SIGKILL, no goodbye on any socket), as when a user's
 * machine loses power. `chromium.launch()` hides the process, so this goes through launchServer,
 * whose process is ours to kill, and connects to it. */
export interface KillableBrowser {
  browser: Browser;
  pid: number;
  /** SIGKILL to the browser's whole process group (the network service holds the sockets). */
  kill(): void;
  close(): Promise<void>;
}

export async function launchKillableBrowser(): Promise<KillableBrowser> {
  const server = await chromium.launchServer({ executablePath: chromiumPath, headless: true, args: [...chromiumArgs] });
  const pid = server.process().pid;
  if (pid === undefined) throw new Error('Chromium started without a process id');
  const browser = await chromium.connect(server.wsEndpoint());
  let killed = false;
  const kill = (): void => {
    if (killed) return;
    killed = true;
    // Playwright starts the browser as a process-group leader; killing the group takes the
    // renderer and network-service children down in the same instant.
    try { process.kill(-pid, 'SIGKILL'); } catch { try { process.kill(pid, 'SIGKILL'); } catch { /* already gone */ } }
  };
  return {
    browser, pid, kill,
    async close() {
      if (killed) { await server.close().catch(() => undefined); return; }
      await browser.close().catch(() => undefined);
      await server.close().catch(() => undefined);
    },
  };
}

/** A person at a browser: own cookies, English UI, the local CA accepted (tests only — Chromium
 * ignores NODE_EXTRA_CA_CERTS, and a real user would have a real certificate). */
export async function newPerson(browser: Browser): Promise<BrowserContext> {
  const context = await browser.newContext({
    ignoreHTTPSErrors: true,
    locale: 'en-US',
    viewport: { width: 1280, height: 800 },
  });
  context.setDefaultTimeout(15_000);
  return context;
}

/** The Content-Security-Policy violations the page reports on its console from now on (filled as they come). */
export function cspViolations(page: Page): string[] {
  const seen: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy|Content-Security-Policy/i.test(m.text())) seen.push(m.text());
  });
  return seen;
}
