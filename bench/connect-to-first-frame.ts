// Time from the sharer's click on "Connect" to the first decoded frame on the helper's "Shared
// screen", consent answered by script (the sharer's "Allow" is clicked the moment it shows). Both
// instants are taken inside the pages (same machine clock), so Playwright's own latency is not
// counted as the product's.
import type { Browser, Page } from 'playwright-core';
import { newPerson } from '#test/support/browser.js';
import type { RunningSystem } from '#test/support/system.js';
import {
  clickedAt, recordClicks, sharerOpensLink, step, webHelperNewCode, whenFirstFrameAppears, whenSessionEndedAppears,
} from '#test/e2e/flows.js';
import { measure, type BenchResult } from './stats.js';

export interface ConnectRun {
  connectToFirstFrame: number;
  allowToFirstFrame: number;
  endToSharerTold: number;
}

/** One whole session: code, join, consent, first frame, end. */
async function oneSession(helper: Page, sharer: Page, system: RunningSystem): Promise<ConnectRun> {
  const { link } = await webHelperNewCode(helper, system);
  const firstFrame = whenFirstFrameAppears(helper);
  await sharerOpensLink(sharer, link);
  await recordClicks(sharer, 'Connect');
  await recordClicks(sharer, 'Allow');
  await step(sharer, 'sharer clicks "Connect"', () => sharer.getByRole('button', { name: 'Connect' }).click());
  await step(sharer, 'sharer clicks "Allow"', () => sharer.getByRole('button', { name: 'Allow', exact: true }).click());
  const frameAt = await firstFrame;
  await recordClicks(helper, 'End session');
  const sharerTold = whenSessionEndedAppears(sharer);
  await step(helper, 'helper clicks "End session"', () => helper.getByRole('button', { name: 'End session' }).click());
  const toldAt = await step(sharer, 'sharer sees "Session ended"', () => sharerTold);
  return {
    connectToFirstFrame: frameAt - (await clickedAt(sharer, 'Connect')),
    allowToFirstFrame: frameAt - (await clickedAt(sharer, 'Allow')),
    endToSharerTold: toldAt - (await clickedAt(helper, 'End session')),
  };
}

export async function connectToFirstFrame(system: RunningSystem, browser: Browser, runs = 12): Promise<BenchResult> {
  const helperContext = await newPerson(browser);
  const sharerContext = await newPerson(browser);
  try {
    const helper = await helperContext.newPage();
    const sharer = await sharerContext.newPage();
    // Warm-up: the first session also signs both in and warms caches; it is not counted.
    await oneSession(helper, sharer, system);
    const samples: ConnectRun[] = [];
    for (let i = 0; i < runs; i++) {
      samples.push(await oneSession(helper, sharer, system));
      process.stdout.write(`  connect-to-first-frame ${i + 1}/${runs}: ${samples.at(-1)!.connectToFirstFrame} ms\n`);
    }
    return {
      name: 'connect-to-first-frame',
      description: 'Sharer clicks "Connect" → first decoded frame on the helper\'s "Shared screen" (consent by script)',
      measures: [
        measure('Connect → first frame', samples.map((s) => s.connectToFirstFrame)),
        measure('Allow → first frame', samples.map((s) => s.allowToFirstFrame)),
        measure('helper "End session" → sharer told', samples.map((s) => s.endToSharerTold), '≤ 1000'),
      ],
      notes: [
        `${runs} sessions after one warm-up, one after another, web helper (/rhh) and sharer (/rh) in one headless Chromium, relay on loopback`,
        'instants taken inside the pages: the click event on the sharer, a 5 ms poll of the <video> frame count on the helper',
        'the "Connect → first frame" span includes the trust screen and the scripted click on "Allow"',
      ],
    };
  } finally {
    await helperContext.close().catch(() => undefined);
    await sharerContext.close().catch(() => undefined);
  }
}
