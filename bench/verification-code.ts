// The Verification code's cost in time: from the sharer's click on "Connect" until the code is shown on
// both trust screens (the peer connection is opened at join), and from "Allow" until the first decoded
// frame on that already-open connection (the screen is added by one more offer/answer). Compare with
// connect-to-first-frame, which runs the whole path with "Allow" clicked at once. Instants are taken
// inside the pages (same machine clock), so Playwright's own latency is not counted.
import type { Browser, Page } from 'playwright-core';
import { newPerson } from '#test/support/browser.js';
import type { RunningSystem } from '#test/support/system.js';
import {
  clickedAt, findDeep, recordClicks, sharerOpensLink, step, webHelperNewCode, whenFirstFrameAppears, whenSessionEndedAppears,
} from '#test/e2e/flows.js';
import { measure, type BenchResult } from './stats.js';

interface VerificationRun {
  connectToCodeOnBoth: number;
  allowToFirstFrame: number;
}

/** The moment the page shows a Verification code (not "Comparing…"), polled in the page every 5 ms. */
function whenVerificationCodeAppears(page: Page): Promise<number> {
  return page.evaluate<number>(`new Promise((resolve, reject) => {
    const findDeep = ${findDeep};
    const until = Date.now() + 60000;
    const tick = () => {
      const el = findDeep(document, (e) => e.tagName === 'OUTPUT' && e.getAttribute('aria-labelledby') === 'verification-label' && /\\d{3} \\d{3}/.test(e.textContent));
      if (el) resolve(Date.now());
      else if (Date.now() > until) reject(new Error('no Verification code within 60 s'));
      else setTimeout(tick, 5);
    };
    tick();
  })`);
}

async function oneSession(helper: Page, sharer: Page, system: RunningSystem): Promise<VerificationRun> {
  const { link } = await webHelperNewCode(helper, system);
  const onHelper = whenVerificationCodeAppears(helper);
  await sharerOpensLink(sharer, link);
  await recordClicks(sharer, 'Connect');
  await recordClicks(sharer, 'Allow');
  const onSharer = whenVerificationCodeAppears(sharer);
  await step(sharer, 'sharer clicks "Connect"', () => sharer.getByRole('button', { name: 'Connect' }).click());
  const bothAt = Math.max(await step(helper, 'helper sees the Verification code', () => onHelper), await step(sharer, 'sharer sees the Verification code', () => onSharer));
  const firstFrame = whenFirstFrameAppears(helper);
  await step(sharer, 'sharer clicks "Allow"', () => sharer.getByRole('button', { name: 'Allow', exact: true }).click());
  const frameAt = await firstFrame;
  const sharerTold = whenSessionEndedAppears(sharer);
  await step(helper, 'helper clicks "End session"', () => helper.getByRole('button', { name: 'End session' }).click());
  await step(sharer, 'sharer sees "Session ended"', () => sharerTold);
  return {
    connectToCodeOnBoth: bothAt - (await clickedAt(sharer, 'Connect')),
    allowToFirstFrame: frameAt - (await clickedAt(sharer, 'Allow')),
  };
}

export async function verificationCodeBench(system: RunningSystem, browser: Browser, runs = 10): Promise<BenchResult> {
  const helperContext = await newPerson(browser);
  const sharerContext = await newPerson(browser);
  try {
    const helper = await helperContext.newPage();
    const sharer = await sharerContext.newPage();
    await oneSession(helper, sharer, system); // warm-up: signs both in, not counted
    const samples: VerificationRun[] = [];
    for (let i = 0; i < runs; i++) {
      samples.push(await oneSession(helper, sharer, system));
      process.stdout.write(`  verification-code ${i + 1}/${runs}: code on both ${samples.at(-1)!.connectToCodeOnBoth} ms, Allow → frame ${samples.at(-1)!.allowToFirstFrame} ms\n`);
    }
    return {
      name: 'verification-code',
      description: 'Sharer clicks "Connect" → Verification code on both trust screens; "Allow" → first frame on the connection opened at join',
      measures: [
        measure('Connect → code on both screens', samples.map((s) => s.connectToCodeOnBoth)),
        measure('Allow → first frame (same connection)', samples.map((s) => s.allowToFirstFrame)),
      ],
      notes: [
        `${runs} sessions after one warm-up, web helper (/rhh) and sharer (/rh) in one headless Chromium, relay on loopback, no ICE servers`,
        '"Allow" is clicked once both codes show; the Allow span includes the screen picker (fake UI), consent at the relay and the renegotiation',
        'compare connect-to-first-frame (Connect → first frame with Allow clicked at once)',
      ],
    };
  } finally {
    await helperContext.close().catch(() => undefined);
    await sharerContext.close().catch(() => undefined);
  }
}
