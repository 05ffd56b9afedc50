// Mocha wiring shared by the end-to-end files: the system and one Chromium up once per file (before),
// a fresh browser context per person per test (closed after it), everything down at the end.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser, newPerson } from './browser.js';
import { startSystem, type RunningSystem, type SystemOptions } from './system.js';

export interface E2e {
  readonly system: RunningSystem;
  readonly browser: Browser;
  /** A new person at a new browser context, with one page; closed after the current test. */
  person(role: string): Promise<Page>;
}

/** `opts` may be a function, called in before() after the file's earlier before hooks: for options made
 * there (a stand-in identity provider's issuer and CA). `browserArgs`: Chromium flags this file needs
 * beyond the usual ones. */
export function useSystem(opts: SystemOptions | (() => SystemOptions) = {}, browserArgs: readonly string[] = []): E2e {
  let system: RunningSystem | undefined;
  let browser: Browser | undefined;
  let contexts: BrowserContext[] = [];
  const dialogs: string[] = [];

  before(async function () {
    this.timeout(120_000);
    [system, browser] = await Promise.all([startSystem(typeof opts === 'function' ? opts() : opts), launchBrowser(browserArgs)]);
  });
  afterEach(async () => {
    await Promise.all(contexts.map((c) => c.close().catch(() => undefined)));
    contexts = [];
    dialogs.length = 0;
  });
  after(async function () {
    this.timeout(60_000);
    await browser?.close().catch(() => undefined);
    await system?.stop();
  });

  return {
    get system() {
      if (!system) throw new Error('the system is not running (before() failed)');
      return system;
    },
    get browser() {
      if (!browser) throw new Error('Chromium is not running (before() failed)');
      return browser;
    },
    async person(role: string) {
      if (!browser) throw new Error('Chromium is not running (before() failed)');
      const context = await newPerson(browser);
      contexts.push(context);
      const page = await context.newPage();
      // A dialog would mean markup in someone's text ran as code; record it and never leave it open.
      // The one dialog the pages mean to show is the browser's "Leave site?" (beforeunload) on a live
      // session: counted apart, and accepted, as a person who really wants to reload or close would.
      const unloads: string[] = [];
      page.on('dialog', (d) => {
        if (d.type() === 'beforeunload') {
          unloads.push(role);
          void d.accept();
          return;
        }
        dialogs.push(`${role}: ${d.type()} "${d.message()}"`);
        void d.dismiss();
      });
      Object.defineProperty(page, 'rhDialogs', { value: dialogs });
      Object.defineProperty(page, 'rhBeforeUnloads', { value: unloads });
      return page;
    },
  };
}

/** How many times this page asked "Leave site?" (beforeunload) before a reload or close went ahead. */
export function beforeUnloadsSeen(page: Page): number {
  return ((page as Page & { rhBeforeUnloads?: string[] }).rhBeforeUnloads ?? []).length;
}

/** Dialogs any page of this test opened (alert, confirm…), as "role: type message". */
export function dialogsSeen(page: Page): string[] {
  return (page as Page & { rhDialogs?: string[] }).rhDialogs ?? [];
}
