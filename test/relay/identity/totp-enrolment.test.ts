// An administrator requires an authenticator app for a user who has none: at the next sign-in, after the
// right password, the embedded provider's page shows a QR code (and the key as text), and the sign-in
// completes only once a code from the app is right; only then is the secret kept, and from then on every
// sign-in asks for a code. Real relay, real provider pages in Chromium under their CSP.
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import type { DirectoryUserView } from '#protocol';
import { demoPassword, demoUsers } from '#relay/directory/index.js';
import { totpCode } from '#relay/identity/index.js';
import { cspViolations as violations, launchBrowser, newPerson } from '../../support/browser.js';
import { adminCall } from '../../support/policy-calls.js';
import { demo, startTestRelay, valueOf, type TestRelay } from '../../support/relay.js';
import { forEachStoreBackend, type StoreBackend } from '../../support/store-backends.js';
import { signInOnProviderPage } from '../../support/sign-in-page.js';

describe('enrolling an authenticator app at sign-in, when an administrator requires one', function () {
  this.timeout(90_000);
  forEachStoreBackend((backend) => enrolling(backend));
});

function enrolling(backend: StoreBackend): void {
  let t: TestRelay;
  let browser: Browser;
  const user = demoUsers.contosoHelper;

  before(async () => {
    t = await startTestRelay({}, { kept: await backend.fresh() });
    browser = await launchBrowser();
    const admin = await t.token(demo.contosoAdmin);
    valueOf((await adminCall(t, admin, 'setTotpRequired', { userId: user.oid, required: true })).ack);
  });
  after(async () => {
    await browser?.close();
    await t?.stop();
  });

  const enrolled = async (): Promise<boolean> => {
    const admin = await t.token(demo.contosoAdmin);
    const list = valueOf((await adminCall<DirectoryUserView[]>(t, admin, 'listUsers', { search: user.upn })).ack);
    return list.find((u) => u.userId === user.oid)?.mfaEnrolled ?? false;
  };

  /** /rhh's sign-in: Email, Next, then the provider's Password and Sign in. */
  async function toPassword(page: Page): Promise<void> {
    await page.goto(`${t.url}/auth/signin?returnTo=/rhh`);
    await page.getByLabel('Email').fill(user.upn);
    await page.getByRole('button', { name: 'Next' }).click();
  }

  it('shows a QR code and the setup key after the password, keeps nothing for a wrong code, and signs in with the right one', async () => {
    const context = await newPerson(browser);
    try {
      const page = await context.newPage();
      const seen = violations(page);
      await toPassword(page);
      await signInOnProviderPage(page, user.upn, demoPassword);
      await page.getByRole('heading', { name: 'Set up your authenticator app' }).waitFor();

      const qr = page.getByRole('img', { name: /QR code that adds helper@contoso\.example at Remote Help \(Contoso\)/ });
      await qr.waitFor();
      // Drawn, not blocked: the CSP lets the data: image in.
      assert.ok(await qr.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0), 'the QR code is drawn');
      // On a phone-sized window too: big enough to scan, and nothing to scroll sideways for.
      await page.setViewportSize({ width: 390, height: 844 });
      assert.ok(((await qr.boundingBox())?.width ?? 0) >= 160, 'the QR code is at least 160 px wide');
      assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), 'the page fits a 390 px wide window');
      await page.setViewportSize({ width: 1280, height: 800 });
      const secret = (await page.locator('#setup-key').innerText()).replace(/\s+/g, '');
      assert.match(secret, /^[A-Z2-7]{32}$/);

      const codeBox = page.getByLabel('Verification code', { exact: true });
      const wrong = totpCode(secret, Date.now() + 10 * 60_000);
      await codeBox.fill(wrong === totpCode(secret, Date.now()) ? '000000' : wrong);
      await page.getByRole('button', { name: 'Verify' }).click();
      await page.getByRole('alert').filter({ hasText: 'That code is not correct' }).waitFor();
      assert.equal(await enrolled(), false, 'a wrong code keeps no secret');
      assert.equal((await page.locator('#setup-key').innerText()).replace(/\s+/g, ''), secret, 'the same key again');

      await page.getByLabel('Verification code', { exact: true }).fill(totpCode(secret, Date.now()));
      await page.getByRole('button', { name: 'Verify' }).click();
      await page.waitForURL(`${t.url}/rhh`);
      assert.ok((await context.cookies(t.url)).some((c) => c.name === 'rh_session'), 'signed in');
      assert.equal(await enrolled(), true);
      assert.deepEqual(seen, []);

      // The next sign-in asks for a code from the app, no longer for enrolment.
      const again = await newPerson(browser);
      try {
        const next = await again.newPage();
        await toPassword(next);
        await signInOnProviderPage(next, user.upn, demoPassword, { totpSecret: secret });
        await next.waitForURL(`${t.url}/rhh`);
      } finally {
        await again.close();
      }
    } finally {
      await context.close();
    }
  });
}
