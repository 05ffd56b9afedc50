// The session view's parts in real Chromium, as the helper and the sharer meet them: the shared
// screen while the sharer is away or paused, full screen and actual size; the code's countdown and
// its renewal; and what the end of a session says.
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import type { RhTest } from '../fixtures/ui/test-page.js';
import { useUiPage } from '../support/ui-page.js';

type W = Window & { rhTest: RhTest; events?: unknown[]; clock?: number; stream?: MediaStream };

/** A moving picture of the given size as a MediaStream (a canvas's captureStream), on a shared screen. */
async function mountScreen(page: Page, width: number, height: number): Promise<void> {
  await page.evaluate(
    ([width, height]) => {
      const w = window as unknown as W;
      const canvas = document.createElement('canvas');
      canvas.width = width;
      canvas.height = height;
      const g = canvas.getContext('2d')!;
      // Drawn in place (no named function: tsx would wrap it in a helper the page does not have).
      let frame = 0;
      setInterval(() => {
        g.fillStyle = `hsl(${(frame++ * 7) % 360} 60% 50%)`;
        g.fillRect(0, 0, width, height);
        g.fillStyle = '#fff';
        g.font = '48px sans-serif';
        g.fillText(`frame ${frame}`, 40, 80);
      }, 50);
      w.stream = canvas.captureStream(20);
      const screen = document.createElement('rh-shared-screen');
      screen.stream = w.stream;
      document.querySelector('main')?.append(screen);
    },
    [width, height] as const,
  );
  // Playing: the video knows the stream's size and its time moves on.
  await page.waitForFunction(() => {
    const v = document.querySelector('rh-shared-screen')?.video;
    return !!v && v.videoWidth > 0 && v.currentTime > 0.2 && !v.paused;
  });
}

const box = async (page: Page, js: string): Promise<{ x: number; y: number; width: number; height: number }> =>
  page.evaluate((js) => {
    const screen = document.querySelector('rh-shared-screen')!;
    const el = screen.shadowRoot!.querySelector(js)!;
    const r = el.getBoundingClientRect();
    return { x: r.x, y: r.y, width: r.width, height: r.height };
  }, js);

describe('session view components in Chromium', function () {
  let page: Page;
  useUiPage((p) => (page = p));

  describe('rh-shared-screen', () => {
    it('shows "Reconnecting…" and then "Sharing paused" over the last frame, and the live picture again after', async () => {
      await mountScreen(page, 640, 360);
      const video = page.getByLabel('Shared screen', { exact: true });
      assert.equal(await page.getByRole('heading', { name: 'Reconnecting…' }).count(), 0);

      await page.evaluate(() => {
        const s = document.querySelector('rh-shared-screen')!;
        s.status = 'reconnecting';
        s.statusText = 'Sam Sharer’s connection dropped. Waiting for up to 2 minutes.';
      });
      const heading = page.getByRole('heading', { name: 'Reconnecting…' });
      await heading.waitFor();
      await page.getByText('Sam Sharer’s connection dropped. Waiting for up to 2 minutes.').waitFor();
      // Visible text laid over the video (the session view's one live region says it to screen readers).
      assert.ok(await heading.isVisible());
      const overlay = await box(page, '.overlay');
      const picture = await box(page, 'video');
      assert.ok(overlay.width >= picture.width - 1 && overlay.height >= picture.height - 1, 'the overlay covers the picture');
      // The last frame stays: same stream, still attached, element still shown.
      assert.equal(await page.evaluate(() => document.querySelector('rh-shared-screen')!.video!.srcObject === (window as unknown as W).stream), true);
      assert.ok(await video.isVisible());

      await page.evaluate(() => {
        const s = document.querySelector('rh-shared-screen')!;
        s.status = 'paused';
        s.statusText = 'Sam Sharer paused sharing.';
      });
      await page.getByRole('heading', { name: 'Sharing paused' }).waitFor();
      await page.getByText('Sam Sharer paused sharing.').waitFor();
      assert.equal(await page.getByRole('heading', { name: 'Reconnecting…' }).count(), 0);
      assert.equal(await page.evaluate(() => document.querySelector('rh-shared-screen')!.video!.srcObject === (window as unknown as W).stream), true);

      await page.evaluate(() => {
        const s = document.querySelector('rh-shared-screen')!;
        s.status = 'live';
        s.statusText = '';
      });
      await page.getByRole('heading', { name: 'Sharing paused' }).waitFor({ state: 'detached' });
      const t = await video.evaluate((v) => (v as HTMLVideoElement).currentTime);
      await page.waitForFunction((t) => document.querySelector('rh-shared-screen')!.video!.currentTime > t + 0.2, t);
    });

    it('goes full screen from the keyboard, reads "Exit full screen" there, and follows the way out', async () => {
      await mountScreen(page, 640, 360);
      // Tab order: Fit to window, Actual size (100 %), Full screen.
      await page.keyboard.press('Tab');
      await page.keyboard.press('Tab');
      await page.keyboard.press('Tab');
      const button = page.getByRole('button', { name: 'Full screen', exact: true });
      assert.equal(await button.evaluate((b) => b.matches(':focus-visible')), true, 'reached by Tab, with a visible focus');
      assert.notEqual(await button.evaluate((b) => getComputedStyle(b).outlineStyle), 'none');
      await page.keyboard.press('Enter');

      const exit = page.getByRole('button', { name: 'Exit full screen' });
      await exit.waitFor();
      // The screen's container is what is full screen: video, overlay and the view's buttons.
      const which = await page.evaluate(() => {
        const host = document.querySelector('rh-shared-screen')!;
        return { document: document.fullscreenElement === host, inner: host.shadowRoot!.fullscreenElement?.className };
      });
      assert.deepEqual(which, { document: true, inner: 'screen fit' });
      const viewport = await page.evaluate(() => ({ width: innerWidth, height: innerHeight }));
      const picture = await box(page, 'video');
      assert.ok(picture.width >= viewport.width - 20, `the picture fills the screen's width (${picture.width} of ${viewport.width})`);
      assert.ok(picture.height >= viewport.height * 0.8, `and most of its height (${picture.height} of ${viewport.height})`);
      assert.equal(await exit.evaluate((b) => (b.getRootNode() as ShadowRoot).activeElement === b), true, 'focus stays on the button');

      // Escape is the browser's own way out; whether headless Chromium takes it from synthetic input
      // is its business, so the way out asserted is the one every path ends in: exitFullscreen() and
      // the fullscreenchange event the button follows.
      await page.keyboard.press('Escape');
      const leftByEscape = await page
        .waitForFunction(() => document.fullscreenElement === null, undefined, { timeout: 1000 })
        .then(() => true, () => false);
      if (!leftByEscape) await page.evaluate(() => document.exitFullscreen());
      await page.getByRole('button', { name: 'Full screen', exact: true }).waitFor();
      assert.equal(await page.getByRole('button', { name: 'Exit full screen' }).count(), 0);
      console.log(`      (Escape ${leftByEscape ? 'left' : 'did not leave'} full screen in headless Chromium)`);

      // In and out again with the button itself.
      await page.getByRole('button', { name: 'Full screen', exact: true }).press('Enter');
      await exit.waitFor();
      await exit.press('Enter');
      await page.getByRole('button', { name: 'Full screen', exact: true }).waitFor();
      assert.equal(await page.evaluate(() => document.fullscreenElement), null);
    });

    it('fits the picture into the window by default, and shows it pixel for pixel in a scrollable view at actual size', async () => {
      await page.setViewportSize({ width: 1366, height: 768 });
      await mountScreen(page, 1920, 1080);
      const fit = page.getByRole('button', { name: 'Fit to window' });
      const actual = page.getByRole('button', { name: 'Actual size (100 %)' });
      assert.equal(await fit.getAttribute('aria-pressed'), 'true');
      assert.equal(await actual.getAttribute('aria-pressed'), 'false');

      // Fit: within the page's width, and short enough that a page at 1366×768 keeps room below it.
      const fitted = await box(page, 'video');
      assert.ok(fitted.width <= 1366 && fitted.height <= 768 - 12 * 16 + 1, `fitted ${fitted.width}×${fitted.height}`);
      const noScroll = await page.evaluate(() => {
        const s = document.querySelector('rh-shared-screen')!.shadowRoot!.querySelector('.scroller')!;
        return s.scrollWidth <= s.clientWidth && s.scrollHeight <= s.clientHeight;
      });
      assert.equal(noScroll, true, 'nothing to scroll when it fits');
      assert.equal(await page.getByRole('region', { name: 'Screen at actual size, scrollable' }).count(), 0);

      await actual.click();
      assert.equal(await actual.getAttribute('aria-pressed'), 'true');
      assert.equal(await fit.getAttribute('aria-pressed'), 'false');
      const dpr = await page.evaluate(() => devicePixelRatio);
      await page.waitForFunction((dpr) => {
        const v = document.querySelector('rh-shared-screen')!.video!;
        return Math.abs(v.getBoundingClientRect().width - 1920 / dpr) < 1;
      }, dpr);
      const shown = await box(page, 'video');
      assert.ok(Math.abs(shown.height - 1080 / dpr) < 1, `actual ${shown.width}×${shown.height}`);
      // A scroller bigger picture than its box: scrollbars both ways, reachable and scrollable by keyboard.
      const scroller = page.getByRole('region', { name: 'Screen at actual size, scrollable' });
      const sizes = await scroller.evaluate((s) => ({ sw: s.scrollWidth, cw: s.clientWidth, sh: s.scrollHeight, ch: s.clientHeight, bottom: s.getBoundingClientRect().bottom }));
      assert.ok(sizes.sw > sizes.cw && sizes.sh > sizes.ch, `scrolls both ways: ${JSON.stringify(sizes)}`);
      assert.ok(sizes.bottom <= 768, 'the scrolling view stays within the window');
      await page.keyboard.press('Tab'); // from Actual size: Full screen
      await page.keyboard.press('Tab'); // then the scroller
      assert.equal(await scroller.evaluate((s) => (s.getRootNode() as ShadowRoot).activeElement === s), true);
      await page.keyboard.press('End');
      await page.keyboard.press('ArrowRight');
      await page.keyboard.press('ArrowRight');
      await page.waitForFunction(() => {
        const s = document.querySelector('rh-shared-screen')!.shadowRoot!.querySelector('.scroller')!;
        return s.scrollTop > 0 && s.scrollLeft > 0;
      });

      await fit.click();
      const back = await box(page, 'video');
      assert.deepEqual([Math.round(back.width), Math.round(back.height)], [Math.round(fitted.width), Math.round(fitted.height)]);
    });

    it('keeps a side column with End session on screen at 1366×768', async () => {
      await page.setViewportSize({ width: 1366, height: 768 });
      // A page shaped like the helper's: a header, the screen, and a side column (chat, End session).
      await page.evaluate(() => {
        const main = document.querySelector('main')!;
        main.innerHTML =
          '<header style="block-size:4rem">Remote Help</header>' +
          '<div style="display:grid;grid-template-columns:1fr 20rem;gap:1rem">' +
          '<div class="view"><p>Sharing with Sam Sharer</p></div>' +
          '<div class="side"><div style="block-size:14rem">chat</div><button>End session</button></div></div>';
      });
      await page.evaluate(() => {
        const canvas = document.createElement('canvas');
        canvas.width = 2560;
        canvas.height = 1600;
        canvas.getContext('2d')!.fillRect(0, 0, 2560, 1600);
        const screen = document.createElement('rh-shared-screen');
        screen.stream = canvas.captureStream(5);
        document.querySelector('.view')!.append(screen);
      });
      await page.waitForFunction(() => (document.querySelector('rh-shared-screen')?.video?.videoWidth ?? 0) > 0);
      const fits = await page.evaluate(() => {
        const v = document.querySelector('rh-shared-screen')!.video!.getBoundingClientRect();
        const end = [...document.querySelectorAll('button')].find((b) => b.textContent === 'End session')!.getBoundingClientRect();
        return { videoBottom: v.bottom, endBottom: end.bottom, page: document.documentElement.scrollHeight };
      });
      assert.ok(fits.videoBottom <= 768, `video ends at ${fits.videoBottom}`);
      assert.ok(fits.endBottom <= 768, `End session ends at ${fits.endBottom}`);
      assert.ok(fits.page <= 768, `the page is ${fits.page} px tall`);
    });
  });

  describe('rh-security-code', () => {
    const expiresAt = Date.UTC(2026, 0, 1, 10, 10, 0);
    async function mountCode(p: Page, now: number): Promise<void> {
      await p.evaluate(
        ([now, expiresAt]) => {
          const w = window as unknown as W;
          w.clock = now;
          w.events = [];
          document.addEventListener('rh-new-code', (e) => w.events?.push((e as CustomEvent).detail));
          const el = document.createElement('rh-security-code');
          el.now = () => w.clock!;
          el.session = { sessionId: 's1', code: 'K3X9M2QA', link: 'https://relay.test/rh?passcode=K3X9M2QA', expiresAt: new Date(expiresAt).toISOString() };
          document.querySelector('main')?.append(el);
        },
        [now, expiresAt] as const,
      );
    }
    const setClock = (p: Page, t: number) => p.evaluate((t) => ((window as unknown as W).clock = t), t);

    it('counts down every second in a timer that is not announced, and opens the link in a new tab', async () => {
      await mountCode(page, expiresAt - 581_000);
      const timer = page.getByRole('timer');
      assert.equal(await timer.textContent(), 'Expires in 9:41.');
      assert.equal(await timer.getAttribute('aria-live'), null, 'a timer is not a live region');
      assert.equal(await timer.evaluate((t) => t.closest('[aria-live], [role=status], [role=alert]')), null);
      // The element's own interval renders the injected clock's new time.
      await setClock(page, expiresAt - 580_000);
      await page.getByText('Expires in 9:40.').waitFor({ timeout: 2500 });
      await setClock(page, expiresAt - 65_500);
      await page.getByText('Expires in 1:06.').waitFor({ timeout: 2500 });
      assert.equal(await page.getByRole('alert').count(), 0);
      assert.equal(await page.getByRole('button', { name: 'Get a new code' }).count(), 0);

      const link = page.getByRole('link', { name: 'https://relay.test/rh?passcode=K3X9M2QA' });
      assert.equal(await link.getAttribute('target'), '_blank');
      assert.equal(await link.getAttribute('rel'), 'noopener noreferrer');
    });

    it('warns at one minute left and offers Get a new code, says when the code has expired, and asks the host for a new one', async () => {
      await mountCode(page, expiresAt - 61_000);
      assert.equal(await page.getByRole('alert').count(), 0);
      await setClock(page, expiresAt - 60_000);
      const alert = page.getByRole('alert');
      await alert.getByText('The code expires in less than a minute.').waitFor({ timeout: 2500 });
      assert.equal(await page.getByRole('timer').textContent(), 'Expires in 1:00.');
      assert.equal(await alert.evaluate((a) => a.closest('ul, ol, li, [role=list], [role=listitem]')), null, 'not inside a list');
      const renew = page.getByRole('button', { name: 'Get a new code' });
      await renew.focus();
      await page.keyboard.press('Enter');
      assert.deepEqual(await page.evaluate(() => (window as unknown as W).events), [{ sessionId: 's1' }]);

      await setClock(page, expiresAt);
      await alert.getByText('This code has expired.').waitFor({ timeout: 2500 });
      assert.equal(await page.getByRole('alert').count(), 1);
      assert.equal(await page.getByRole('timer').count(), 0);
      assert.equal(await page.getByRole('button', { name: 'Copy code' }).isDisabled(), true, 'an expired code is not offered for copying');
      await renew.click();
      assert.deepEqual(await page.evaluate(() => (window as unknown as W).events), [{ sessionId: 's1' }, { sessionId: 's1' }]);

      // The host's new session: a fresh countdown, no warning.
      await page.evaluate((expiresAt) => {
        const el = document.querySelector('rh-security-code')!;
        el.session = { sessionId: 's2', code: 'P7R4T9WZ', link: 'https://relay.test/rh?passcode=P7R4T9WZ', expiresAt: new Date(expiresAt + 600_000).toISOString() };
      }, expiresAt);
      await page.getByText('Expires in 10:00.').waitFor();
      assert.equal(await page.getByRole('alert').count(), 0);
      assert.equal(await page.getByLabel('Security code').textContent(), 'P7R4 T9WZ');
    });

    it('stops its clock when removed from the page', async () => {
      const timers = await page.evaluate(() => {
        const started: unknown[] = [];
        const cleared: unknown[] = [];
        const set = window.setInterval.bind(window);
        const clear = window.clearInterval.bind(window);
        window.setInterval = ((fn: TimerHandler, ms?: number) => {
          const id = set(fn, ms);
          started.push(id);
          return id;
        }) as typeof window.setInterval;
        window.clearInterval = ((id?: number) => {
          cleared.push(id);
          clear(id);
        }) as typeof window.clearInterval;
        const el = document.createElement('rh-security-code');
        document.querySelector('main')?.append(el);
        el.remove();
        window.setInterval = set;
        window.clearInterval = clear;
        return { started, cleared };
      });
      assert.equal(timers.started.length, 1);
      assert.deepEqual(timers.cleared, timers.started);
    });
  });

  describe('rh-session-ended', () => {
    async function mountEnded(p: Page, props: { ended: Record<string, unknown>; self: 'helper' | 'sharer'; peerName?: string }): Promise<void> {
      await p.evaluate((props) => {
        const w = window as unknown as W;
        w.events = [];
        document.addEventListener('rh-new-session', (e) => w.events?.push((e as CustomEvent).detail));
        document.querySelector('main')!.replaceChildren();
        const el = document.createElement('rh-session-ended');
        el.ended = props.ended as never;
        el.self = props.self;
        el.peerName = props.peerName;
        document.querySelector('main')?.append(el);
      }, props);
      await p.getByRole('heading', { name: 'Session ended' }).waitFor();
    }
    const reasonText = (p: Page) => p.locator('rh-session-ended .reason').textContent();

    it('says why, for each reason, from the helper\'s side and the sharer\'s', async () => {
      const cases: Array<[by: string, reason: string, self: 'helper' | 'sharer', peer: string | undefined, text: string]> = [
        ['sharer', 'left', 'helper', 'Sam Sharer', 'Sam Sharer left the session and did not come back.'],
        ['sharer', 'left', 'helper', undefined, 'The other person left the session and did not come back.'],
        ['helper', 'left', 'helper', 'Sam Sharer', 'You left the session.'],
        ['sharer', 'connection-lost', 'helper', 'Sam Sharer', 'The connection to Sam Sharer was lost and did not come back.'],
        ['helper', 'connection-lost', 'sharer', 'Hanna Helper', 'The connection to Hanna Helper was lost and did not come back.'],
        ['sharer', 'connection-lost', 'sharer', 'Hanna Helper', 'Your connection was lost for too long, so the session ended.'],
        ['sharer', 'disconnected', 'helper', 'Sam Sharer', 'Sam Sharer left the session.'],
        ['relay', 'disconnected', 'helper', 'Sam Sharer', 'The service no longer has this session: it ended while you were disconnected, or the service restarted.'],
        ['relay', 'disconnected', 'sharer', 'Hanna Helper', 'The service no longer has this session: it ended while you were disconnected, or the service restarted.'],
        ['sharer', 'denied', 'helper', 'Sam Sharer', 'Sam Sharer declined the request.'],
        ['sharer', 'denied', 'sharer', 'Hanna Helper', 'You declined. Hanna Helper has been told.'],
        ['relay', 'expired', 'helper', undefined, 'The security code expired before anyone connected.'],
        ['relay', 'refused', 'helper', 'Sam Sharer', "Your organization's access policy did not allow Sam Sharer to join this session."],
        ['helper', 'account-disabled', 'sharer', 'Hanna Helper', 'The session ended: your organization disabled the account of Hanna Helper.'],
        ['helper', 'ended', 'helper', 'Sam Sharer', 'You ended the session.'],
        ['helper', 'ended', 'sharer', 'Hanna Helper', 'Hanna Helper (the helper) ended the session.'],
        ['relay', 'ended', 'sharer', 'Hanna Helper', 'The session was ended by the service.'],
      ];
      for (const [by, reason, self, peerName, text] of cases) {
        await mountEnded(page, { ended: { sessionId: 's', by, reason }, self, peerName });
        assert.equal(await reasonText(page), text, `${reason} by ${by}, seen by the ${self}`);
      }
    });

    it('tells when it ended and how long the screen was shared, and the helper can start a new session', async () => {
      // 14:05 on the page's own clock, shared from 13:52:55: 12 min 5 s.
      const times = await page.evaluate(() => ({
        at: new Date(2026, 0, 1, 14, 5, 0).toISOString(),
        sharingSince: new Date(2026, 0, 1, 13, 52, 55).toISOString(),
      }));
      await mountEnded(page, { ended: { sessionId: 's9', by: 'sharer', reason: 'left', ...times }, self: 'helper', peerName: 'Sam Sharer' });
      const ended = page.locator('rh-session-ended');
      assert.match((await ended.locator('.at').textContent()) ?? '', /^Ended at 2:05\sPM$/);
      assert.equal(await ended.locator('.lasted').textContent(), 'Lasted 12 min 5 sec');
      assert.equal(await page.getByText('You can close this tab.').count(), 0);

      await page.evaluate(() => document.querySelector('rh-session-ended')!.focusOutcome());
      assert.equal(
        await page.evaluate(() => document.querySelector('rh-session-ended')!.shadowRoot!.activeElement?.textContent),
        'Session ended',
        'focus moved to the outcome',
      );
      await page.keyboard.press('Tab');
      const next = page.getByRole('button', { name: 'New session' });
      assert.equal(await next.evaluate((b) => (b.getRootNode() as ShadowRoot).activeElement === b), true, 'New session is the next stop');
      await page.keyboard.press('Enter');
      assert.deepEqual(await page.evaluate(() => (window as unknown as W).events), [{ sessionId: 's9' }]);
    });

    it('shows no duration when sharing never started, and tells the sharer the tab can be closed', async () => {
      const at = await page.evaluate(() => new Date(2026, 0, 1, 9, 30, 0).toISOString());
      await mountEnded(page, { ended: { sessionId: 's', by: 'sharer', reason: 'denied', at }, self: 'sharer', peerName: 'Hanna Helper' });
      assert.match((await page.locator('rh-session-ended .at').textContent()) ?? '', /^Ended at 9:30\sAM$/);
      assert.equal(await page.locator('rh-session-ended .lasted').count(), 0);
      await page.getByText('You can close this tab.').waitFor();
      assert.equal(await page.getByRole('button').count(), 0);

      // Hours, and nothing for a zero part.
      await mountEnded(page, {
        ended: { sessionId: 's', by: 'helper', reason: 'ended', sharingSince: '2026-01-01T10:00:00.000Z', at: '2026-01-01T11:03:00.000Z' },
        self: 'sharer',
        peerName: 'Hanna Helper',
      });
      assert.equal(await page.locator('rh-session-ended .lasted').textContent(), 'Lasted 1 hr 3 min');
    });
  });
});
