// Honest warnings and refusals (issue 9, point 9), as a user sees them: someone who cannot help is told
// before any "Get security code" and offered what can work (another account; the sharer page) rather
// than a Try again that cannot; the console's New remote assistance session says a refusal in the
// dialog instead of Continue; and a session for a device joined from a browser that did not prove it
// is that device says "Can't confirm this is NAME", not "not enrolled".
import assert from 'node:assert/strict';
import { useSystem } from '../support/e2e.js';
import { signInOnProviderPage, signInOnWebPage } from '../support/sign-in-page.js';
import {
  consoleHelperGetsCode, consoleSignIn, expectSessionEnded, expectTrustScreenShows, readIssuedCode, sharerAnswers,
  sharerOpensLinkAndConnects, step, users,
} from './flows.js';
import { adminCreatesRule, expectRefusal } from './policy-flows.js';

const laptop = 'CONTOSO-LT-0142';
const amira = { name: 'Amira Haddad', jobTitle: 'Sales Manager', company: 'Contoso Ltd.', domain: 'contoso.example' };

describe('end to end: honest warnings and refusals', function () {
  this.timeout(180_000);
  const e2e = useSystem();

  it('a user without a helper role on /rhh is told so before any "Get security code", and "Share your screen instead" opens /rh', async () => {
    const page = await e2e.person('Amira on /rhh');
    await step(page, `Amira opens ${e2e.system.webHelperUrl}`, () => page.goto(e2e.system.webHelperUrl));
    await step(page, 'Amira signs in on /rhh', () => signInOnWebPage(page, users.sharer));
    await expectRefusal(page, 'Amira', ['Your role does not allow you to give remote help.']);
    const instead = page.getByRole('link', { name: 'Share your screen instead' });
    await step(page, 'Amira is offered "Share your screen instead" and "Sign in with another account", and no "Get security code" or "Try again"', async () => {
      await instead.waitFor();
      await page.getByRole('button', { name: 'Sign in with another account' }).waitFor();
      assert.equal(await page.getByRole('button', { name: 'Get security code' }).count(), 0, '"Get security code" is offered to a user without a helper role');
      assert.equal(await page.getByRole('button', { name: 'Try again' }).count(), 0, '"Try again" is offered for a refusal it cannot fix');
    });
    await step(page, 'Amira clicks "Share your screen instead"', () => instead.click());
    await step(page, 'the sharer page /rh asks Amira (still signed in) for the "Security code", with "Connect"', async () => {
      await page.waitForURL((u) => u.pathname === '/rh');
      await page.getByLabel('Security code', { exact: true }).waitFor();
      await page.getByRole('button', { name: 'Connect' }).waitFor();
    });
  });

  it('a Fabrikam helper (no help for unenrolled devices) is told so at once; "Sign in with another account" reaches the sign-in page, and a Contoso helper then gets a code', async () => {
    const page = await e2e.person('Fabrikam helper on /rhh');
    await step(page, `Oskar opens ${e2e.system.webHelperUrl}`, () => page.goto(e2e.system.webHelperUrl));
    await step(page, 'Oskar signs in on /rhh', () => signInOnWebPage(page, users.fabrikamHelper));
    await expectRefusal(page, 'Oskar', ['Your organization does not allow remote help for devices that are not enrolled.']);
    const another = page.getByRole('button', { name: 'Sign in with another account' });
    await step(page, 'Oskar is offered "Sign in with another account" (not "Share your screen instead"), and no "Get security code" or "Try again"', async () => {
      await another.waitFor();
      await page.getByText('start from the device in the Remote Help console', { exact: false }).waitFor();
      assert.equal(await page.getByRole('link', { name: 'Share your screen instead' }).count(), 0);
      assert.equal(await page.getByRole('button', { name: 'Get security code' }).count(), 0);
      assert.equal(await page.getByRole('button', { name: 'Try again' }).count(), 0);
    });
    await step(page, 'Oskar clicks "Sign in with another account"', () => another.click());
    await step(page, 'the sign-in page asks for "Email" (Oskar is signed out)', () => page.getByLabel('Email', { exact: true }).waitFor());
    await step(page, `signs in there as ${users.helper}`, async () => {
      await page.getByLabel('Email', { exact: true }).fill(users.helper);
      await page.getByRole('button', { name: 'Next', exact: true }).click();
      await signInOnProviderPage(page, users.helper);
      await page.waitForURL((u) => u.pathname === '/rhh', { timeout: 15_000 });
    });
    await step(page, 'back on /rhh as the Contoso helper: "Get security code"', () => page.getByRole('button', { name: 'Get security code' }).click());
    await readIssuedCode(page);
  });

  it(`a console session for ${laptop} joined from a browser that did not prove it: the helper sees "Can't confirm this is ${laptop}" and what to do, not "not enrolled"`, async () => {
    const helper = await e2e.person('helper in the console');
    const sharer = await e2e.person('sharer on an unenrolled browser');
    // The administrator helps too (Remote Help Administrator), and stays signed in for the last test.
    await consoleSignIn(helper, e2e.system, users.admin);
    const { link } = await consoleHelperGetsCode(helper, laptop);
    await sharerOpensLinkAndConnects(sharer, link);
    await expectTrustScreenShows(helper, 'helper', amira);
    await step(helper, `the helper sees the alert "Can't confirm this is ${laptop}" with what to do`, async () => {
      const warning = helper.getByRole('alert').filter({ hasText: `Can't confirm this is ${laptop}` }).first();
      await warning.waitFor();
      await warning.getByText(`Ask them to open the link on ${laptop} itself, or check who you are talking to before you continue.`, { exact: false }).waitFor();
    });
    assert.equal(await helper.getByRole('alert').filter({ hasText: /not enrolled/i }).count(), 0, 'the helper is told the enrolled device is "not enrolled"');
    await sharerAnswers(sharer, 'Deny');
    await expectSessionEnded(helper, 'helper');
  });

  // Last: the rule blocks every helper of Contoso from here on.
  it('a helper blocked by a conditional-access rule learns it in the New remote assistance session dialog, with no Continue, and goes back to the devices', async () => {
    const page = await e2e.person('admin and helper in the console');
    await adminCreatesRule(page, e2e.system, { name: 'No remote help today', appliesTo: 'Helpers', grant: 'Block', mode: 'On' });
    await step(page, 'helper opens "Devices"', () => page.getByRole('link', { name: 'Devices' }).first().click());
    await step(page, `helper searches devices for "${laptop}"`, () => page.getByLabel('Search devices').first().fill(laptop));
    await step(page, `helper opens the device "${laptop}"`, () => page.getByRole('link', { name: laptop, exact: true }).first().click());
    await step(page, 'helper clicks "New remote assistance session"', () => page.getByRole('button', { name: 'New remote assistance session' }).click());
    const dialog = page.getByRole('dialog', { name: 'New remote assistance session' });
    await step(page, 'the dialog says the rule blocks the session, and what to do', async () => {
      const alert = dialog.getByRole('alert')
        .filter({ hasText: 'A conditional access rule of your organization blocks this session.' })
        .filter({ hasText: 'Blocked by the rule “No remote help today”' });
      await alert.waitFor();
    });
    await step(page, 'the dialog offers "Back to devices" and no "Continue"', async () => {
      await dialog.getByRole('button', { name: 'Back to devices' }).waitFor();
      assert.equal(await dialog.getByRole('button', { name: 'Continue' }).count(), 0, '"Continue" is offered although the session would be refused');
    });
    await step(page, 'helper clicks "Back to devices"', () => dialog.getByRole('button', { name: 'Back to devices' }).click());
    await step(page, 'the devices list shows again ("Search devices"), with no dialog', async () => {
      await page.getByLabel('Search devices').first().waitFor();
      await dialog.waitFor({ state: 'hidden' });
      assert.equal(await page.getByLabel('Security code', { exact: true }).count(), 0, 'a security code was made although the rule blocks');
    });
  });
});
