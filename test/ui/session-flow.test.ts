// rh-helper-session and rh-sharer-session talking through the in-memory transport double: the whole
// session as both people see it, with real getDisplayMedia (Chromium's fake screen) and real WebRTC
// frames decoded in the helper's video.
import assert from 'node:assert/strict';
import type { Locator, Page } from 'playwright-core';
import type { MemoryRelay } from '../fixtures/ui/memory-relay.js';
import type { RhTest } from '../fixtures/ui/test-page.js';
import { useUiPage } from '../support/ui-page.js';

type W = Window & { rhTest: RhTest; relay: MemoryRelay };

async function mountBoth(
  page: Page, warnings: Array<{ kind: 'noncompliant' | 'unenrolled'; reasons: string[] }>, chat?: { held: number; page: number },
): Promise<{ helper: Locator; sharer: Locator }> {
  await page.evaluate(({ warnings, chat }) => {
    const w = window as unknown as W;
    w.relay = w.rhTest.createMemoryRelay({ helper: w.rhTest.helperProfile, sharer: w.rhTest.sharerProfile, warnings, ...(chat ? { chat } : {}) });
    const helper = document.createElement('rh-helper-session');
    helper.link = w.relay.helper;
    const sharer = document.createElement('rh-sharer-session');
    sharer.link = w.relay.sharer;
    const main = document.querySelector('main');
    main?.append(helper, sharer);
    void helper.start();
  }, { warnings, chat });
  return { helper: page.locator('rh-helper-session'), sharer: page.locator('rh-sharer-session') };
}

/** Joins with the code the helper shows, as the sharer would type it. */
async function join(helper: Locator, sharer: Locator): Promise<void> {
  const code = (await helper.getByLabel('Security code').textContent()) ?? '';
  // Two groups of four, read out and typed in any case.
  assert.match(code, /^[0-9A-HJKMNP-TV-Z]{4} [0-9A-HJKMNP-TV-Z]{4}$/);
  await sharer.getByRole('textbox', { name: 'Security code' }).fill(code.toLowerCase());
  await sharer.getByRole('button', { name: 'Connect' }).click();
}

/** Waits until the helper's video has presented `count` more frames, from the page itself; fails
 * after `ceilingMs` saying how many came. (A string, because tsx would wrap a named function in a
 * helper the page does not have.) */
async function framesPresented(page: Page, count: number, ceilingMs = 10_000): Promise<void> {
  const seen = await page.evaluate<number>(`new Promise((done) => {
    const video = document.querySelector('rh-helper-session')?.shadowRoot?.querySelector('rh-shared-screen')?.video;
    if (!video) return done(0);
    let frames = 0;
    const timer = setTimeout(() => done(frames), ${ceilingMs});
    const tick = () => {
      frames++;
      if (frames < ${count}) video.requestVideoFrameCallback(tick);
      else { clearTimeout(timer); done(frames); }
    };
    video.requestVideoFrameCallback(tick);
  })`);
  assert.ok(seen >= count, `the shared screen stopped moving: ${seen} of ${count} new frames in ${ceilingMs} ms`);
}

describe('a session between rh-helper-session and rh-sharer-session', function () {
  let page: Page;
  useUiPage((p) => (page = p));

  it('shows the code, the trust screens, then real frames that keep coming, chat both ways, and the end', async () => {
    const { helper, sharer } = await mountBoth(page, [{ kind: 'unenrolled', reasons: [] }]);
    await join(helper, sharer);

    // Sharer: who is asking, with Allow and Deny. Helper: who joined, the warning, and waiting.
    await sharer.getByText('Hanna Helper', { exact: true }).waitFor();
    await sharer.getByText('Verified domain', { exact: true }).waitFor();
    await helper.getByText('Waiting for Sam Sharer to allow…').waitFor();
    await helper.getByRole('alert').getByText('This device is not enrolled').waitFor();
    await helper.getByText('Unverified domain').waitFor();
    assert.equal(await helper.getByRole('button', { name: 'Allow' }).count(), 0);

    await sharer.getByRole('button', { name: 'Allow' }).click();
    await sharer.getByText('You are sharing your screen').waitFor();
    const video = helper.getByLabel('Shared screen');
    await video.waitFor();
    await page.waitForFunction(() => {
      const v = document.querySelector('rh-helper-session')?.shadowRoot?.querySelector('rh-shared-screen')?.video;
      return !!v && v.videoWidth > 0 && v.readyState >= 2;
    });
    // Every control on both sides has an accessible name.
    const tree = await page.locator('main').ariaSnapshot();
    assert.doesNotMatch(tree, /^\s*- (button|textbox|link|combobox|checkbox)( \[[^\]]*\])?:?$/m, tree);
    for (const name of ['Pause sharing', 'End session', 'Send']) await sharer.getByRole('button', { name }).waitFor();
    for (const name of ['End session', 'Send']) await helper.getByRole('button', { name }).waitFor();

    // Frames keep coming: three new ones, then three more.
    await framesPresented(page, 3);
    await framesPresented(page, 3);

    // Chat, both ways, Chinese and Arabic exactly as typed.
    await helper.getByRole('textbox', { name: 'Message' }).fill('你好，我能看到你的屏幕');
    await helper.getByRole('textbox', { name: 'Message' }).press('Enter');
    await sharer.getByRole('log', { name: 'Chat' }).getByText('你好，我能看到你的屏幕', { exact: true }).waitFor();
    await sharer.getByRole('textbox', { name: 'Message' }).fill('شكراً جزيلاً');
    await sharer.getByRole('button', { name: 'Send' }).click();
    const arabic = helper.getByRole('log', { name: 'Chat' }).getByText('شكراً جزيلاً', { exact: true });
    await arabic.waitFor();
    assert.equal(await arabic.evaluate((el) => getComputedStyle(el).direction), 'rtl');
    assert.deepEqual(await helper.locator('rh-chat .text').allTextContents(), ['你好，我能看到你的屏幕', 'شكراً جزيلاً']);

    await sharer.getByRole('button', { name: 'End session' }).click();
    await helper.getByText('Session ended').waitFor();
    await helper.getByText('Sam Sharer (the sharer) ended the session.').waitFor();
    await sharer.getByText('Session ended').waitFor();
    assert.equal(await helper.getByLabel('Shared screen').count(), 0);
  });

  it('has one polite live region per view, saying each state change in words', async () => {
    const { helper, sharer } = await mountBoth(page, [{ kind: 'unenrolled', reasons: [] }]);
    /** The view's own live regions (not the chat's log, not those inside other components). */
    const regions = (view: Locator) => view.evaluate((el) =>
      [...(el.shadowRoot?.querySelectorAll('[role=status], [role=alert], [aria-live]') ?? [])]
        .filter((r) => r.getAttribute('role') !== 'log' && !r.closest('rh-policy-refusal'))
        .map((r) => r.textContent?.trim() ?? ''));
    await join(helper, sharer);
    await helper.getByText('Waiting for Sam Sharer to allow…').waitFor();
    assert.deepEqual(await regions(helper), ['Sam Sharer entered the code. Waiting for them to allow.']);
    assert.deepEqual(await regions(sharer), ['Hanna Helper wants to see your screen. Choose Allow or Deny.']);
    await sharer.getByRole('button', { name: 'Allow' }).click();
    await sharer.getByText('You are sharing your screen').waitFor();
    await page.waitForFunction(() => document.querySelector('rh-helper-session')?.shadowRoot?.textContent?.includes('allowed. You can see their screen.'));
    assert.deepEqual(await regions(helper), ['Sam Sharer allowed. You can see their screen.']);
    assert.deepEqual(await regions(sharer), ['Sharing started: the helper can see your screen.']);
    await sharer.getByRole('button', { name: 'End session' }).click();
    await helper.getByText('Session ended', { exact: true }).waitFor();
    assert.deepEqual(await regions(helper), ['The session has ended.']);
  });

  it('tells the helper the request was declined when the sharer chooses Deny', async () => {
    const { helper, sharer } = await mountBoth(page, [{ kind: 'noncompliant', reasons: ['Firewall is off'] }]);
    await join(helper, sharer);
    await helper.getByRole('alert').getByText('Firewall is off').waitFor();
    await sharer.getByRole('button', { name: 'Deny' }).click();
    await helper.getByText('Sam Sharer declined the request.').waitFor();
    await helper.getByText('Session ended').waitFor();
    await sharer.getByText('You declined. Hanna Helper has been told.').waitFor();
  });

  it('ends the session for the sharer when the helper chooses End session', async () => {
    const { helper, sharer } = await mountBoth(page, []);
    await join(helper, sharer);
    await sharer.getByRole('button', { name: 'Allow' }).click();
    await helper.getByLabel('Shared screen').waitFor();
    await helper.getByRole('button', { name: 'End session' }).click();
    await sharer.getByText('Session ended').waitFor();
    await sharer.getByText('Hanna Helper (the helper) ended the session.').waitFor();
    // The sharer's capture is stopped, not left running.
    await page.waitForFunction(() => document.querySelector('rh-sharer-session')?.shadowRoot?.querySelector('rh-chat')?.hasAttribute('disabled'));
  });

  it('keeps the chat whole across a dropped connection: nothing lost, nothing twice', async () => {
    const { helper, sharer } = await mountBoth(page, []);
    await join(helper, sharer);
    await sharer.getByRole('button', { name: 'Allow' }).click();
    await helper.getByLabel('Shared screen').waitFor();
    await sharer.getByRole('textbox', { name: 'Message' }).fill('one');
    await sharer.getByRole('textbox', { name: 'Message' }).press('Enter');
    await helper.getByText('one', { exact: true }).waitFor();

    await page.evaluate(() => (window as unknown as W).relay.disconnect('helper'));
    await helper.getByText('Connection lost. Reconnecting…').waitFor();
    for (const text of ['two', 'three']) {
      await sharer.getByRole('textbox', { name: 'Message' }).fill(text);
      await sharer.getByRole('textbox', { name: 'Message' }).press('Enter');
      await sharer.getByRole('log', { name: 'Chat' }).getByText(text, { exact: true }).waitFor();
    }
    await page.evaluate(() => (window as unknown as W).relay.reconnect('helper'));
    // 'three' may arrive live before the resume is asked for (its broadcast was still on its way when the
    // connection came back): the resume must still bring 'two'. Each once, in the relay's order.
    await helper.getByText('two', { exact: true }).waitFor();
    await helper.getByText('three', { exact: true }).waitFor();
    assert.deepEqual(await helper.locator('rh-chat .text').allTextContents(), ['one', 'two', 'three']);
    const resumes = await page.evaluate(() => (window as unknown as W).relay.calls.filter((c) => c.event === 'session:resume'));
    assert.equal(resumes.length, 1);
    assert.equal((resumes[0]!.req as { afterSeq: number }).afterSeq, 1);
  });

  it('fetches a long missed chat page by page, and says that the oldest messages are no longer there', async () => {
    // The relay holds the last 4 messages and answers 2 per resume.
    const { helper, sharer } = await mountBoth(page, [], { held: 4, page: 2 });
    await join(helper, sharer);
    await sharer.getByRole('button', { name: 'Allow' }).click();
    await helper.getByLabel('Shared screen').waitFor();
    await sharer.getByRole('textbox', { name: 'Message' }).fill('one');
    await sharer.getByRole('textbox', { name: 'Message' }).press('Enter');
    await helper.getByText('one', { exact: true }).waitFor();
    await page.evaluate(() => (window as unknown as W).relay.disconnect('helper'));
    await helper.getByText('Connection lost. Reconnecting…').waitFor();
    for (const text of ['two', 'three', 'four', 'five', 'six']) {
      await sharer.getByRole('textbox', { name: 'Message' }).fill(text);
      await sharer.getByRole('textbox', { name: 'Message' }).press('Enter');
      await sharer.getByRole('log', { name: 'Chat' }).getByText(text, { exact: true }).waitFor();
    }
    await page.evaluate(() => (window as unknown as W).relay.reconnect('helper'));
    await helper.getByText('six', { exact: true }).waitFor();
    await helper.getByRole('log', { name: 'Chat' }).getByText('Older messages are no longer available.').waitFor();
    assert.deepEqual(await helper.locator('rh-chat .text').allTextContents(), ['one', 'three', 'four', 'five', 'six'], '"two" is gone, the rest once, in order');
    const resumes = await page.evaluate(() => (window as unknown as W).relay.calls.filter((c) => c.event === 'session:resume'));
    assert.deepEqual(resumes.map((r) => (r.req as { afterSeq: number }).afterSeq), [1, 4], 'one request per page, each after the last page');
  });

  it('asks the resume for what it missed even when a newer message came live first', async () => {
    const { helper, sharer } = await mountBoth(page, []);
    await join(helper, sharer);
    await sharer.getByRole('button', { name: 'Allow' }).click();
    await helper.getByLabel('Shared screen').waitFor();
    await page.evaluate(() => (window as unknown as W).relay.disconnect('helper'));
    await helper.getByText('Connection lost. Reconnecting…').waitFor();
    await sharer.getByRole('textbox', { name: 'Message' }).fill('missed');
    await sharer.getByRole('textbox', { name: 'Message' }).press('Enter');
    await sharer.getByRole('log', { name: 'Chat' }).getByText('missed', { exact: true }).waitFor();
    // 'late' is sent while the helper is away and its broadcast is still on its way when the connection
    // comes back: it reaches the helper live, before the helper asks the relay to resume.
    await page.evaluate(() => {
      const w = window as unknown as W;
      const sessionId = document.querySelector('rh-helper-session')!.sessionId!;
      void w.relay.sharer.request('chat:send', { sessionId, clientId: crypto.randomUUID(), text: 'late' });
      w.relay.reconnect('helper');
    });
    await helper.getByText('late', { exact: true }).waitFor();
    await helper.getByText('missed', { exact: true }).waitFor();
    assert.deepEqual(await helper.locator('rh-chat .text').allTextContents(), ['missed', 'late']);
    const resumes = await page.evaluate(() => (window as unknown as W).relay.calls.filter((c) => c.event === 'session:resume'));
    assert.equal((resumes.at(-1)!.req as { afterSeq: number }).afterSeq, 0, 'after the unbroken run (none), not after "late"');
  });

  it('creates a session when told to, not by being put in the page, and only one', async () => {
    await page.evaluate(async () => {
      const w = window as unknown as W;
      w.relay = w.rhTest.createMemoryRelay({ helper: w.rhTest.helperProfile, sharer: w.rhTest.sharerProfile, warnings: [] });
      const helper = document.createElement('rh-helper-session');
      helper.link = w.relay.helper;
      document.querySelector('main')?.append(helper);
      await helper.updateComplete;
      if (w.relay.calls.length > 0) throw new Error('mounting alone sent a request');
      // A double click (or two callers) while the first request is under way still makes one session.
      void helper.start({ deviceId: 'dev-1' });
      void helper.start({ deviceId: 'dev-1' });
    });
    await page.getByLabel('Security code').waitFor();
    const creates = await page.evaluate(() => (window as unknown as W).relay.calls.filter((c) => c.event === 'session:create'));
    assert.equal(creates.length, 1);
    assert.deepEqual(creates[0]!.req, { deviceId: 'dev-1' });
  });

  it('keeps a start asked for before its link is set, and creates the session once the link is there', async () => {
    await page.evaluate(async () => {
      const w = window as unknown as W;
      w.relay = w.rhTest.createMemoryRelay({ helper: w.rhTest.helperProfile, sharer: w.rhTest.sharerProfile, warnings: [] });
      const helper = document.createElement('rh-helper-session');
      document.querySelector('main')?.append(helper);
      await helper.updateComplete;
      void helper.start({ deviceId: 'dev-2' });
      helper.link = w.relay.helper;
    });
    await page.getByLabel('Security code').waitFor();
    const creates = await page.evaluate(() => (window as unknown as W).relay.calls.filter((c) => c.event === 'session:create'));
    assert.deepEqual(creates.map((c) => c.req), [{ deviceId: 'dev-2' }]);
  });
});
