// The shared components in real Chromium: what a user sees and can reach with the keyboard and a
// screen reader (every control is found by its role and its DESIGN §9 name).
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import type { RhTest } from '../fixtures/ui/test-page.js';
import { useUiPage } from '../support/ui-page.js';

type W = Window & { rhTest: RhTest; sent?: unknown[]; alerted?: boolean; events?: string[] };

describe('ui components in Chromium', function () {
  let page: Page;
  useUiPage((p) => (page = p));

  describe('rh-chat', () => {
    async function mountChat(p: Page): Promise<void> {
      await p.evaluate(() => {
        const w = window as unknown as W;
        w.sent = [];
        w.alerted = false;
        window.alert = () => {
          w.alerted = true;
        };
        const chat = document.createElement('rh-chat');
        chat.self = 'helper';
        let seq = 100;
        chat.send = async (req) => {
          w.sent?.push(req);
          return w.rhTest.ok({ sessionId: 's', seq: ++seq, clientId: req.clientId, from: 'helper' as const, senderName: 'Hanna Helper', text: req.text, sentAt: new Date().toISOString() });
        };
        document.querySelector('main')?.append(chat);
      });
    }
    const message = (seq: number, clientId: string, text: string) => ({
      sessionId: 's', seq, clientId, from: 'sharer' as const, senderName: 'Sam Sharer', text, sentAt: '2026-01-01T10:00:00.000Z',
    });

    it('shows markup-looking text as text, and Arabic right to left', async () => {
      await mountChat(page);
      const hostile = '<img src=x onerror=alert(1)>';
      await page.evaluate(
        (msgs) => msgs.forEach((m) => document.querySelector('rh-chat')?.receive(m)),
        [message(1, 'c1', hostile), message(2, 'c2', 'مرحبا، كيف يمكنني المساعدة؟'), message(3, 'c3', '你好 👋')],
      );
      const log = page.getByRole('log', { name: 'Chat' });
      await log.getByText(hostile, { exact: true }).waitFor();
      assert.equal(await page.locator('rh-chat img').count(), 0, 'no element was made from the text');
      const arabic = log.getByText('مرحبا، كيف يمكنني المساعدة؟', { exact: true });
      assert.equal(await arabic.getAttribute('dir'), 'auto');
      assert.equal(await arabic.evaluate((el) => getComputedStyle(el).direction), 'rtl');
      const chinese = log.getByText('你好 👋', { exact: true });
      assert.equal(await chinese.evaluate((el) => getComputedStyle(el).direction), 'ltr');
      assert.equal(await page.evaluate(() => (window as unknown as W).alerted), false);
      assert.equal(await log.getAttribute('aria-live'), 'polite');
    });

    it('orders by seq and shows each clientId once', async () => {
      await mountChat(page);
      await page.evaluate(
        (msgs) => msgs.forEach((m) => document.querySelector('rh-chat')?.receive(m)),
        [message(3, 'c3', 'third'), message(1, 'c1', 'first'), message(2, 'c2', 'second'), message(1, 'c1', 'first'), message(3, 'c3', 'third')],
      );
      const texts = page.locator('rh-chat .text');
      await page.getByText('third').waitFor();
      assert.deepEqual(await texts.allTextContents(), ['first', 'second', 'third']);
    });

    it('sends with Enter from the Message box, and offers Retry when sending failed', async () => {
      await mountChat(page);
      const box = page.getByRole('textbox', { name: 'Message' });
      await box.fill('Can you see my screen?');
      await box.press('Enter');
      await page.getByRole('log', { name: 'Chat' }).getByText('Can you see my screen?').waitFor();
      assert.equal(await box.inputValue(), '');
      // The same message arriving again as a broadcast is not shown twice.
      const sent = (await page.evaluate(() => (window as unknown as W).sent)) as Array<{ clientId: string; text: string }>;
      assert.equal(sent.length, 1);
      await page.evaluate((cid) => {
        document.querySelector('rh-chat')?.receive({ sessionId: 's', seq: 101, clientId: cid, from: 'helper', senderName: 'Hanna Helper', text: 'Can you see my screen?', sentAt: new Date().toISOString() });
      }, sent[0]!.clientId);
      assert.equal(await page.getByText('Can you see my screen?').count(), 1);

      // The relay is unreachable: the message stays, marked, with a Retry that keeps its clientId.
      await page.evaluate(() => {
        const w = window as unknown as W;
        const chat = document.querySelector('rh-chat')!;
        let attempts = 0;
        chat.send = async (req) => {
          w.sent?.push(req);
          return ++attempts === 1
            ? w.rhTest.fail('relay-unreachable')
            : w.rhTest.ok({ sessionId: 's', seq: 102, clientId: req.clientId, from: 'helper' as const, senderName: 'Hanna Helper', text: req.text, sentAt: new Date().toISOString() });
        };
      });
      await box.fill('second try');
      await page.getByRole('button', { name: 'Send' }).click();
      await page.getByText('Not sent').waitFor();
      await page.getByRole('alert').getByText('Cannot reach the Remote Help service').waitFor();
      await page.getByRole('button', { name: 'Retry' }).click();
      await page.getByText('Not sent').waitFor({ state: 'detached' });
      const all = (await page.evaluate(() => (window as unknown as W).sent)) as Array<{ clientId: string }>;
      assert.equal(all.length, 3);
      assert.equal(all[1]!.clientId, all[2]!.clientId, 'a retry re-sends the same clientId');
      assert.deepEqual(await page.locator('rh-chat .text').allTextContents(), ['Can you see my screen?', 'second try']);
    });
    it('with a colleague in the chat, says which helper wrote each message; after a hand-over the former helper\'s messages are not "own"', async () => {
      await page.evaluate(() => {
        const chat = document.createElement('rh-chat');
        chat.self = 'colleague';
        document.querySelector('main')?.append(chat);
        const at = '2026-01-01T10:00:00.000Z';
        chat.receive({ sessionId: 's', seq: 1, clientId: 'h1', from: 'helper', senderName: 'Hanna Helper', text: 'I asked Colin to help', sentAt: at });
        chat.receive({ sessionId: 's', seq: 2, clientId: 'c1', from: 'colleague', senderName: 'Colin Colleague', text: 'Hello, I am Colin', sentAt: at });
        chat.receive({ sessionId: 's', seq: 3, clientId: 's1', from: 'sharer', senderName: 'Sam Sharer', text: 'Hi both', sentAt: at });
      });
      await page.getByText('Hi both').waitFor();
      const metas = () => page.locator('rh-chat .msg .meta').evaluateAll((els) => els.map((el) =>
        [...el.querySelectorAll('.sender, .role')].map((e) => e.textContent).join(' · ')));
      assert.deepEqual(await metas(), ['Hanna Helper · Helper', 'Colin Colleague · Colleague', 'Sam Sharer']);
      const own = () => page.locator('rh-chat .msg').evaluateAll((els) => els.map((el) => el.classList.contains('own')));
      assert.deepEqual(await own(), [false, true, false]);
      // Handed over: Colin is the helper from now on; Hanna's earlier messages stay hers.
      await page.evaluate(() => {
        const chat = document.querySelector('rh-chat')!;
        chat.self = 'helper';
        chat.receive({ sessionId: 's', seq: 4, clientId: 'c2', from: 'helper', senderName: 'Colin Colleague', text: 'I am your helper now', sentAt: '2026-01-01T10:01:00.000Z' });
      });
      await page.getByText('I am your helper now').waitFor();
      assert.deepEqual(await own(), [false, true, false, true]);
    });
  });

  describe('rh-trust-card', () => {
    it('shows who is asking, the domain badge, the warnings as alerts, and fires Allow and Deny', async () => {
      await page.evaluate(() => {
        const w = window as unknown as W;
        w.events = [];
        const card = document.createElement('rh-trust-card');
        card.person = w.rhTest.sharerProfile;
        card.warnings = [
          { kind: 'noncompliant', reasons: ['Disk encryption is off', 'OS is out of date'] },
          { kind: 'unenrolled', reasons: [] },
        ];
        card.decide = true;
        card.sessionId = 's1';
        card.addEventListener('rh-allow', (e) => w.events?.push(`allow:${e.detail.sessionId}`));
        card.addEventListener('rh-deny', (e) => w.events?.push(`deny:${e.detail.sessionId}`));
        document.querySelector('main')?.append(card);
      });
      const card = page.locator('rh-trust-card');
      await card.getByText('Sam Sharer').waitFor();
      await card.getByText('Accountant').waitFor();
      await card.getByText('Contoso Ltd').waitFor();
      await card.getByText('contoso-mail.example').waitFor();
      await card.getByText('Unverified domain').waitFor();
      await page.getByRole('img', { name: 'Photo of Sam Sharer' }).waitFor();
      const alerts = page.getByRole('alert');
      assert.equal(await alerts.count(), 2);
      // Still a list of two warnings to a screen reader: each alert sits inside its list item.
      assert.equal(await card.getByRole('list').first().getByRole('listitem').filter({ has: alerts }).count(), 2);
      assert.match((await alerts.nth(0).textContent()) ?? '', /not compliant[\s\S]*Disk encryption is off[\s\S]*OS is out of date/);
      assert.match((await alerts.nth(1).textContent()) ?? '', /This device is not enrolled/);

      await page.getByRole('button', { name: 'Allow' }).focus();
      await page.keyboard.press('Enter');
      await page.getByRole('button', { name: 'Deny' }).click();
      assert.deepEqual(await page.evaluate(() => (window as unknown as W).events), ['allow:s1', 'deny:s1']);
    });

    it('marks a verified domain as verified and has no buttons for the helper', async () => {
      await page.evaluate(() => {
        const card = document.createElement('rh-trust-card');
        card.person = (window as unknown as W).rhTest.helperProfile;
        document.querySelector('main')?.append(card);
      });
      await page.getByText('Verified domain', { exact: true }).waitFor();
      assert.equal(await page.getByRole('button').count(), 0);
      assert.equal(await page.getByRole('alert').count(), 0);
    });
    it('marks a browser-enrolled device "Self-reported" on the device line, and warns while it awaits approval', async () => {
      await page.evaluate(() => {
        const card = document.createElement('rh-trust-card');
        card.person = (window as unknown as W).rhTest.sharerProfile;
        card.device = { id: 'd1', name: 'SAM-HOME-PC', platform: 'Windows', osVersion: '10.0.26100', selfReported: true, approved: false };
        document.querySelector('main')?.append(card);
      });
      const line = page.locator('rh-trust-card dd.device');
      await line.getByText('SAM-HOME-PC', { exact: true }).waitFor();
      await line.getByText('Self-reported', { exact: true }).waitFor();
      await line.getByText('Awaiting approval', { exact: true }).waitFor();
      const alert = page.getByRole('alert').filter({ hasText: 'This device awaits an administrator’s approval' });
      assert.equal(await alert.count(), 1);
      assert.match((await alert.textContent()) ?? '', /self-reported by the browser/);

      // Approved: still self-reported, no longer awaiting.
      await page.evaluate(() => {
        const card = document.querySelector('rh-trust-card')!;
        card.device = { ...card.device!, approved: true };
      });
      await line.getByText('Awaiting approval', { exact: true }).waitFor({ state: 'detached' });
      await line.getByText('Self-reported', { exact: true }).waitFor();
      assert.equal(await page.getByRole('alert').count(), 0);

      // An imported or Intune device: neither mark.
      await page.evaluate(() => {
        const card = document.querySelector('rh-trust-card')!;
        card.device = { id: 'd2', name: 'CONTOSO-LT-0142', platform: 'Windows', osVersion: '10.0.22631', selfReported: false, approved: true };
      });
      await line.getByText('CONTOSO-LT-0142', { exact: true }).waitFor();
      assert.equal(await line.getByText('Self-reported').count(), 0);
    });
  });

  describe('rh-security-code', () => {
    it('shows the code in two groups of four under the label Security code; Copy code and Copy link copy them', async () => {
      await page.evaluate(() => {
        const el = document.createElement('rh-security-code');
        el.session = { sessionId: 's1', code: 'K3X9M2QA', link: 'https://relay.test/rh?passcode=K3X9M2QA', expiresAt: new Date(Date.now() + 600_000).toISOString() };
        document.querySelector('main')?.append(el);
      });
      assert.equal(await page.getByLabel('Security code').textContent(), 'K3X9 M2QA');
      await page.getByRole('link', { name: 'https://relay.test/rh?passcode=K3X9M2QA' }).waitFor();
      await page.getByRole('button', { name: 'Copy code' }).click();
      await page.getByRole('status').getByText('Code copied').waitFor();
      assert.equal(await page.evaluate(() => navigator.clipboard.readText()), 'K3X9M2QA', 'the code as it is typed, without the space');
      await page.getByRole('button', { name: 'Copy link' }).click();
      await page.getByRole('status').getByText('Link copied').waitFor();
      assert.equal(await page.evaluate(() => navigator.clipboard.readText()), 'https://relay.test/rh?passcode=K3X9M2QA');
    });
  });

  describe('rh-verification-code', () => {
    it('says "Comparing…" under the label Verification code until the code comes, then reads its digits one by one', async () => {
      await page.evaluate(() => {
        const el = document.createElement('rh-verification-code');
        el.side = 'sharer';
        document.querySelector('main')?.append(el);
      });
      const code = page.getByLabel('Verification code', { exact: true });
      assert.equal((await code.innerText()).trim(), 'Comparing…');
      await page.getByText('Ask the helper to read their verification code aloud', { exact: false }).waitFor();
      await page.evaluate(() => {
        const el = document.querySelector('rh-verification-code');
        if (el) el.code = '042 917';
      });
      await code.getByText('042 917', { exact: true }).waitFor();
      // What a screen reader says: the name, then each digit (not "forty-two, nine hundred seventeen").
      assert.match(await code.ariaSnapshot(), /0 4 2 9 1 7/);
      assert.doesNotMatch(await code.ariaSnapshot(), /042 917/);
    });

    it('says what to do when no code has come for a while, and stops saying it once one comes', async () => {
      await page.evaluate(() => {
        const el = document.createElement('rh-verification-code');
        el.side = 'helper';
        el.slowAfterMs = 300;
        document.querySelector('main')?.append(el);
      });
      const hint = page.getByRole('status').filter({ hasText: 'ask the person you are helping to reload their page' });
      await hint.waitFor();
      assert.equal((await page.getByLabel('Verification code', { exact: true }).innerText()).trim(), 'Comparing…');
      await page.evaluate(() => {
        const el = document.querySelector('rh-verification-code');
        if (el) el.code = '042 917';
      });
      await hint.waitFor({ state: 'detached' });
      // A new connection: its code is compared afresh, and the hint waits its while again.
      await page.evaluate(() => {
        const el = document.querySelector('rh-verification-code');
        if (el) el.code = undefined;
      });
      // Its own while: not before the 300 ms are up (a clock left from the first code would show it at once).
      await page.waitForTimeout(150);
      assert.equal(await hint.count(), 0, 'the hint came back before its while for a new connection');
      await hint.waitFor();
    });
  });

  describe('rh-shared-screen and rh-session-ended', () => {
    it('labels the video Shared screen and says why a session ended', async () => {
      await page.evaluate(() => {
        const screen = document.createElement('rh-shared-screen');
        const ended = document.createElement('rh-session-ended');
        ended.ended = { sessionId: 's', by: 'sharer', reason: 'left' };
        ended.self = 'helper';
        ended.peerName = 'Sam Sharer';
        document.querySelector('main')?.append(screen, ended);
      });
      const video = page.getByLabel('Shared screen');
      assert.equal(await video.evaluate((v) => v.tagName), 'VIDEO');
      assert.deepEqual(
        await video.evaluate((v) => [(v as HTMLVideoElement).autoplay, (v as HTMLVideoElement).muted, (v as HTMLVideoElement).playsInline]),
        [true, true, true],
      );
      await page.getByText('Session ended').waitFor();
      await page.getByText('Sam Sharer left the session and did not come back.').waitFor();
    });
  });

  describe('rh-sharer-session before joining', () => {
    it('takes the code in any case and spacing, refuses a malformed one, and shows a refusal from the relay', async () => {
      await page.evaluate(() => {
        const w = window as unknown as W;
        const relay = w.rhTest.createMemoryRelay({ helper: w.rhTest.helperProfile, sharer: w.rhTest.sharerProfile, warnings: [] });
        (w as unknown as { relay: typeof relay }).relay = relay;
        const el = document.createElement('rh-sharer-session');
        el.link = relay.sharer;
        el.code = 'AB12';
        document.querySelector('main')?.append(el);
      });
      const input = page.getByRole('textbox', { name: 'Security code' });
      assert.equal(await input.inputValue(), 'AB12', 'the pre-filled code is shown');
      await page.getByRole('button', { name: 'Connect' }).click();
      await page.getByRole('alert').getByText('A security code is 8 letters and digits').waitFor();
      assert.equal(await input.getAttribute('aria-invalid'), 'true');

      // Any case, spaces and dashes; O read as 0, I and L as 1 (Crockford base32 has none of them).
      await input.fill(' ab12 cd-oi ');
      await input.press('Enter');
      // The memory relay has no session: it answers code-invalid, shown in words.
      await page.getByRole('alert').getByText('That security code is not valid. Check it and try again.').waitFor();
      const calls = await page.evaluate(() => (window as unknown as { relay: { calls: unknown[] } }).relay.calls);
      assert.deepEqual(calls, [{ side: 'sharer', event: 'session:join', req: { code: 'AB12CD01' } }]);
    });
  });
});
