// What people see around a session on the web pages (issue 9): pages that say what they are, a code
// that can be read out loud and shows its countdown, attempts left after a mistyped code, focus where
// attention must go after each step, the sharer's caution and the helper's card while sharing, and a
// finished end with a next step.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import type { Ack, PastSessionsPage } from '#protocol';
import { demoUsers } from '#relay/directory/demo-data.js';
import { AxeAudit } from '../support/axe.js';
import { useSystem } from '../support/e2e.js';
import { signInOnWebPage } from '../support/sign-in-page.js';
import {
  expectCompactSharingLayout, expectFramesAdvancing, expectSessionEnded, openUnenrolledSession, readIssuedCode, sharedScreen, sharerAnswers, sharerConnects, sharerOpensLinkAndConnects, step, users, webHelperGetsCode,
} from './flows.js';

/** The chain of focused elements down through shadow roots, as tag names and classes (for messages),
 * and whether one of them matches `selector`. */
async function focusInside(page: Page, selector: string): Promise<{ inside: boolean; path: string }> {
  return page.evaluate<{ inside: boolean; path: string }>(`(() => {
    const path = [];
    let inside = false;
    let el = document.activeElement;
    while (el) {
      path.push(el.tagName.toLowerCase() + (el.className && typeof el.className === 'string' ? '.' + el.className.split(' ').join('.') : ''));
      if (el.matches(${JSON.stringify(selector)})) inside = true;
      el = el.shadowRoot ? el.shadowRoot.activeElement : null;
    }
    return { inside, path: path.join(' > ') || '(nothing)' };
  })()`);
}

async function expectFocusIn(page: Page, what: string, selector: string): Promise<void> {
  let last = '';
  const until = Date.now() + 5_000;
  while (Date.now() < until) {
    const f = await focusInside(page, selector);
    if (f.inside) return;
    last = f.path;
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.fail(`focus is not ${what} (${selector}); it is on ${last}`);
}

describe('end to end: around the session on the web pages', function () {
  this.timeout(180_000);
  // Codes are drawn until one has a 0 in it (below): more creates than a person would make. Codes live
  // 70 s, so the one-minute warning comes after 10 s.
  const e2e = useSystem({ console: false, relayEnv: { RH_CREATES_PER_USER: '500', RH_CODE_LIFETIME_MS: '70000' } });

  it('the signed-out pages say what they are and what happens next; signed in, they name the organization', async () => {
    const sharer = await e2e.person('sharer');
    await step(sharer, 'sharer opens /rh signed out', () => sharer.goto(e2e.system.sharerUrl));
    await step(sharer, '/rh names the product and says what sharing means', async () => {
      await sharer.getByText('Remote Help', { exact: true }).first().waitFor();
      await sharer.getByRole('heading', { level: 1, name: 'Share your screen with IT support' }).waitFor();
      await sharer.getByText(/choose Allow or Deny/).waitFor();
      await sharer.getByRole('link', { name: 'Sign in' }).waitFor();
    });
    const helper = await e2e.person('helper');
    await step(helper, 'helper opens /rhh signed out', () => helper.goto(e2e.system.webHelperUrl));
    await step(helper, '/rhh names the product and says it is for helping someone', async () => {
      await helper.getByText('Remote Help', { exact: true }).first().waitFor();
      await helper.getByRole('heading', { level: 1, name: 'Help someone' }).waitFor();
    });
    await step(helper, 'helper signs in', () => signInOnWebPage(helper, users.helper));
    await step(helper, 'signed in, /rhh names the organization', () => helper.getByText('Contoso', { exact: true }).first().waitFor());
  });

  it('a code read out loud: typed in lower case with a space and an O for a 0 it is accepted; the countdown runs; a mistyped one says how many attempts are left', async () => {
    const helper = await e2e.person('helper');
    let issued = await webHelperGetsCode(helper, e2e.system);
    await step(helper, 'the code shows its countdown', () => helper.getByText(/^Expires in \d+:\d\d/).first().waitFor());
    // Draw codes until one has a 0, so the O-for-0 reading is really exercised (about 1 in 4.5 does).
    for (let i = 0; !issued.code.includes('0'); i++) {
      assert.ok(i < 60, 'no code with a 0 in 60 draws');
      await step(helper, 'helper ends the session and asks for a new one', async () => {
        await helper.getByRole('button', { name: 'End session' }).click();
        await helper.getByRole('button', { name: 'New session' }).click();
      });
      issued = await readIssuedCode(helper);
    }
    const sharer = await e2e.person('sharer');
    await step(sharer, `sharer opens ${e2e.system.sharerUrl}`, () => sharer.goto(e2e.system.sharerUrl));
    await step(sharer, 'sharer signs in on /rh', () => signInOnWebPage(sharer, users.sharer));
    const wrong = issued.code.slice(0, 7) + (issued.code.endsWith('Z') ? 'Y' : 'Z');
    await sharerConnects(sharer, wrong);
    await step(sharer, 'sharer is told the code is not valid and how many attempts are left', async () => {
      await sharer.getByText(/security code is not valid/i).first().waitFor();
      await sharer.getByText(/\d+ attempts? left before you have to wait/).waitFor();
    });
    await expectFocusIn(sharer, 'back on the code box after a refused code', '#code');
    const spoken = `${issued.code.slice(0, 4)} ${issued.code.slice(4)}`.toLowerCase().replace(/0/g, 'o');
    await sharerConnects(sharer, spoken);
    await step(sharer, `sharer typed "${spoken}" and sees who is asking`, () => sharer.getByRole('button', { name: 'Allow' }).waitFor());
  });

  it('focus follows the steps; the sharer is cautioned and keeps the helper in view; the end says who, when, how long, and what next', async () => {
    const helper = await e2e.person('helper');
    const sharer = await e2e.person('sharer');
    const { link } = await webHelperGetsCode(helper, e2e.system);
    await expectFocusIn(helper, 'on the security code after "Get security code"', 'rh-security-code');
    await step(helper, 'helper sees "Copy code" beside "Copy link"', async () => {
      await helper.getByRole('button', { name: 'Copy code' }).waitFor();
      await helper.getByRole('button', { name: 'Copy link' }).waitFor();
    });
    await sharerOpensLinkAndConnects(sharer, link);
    await expectFocusIn(sharer, 'on the trust question after "Connect"', 'rh-trust-card');
    await step(sharer, 'the trust screen cautions the sharer', () => sharer.getByText(/Allow only someone you expected to help you/).waitFor());
    await sharerAnswers(sharer, 'Allow');
    await expectFramesAdvancing(helper);
    await expectFocusIn(sharer, 'on the outcome after "Allow"', '.sharing-banner');
    await step(sharer, 'while sharing, the sharer sees who is seeing the screen', async () => {
      await sharer.getByText('Seeing your screen:').waitFor();
      await sharer.getByText(demoUsers.contosoHelper.name, { exact: true }).first().waitFor();
    });
    await step(helper, 'helper clicks "End session"', () => helper.getByRole('button', { name: 'End session' }).first().click());
    await expectFocusIn(helper, 'on the outcome after the end', 'rh-session-ended');
    await step(helper, 'the helper\'s end says who ended it, when and how long it lasted, and offers "New session"', async () => {
      await helper.getByText('You ended the session.').waitFor();
      await helper.getByText(/^Ended at /).waitFor();
      await helper.getByText(/^Lasted /).waitFor();
      await helper.getByRole('button', { name: 'New session' }).waitFor();
    });
    await step(sharer, 'the sharer\'s end says the helper ended it and that the tab can be closed', async () => {
      await sharer.getByText(/\(the helper\) ended the session/).waitFor();
      await sharer.getByText('You can close this tab.').waitFor();
    });
    await expectFocusIn(sharer, 'on the outcome after the end', 'rh-session-ended');
    assert.equal(await sharer.getByRole('textbox', { name: 'Message' }).count(), 0, 'the ended view still shows an empty, disabled chat box');
  });

  it('the helper sees the screen: compact at 1366×768, Full screen by keyboard and back, actual size (100 %) with scrolling', async () => {
    const { helper } = await openUnenrolledSession(await e2e.person('helper'), await e2e.person('sharer'), e2e.system);
    await expectCompactSharingLayout(helper, '/rhh');
    await step(helper, 'helper reaches "Full screen" with the keyboard and presses Enter', async () => {
      await helper.getByRole('button', { name: 'Full screen' }).focus();
      await helper.keyboard.press('Enter');
      await helper.waitForFunction('document.fullscreenElement !== null');
    });
    await step(helper, 'in full screen the button reads "Exit full screen"; pressing it leaves', async () => {
      const exit = helper.getByRole('button', { name: 'Exit full screen' });
      await exit.waitFor();
      await exit.press('Enter');
      await helper.waitForFunction('document.fullscreenElement === null');
      await helper.getByRole('button', { name: 'Full screen' }).waitFor();
    });
    await step(helper, 'helper chooses "Actual size (100 %)": the picture is its own size, in a scrollable region', async () => {
      await helper.getByRole('button', { name: 'Actual size (100 %)' }).click();
      const sizes = await sharedScreen(helper).first().evaluate((v) => {
        const video = v as HTMLVideoElement;
        const r = video.getBoundingClientRect();
        return { shown: r.width, intrinsic: video.videoWidth / devicePixelRatio };
      });
      assert.ok(Math.abs(sizes.shown - sizes.intrinsic) <= 1, `the picture is ${sizes.shown} px wide at actual size, its own width is ${sizes.intrinsic} px`);
      await helper.getByRole('region', { name: /actual size/i }).waitFor();
      await helper.getByRole('button', { name: 'Fit to window' }).click();
      const fit = await sharedScreen(helper).first().evaluate((v) => v.getBoundingClientRect().width);
      assert.ok(fit <= 1366, `fit to window shows the picture ${fit} px wide`);
    });
  });

  it('the sharer\'s receipt names the helper, the shared time and the pause as the report has them, and Save receipt keeps them in a file', async () => {
    const helper = await e2e.person('helper');
    const sharer = await e2e.person('sharer');
    await openUnenrolledSession(helper, sharer, e2e.system);
    await step(sharer, 'sharer pauses sharing, then resumes', async () => {
      await sharer.getByRole('button', { name: 'Pause sharing' }).click();
      await sharer.getByRole('button', { name: 'Resume sharing' }).click();
      await sharer.getByRole('button', { name: 'Pause sharing' }).waitFor();
    });
    await step(sharer, 'sharer clicks "End session"', () => sharer.getByRole('button', { name: 'End session' }).first().click());
    await expectSessionEnded(sharer, 'sharer');
    await step(sharer, 'the receipt appears beside "Session ended"', () => sharer.getByRole('button', { name: 'Save receipt' }).waitFor());

    // The report, as the sharer's own history (GET /api/me/sessions) gives it from the record.
    const history = await sharer.evaluate<Ack<PastSessionsPage>>(`fetch('/api/me/sessions').then((r) => r.json())`);
    assert.ok(history.ok, 'the history answers');
    const report = history.value.items[0]!;
    assert.equal(report.helper?.upn, users.helper);
    assert.equal(report.pauses.length, 1);
    // Each time as this page writes it (its language and time zone, date and seconds).
    const shown = (iso: string) => sharer.evaluate<string>(
      `new Intl.DateTimeFormat(document.documentElement.lang, { dateStyle: 'medium', timeStyle: 'medium' }).format(new Date(${JSON.stringify(iso)}))`);
    const expected = {
      helper: [demoUsers.contosoHelper.name, users.helper],
      shared: [`From ${await shown(report.sharingSince!)} to ${await shown(report.endedAt!)}`],
      pauses: [`From ${await shown(report.pauses[0]!.from)} to ${await shown(report.pauses[0]!.to!)}`],
      report: [report.reportId],
    };
    const receipt = sharer.locator('rh-session-receipt');
    for (const [key, values] of Object.entries(expected)) {
      assert.deepEqual(await receipt.locator(`dd[data-line="${key}"]`).allInnerTexts(), values, `the receipt's ${key}`);
    }

    const [download] = await step(sharer, 'sharer clicks "Save receipt"', () =>
      Promise.all([sharer.waitForEvent('download'), sharer.getByRole('button', { name: 'Save receipt' }).click()]));
    assert.match(download.suggestedFilename(), new RegExp(`^remote-help-receipt-\\d{4}-\\d{2}-\\d{2}-${report.reportId.replace(/-/g, '').slice(0, 8)}\\.html$`));
    const file = await readFile((await download.path())!, 'utf8');
    for (const text of Object.values(expected).flat()) assert.ok(file.includes(text), `the saved receipt has "${text}"`);
    assert.ok(!/<script|\ssrc=|\shref=/i.test(file), 'the saved receipt runs and loads nothing');

    const audit = new AxeAudit('receipt');
    await audit.check(sharer, 'rh ended with receipt');
    await step(sharer, 'sharer opens "Past sessions" and finds this session at the top', async () => {
      await sharer.getByRole('button', { name: 'Past sessions' }).click();
      await sharer.getByRole('cell', { name: report.reportId }).first().waitFor();
    });
    await audit.check(sharer, 'rh past sessions');
    await sharer.screenshot({ path: 'test-results/receipt-past-sessions.png', fullPage: true });
    assert.deepEqual(audit.problems(), []);
  });

  it('a code near its expiry warns at one minute and offers "Get a new code", which gives a fresh code that works', async () => {
    const helper = await e2e.person('helper');
    const first = await webHelperGetsCode(helper, e2e.system);
    await step(helper, 'helper sees the one-minute warning', () =>
      helper.getByRole('alert').filter({ hasText: 'The code expires in less than a minute.' }).waitFor({ timeout: 30_000 }));
    await step(helper, 'helper clicks "Get a new code"', () => helper.getByRole('button', { name: 'Get a new code' }).click());
    await step(helper, 'a new code is shown, without the warning', async () => {
      await helper.getByLabel('Security code', { exact: true }).filter({ hasNotText: `${first.code.slice(0, 4)} ${first.code.slice(4)}` }).first().waitFor();
      await helper.getByRole('alert').filter({ hasText: 'The code expires' }).waitFor({ state: 'hidden' });
    });
    const second = await readIssuedCode(helper);
    assert.notEqual(second.code, first.code);
    const sharer = await e2e.person('sharer');
    await sharerOpensLinkAndConnects(sharer, first.link);
    await step(sharer, 'the old code no longer works: the sharer is told so', () =>
      sharer.getByRole('alert').filter({ hasText: /security code|session has already ended/ }).first().waitFor());
    assert.equal(await sharer.getByRole('button', { name: 'Allow' }).count(), 0, 'the replaced code still joined a session');
    await sharerConnects(sharer, second.code);
    await step(sharer, 'the new code joins', () => sharer.getByRole('button', { name: 'Allow' }).waitFor());
  });
});
