// Time from the sharer leaving without a word — the tab closed, or the browser killed outright —
// to the helper's page saying so ("Reconnecting…", with why: the session then waits out its reconnect
// grace for the sharer to come back, and ends with that reason if it does not).
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchKillableBrowser, newPerson } from '#test/support/browser.js';
import type { RunningSystem } from '#test/support/system.js';
import {
  acceptLeavingLiveSessions, sharingAgain, step, whenTextAppears,
} from '#test/e2e/flows.js';
import { measure, type BenchResult } from './stats.js';

/** The session still waits for the sharer to come back: the helper ends it, as a helper who gives up would. */
async function endWaitingSession(helper: Page): Promise<void> {
  await step(helper, 'helper clicks "End session"', () => helper.getByRole('button', { name: 'End session' }).first().click());
  await step(helper, 'helper sees "Session ended"', () => helper.getByText('Session ended', { exact: true }).first().waitFor());
}

export async function sharerLeaves(system: RunningSystem, browser: Browser, tabRuns = 5, killRuns = 3): Promise<BenchResult> {
  const contexts: BrowserContext[] = [];
  const person = async (): Promise<BrowserContext> => {
    const c = await newPerson(browser);
    contexts.push(c);
    return c;
  };
  try {
    const helper = acceptLeavingLiveSessions(await (await person()).newPage());
    const sharerContext = await person();

    const tabClosed: number[] = [];
    for (let i = 0; i < tabRuns; i++) {
      const sharer = await sharerContext.newPage();
      await sharingAgain(helper, sharer, system);
      const told = whenTextAppears(helper, 'Reconnecting…');
      const closedAt = Date.now();
      await sharer.close({ runBeforeUnload: true });
      tabClosed.push((await told) - closedAt);
      process.stdout.write(`  tab closed ${i + 1}/${tabRuns}: helper told after ${tabClosed.at(-1)} ms\n`);
      await endWaitingSession(helper);
    }

    const killed: number[] = [];
    for (let i = 0; i < killRuns; i++) {
      const killable = await launchKillableBrowser();
      try {
        const sharer = await (await newPerson(killable.browser)).newPage();
        await sharingAgain(helper, sharer, system);
        const told = whenTextAppears(helper, 'Reconnecting…');
        const killedAt = Date.now();
        killable.kill();
        killed.push((await told) - killedAt);
        process.stdout.write(`  browser killed ${i + 1}/${killRuns}: helper told after ${killed.at(-1)} ms\n`);
        await endWaitingSession(helper);
      } finally {
        await killable.close();
      }
    }

    return {
      name: 'sharer-leaves',
      description: 'Sharer leaves without ending the session → the helper\'s page shows "Reconnecting…" and why',
      measures: [
        measure('tab closed → helper told', tabClosed, '≤ 1000'),
        measure('browser killed → helper told', killed, '≤ 10000'),
      ],
      notes: [
        'tab closed: page.close({ runBeforeUnload: true }), as a user closing the tab (pagehide fires)',
        'browser killed: SIGKILL to the sharer Chromium\'s process group; on loopback the kernel closes its sockets at once, so this shows the relay\'s reaction to a dropped socket, not to a silent network loss (that one is bounded by the ping interval + timeout)',
        'the helper is told the sharer is gone, not that the session ended: a reload looks the same as a close to the relay, so the session waits out its reconnect grace (2 minutes by default) before it ends as "left"',
        'start instant taken in the bench just before the close/kill; end instant inside the helper page (10 ms poll)',
      ],
    };
  } finally {
    for (const c of contexts) await c.close().catch(() => undefined);
  }
}
