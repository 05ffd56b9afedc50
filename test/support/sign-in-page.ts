// A user's steps through the real sign-in pages, by the names on screen (DESIGN §9). Nothing here
// calls an API or sets a cookie: if a label or a redirect breaks, these steps break as a user would.
import type { BrowserContext, Locator, Page } from 'playwright-core';

/** Every demo user's password (README). */
export const demoPassword = 'RemoteHelp!2026';

/** The embedded provider's pages live under /{tenantId}/v2.0/. */
const providerUrl = /\/v2\.0\//;

/** "Sign in" may be a button or a link on the page that offers it. */
function signInControl(page: Page): Locator {
  return page.getByRole('button', { name: 'Sign in', exact: true }).or(page.getByRole('link', { name: 'Sign in', exact: true })).first();
}

/** On the provider's own page: Email (maybe already filled in), Password, "Sign in". */
export async function signInOnProviderPage(page: Page, email: string, password = demoPassword): Promise<void> {
  await page.waitForURL(providerUrl, { timeout: 15_000 });
  const emailBox = page.getByLabel('Email', { exact: true });
  // The provider may show the email read-only (from login_hint) or not at all; fill it only when it asks.
  if ((await emailBox.count()) > 0 && (await emailBox.isEditable()) && (await emailBox.inputValue()) === '') {
    await emailBox.fill(email);
  }
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

/**
 * The web flow of /rh and /rhh: "Sign in" → a page asking "Email" + "Next" (home-realm discovery)
 * → the tenant's provider page → back on the page the user started from, signed in.
 */
export async function signInOnWebPage(page: Page, email: string, password = demoPassword): Promise<void> {
  const startedOn = new URL(page.url());
  await signInControl(page).click();
  const emailBox = page.getByLabel('Email', { exact: true });
  const next = page.getByRole('button', { name: 'Next', exact: true });
  // The "Email" + "Next" step can be on the same page or a page of its own; either way it comes
  // before the provider page.
  await Promise.race([next.waitFor(), page.waitForURL(providerUrl)]);
  if (!providerUrl.test(page.url())) {
    await emailBox.fill(email);
    await next.click();
  }
  await signInOnProviderPage(page, email, password);
  await page.waitForURL((u) => u.origin === startedOn.origin && u.pathname === startedOn.pathname, { timeout: 15_000 });
}

/** Signs in unless the page already shows `ready` (a returning user whose session cookie is alive). */
export async function signInOnWebPageIfAsked(page: Page, email: string, ready: Locator, password = demoPassword): Promise<void> {
  const control = signInControl(page);
  await Promise.race([ready.waitFor(), control.waitFor()]);
  if (await ready.isVisible()) return;
  await signInOnWebPage(page, email, password);
}

/**
 * The console's sign-in: the console asks for the email, then opens the provider page in a new
 * window (the console host cannot open a system browser); the user signs in there and the window
 * may close itself. Returns when the console has the provider window's answer.
 */
export async function signInOnConsole(console: Page, email: string, password = demoPassword): Promise<void> {
  const context: BrowserContext = console.context();
  const emailBox = console.getByLabel('Email', { exact: true });
  const control = signInControl(console);
  // Some consoles show the Email box straight away, others after a "Sign in" click.
  await Promise.race([emailBox.waitFor(), control.waitFor()]);
  if (!(await emailBox.isVisible())) await control.click();
  await emailBox.fill(email);
  const popup = context.waitForEvent('page', { timeout: 15_000 });
  const submit = console.getByRole('button', { name: 'Next', exact: true }).or(console.getByRole('button', { name: 'Sign in', exact: true })).first();
  await submit.click();
  const provider = await popup;
  await signInOnProviderPage(provider, email, password);
}
