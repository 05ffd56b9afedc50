// The sharer's page when the helper invites a colleague (issue 13, point 5), in real Chromium with real
// WebRTC: rh-sharer-session over the memory relay, with the colleague's page played by the double
// (test/fixtures/ui/colleague-double.ts) on its own peer connection from the sharer.
import assert from 'node:assert/strict';
import type { Locator, Page } from 'playwright-core';
import type { ColleagueDouble } from '../fixtures/ui/colleague-double.js';
import type { MemoryRelay } from '../fixtures/ui/memory-relay.js';
import type { RhTest } from '../fixtures/ui/test-page.js';
import { AxeAudit } from '../support/axe.js';
import { useUiPage } from '../support/ui-page.js';

type W = Window & { rhTest: RhTest; relay: MemoryRelay; double: ColleagueDouble };

/** The helper's and the sharer's views, the sharer's link through the colleague double; joined. */
async function joined(page: Page): Promise<{ helper: Locator; sharer: Locator }> {
  await page.evaluate(() => {
    const w = window as unknown as W;
    w.relay = w.rhTest.createMemoryRelay({ helper: w.rhTest.helperProfile, sharer: w.rhTest.sharerProfile, warnings: [] });
    const helper = document.createElement('rh-helper-session');
    helper.link = w.relay.helper;
    const sharer = document.createElement('rh-sharer-session');
    w.double = w.rhTest.createColleagueDouble(w.relay.sharer, w.rhTest.helperProfile.name, () => sharer.sessionId);
    sharer.link = w.double.sharer;
    const h1 = document.createElement('h1');
    h1.textContent = 'Share your screen';
    document.querySelector('main')?.append(h1, helper, sharer);
    void helper.start();
  });
  const helper = page.locator('rh-helper-session');
  const sharer = page.locator('rh-sharer-session');
  const code = (await helper.getByLabel('Security code').textContent()) ?? '';
  await sharer.getByRole('textbox', { name: 'Security code' }).fill(code);
  await sharer.getByRole('button', { name: 'Connect' }).click();
  await sharer.getByText('Someone wants to see your screen').waitFor();
  return { helper, sharer };
}

const say = (page: Page, state: 'asking' | 'allowed' | 'withdrawn' | 'left', present?: boolean, restartMedia?: boolean) =>
  page.evaluate(([state, present, restartMedia]) => (window as unknown as W).double.say(state, present, restartMedia), [state, present, restartMedia] as const);

/** The code a Verification code element shows once compared (its digits as seen). */
async function shownCode(code: Locator): Promise<string> {
  const digits = code.locator('output span[aria-hidden="true"]');
  await digits.waitFor();
  return (await digits.textContent()) ?? '';
}

/** Waits until the colleague's page has a picture from its connection, and `count` new frames of it. */
async function colleagueFrames(page: Page, count: number): Promise<void> {
  const seen = await page.evaluate<number>(`new Promise((done) => {
    const stream = window.double.colleague.stream;
    if (!stream) return done(-1);
    let video = document.querySelector('video#colleague');
    if (!video) {
      video = document.createElement('video');
      video.id = 'colleague'; video.muted = true; video.autoplay = true;
      document.querySelector('main').append(video);
    }
    if (video.srcObject !== stream) video.srcObject = stream;
    let frames = 0;
    const timer = setTimeout(() => done(frames), 10000);
    const tick = () => { frames++; if (frames < ${count}) video.requestVideoFrameCallback(tick); else { clearTimeout(timer); done(frames); } };
    video.requestVideoFrameCallback(tick);
  })`);
  assert.ok(seen >= count, seen < 0 ? 'the colleague got no picture' : `the colleague's picture stopped: ${seen} of ${count} frames`);
}

const liveRegion = (sharer: Locator) => sharer.locator('[role=status]').first();

describe("the sharer's page with an invited colleague", function () {
  let page: Page;
  useUiPage((p) => (page = p));

  it('asks about the colleague with their own Verification code; Allow sends them the screen; at hand-over their picture goes on as the helper\'s', async () => {
    const { sharer } = await joined(page);
    await sharer.getByRole('button', { name: 'Allow', exact: true }).click();
    await sharer.getByText('You are sharing your screen').waitFor();
    const helperCode = await shownCode(sharer.locator('.helper-card rh-verification-code'));

    await say(page, 'asking');
    const card = sharer.locator('rh-colleague-card');
    await card.getByRole('heading', { name: 'Colin Colleague also wants to see your screen' }).waitFor();
    await card.getByText('Invited by Hanna Helper').waitFor();
    await card.getByText('Verified domain').waitFor();
    await liveRegion(sharer).getByText('Colin Colleague, invited by Hanna Helper, also wants to see your screen. Choose Allow or Deny for them.').waitFor();
    // The code of the colleague's own connection, as their page computes it: not the helper's.
    await page.waitForFunction(() => (window as unknown as W).double.colleague.verification !== undefined);
    const colleagueCode = await shownCode(card.locator('rh-verification-code'));
    assert.equal(colleagueCode, await page.evaluate(() => (window as unknown as W).double.colleague.verification));
    assert.notEqual(colleagueCode, helperCode, 'one code per connection');
    // Nothing of the screen reached the colleague before the sharer decided.
    assert.deepEqual(await page.evaluate(() => ({ ...(window as unknown as W).double.colleague, verification: undefined })),
      { offers: 1, offersWithVideo: 0, verification: undefined });
    const audit = new AxeAudit('sharer-colleague');
    await audit.check(page, 'colleague asking');

    await card.getByRole('button', { name: 'Allow Colin Colleague' }).click();
    await card.getByText('Colin Colleague can see your screen', { exact: true }).waitFor();
    await liveRegion(sharer).getByText('Colin Colleague can see your screen too.').waitFor();
    assert.deepEqual(await page.evaluate(() => (window as unknown as W).double.consents), [true]);
    // The decision names the invitation the card showed: the person, and when they were invited.
    const named = await page.evaluate(() => (window as unknown as W).double.named) as { tenantId: string; userId: string; invitedAt: string }[];
    assert.equal(named.length, 1);
    assert.match(named[0]?.invitedAt ?? '', /^\d{4}-\d\d-\d\dT/);
    assert.ok(named[0]?.userId, 'the decision named nobody');
    await page.waitForFunction(() => (window as unknown as W).double.colleague.stream !== undefined);
    await colleagueFrames(page, 3);
    await audit.check(page, 'colleague allowed');
    assert.deepEqual(audit.problems(), []);

    // A short drop: away, then back saying its connection still works; the sharer keeps that connection,
    // its code, and the picture on it (no new offer).
    const offersBefore = await page.evaluate(() => (window as unknown as W).double.colleague.offers);
    await say(page, 'allowed', false);
    await card.getByText('Colin Colleague is away: their page was closed or their connection dropped.').waitFor();
    await liveRegion(sharer).getByText('Colin Colleague left the page or lost the connection.').waitFor();
    await say(page, 'allowed', true, false);
    await liveRegion(sharer).getByText('Colin Colleague is back.').waitFor();
    await colleagueFrames(page, 3);
    assert.equal(await page.evaluate(() => (window as unknown as W).double.colleague.offers), offersBefore, 'no new connection after a short drop');
    assert.equal(await shownCode(card.locator('rh-verification-code')), colleagueCode, 'the same Verification code');

    // The colleague's page is reloaded: away, then back asking for a new connection; the sharer offers the screen anew.
    await say(page, 'allowed', false);
    await liveRegion(sharer).getByText('Colin Colleague left the page or lost the connection.').waitFor();
    await say(page, 'allowed', true, true);
    await liveRegion(sharer).getByText('Colin Colleague is back.').waitFor();
    await page.waitForFunction(() => (window as unknown as W).double.colleague.stream !== undefined);
    await colleagueFrames(page, 3);
    await page.waitForFunction(() => (window as unknown as W).double.colleague.verification !== undefined);
    const reconnectedCode = await page.evaluate(() => (window as unknown as W).double.colleague.verification);
    await page.waitForFunction((code) => document.querySelector('rh-sharer-session')?.shadowRoot?.querySelector('rh-colleague-card')?.shadowRoot
      ?.querySelector('rh-verification-code')?.shadowRoot?.querySelector('output span[aria-hidden="true"]')?.textContent === code, reconnectedCode);

    // Hand-over: the colleague is the helper; their connection and its picture go on.
    await page.evaluate(() => (window as unknown as W).double.handOver());
    await liveRegion(sharer).getByText('Colin Colleague is your helper now. Hanna Helper left the session.').waitFor();
    await sharer.getByText('Colin Colleague can see your screen. They cannot control it.').waitFor();
    await sharer.locator('.helper-card rh-person-card').getByText('Colin Colleague').waitFor();
    assert.equal(await card.count(), 0, 'no colleague card once they are the helper');
    assert.equal(await shownCode(sharer.locator('.helper-card rh-verification-code')), reconnectedCode, 'the same connection');
    await colleagueFrames(page, 3);
    // Paused and resumed on the connection that is the helper's now.
    await sharer.getByRole('button', { name: 'Pause sharing' }).click();
    await sharer.getByText('Sharing is paused').waitFor();
    await sharer.getByRole('button', { name: 'Resume sharing' }).click();
    await sharer.getByText('You are sharing your screen').waitFor();
    await colleagueFrames(page, 3);
    assert.equal(await page.evaluate(() => (window as unknown as W).double.afterHandOver.toColleague), 0, 'nothing is addressed to a colleague any more');
  });

  it('lets the sharer allow a colleague before sharing starts: they get the screen when it does', async () => {
    const { sharer } = await joined(page);
    await say(page, 'asking');
    const card = sharer.locator('rh-colleague-card');
    await card.getByRole('button', { name: 'Allow Colin Colleague' }).click();
    await card.getByText('Colin Colleague may see your screen while you share it', { exact: true }).waitFor();
    assert.equal(await page.evaluate(() => (window as unknown as W).double.colleague.offersWithVideo), 0, 'no screen before the sharer shares it');
    await sharer.getByRole('button', { name: 'Allow', exact: true }).click();
    await sharer.getByText('You are sharing your screen').waitFor();
    await sharer.locator('rh-colleague-card').getByText('Colin Colleague can see your screen', { exact: true }).waitFor();
    await page.waitForFunction(() => (window as unknown as W).double.colleague.stream !== undefined);
    await colleagueFrames(page, 3);
  });

  it('Deny: the card goes, it is said, the colleague never got the screen; a withdrawn colleague goes the same way', async () => {
    const { sharer } = await joined(page);
    await sharer.getByRole('button', { name: 'Allow', exact: true }).click();
    await sharer.getByText('You are sharing your screen').waitFor();
    await say(page, 'asking');
    const card = sharer.locator('rh-colleague-card');
    await card.getByRole('heading', { name: 'Colin Colleague also wants to see your screen' }).waitFor();
    // In Arabic the card reads right to left: its buttons run from the right, Allow first.
    await page.evaluate(async () => (await (window as unknown as W).rhTest.ready).setLocale('ar'));
    await card.getByRole('heading', { name: 'يريد Colin Colleague أيضًا رؤية شاشتك' }).waitFor();
    const allow = card.getByRole('button', { name: 'السماح لـColin Colleague' });
    const deny = card.getByRole('button', { name: 'رفض Colin Colleague' });
    assert.equal(await card.locator('section').evaluate((el) => getComputedStyle(el).direction), 'rtl');
    assert.ok((await allow.boundingBox())!.x > (await deny.boundingBox())!.x, 'Allow is on the right in Arabic');
    await page.evaluate(async () => (await (window as unknown as W).rhTest.ready).setLocale('en'));
    // By keyboard; the focus then goes back to the sharing view, not lost with the buttons.
    await card.getByRole('button', { name: 'Deny Colin Colleague' }).focus();
    await page.keyboard.press('Enter');
    await liveRegion(sharer).getByText('You denied Colin Colleague. They saw nothing of your screen.').waitFor();
    assert.equal(await card.count(), 0);
    await page.waitForFunction(() => document.querySelector('rh-sharer-session')?.shadowRoot?.activeElement?.classList.contains('sharing-banner'));
    assert.deepEqual(await page.evaluate(() => (window as unknown as W).double.consents), [false]);
    assert.equal(await page.evaluate(() => (window as unknown as W).double.colleague.offersWithVideo), 0);
    assert.equal(await page.evaluate(() => (window as unknown as W).double.colleague.stream), undefined);
    await sharer.getByText('You are sharing your screen').waitFor();

    await say(page, 'asking');
    await card.getByRole('heading', { name: 'Colin Colleague also wants to see your screen' }).waitFor();
    await say(page, 'withdrawn');
    await liveRegion(sharer).getByText('Hanna Helper removed Colin Colleague from the session.').waitFor();
    assert.equal(await card.count(), 0);
  });
});
