// Accessibility of the web pages, checked by a machine (issue 10): axe-core (WCAG 2.2 A/AA and best
// practice, through shadow roots) at every state of the unenrolled flow on /rhh, /rh and /enroll, in
// each of the five languages (Arabic right to left). On the way, at 640×400 CSS px (a 1280×800 window at 200 % zoom)
// the code, trust and sharing screens must not scroll sideways and must keep the §9 controls in view;
// every state is audited in the light and the dark theme; every control reached by Tab shows a focus
// ring; and in forced colours with reduced motion, every button keeps a visible border and nothing moves.
// The relay's own sign-in pages are not audited here (they have their own tests). Each walk fails once,
// naming every problem of every state; the counts per state go to test-results/axe/.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { AxeAudit } from '../support/axe.js';
import { inLocale } from '../support/catalogue.js';
import { supportedLocales, type Locale } from '#protocol/locales.js';
import { useSystem } from '../support/e2e.js';
import { focusProbe, forcedColourProblems, settled, widthProblems, zoomedViewport } from '../support/layout-probes.js';
import { signInOnWebPage } from '../support/sign-in-page.js';
import { acceptLeavingLiveSessions, expectFramesAdvancing, step, users } from './flows.js';

/** What two people write to each other in each language. */
const chatSample: Record<Locale, [string, string]> = {
  en: ['Hello, my screen is stuck', 'I will have a look now'],
  sv: ['Hej, min skärm har fastnat', 'Jag tittar på det nu'],
  ja: ['画面が固まってしまいました', '今から確認します'],
  'zh-Hans': ['你好，我的屏幕卡住了', '我现在看一下'],
  ar: ['مرحبا، شاشتي لا تعمل', 'سألقي نظرة الآن'],
};
/** What a browser in each language asks for first. */
const browserLocale: Record<Locale, string> = { en: 'en-US', sv: 'sv-SE', ja: 'ja-JP', 'zh-Hans': 'zh-CN', ar: 'ar-EG' };

/** A person whose browser asks for `locale` first; `initScript` runs before the page's own scripts. */
async function personIn(browser: Browser, locale: Locale, initScript?: string): Promise<Page> {
  const context = await browser.newContext({ ignoreHTTPSErrors: true, locale: browserLocale[locale], viewport: { width: 1280, height: 800 } });
  context.setDefaultTimeout(15_000);
  if (initScript) await context.addInitScript(initScript);
  return acceptLeavingLiveSessions(await context.newPage());
}


/** With RH_A11Y_SHOTS=1, a screenshot of every audited state (light and dark) goes to
 * test-results/axe/shots/, for a person to look at the design in both themes and both directions. */
async function shoot(page: Page, name: string): Promise<void> {
  if (process.env['RH_A11Y_SHOTS'] !== '1') return;
  const dir = join('test-results', 'axe', 'shots');
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: join(dir, `${name.replace(/[^a-z0-9]+/gi, '-')}.png`), fullPage: true });
}

describe('end to end: accessibility of the web pages (axe, 200 % zoom, forced colours, reduced motion)', function () {
  this.timeout(300_000);
  // Each language's walk types one wrong code on purpose, as the same sharer: five in one window would
  // reach the relay's limit of failed joins per user (5 by default) and refuse the last language's code.
  const e2e = useSystem({ console: false, relayEnv: { RH_JOIN_FAILURES_PER_USER: '20' } });
  const opened: Page[] = [];
  afterEach(async () => {
    for (const p of opened.splice(0)) await p.context().close().catch(() => undefined);
  });

  for (const locale of supportedLocales) {
    it(`${locale}: every state of /rhh, /rh and /enroll passes axe; zoomed to 200 % nothing scrolls sideways; forced colours keep borders and nothing moves`, async () => {
      const t = (english: string): string => inLocale(locale, english);
      const audit = new AxeAudit(`accessibility-flows-${locale}`);
      const problems: string[] = [];
      const check = async (page: Page, state: string): Promise<void> => {
        // Only our own pages: the relay's sign-in pages belong to another test.
        if (!/^\/(rh|rhh|enroll)$/.test(new URL(page.url()).pathname)) throw new Error(`${state}: not on /rh, /rhh or /enroll but on ${page.url()}`);
        await audit.check(page, `${locale} ${state}`);
        await shoot(page, `${locale} ${state}`);
        // The same state in the dark theme: every colour pair must hold there too. With reduced motion, so
        // the switch has no colour transition for axe to read halfway (the colours are the same).
        await page.emulateMedia({ colorScheme: 'dark', reducedMotion: 'reduce' });
        try {
          await settled(page);
          await audit.check(page, `${locale} ${state} (dark)`);
          await shoot(page, `${locale} ${state} dark`);
        } finally {
          await page.emulateMedia({ colorScheme: 'light', reducedMotion: null });
          await settled(page);
        }
      };

      /** 640×400 CSS px = 1280×800 at 200 %: no sideways scrolling, and `controls` shown and within the width. */
      const zoomed = async (page: Page, state: string, controls: Array<[string, Locator]>): Promise<void> => {
        await page.setViewportSize(zoomedViewport);
        try {
          await page.waitForTimeout(150);
          problems.push(...(await widthProblems(page, `${locale} ${state} at 640×400`, controls)));
        } finally {
          await page.setViewportSize({ width: 1280, height: 800 });
        }
      };

      /** Tab through the page: every control reached shows a focus ring. */
      const focusRings = async (page: Page, state: string): Promise<void> => {
        await page.evaluate('document.activeElement && document.activeElement.blur && document.activeElement.blur()');
        const seen = new Set<string>();
        for (let i = 0; i < 30; i++) {
          await page.keyboard.press('Tab');
          const focused = (await page.evaluate(focusProbe)) as { name: string; ring: boolean } | null;
          if (!focused) continue;
          if (seen.has(focused.name)) break; // round the page once
          seen.add(focused.name);
          if (!focused.ring) problems.push(`${locale} ${state}: ${focused.name} shows no focus ring when reached by Tab`);
        }
        if (seen.size < 3) problems.push(`${locale} ${state}: Tab reached only ${seen.size} controls`);
      };

      /** Windows high contrast and reduced motion together: borders stay, nothing runs. */
      const forcedColours = async (page: Page, state: string): Promise<void> => {
        problems.push(...(await forcedColourProblems(page, `${locale} ${state}`)));
      };

      const helper = await personIn(e2e.browser, locale);
      const sharer = await personIn(e2e.browser, locale);
      opened.push(helper, sharer);
      const language = (page: Page): [string, Locator] => [t('Language'), page.getByLabel(t('Language'), { exact: true })];
      const button = (page: Page, name: string): [string, Locator] => [name, page.getByRole('button', { name: t(name), exact: true })];

      // /rhh: signed out, signed in, the code.
      await step(helper, 'helper opens /rhh signed out', async () => {
        await helper.goto(e2e.system.webHelperUrl);
        await helper.getByRole('link', { name: t('Sign in'), exact: true }).waitFor();
      });
      await check(helper, 'rhh signed out');
      await step(helper, 'helper signs in on /rhh', () => signInOnWebPage(helper, users.helper, undefined, { t }));
      await step(helper, `helper sees "${t('Get security code')}"`, () => helper.getByRole('button', { name: t('Get security code') }).waitFor());
      await check(helper, 'rhh signed in');
      await step(helper, `helper clicks "${t('Get security code')}"`, () => helper.getByRole('button', { name: t('Get security code') }).click());
      const codeShown = helper.getByLabel(t('Security code'), { exact: true }).first();
      const code = await step(helper, 'helper sees the security code', async () => {
        await codeShown.waitFor();
        return (await codeShown.innerText()).replace(/\s/g, '');
      });
      const link = await helper.locator(`a[href*="passcode=${code}"]`).first().getAttribute('href');
      assert.ok(link, 'no link with the code was shown');
      await check(helper, 'rhh code shown');
      await focusRings(helper, 'rhh code shown');
      await zoomed(helper, 'rhh code shown', [[t('Security code'), codeShown], button(helper, 'Copy code'), button(helper, 'Copy link'), button(helper, 'End session'), language(helper)]);

      // /rh: signed out, the code box, a wrong code, the trust screen.
      await step(sharer, 'sharer opens the link signed out', async () => {
        await sharer.goto(link);
        await sharer.getByRole('link', { name: t('Sign in'), exact: true }).waitFor();
      });
      await check(sharer, 'rh signed out');
      await step(sharer, 'sharer signs in on /rh', () => signInOnWebPage(sharer, users.sharer, undefined, { t }));
      const connect = sharer.getByRole('button', { name: t('Connect'), exact: true });
      await step(sharer, `sharer sees "${t('Connect')}"`, () => connect.waitFor());
      await check(sharer, 'rh code entry');
      const wrong = code.slice(0, 7) + (code.endsWith('Z') ? 'Y' : 'Z');
      await step(sharer, 'sharer types a wrong code and is told so', async () => {
        await sharer.getByLabel(t('Security code'), { exact: true }).fill(wrong);
        await connect.click();
        await sharer.getByRole('alert').first().waitFor();
      });
      await check(sharer, 'rh wrong code');
      await step(sharer, 'sharer types the right code and sees the trust screen', async () => {
        await sharer.getByLabel(t('Security code'), { exact: true }).fill(code);
        await connect.click();
        await sharer.getByRole('button', { name: t('Allow'), exact: true }).waitFor();
      });
      await check(sharer, 'rh trust screen');
      const report = sharer.getByRole('button', { name: 'Report', exact: false });
      await zoomed(sharer, 'rh trust screen', [button(sharer, 'Allow'), button(sharer, 'Deny'), ...((await report.count()) ? [['Report', report] as [string, Locator]] : []), language(sharer)]);
      await forcedColours(sharer, 'rh trust screen');
      await focusRings(sharer, 'rh trust screen');
      await step(helper, 'helper sees who entered the code', () => helper.getByRole('button', { name: t('End session') }).first().waitFor());
      await helper.locator('rh-trust-card').first().waitFor();
      await check(helper, 'rhh trust screen');

      // Sharing, with the chat; then paused.
      await step(sharer, `sharer clicks "${t('Allow')}"`, () => sharer.getByRole('button', { name: t('Allow'), exact: true }).click());
      await expectFramesAdvancing(helper, 20_000, t('Shared screen'));
      await step(sharer, `sharer sees "${t('Pause sharing')}"`, () => sharer.getByRole('button', { name: t('Pause sharing') }).waitFor());
      const say = async (page: Page, who: string, text: string): Promise<void> => {
        await step(page, `${who} sends "${text}"`, async () => {
          await page.getByRole('textbox', { name: t('Message') }).fill(text);
          await page.getByRole('button', { name: t('Send'), exact: true }).click();
        });
      };
      await say(sharer, 'sharer', chatSample[locale][0]);
      await say(helper, 'helper', chatSample[locale][1]);
      for (const page of [helper, sharer]) {
        await step(page, 'both messages are in the chat', () => page.getByRole('log', { name: t('Chat') }).locator('.text').nth(1).waitFor());
      }
      await check(helper, 'rhh sharing with chat');
      await check(sharer, 'rh sharing with chat');
      const chatControls = (page: Page): Array<[string, Locator]> => [
        [t('Message'), page.getByRole('textbox', { name: t('Message') })], button(page, 'Send'), button(page, 'End session'), language(page),
      ];
      await zoomed(helper, 'rhh sharing', [button(helper, 'Full screen'), [t('Shared screen'), helper.getByLabel(t('Shared screen'))], ...chatControls(helper)]);
      await zoomed(sharer, 'rh sharing', [button(sharer, 'Pause sharing'), ...chatControls(sharer)]);
      await forcedColours(helper, 'rhh sharing');
      await focusRings(helper, 'rhh sharing');
      await forcedColours(sharer, 'rh sharing');

      await step(sharer, `sharer clicks "${t('Pause sharing')}"`, async () => {
        await sharer.getByRole('button', { name: t('Pause sharing') }).click();
        await sharer.getByRole('button', { name: t('Resume sharing') }).waitFor();
      });
      await check(sharer, 'rh paused');
      await step(helper, 'helper sees that sharing is paused', () => helper.getByText(t('Sharing paused'), { exact: true }).first().waitFor());
      await check(helper, 'rhh sharer paused');
      await step(sharer, `sharer clicks "${t('Resume sharing')}"`, async () => {
        await sharer.getByRole('button', { name: t('Resume sharing') }).click();
        await sharer.getByRole('button', { name: t('Pause sharing') }).waitFor();
      });

      // The sharer's network drops: the helper sees "Reconnecting…", the sharer that the connection is lost.
      await sharer.context().setOffline(true);
      try {
        await step(helper, `helper sees "${t('Reconnecting…')}"`, () => helper.getByText(t('Reconnecting…'), { exact: true }).first().waitFor({ timeout: 20_000 }));
        await check(helper, 'rhh reconnecting');
        await step(sharer, `sharer sees "${t('Connection lost. Reconnecting…')}"`, () => sharer.getByText(t('Connection lost. Reconnecting…'), { exact: true }).waitFor({ timeout: 20_000 }));
        await check(sharer, 'rh connection lost');
      } finally {
        await sharer.context().setOffline(false);
      }
      await step(helper, `helper no longer sees "${t('Reconnecting…')}"`, () => helper.getByText(t('Reconnecting…'), { exact: true }).first().waitFor({ state: 'hidden', timeout: 30_000 }));

      // The end, on both sides.
      await step(helper, `helper clicks "${t('End session')}"`, () => helper.getByRole('button', { name: t('End session') }).first().click());
      for (const [page, who] of [[helper, 'helper'], [sharer, 'sharer']] as const) {
        await step(page, `${who} sees "${t('Session ended')}"`, () => page.getByText(t('Session ended'), { exact: true }).first().waitFor());
      }
      await check(helper, 'rhh ended');
      // The sharer's end carries the receipt (it follows the end once the report is recorded).
      await step(sharer, `sharer sees "${t('Save receipt')}"`, () => sharer.getByRole('button', { name: t('Save receipt') }).waitFor());
      await check(sharer, 'rh ended');

      // /enroll, signed in (the sharer's browser).
      await step(sharer, 'sharer opens /enroll', async () => {
        await sharer.goto(`${e2e.system.relayUrl}/enroll`);
        await sharer.getByRole('heading', { level: 1, name: t('Enroll this device') }).waitFor();
      });
      await check(sharer, 'enroll signed in');

      // A browser that cannot share a screen is told so before signing in.
      const phone = await personIn(e2e.browser, locale, 'Object.defineProperty(MediaDevices.prototype, "getDisplayMedia", { value: undefined, configurable: true });');
      opened.push(phone);
      await step(phone, 'a browser without screen sharing opens /rh', async () => {
        await phone.goto(e2e.system.sharerUrl);
        await phone.getByText(t('This browser is not supported'), { exact: true }).waitFor();
      });
      await check(phone, 'rh unsupported browser');

      audit.save();
      const all = [...audit.problems(), ...problems];
      assert.deepEqual(all, [], `${all.length} accessibility problems:\n${all.join('\n')}`);
    });
  }
});
