// Issue 9's figures: how long a helper waits for the picture after the sharer's page reloads, and after
// the sharer's network comes back from a 10 s drop. Target for both: ≤ 2 s (median and p95).
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { newPerson } from '#test/support/browser.js';
import type { RunningSystem } from '#test/support/system.js';
import {
  acceptLeavingLiveSessions, expectFramesAdvancing, sharingAgain, step, whenScreenLiveAgain,
} from '#test/e2e/flows.js';
import { measure, type BenchResult } from './stats.js';

export async function sessionResume(system: RunningSystem, browser: Browser, reloadRuns = 10, dropRuns = 10): Promise<BenchResult> {
  const contexts: BrowserContext[] = [];
  const person = async (): Promise<Page> => {
    const c = await newPerson(browser);
    contexts.push(c);
    return acceptLeavingLiveSessions(await c.newPage());
  };
  try {
    const helper = await person();
    const sharer = await person();
    await sharingAgain(helper, sharer, system);

    const reload: number[] = [];
    for (let i = 0; i < reloadRuns; i++) {
      const live = whenScreenLiveAgain(helper, true);
      const at = Date.now();
      await sharer.reload();
      reload.push((await live) - at);
      process.stdout.write(`  sharer reload ${i + 1}/${reloadRuns}: frames again after ${reload.at(-1)} ms\n`);
      await expectFramesAdvancing(helper);
    }

    const drop: number[] = [];
    for (let i = 0; i < dropRuns; i++) {
      await sharer.context().setOffline(true);
      await new Promise((r) => setTimeout(r, 10_000));
      // The drop must have been seen, or "live again" would measure nothing.
      await step(helper, 'helper sees "Reconnecting…" during the drop', () => helper.getByText('Reconnecting…', { exact: true }).first().waitFor({ timeout: 5_000 }));
      const live = whenScreenLiveAgain(helper, false);
      const at = Date.now();
      await sharer.context().setOffline(false);
      drop.push((await live) - at);
      process.stdout.write(`  10 s network drop ${i + 1}/${dropRuns}: screen live again after ${drop.at(-1)} ms\n`);
    }

    return {
      name: 'session-resume',
      description: 'A live session after the sharer\'s page reloads, or its network drops for 10 s → the helper sees the screen again',
      measures: [
        measure('sharer reload → frames again', reload, '≤ 2000'),
        measure('10 s drop over → screen live again', drop, '≤ 2000'),
      ],
      notes: [
        'reload: from page.reload() on the sharer (the "Leave site?" question accepted at once) to the first frame of the new stream on the helper with no "Reconnecting…" over it; includes loading /rh, the socket, the resume, getDisplayMedia and a new peer connection',
        'drop: Playwright context.setOffline(true) for 10 s on the sharer (the relay sees the socket go by its ping timeout, the helper sees "Reconnecting…"), measured from setOffline(false) to no "Reconnecting…" and a frame decoded after it',
        'start instant in the bench just before the action; end instant inside the helper page (5 ms poll)',
      ],
    };
  } finally {
    for (const c of contexts) await c.close().catch(() => undefined);
  }
}
