// The admin view's messages from the relay in the console's language (issue 10): an administrator whose
// browser asks for Arabic adds a user at a domain that is not verified and imports a user file with a
// bad line; the refusal's detail and the file's problems come in Arabic (the console tells main its
// language, main asks the relay in it). Picking Swedish in the language picker changes the next ones.
import type { Browser, Page } from 'playwright-core';
import { inLocale, inLocaleWith } from '../support/catalogue.js';
import { useSystem } from '../support/e2e.js';
import { embeddedProviderIn, signInOnProviderPage } from '../support/sign-in-page.js';
import type { RunningSystem } from '../support/system.js';
import { step, users } from './flows.js';

const outsider = 'someone@elsewhere.example';
const notVerified = (locale: string) => inLocaleWith(locale, '{0} is not at a verified domain of {1} ({2}).', outsider, 'Contoso', 'contoso.example');

async function personIn(browser: Browser, browserLocale: string): Promise<Page> {
  const context = await browser.newContext({ ignoreHTTPSErrors: true, locale: browserLocale, viewport: { width: 1280, height: 800 } });
  context.setDefaultTimeout(20_000);
  return context.newPage();
}

/** Opens the console (signed out first: the console host holds one account) and signs in by the names in `locale`. */
async function adminSignsIn(page: Page, system: RunningSystem, locale: string): Promise<void> {
  const t = (s: string) => inLocale(locale, s);
  await step(page, `admin opens the console and signs in (${locale})`, async () => {
    await page.goto(system.consoleUrl);
    const email = page.getByLabel(t('Email'), { exact: true });
    const signOut = page.getByRole('button', { name: t('Sign out'), exact: true });
    await Promise.race([email.waitFor({ timeout: 30_000 }), signOut.waitFor({ timeout: 30_000 })]);
    if (await signOut.isVisible()) await signOut.click();
    await email.fill(users.admin);
    const popup = page.context().waitForEvent('page', { timeout: 15_000 });
    await page.getByRole('button', { name: t('Sign in'), exact: true }).click();
    await signInOnProviderPage(await popup, users.admin, undefined, { provider: embeddedProviderIn(t) });
    await page.getByRole('link', { name: t('Devices'), exact: true }).waitFor({ timeout: 30_000 });
  });
}

async function openUsers(page: Page, locale: string) {
  const t = (s: string) => inLocale(locale, s);
  const nav = page.getByRole('navigation', { name: t('Main') });
  const link = nav.getByRole('link', { name: t('Users'), exact: true });
  if (!(await link.isVisible())) await nav.getByRole('link', { name: t('Tenant administration'), exact: true }).click();
  await link.click();
  const region = page.getByRole('region', { name: t('Users'), exact: true });
  await region.getByRole('heading', { name: t('Users'), exact: true }).waitFor();
  return region;
}

/** Add user with an address outside the verified domains: the dialog shows the relay's detail in `locale`. */
async function addUserIsRefused(page: Page, locale: string): Promise<void> {
  const t = (s: string) => inLocale(locale, s);
  const region = await openUsers(page, locale);
  await step(page, `admin adds ${outsider} and reads the refusal in ${locale}`, async () => {
    await region.getByRole('button', { name: t('Add user'), exact: true }).click();
    const dialog = page.getByRole('dialog', { name: t('Add user') });
    await dialog.getByLabel(t('Email'), { exact: true }).fill(outsider);
    await dialog.getByLabel(t('Full name'), { exact: true }).fill('Someone Else');
    await dialog.getByRole('button', { name: t('Add user'), exact: true }).click();
    await dialog.getByText(notVerified(locale), { exact: true }).waitFor();
    await dialog.getByRole('button', { name: t('Cancel'), exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });
  });
}

describe('end to end: the admin view shows the relay\u2019s messages in the console\u2019s language', function () {
  this.timeout(240_000);
  const e2e = useSystem();

  it('in Arabic (browser ar-EG): a refused Add user and a refused CSV import explain in Arabic; after picking Svenska, in Swedish', async () => {
    const admin = await personIn(e2e.browser, 'ar-EG');
    try {
      await adminSignsIn(admin, e2e.system, 'ar');
      await addUserIsRefused(admin, 'ar');

      const t = (s: string) => inLocale('ar', s);
      const region = await openUsers(admin, 'ar');
      await step(admin, 'admin imports a user file with an unknown role on line 3', async () => {
        const csv = ['upn,name,jobTitle,company,roles', 'ok.person@contoso.example,Ok Person,,,', 'ghost@contoso.example,Ghost,,,Ghost Role', ''].join('\n');
        await region.getByLabel(t('Import users (CSV)'), { exact: true }).setInputFiles({ name: 'users.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
        const problems = region.getByRole('list', { name: t('Problems in the file') });
        const line3 = inLocaleWith('ar', 'Line {0}: {1}', 3, inLocaleWith('ar', 'roles: no such role: {0}.', 'Ghost Role'));
        await problems.getByText(line3, { exact: true }).waitFor();
      });

      await step(admin, 'admin picks Svenska in the language picker', () =>
        admin.getByLabel(t('Language'), { exact: true }).selectOption({ label: 'Svenska' }));
      await addUserIsRefused(admin, 'sv');
    } finally {
      await admin.context().close().catch(() => undefined);
    }
  });
});
