// The relay's own sign-in pages in a real browser, in each of the five languages (Arabic right to left): the email
// step, the organization's sign-in page, an error on the email step and a message page, each checked by
// axe-core (WCAG 2.2 A/AA and best practice) with no violation; the design system's stylesheets load
// under the pages' Content-Security-Policy; the Language picker switches the page and is remembered.
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { AxeAudit } from '../support/axe.js';
import { cspViolations } from '../support/browser.js';
import { inLocale } from '../support/catalogue.js';
import { useSystem } from '../support/e2e.js';
import { demoTenants } from '#relay/directory/index.js';
import { users } from './flows.js';

/** A person whose browser asks for `browserLocale`. */
async function personIn(e2e: ReturnType<typeof useSystem>, browserLocale: string): Promise<Page> {
  const context = await e2e.browser.newContext({ ignoreHTTPSErrors: true, locale: browserLocale, viewport: { width: 1280, height: 800 } });
  context.setDefaultTimeout(15_000);
  return context.newPage();
}

describe('end to end: the relay\'s sign-in pages, accessible in English and Arabic', function () {
  this.timeout(180_000);
  const e2e = useSystem({ console: false });
  const audit = new AxeAudit('sign-in-pages');
  const opened: Page[] = [];
  afterEach(async () => {
    for (const p of opened.splice(0)) await p.context().close().catch(() => undefined);
  });
  after(() => audit.save());

  for (const [locale, browserLocale] of [['en', 'en-US'], ['sv', 'sv-SE'], ['ja', 'ja-JP'], ['zh-Hans', 'zh-CN'], ['ar', 'ar-EG']] as const) {
    it(`${locale}: the email step, the sign-in page, an error and a message page have no axe violations`, async () => {
      const t = (english: string) => inLocale(locale, english);
      const page = await personIn(e2e, browserLocale);
      opened.push(page);
      const blocked = cspViolations(page);
      const sheets: string[] = [];
      page.on('response', (r) => {
        if (r.url().endsWith('.css')) sheets.push(`${new URL(r.url()).pathname} ${r.status()}`);
      });

      await page.goto(`${e2e.system.relayUrl}/auth/signin?returnTo=%2Frhh`);
      await page.getByRole('button', { name: t('Next'), exact: true }).waitFor();
      assert.equal(await page.evaluate(() => document.documentElement.lang), locale);
      assert.equal(await page.evaluate(() => document.documentElement.dir), locale === 'ar' ? 'rtl' : 'ltr');
      assert.deepEqual(sheets.sort(), ['/assets/page.css 200', '/assets/tokens.css 200']);
      // The design system applies: the card has its surface, the main button the accent.
      const accent = await page.getByRole('button', { name: t('Next'), exact: true }).evaluate((b) => getComputedStyle(b).backgroundColor);
      assert.equal(accent, 'rgb(11, 87, 208)');
      await page.getByLabel(t('Language'), { exact: true }).waitFor();
      await audit.check(page, `${locale}: email step`);

      await page.getByLabel(t('Email'), { exact: true }).fill('someone@nowhere.example');
      await page.getByRole('button', { name: t('Next'), exact: true }).click();
      await page.getByRole('alert').waitFor();
      await page.getByLabel(t('Organization'), { exact: true }).waitFor();
      await audit.check(page, `${locale}: email step with an error`);

      await page.getByLabel(t('Email'), { exact: true }).fill(users.helper);
      await page.getByLabel(t('Organization'), { exact: true }).fill('');
      await page.getByRole('button', { name: t('Next'), exact: true }).click();
      await page.waitForURL(/\/v2\.0\/interaction\//);
      await page.getByLabel(t('Password'), { exact: true }).waitFor();
      assert.equal(await page.evaluate(() => document.documentElement.lang), locale);
      await audit.check(page, `${locale}: the organization's sign-in page`);

      await page.goto(`${e2e.system.relayUrl}/${demoTenants.contoso.id}/v2.0/interaction/no-such-sign-in`);
      await page.getByRole('heading', { name: t('Sign-in expired') }).waitFor();
      await audit.check(page, `${locale}: a message page`);

      assert.deepEqual(blocked, [], 'nothing blocked by the pages\' Content-Security-Policy');
      const problems = audit.problems().filter((p) => p.startsWith(`${locale}:`));
      assert.deepEqual(problems, [], `axe violations:\n${problems.join('\n')}`);
    });
  }

  it('the Language picker switches the page, keeps its state and is remembered by the web pages', async () => {
    const page = await personIn(e2e, 'en-US');
    opened.push(page);
    await page.goto(`${e2e.system.relayUrl}/auth/signin?returnTo=%2Frh`);
    await page.getByLabel('Language', { exact: true }).selectOption('sv');
    await page.getByRole('button', { name: 'Change language', exact: true }).click();
    await page.getByRole('button', { name: inLocale('sv', 'Next'), exact: true }).waitFor();
    const url = new URL(page.url());
    assert.equal(url.searchParams.get('returnTo'), '/rh');
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'sv');
    // The web pages read the same choice.
    await page.goto(`${e2e.system.relayUrl}/rh`);
    await page.waitForFunction(() => document.documentElement.lang === 'sv');
    // And the other way: a choice on the web pages' picker holds on the relay's pages.
    await page.getByLabel(inLocale('sv', 'Language')).selectOption({ label: 'العربية' });
    await page.waitForFunction(() => document.documentElement.lang === 'ar');
    await page.goto(`${e2e.system.relayUrl}/auth/signin?returnTo=%2Frh`);
    await page.getByRole('button', { name: inLocale('ar', 'Next'), exact: true }).waitFor();
    assert.equal(await page.evaluate(() => document.documentElement.dir), 'rtl');
  });
});
