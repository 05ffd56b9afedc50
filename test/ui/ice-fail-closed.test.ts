// The relay will not say which ICE servers and policy to use (session:ice refused): the pages ask again
// a few times, then make no peer connection at all and say why with the stable code's message. A
// relay-only policy is never turned into a direct path by a fallback. rh-helper-session and
// rh-sharer-session over the in-memory transport double, in Chromium.
import assert from 'node:assert/strict';
import type { Locator, Page } from 'playwright-core';
import type { MemoryRelay } from '../fixtures/ui/memory-relay.js';
import type { RhTest } from '../fixtures/ui/test-page.js';
import { useUiPage } from '../support/ui-page.js';

type W = Window & { rhTest: RhTest; relay: MemoryRelay; peerConnections: number; iceAsks: number };

const iceUnavailable = 'The screen could not be connected: the Remote Help service did not send the settings your organization requires for it. Try again in a moment, or end the session and start a new one.';

/** The sharer types the code the helper's view shows and clicks Connect. */
async function sharerConnectsWithShownCode(page: Page): Promise<{ helper: Locator; sharer: Locator }> {
  const helper = page.locator('rh-helper-session');
  const sharer = page.locator('rh-sharer-session');
  const code = (await helper.getByLabel('Security code').textContent()) ?? '';
  await sharer.getByRole('textbox', { name: 'Security code' }).fill(code);
  await sharer.getByRole('button', { name: 'Connect' }).click();
  return { helper, sharer };
}

describe('a relay that refuses session:ice', function () {
  let page: Page;
  useUiPage((p) => (page = p));

  it('gets no peer connection on either side after asking again, and the sharer is told why', async () => {
    // A string, because tsx would wrap the named functions in a helper the page does not have.
    await page.evaluate(`(() => {
      const w = window;
      // Every peer connection the pages make, counted (none may be made).
      w.peerConnections = 0;
      window.RTCPeerConnection = new Proxy(window.RTCPeerConnection, {
        construct: (target, args) => (w.peerConnections++, Reflect.construct(target, args)),
      });
      w.relay = w.rhTest.createMemoryRelay({
        helper: w.rhTest.helperProfile, sharer: w.rhTest.sharerProfile, warnings: [],
        refuse: { ice: { code: 'internal', message: 'the TURN secret could not be read' } },
      });
      w.iceAsks = 0;
      const sharerLink = w.relay.sharer;
      const counted = {
        on: sharerLink.on,
        request: (event, req) => ((event === 'session:ice' && w.iceAsks++), sharerLink.request(event, req)),
      };
      const helper = document.createElement('rh-helper-session');
      helper.link = w.relay.helper;
      const sharer = document.createElement('rh-sharer-session');
      sharer.link = counted;
      document.querySelector('main').append(helper, sharer);
      void helper.start();
    })()`);
    const { sharer } = await sharerConnectsWithShownCode(page);
    // The connection opened at join (for the Verification code) asks three times, then gives up.
    await sharer.getByRole('alert').filter({ hasText: iceUnavailable }).waitFor();
    // Allow tries once more, three asks again, and still makes no connection.
    await sharer.getByRole('button', { name: 'Allow' }).click();
    await page.waitForFunction(() => (window as unknown as W).iceAsks >= 6);
    await sharer.getByRole('alert').filter({ hasText: iceUnavailable }).waitFor();
    const seen = await page.evaluate(() => {
      const w = window as unknown as W;
      return { peerConnections: w.peerConnections, iceAsks: w.iceAsks, signals: w.relay.calls.filter((c) => c.event === 'signal:send').length };
    });
    assert.deepEqual(seen, { peerConnections: 0, iceAsks: 6, signals: 0 });
    // The session itself goes on: the sharer still sees it is sharing, and can end it.
    assert.ok(await sharer.getByRole('button', { name: 'End session' }).isVisible());
  });

  it('a helper whose first ICE asks fail says so, and the sharer’s next connection brings the screen (nothing waits forever)', async () => {
    await page.evaluate(`(() => {
      const w = window;
      w.relay = w.rhTest.createMemoryRelay({ helper: w.rhTest.helperProfile, sharer: w.rhTest.sharerProfile, warnings: [] });
      // The helper's first three session:ice asks are refused (the relay's TURN secret briefly unreadable).
      w.iceAsks = 0;
      const helperLink = w.relay.helper;
      const flaky = {
        on: helperLink.on,
        request: (event, req) => (event === 'session:ice' && ++w.iceAsks <= 3)
          ? Promise.resolve({ ok: false, error: { code: 'internal', message: 'the TURN secret could not be read' } })
          : helperLink.request(event, req),
      };
      const helper = document.createElement('rh-helper-session');
      helper.link = flaky;
      const sharer = document.createElement('rh-sharer-session');
      sharer.link = w.relay.sharer;
      document.querySelector('main').append(helper, sharer);
      void helper.start();
    })()`);
    const { helper, sharer } = await sharerConnectsWithShownCode(page);
    await helper.getByRole('alert').filter({ hasText: iceUnavailable }).waitFor();
    await sharer.getByRole('button', { name: 'Allow' }).click();
    const video = helper.getByLabel('Shared screen');
    await video.waitFor();
    await page.waitForFunction((v) => v instanceof HTMLVideoElement && v.videoWidth > 0, await video.elementHandle(), { timeout: 15_000 });
    assert.equal(await helper.getByRole('alert').filter({ hasText: iceUnavailable }).count(), 0, 'the ICE error stays after the screen came');
    assert.ok(await page.evaluate(() => (window as unknown as W).iceAsks) > 3);
  });
});
