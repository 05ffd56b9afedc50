// Remote Help in the person's language (issue 10): a browser asking for Swedish, Japanese, Chinese or
// Arabic gets both flows in that language, with <html lang> and dir set (Arabic right to left), the
// controls found by their translated names; the picker switches the language and remembers it.
// Screenshots of the trust screen in Arabic and Japanese are saved under test-results/ for a person
// to look at. The relay's own sign-in pages speak the browser's language too: the sign-in goes by their
// translated names.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { useSystem } from '../support/e2e.js';
import { inLocale } from '../support/catalogue.js';
import { answerEmailStep, signInOnProviderPage } from '../support/sign-in-page.js';
import type { RunningSystem } from '../support/system.js';
import { acceptLeavingLiveSessions, expectFramesAdvancing, step, users } from './flows.js';

const shots = resolve(fileURLToPath(new URL('../../test-results/', import.meta.url)));

/** A person whose browser asks for `browserLocale` first. */
async function personIn(browser: Browser, browserLocale: string): Promise<Page> {
  const context = await browser.newContext({ ignoreHTTPSErrors: true, locale: browserLocale, viewport: { width: 1280, height: 800 } });
  context.setDefaultTimeout(15_000);
  return acceptLeavingLiveSessions(await context.newPage());
}

/** Signs in through the relay's sign-in, in `locale` as the browser asks, straight to `path`. */
async function signInTo(page: Page, system: RunningSystem, path: string, email: string, locale: string): Promise<void> {
  const t = (english: string) => inLocale(locale, english);
  await page.goto(`${system.relayUrl}/auth/signin?returnTo=${encodeURIComponent(path)}`);
  await answerEmailStep(page, email, { t });
  await signInOnProviderPage(page, email, undefined, { t });
  await page.waitForURL((u) => u.pathname === path.split('?')[0], { timeout: 15_000 });
}

async function expectDocumentIn(page: Page, who: string, locale: string): Promise<void> {
  await step(page, `${who}'s page is marked lang="${locale}"`, () => page.waitForFunction((l) => document.documentElement.lang === l, locale));
  const dir = await page.evaluate(() => document.documentElement.dir);
  assert.equal(dir, locale === 'ar' ? 'rtl' : 'ltr', `${who}: dir="${dir}" in ${locale}`);
}

describe('end to end: both flows in Swedish, Japanese, Chinese and Arabic', function () {
  this.timeout(240_000);
  const e2e = useSystem({ console: false });
  const opened: Page[] = [];
  afterEach(async () => {
    for (const p of opened.splice(0)) await p.context().close().catch(() => undefined);
  });

  for (const [locale, browserLocale] of [['sv', 'sv-SE'], ['ja', 'ja-JP'], ['zh-Hans', 'zh-CN'], ['ar', 'ar-EG']] as const) {
    it(`${locale}: the web helper and the sharer flows render in ${locale}, with lang and dir, up to the shared screen`, async () => {
      const t = (english: string) => inLocale(locale, english);
      const helper = await personIn(e2e.browser, browserLocale);
      const sharer = await personIn(e2e.browser, browserLocale);
      opened.push(helper, sharer);

      await step(helper, `helper signs in to /rhh (browser in ${browserLocale})`, () => signInTo(helper, e2e.system, '/rhh', users.helper, locale));
      await expectDocumentIn(helper, 'helper', locale);
      assert.equal(await helper.title(), t('Remote Help — help someone'));
      await step(helper, `helper clicks "${t('Get security code')}"`, () => helper.getByRole('button', { name: t('Get security code') }).click());
      const code = await step(helper, `helper sees the "${t('Security code')}"`, async () => {
        const shown = helper.getByLabel(t('Security code'), { exact: true }).first();
        await shown.waitFor();
        return (await shown.innerText()).replace(/\s/g, '');
      });
      assert.match(code, /^[0-9A-HJKMNP-TV-Z]{8}$/, 'the code keeps its Latin letters and digits');
      await helper.getByRole('button', { name: t('Copy code') }).waitFor();

      await step(sharer, 'sharer signs in to /rh with the code in the link', () => signInTo(sharer, e2e.system, `/rh?passcode=${code}`, users.sharer, locale));
      await expectDocumentIn(sharer, 'sharer', locale);
      assert.equal(await sharer.title(), t('Remote Help — share your screen'));
      await step(sharer, `sharer clicks "${t('Connect')}"`, () => sharer.getByRole('button', { name: t('Connect') }).click());
      await step(sharer, `sharer sees "${t('Allow')}" and "${t('Deny')}"`, async () => {
        await sharer.getByRole('button', { name: t('Allow'), exact: true }).waitFor();
        await sharer.getByRole('button', { name: t('Deny'), exact: true }).waitFor();
      });
      if (locale === 'ar' || locale === 'ja') {
        mkdirSync(shots, { recursive: true });
        await sharer.screenshot({ path: join(shots, `trust-screen-${locale}.png`), fullPage: true });
      }
      await step(sharer, `sharer clicks "${t('Allow')}"`, () => sharer.getByRole('button', { name: t('Allow'), exact: true }).click());
      await expectFramesAdvancing(helper, 20_000, t('Shared screen'));
      await step(helper, `helper sees "${t('End session')}" and "${t('Full screen')}"`, async () => {
        await helper.getByRole('button', { name: t('End session') }).first().waitFor();
        await helper.getByRole('button', { name: t('Full screen') }).waitFor();
      });
      await step(sharer, `sharer sees "${t('Pause sharing')}"`, () => sharer.getByRole('button', { name: t('Pause sharing') }).waitFor());
    });
  }

  it('the picker switches the page\'s language at once and remembers it on the next visit', async () => {
    const sharer = await personIn(e2e.browser, 'sv-SE');
    opened.push(sharer);
    await step(sharer, 'sharer signs in to /rh', () => signInTo(sharer, e2e.system, '/rh', users.sharer, 'sv'));
    await sharer.getByRole('button', { name: inLocale('sv', 'Connect') }).waitFor();
    await step(sharer, 'sharer picks العربية under "Språk"', () => sharer.getByLabel(inLocale('sv', 'Language')).selectOption({ label: 'العربية' }));
    await expectDocumentIn(sharer, 'sharer', 'ar');
    await sharer.getByRole('button', { name: inLocale('ar', 'Connect') }).waitFor();
    assert.equal(await sharer.title(), inLocale('ar', 'Remote Help — share your screen'), 'the title did not follow the picker');
    await step(sharer, 'the page\'s heading and header follow the picker too', async () => {
      await sharer.getByRole('heading', { level: 1, name: inLocale('ar', 'Share your screen with IT support') }).waitFor();
      await sharer.getByRole('banner').getByRole('button', { name: inLocale('ar', 'Sign out') }).waitFor();
    });
    await sharer.reload();
    await expectDocumentIn(sharer, 'sharer', 'ar');
    await sharer.getByRole('button', { name: inLocale('ar', 'Connect') }).waitFor();
    await step(sharer, 'sharer picks English again', () => sharer.getByLabel(inLocale('ar', 'Language')).selectOption({ label: 'English' }));
    await sharer.getByRole('button', { name: 'Connect' }).waitFor();
  });
});
