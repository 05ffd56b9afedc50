// The console, checked by a machine (issue 10): axe-core (WCAG 2.2 A/AA and best practice, through shadow
// roots) at every state a helper and an administrator pass through — signed out, the device list, a
// device, the New remote assistance session dialog, the code, a live session with a sharer on /rh, the
// ended session, and every section of Tenant administration with data — in each of the five languages
// (Arabic right to left), and the console's own screens again in the dark theme. The counts per state go
// to test-results/axe/console-<locale>.json. Then what axe cannot
// see: the skip link is the first Tab stop and lands in the main region, the current place in the
// navigation is marked, report times stay on one line, no raw code reaches the reports, and branding
// saved in the admin view shows at once in the header and on the primary buttons (its logo picker in the
// console's language). In en and ar at 640×400 (a 1280×800 window at 200 % zoom): no sideways scrolling,
// the header's and navigation's text whole, the navigation behind a Menu button reachable by keyboard, the
// §9 controls within the width; in forced colours with reduced motion: borders, the current place, focus
// rings, and nothing moving.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Locator, Page } from 'playwright-core';
import { onAccentColor } from '#protocol/branding.js';
import { endReason, errorCodes, reportOutcomes } from '#protocol';
import { demoDevices } from '#relay/directory/demo-data.js';
import { AxeAudit } from '../support/axe.js';
import { inLocale, inLocaleWith } from '../support/catalogue.js';
import { useSystem } from '../support/e2e.js';
import { focusProbe, forcedColourProblems, settled, textLayoutProbe, widthProblems, zoomedViewport } from '../support/layout-probes.js';
import { signInOnProviderPage } from '../support/sign-in-page.js';
import type { RunningSystem } from '../support/system.js';
import {
  acceptLeavingLiveSessions, expectFramesAdvancing, readIssuedCode, sharerAnswers, sharerOpensLinkAndConnects, step, users,
} from './flows.js';
import type { AdminSectionName } from './policy-flows.js';

const device = demoDevices.find((d) => d.name === 'CONTOSO-LT-0178');
if (!device) throw new Error('demo data changed: the device CONTOSO-LT-0178 is gone');

/** Screenshots of the admin settings (light and dark, each language) for a person to look at. */
const shots = resolve(fileURLToPath(new URL('../../test-results/', import.meta.url)));
mkdirSync(shots, { recursive: true });

const adminSections: AdminSectionName[] = ['Settings', 'Users', 'Device enrollment', 'Roles', 'Assignments', 'Conditional access', 'Compliance policy', 'Reports'];

/** A person whose browser asks for `browserLocale` first. */
async function personIn(browser: Browser, browserLocale: string): Promise<Page> {
  const context = await browser.newContext({ ignoreHTTPSErrors: true, locale: browserLocale, viewport: { width: 1280, height: 800 } });
  context.setDefaultTimeout(20_000);
  return acceptLeavingLiveSessions(await context.newPage());
}

/** The console's sign-in by its names in `locale`: Email, Sign in, then the provider's window (in the same language). */
async function consoleSignInIn(page: Page, locale: string, email: string): Promise<void> {
  const t = (s: string) => inLocale(locale, s);
  await step(page, `${email} signs in to the console (${locale})`, async () => {
    await page.getByLabel(t('Email'), { exact: true }).fill(email);
    const popup = page.context().waitForEvent('page', { timeout: 15_000 });
    await page.getByRole('button', { name: t('Sign in'), exact: true }).click();
    await signInOnProviderPage(await popup, email, undefined, { t });
  });
  // In a narrow window, "Devices" is behind the navigation's Menu button.
  const nav = page.getByRole('navigation', { name: t('Main') });
  await step(page, `the console shows "${t('Devices')}"`, () =>
    nav.getByRole('link', { name: t('Devices'), exact: true }).or(nav.getByRole('button', { name: t('Menu'), exact: true })).waitFor({ timeout: 30_000 }));
}

/** The console host holds one account for every window: whoever is signed in signs out first. */
async function consoleSignedOut(page: Page, system: RunningSystem, locale: string): Promise<void> {
  const t = (s: string) => inLocale(locale, s);
  await step(page, 'the console is opened and signed out', async () => {
    await page.goto(system.consoleUrl);
    const email = page.getByLabel(t('Email'), { exact: true });
    const signOut = page.getByRole('button', { name: t('Sign out'), exact: true });
    await Promise.race([email.waitFor({ timeout: 30_000 }), signOut.waitFor({ timeout: 30_000 })]);
    if (await signOut.isVisible()) await signOut.click();
    await email.waitFor();
  });
}

/** In a narrow window the navigation is behind its "Menu" button: opened, if it is closed. */
async function openMenuIfCollapsed(page: Page, locale: string): Promise<void> {
  const menu = page.getByRole('navigation', { name: inLocale(locale, 'Main') }).getByRole('button', { name: inLocale(locale, 'Menu'), exact: true });
  if ((await menu.isVisible()) && (await menu.getAttribute('aria-expanded')) === 'false') await menu.click();
}

/** Tenant administration > `section`, by its name in `locale`; returns the section's region. */
async function openAdminSection(page: Page, locale: string, section: AdminSectionName) {
  const t = (s: string) => inLocale(locale, s);
  const nav = page.getByRole('navigation', { name: t('Main') });
  await step(page, `admin opens "${t('Tenant administration')}" > "${t(section)}"`, async () => {
    const link = nav.getByRole('link', { name: t(section), exact: true });
    await openMenuIfCollapsed(page, locale);
    if (!(await link.isVisible())) {
      await nav.getByRole('link', { name: t('Tenant administration'), exact: true }).click();
      await openMenuIfCollapsed(page, locale);
    }
    await link.click();
  });
  const region = page.getByRole('region', { name: t(section), exact: true });
  await step(page, `the "${t(section)}" section shows`, () => region.getByRole('heading', { name: t(section), exact: true }).waitFor());
  // Each section loads what the relay holds: wait until "Loading…" is gone.
  await region.getByText(t('Loading…'), { exact: true }).waitFor({ state: 'detached' }).catch(() => undefined);
  return region;
}

describe('accessibility: the console and its admin view, checked by axe in English and Arabic', function () {
  this.timeout(600_000);
  const e2e = useSystem();

  for (const [locale, browserLocale] of [['en', 'en-US'], ['sv', 'sv-SE'], ['ja', 'ja-JP'], ['zh-Hans', 'zh-CN'], ['ar', 'ar-EG']] as const) {
    it(`${locale}: no axe violation from signed out through a session to every admin section`, async () => {
      const t = (s: string) => inLocale(locale, s);
      const audit = new AxeAudit(`console-${locale}`);
      const helper = await personIn(e2e.browser, browserLocale);
      const sharer = await e2e.person('sharer');
      const opened: Page[] = [helper];
      try {
        await consoleSignedOut(helper, e2e.system, locale);
        await audit.check(helper, 'signed out');

        await consoleSignInIn(helper, locale, users.helper);
        await step(helper, `the device list shows ${device.name}`, () => helper.getByRole('link', { name: device.name, exact: true }).waitFor({ timeout: 30_000 }));
        await audit.check(helper, 'device list');

        await step(helper, `helper opens ${device.name}`, () => helper.getByRole('link', { name: device.name, exact: true }).click());
        await step(helper, 'the device view shows', () => helper.getByRole('heading', { name: device.name, exact: true }).waitFor());
        await step(helper, 'the device view says why it is not compliant, in the console\'s language', () =>
          helper.getByText(inLocaleWith(locale, 'OS version {0} is below the minimum {1}', '10.0.19041', '10.0.22631'), { exact: true }).waitFor());
        await audit.check(helper, 'device view');

        await step(helper, `helper clicks "${t('New remote assistance session')}"`, () => helper.getByRole('button', { name: t('New remote assistance session') }).click());
        await step(helper, `the dialog offers "${t('Continue')}"`, () => helper.getByRole('button', { name: t('Continue') }).waitFor());
        await audit.check(helper, 'new session dialog');

        await step(helper, `helper picks "${t('Remote help')}" and clicks "${t('Continue')}"`, async () => {
          await helper.getByRole('radio', { name: t('Remote help') }).check();
          await helper.getByRole('button', { name: t('Continue') }).click();
        });
        const link = await step(helper, `helper sees the "${t('Security code')}"`, async () => {
          if (locale === 'en') return (await readIssuedCode(helper)).link;
          const shown = helper.getByLabel(t('Security code'), { exact: true }).first();
          await shown.waitFor();
          const code = (await shown.innerText()).replace(/\s/g, '');
          const href = await helper.locator(`a[href*="passcode=${code}"]`).first().getAttribute('href');
          if (!href) throw new Error('no link with the code');
          return href;
        });
        await audit.check(helper, 'code shown');

        await sharerOpensLinkAndConnects(sharer, link);
        await step(helper, 'helper sees the sharer on the trust screen', () => helper.locator('rh-trust-card').first().waitFor());
        await audit.check(helper, 'trust screen');
        await sharerAnswers(sharer, 'Allow');
        await expectFramesAdvancing(helper, 20_000, t('Shared screen'));
        await audit.check(helper, 'live session');

        await step(helper, `helper clicks "${t('End session')}"`, () => helper.getByRole('button', { name: t('End session') }).first().click());
        await step(helper, `helper sees "${t('Session ended')}"`, () => helper.getByText(t('Session ended'), { exact: true }).first().waitFor());
        await audit.check(helper, 'session ended');

        // The console holds one account for every window: an administrator, at another browser (the
        // provider knows the helper in this one), signs the helper out and signs in.
        const admin = await personIn(e2e.browser, browserLocale);
        opened.push(admin);
        await consoleSignedOut(admin, e2e.system, locale);
        await consoleSignInIn(admin, locale, users.admin);
        for (const section of adminSections) {
          const region = await openAdminSection(admin, locale, section);
          if (section === 'Reports') {
            await step(admin, 'the reports list at least one session', () =>
              region.getByRole('table', { name: t('Session reports') }).getByRole('row').nth(1).waitFor());
          }
          await audit.check(admin, `admin: ${section}`);
          if (section === 'Settings') await admin.screenshot({ path: join(shots, `console-settings-light-${locale}.png`) });
        }

        // The dark theme (the system's choice): the same tokens, other colours; contrast checked again.
        // With reduced motion, so the switch has no colour transition for axe to read halfway.
        await admin.emulateMedia({ colorScheme: 'dark', reducedMotion: 'reduce' });
        for (const section of ['Settings', 'Users', 'Reports'] as const) {
          await openAdminSection(admin, locale, section);
          await audit.check(admin, `dark: admin: ${section}`);
          if (section === 'Settings') await admin.screenshot({ path: join(shots, `console-settings-dark-${locale}.png`) });
        }
        await step(admin, `admin opens "${t('Devices')}" (dark theme)`, async () => {
          await admin.getByRole('navigation', { name: t('Main') }).getByRole('link', { name: t('Devices'), exact: true }).click();
          await admin.getByRole('link', { name: device.name, exact: true }).waitFor();
        });
        await audit.check(admin, 'dark: device list');
      } finally {
        audit.save();
        for (const p of opened) await p.context().close().catch(() => undefined);
      }
      assert.deepEqual(audit.problems(), [], `axe found violations (${locale}):\n${audit.problems().join('\n')}`);
    });
  }

  it('the skip link is the first Tab stop and moves focus to the main region; the current place in the navigation is marked', async () => {
    const admin = await e2e.person('admin');
    await consoleSignedOut(admin, e2e.system, 'en');
    await consoleSignInIn(admin, 'en', users.admin);
    await step(admin, 'the first Tab stop is "Skip to main content"', async () => {
      // A page just opened: the sign-in moved the focus to the "All devices" heading, and Tab would go
      // on from there.
      await admin.reload();
      await admin.getByRole('link', { name: 'Devices', exact: true }).waitFor({ timeout: 30_000 });
      await admin.keyboard.press('Tab');
      const skip = admin.getByRole('link', { name: 'Skip to main content' });
      await skip.waitFor();
      assert.ok(await skip.evaluate((el) => el.matches(':focus')), 'the first Tab stop is not the skip link');
      assert.ok(await skip.isVisible(), 'the skip link is not visible when focused');
    });
    await step(admin, 'Enter on the skip link moves focus to the main region', async () => {
      await admin.keyboard.press('Enter');
      const focusedIsMain = await admin.evaluate(`(() => {
        let el = document.activeElement;
        while (el && el.shadowRoot && el.shadowRoot.activeElement) el = el.shadowRoot.activeElement;
        return !!el && (el.tagName === 'MAIN' || el.getAttribute('role') === 'main');
      })()`);
      assert.ok(focusedIsMain, 'focus is not on the main region after the skip link');
    });
    const nav = admin.getByRole('navigation', { name: 'Main' });
    await step(admin, '"Devices" is the current page, with a visible mark', async () => {
      const devices = nav.getByRole('link', { name: 'Devices', exact: true });
      assert.equal(await devices.getAttribute('aria-current'), 'page');
      const other = nav.getByRole('link', { name: 'Tenant administration', exact: true });
      await other.waitFor();
      const look = (l: typeof devices) => l.evaluate((el) => { const s = getComputedStyle(el); return `${s.backgroundColor}|${s.fontWeight}|${s.borderInlineStartWidth}`; });
      assert.notEqual(await look(devices), await look(other), 'the current place looks like any other link');
    });
    for (const section of ['Users', 'Reports'] as const) {
      await openAdminSection(admin, 'en', section);
      await step(admin, `"${section}" is the current page in the navigation`, async () => {
        assert.equal(await nav.getByRole('link', { name: section, exact: true }).getAttribute('aria-current'), 'page');
        assert.equal(await nav.getByRole('link', { name: 'Devices', exact: true }).getAttribute('aria-current'), null);
      });
    }
  });

  for (const [locale, browserLocale] of [['en', 'en-US'], ['ar', 'ar-EG']] as const) {
    it(`${locale}: at 200 % zoom (640×400) nothing scrolls sideways, the header and navigation keep their text whole, the navigation stays reachable; forced colours keep borders, the current place and focus, and nothing moves`, async () => {
      const t = (s: string) => inLocale(locale, s);
      const problems: string[] = [];
      const context = await e2e.browser.newContext({ ignoreHTTPSErrors: true, locale: browserLocale, viewport: zoomedViewport });
      context.setDefaultTimeout(20_000);
      const admin = await context.newPage();
      try {
        const nav = admin.getByRole('navigation', { name: t('Main') });
        const menu = nav.getByRole('button', { name: t('Menu'), exact: true });
        const language: [string, Locator] = [t('Language'), admin.getByLabel(t('Language'), { exact: true })];
        const button = (name: string): [string, Locator] => [t(name), admin.getByRole('button', { name: t(name), exact: true })];
        /** The page at this state: no sideways scrolling, `controls` within the width, the header and
         * the navigation (its menu button, or its links when open) with their text whole. */
        const zoomed = async (state: string, controls: Array<[string, Locator]>, parts: Array<[string, string]> = [['header', 'header'], ['navigation', 'nav']]): Promise<void> => {
          await admin.waitForTimeout(150);
          if (process.env['RH_A11Y_SHOTS'] === '1') await admin.screenshot({ path: join(shots, `console-zoomed-${locale}-${state.replace(/[^a-z0-9]+/gi, '-')}.png`) });
          problems.push(...(await widthProblems(admin, `${locale} ${state}`, [language, ...controls])));
          for (const [part, selector] of parts) {
            for (const p of (await admin.evaluate(textLayoutProbe(selector))) as string[]) problems.push(`${locale} ${state}: ${part}: ${p}`);
          }
        };

        await consoleSignedOut(admin, e2e.system, locale);
        await zoomed('signed out', [], [['header', 'header']]);
        await consoleSignInIn(admin, locale, users.admin);
        await step(admin, `the device list shows ${device.name}`, () => admin.getByRole('link', { name: device.name, exact: true }).waitFor({ timeout: 30_000 }));
        await zoomed('device list', [[t('Search devices'), admin.getByLabel(t('Search devices'), { exact: true })], button('Sync')]);

        await step(admin, `the navigation is one "${t('Menu')}" button away, by keyboard`, async () => {
          assert.equal(await menu.getAttribute('aria-expanded'), 'false', 'the navigation is not collapsed behind its menu button at 640 px');
          await menu.focus();
          await admin.keyboard.press('Enter');
          assert.equal(await menu.getAttribute('aria-expanded'), 'true');
          for (const name of ['Devices', 'All devices', 'Tenant administration']) {
            await admin.keyboard.press('Tab');
            const link = nav.getByRole('link', { name: t(name), exact: true });
            assert.ok(await link.evaluate((el) => el.matches(':focus')), `Tab after "${t('Menu')}" does not reach "${t(name)}"`);
          }
        });
        await zoomed('navigation open', [[t('Devices'), nav.getByRole('link', { name: t('Devices'), exact: true })], [t('Tenant administration'), nav.getByRole('link', { name: t('Tenant administration'), exact: true })]]);
        await step(admin, 'Escape closes the menu and the focus goes back to its button', async () => {
          await admin.keyboard.press('Escape');
          assert.equal(await menu.getAttribute('aria-expanded'), 'false');
          assert.ok(await menu.evaluate((el) => el.matches(':focus')), 'the focus is not back on the menu button');
        });

        problems.push(...(await forcedColourProblems(admin, `${locale} device list`, async () => {
          const found: string[] = [];
          await settled(admin);
          const animations = (await admin.evaluate('document.getAnimations().map((a) => a.animationName || a.transitionProperty || "animation")')) as string[];
          if (animations.length) found.push(`${locale} device list with reduced motion: animations left after settling (${animations.join(', ')})`);
          await openMenuIfCollapsed(admin, locale);
          const current = nav.getByRole('link', { name: t('Devices'), exact: true });
          const other = nav.getByRole('link', { name: t('All devices'), exact: true });
          const mark = (l: Locator) => l.evaluate((el) => {
            const s = getComputedStyle(el);
            const border = parseFloat(s.borderInlineStartWidth) >= 2 && s.borderInlineStartStyle !== 'none' && !/transparent|rgba\([^)]*,\s*0\)/.test(s.borderInlineStartColor);
            return { border, underline: s.textDecorationLine.includes('underline') };
          });
          const [c, o] = [await mark(current), await mark(other)];
          if (!((c.border && !o.border) || (c.underline && !o.underline))) found.push(`${locale} forced colours: the current place "${t('Devices')}" has no mark but colour (${JSON.stringify(c)} against ${JSON.stringify(o)})`);
          await current.focus();
          await admin.keyboard.press('Tab');
          await admin.keyboard.press('Shift+Tab');
          const focused = (await admin.evaluate(focusProbe)) as { name: string; ring: boolean } | null;
          if (!focused?.ring) found.push(`${locale} forced colours: ${focused?.name ?? 'nothing'} shows no focus ring when reached by Tab`);
          await admin.keyboard.press('Escape');
          return found;
        })));

        await step(admin, `admin opens ${device.name}`, () => admin.getByRole('link', { name: device.name, exact: true }).click());
        await step(admin, 'the device view shows', () => admin.getByRole('heading', { name: device.name, exact: true }).waitFor());
        await zoomed('device view', [button('New remote assistance session')]);
        await step(admin, `admin clicks "${t('New remote assistance session')}"`, () => admin.getByRole('button', { name: t('New remote assistance session') }).click());
        await step(admin, `the dialog offers "${t('Continue')}"`, () => admin.getByRole('button', { name: t('Continue') }).waitFor());
        await zoomed('new session dialog', [[t('Remote help'), admin.getByRole('radio', { name: t('Remote help') })], button('Continue')]);
        problems.push(...(await forcedColourProblems(admin, `${locale} new session dialog`)));
        await admin.keyboard.press('Escape');

        for (const section of ['Settings', 'Users', 'Reports'] as const) {
          await openAdminSection(admin, locale, section);
          await zoomed(`admin: ${section}`, { Settings: [button('Save'), button('Choose logo…')], Users: [button('Add user')], Reports: [] }[section]);
          problems.push(...(await forcedColourProblems(admin, `${locale} admin: ${section}`)));
        }
      } finally {
        await context.close().catch(() => undefined);
      }
      assert.deepEqual(problems, [], `${problems.length} problems at 200 % zoom or in forced colours:\n${problems.join('\n')}`);
    });
  }

  it('the reports keep a time on one line and never show a raw code', async () => {
    const admin = await e2e.person('admin');
    await consoleSignedOut(admin, e2e.system, 'en');
    await consoleSignInIn(admin, 'en', users.admin);
    const reports = await openAdminSection(admin, 'en', 'Reports');
    await admin.setViewportSize({ width: 900, height: 800 });
    const table = reports.getByRole('table', { name: 'Session reports' });
    await step(admin, 'a report row is listed', () => table.getByRole('row').nth(1).waitFor());
    await step(admin, 'the time cell is one line high', async () => {
      const { height, line } = await table.locator('tbody time').first().evaluate((el) => {
        const cell = el.closest('td')!;
        const style = getComputedStyle(el);
        const lineHeight = style.lineHeight === 'normal' ? parseFloat(style.fontSize) * 1.2 : parseFloat(style.lineHeight);
        return { height: el.getBoundingClientRect().height, line: lineHeight, cellWhiteSpace: getComputedStyle(cell).whiteSpace };
      });
      assert.ok(height <= line * 1.5, `the time is ${height}px high, more than one line (${line}px)`);
    });
    await step(admin, 'no outcome, end reason or warning kind shows as a code', async () => {
      const text = await table.innerText();
      const codes = new Set<string>([...reportOutcomes, ...endReason.options, 'unenrolled', 'unconfirmed-device', 'noncompliant', ...errorCodes]);
      // Hyphenated codes anywhere; one-word codes (completed, ended…) as a whole cell, where an
      // untranslated code would stand alone.
      const seen = (text.match(/\b[a-z]+(-[a-z]+)+\b/g) ?? []).filter((w) => codes.has(w));
      assert.deepEqual(seen, [], `raw codes in the reports: ${seen.join(', ')}`);
      for (const cell of await table.getByRole('cell').allInnerTexts()) assert.ok(!codes.has(cell.trim()), `a report cell shows the raw code "${cell}"`);
    });
  });

  it('branding saved in the admin view shows at once: the logo and name in the header, the accent on primary buttons', async () => {
    const admin = await e2e.person('admin');
    await consoleSignedOut(admin, e2e.system, 'en');
    await consoleSignInIn(admin, 'en', users.admin);
    const settings = await openAdminSection(admin, 'en', 'Settings');
    const branding = settings.getByRole('group', { name: 'Organization branding' }).or(settings.getByRole('region', { name: 'Organization branding' })).first();
    const accent = '#7a1fa2';
    const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"><rect width="40" height="20" fill="#7a1fa2"/></svg>';
    const chooseLogo = branding.getByRole('button', { name: 'Choose logo…', exact: true });
    const logoStatus = branding.locator('#logo-status');
    await step(admin, 'the logo picker speaks the console\'s language: "Choose logo…" and "No logo", not the browser\'s "No file chosen"', async () => {
      await chooseLogo.waitFor();
      assert.equal((await logoStatus.innerText()).trim(), 'No logo');
      assert.equal(await branding.getByText(/No file chosen|Choose File/).count(), 0, 'the browser\'s own file input text shows');
    });
    await step(admin, 'admin fills in the organization name, picks a logo with the keyboard ("Choose logo…", Enter) and an accent colour, and saves', async () => {
      await branding.getByLabel('Organization name', { exact: true }).fill('Contoso Care');
      // Enter on the button opens the hidden input's file chooser: seen as the input's click, held back
      // there (a headless browser has no chooser to show); the file is then given to the input.
      const input = branding.getByLabel('Logo', { exact: true });
      await input.evaluate((el) => el.addEventListener('click', (e) => { e.preventDefault(); el.setAttribute('data-opened', ''); }, { once: true }));
      await chooseLogo.focus();
      await admin.keyboard.press('Enter');
      await admin.waitForFunction((el) => el?.hasAttribute('data-opened'), await input.elementHandle(), { timeout: 5_000 });
      await input.setInputFiles({ name: 'logo.svg', mimeType: 'image/svg+xml', buffer: Buffer.from(svg) });
      await branding.getByRole('img', { name: /logo/i }).waitFor();
      await branding.getByText('logo.svg', { exact: true }).waitFor();
      await branding.getByLabel('Accent colour (hex)', { exact: true }).fill(accent);
      await settings.getByRole('button', { name: 'Save', exact: true }).first().click();
      await settings.getByText('Settings saved.', { exact: true }).waitFor();
    });
    await step(admin, 'the header shows the organization\'s logo and name without a restart', async () => {
      const header = admin.getByRole('banner');
      await header.getByText('Contoso Care', { exact: true }).waitFor();
      const logo = header.getByRole('img', { name: /Contoso Care/ });
      await logo.waitFor();
      assert.match((await logo.getAttribute('src')) ?? '', /^data:image\/svg\+xml;base64,/);
    });
    await step(admin, 'a primary button is drawn in the accent colour, its text in the colour that reads best on it', async () => {
      const save = settings.getByRole('button', { name: 'Save', exact: true }).first();
      // Not hovered, and past the colour's transition.
      await admin.mouse.move(0, 0);
      await admin.waitForTimeout(300);
      const colours = await save.evaluate((el) => { const s = getComputedStyle(el); return { bg: s.backgroundColor, fg: s.color }; });
      assert.equal(colours.bg, 'rgb(122, 31, 162)');
      assert.equal(colours.fg, onAccentColor(accent) === '#ffffff' ? 'rgb(255, 255, 255)' : 'rgb(27, 28, 32)');
    });
    await step(admin, 'a logo that is not an image is refused with a clear message', async () => {
      await branding.getByLabel('Logo', { exact: true }).setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('hello') });
      await branding.getByText('The logo must be a PNG, JPEG, WebP or SVG image.', { exact: true }).waitFor();
      assert.equal((await logoStatus.innerText()).trim(), 'logo.svg', 'the status does not name the logo still in use');
    });
    await step(admin, '"Remove logo" leaves "No logo" and the focus on "Choose logo…"', async () => {
      await branding.getByRole('button', { name: 'Remove logo', exact: true }).click();
      assert.equal((await logoStatus.innerText()).trim(), 'No logo');
      assert.ok(await chooseLogo.evaluate((el) => el.matches(':focus')), 'the focus is not on "Choose logo…"');
    });
  });
});
