// A user's steps through the real sign-in pages, by the names on screen (DESIGN §9). Nothing here
// calls an API or sets a cookie: if a label or a redirect breaks, these steps break as a user would.
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { totpCode } from '#relay/identity/index.js';

/** Every demo user's password (README). */
export const demoPassword = 'RemoteHelp!2026';

/**
 * A tenant's identity provider, as its sign-in page looks to a user: where it lives and the names of its
 * fields and button. The relay's embedded provider by default; an `oidc` tenant's provider has its own
 * (the stand-in's: keyholeSignInPage in oidc-idp.ts).
 */
export interface ProviderPage {
  /** Whether the browser is on this provider's pages. */
  isAt(url: URL): boolean;
  /** The labels of the email and password fields, and the name of the button that signs in. */
  email: string;
  password: string;
  submit: string;
}

/** The embedded provider's pages live under /{tenantId}/v2.0/ on the relay. */
export const embeddedProviderPage: ProviderPage = {
  isAt: (url) => /\/v2\.0\//.test(url.pathname),
  email: 'Email',
  password: 'Password',
  submit: 'Sign in',
};

/** The embedded provider's page in the browser's language: its names through `t` (e.g. inLocale). */
export function embeddedProviderIn(t: (english: string) => string): ProviderPage {
  return { ...embeddedProviderPage, email: t('Email'), password: t('Password'), submit: t('Sign in') };
}

/** "Sign in" may be a button or a link on the page that offers it. */
function signInControl(page: Page, t: (english: string) => string = (e) => e): Locator {
  return page.getByRole('button', { name: t('Sign in'), exact: true }).or(page.getByRole('link', { name: t('Sign in'), exact: true })).first();
}

export interface SignInOptions {
  /** The user's authenticator secret (base32): when the provider asks for a "Verification code",
   * the step types the code an authenticator app would show now, then "Verify". */
  totpSecret?: string;
  /** The tenant's provider page (default: the relay's embedded provider, in the language of `t`). */
  provider?: ProviderPage;
  /** The language the pages are in, as the browser asks: each English name through it (e.g. inLocale).
   * English by default. */
  t?: (english: string) => string;
}

/** On the provider's own page: Email (maybe already filled in), Password, "Sign in" — and, for a
 * user with an authenticator app, "Verification code" + "Verify". Another provider's page by its own
 * names (opts.provider). */
export async function signInOnProviderPage(page: Page, email: string, password = demoPassword, opts: SignInOptions = {}): Promise<void> {
  const provider = opts.provider ?? (opts.t ? embeddedProviderIn(opts.t) : embeddedProviderPage);
  await page.waitForURL(provider.isAt, { timeout: 15_000 });
  await page.getByLabel(provider.password, { exact: true }).waitFor();
  const emailBox = page.getByLabel(provider.email, { exact: true });
  // The provider may show the email read-only (from login_hint) or not at all; fill it only when it asks.
  if ((await emailBox.count()) > 0 && (await emailBox.isEditable()) && (await emailBox.inputValue()) === '') {
    await emailBox.fill(email);
  }
  await page.getByLabel(provider.password, { exact: true }).fill(password);
  await page.getByRole('button', { name: provider.submit, exact: true }).click();
  if (opts.totpSecret !== undefined) await verifyWithTotp(page, opts.totpSecret);
}

/** The provider's second step. A code is accepted only once: when this 30-second step's code was
 * used already (an earlier sign-in of the same user), the provider says so, and the user waits for
 * the app's next code and types that one, as a person would. */
async function verifyWithTotp(page: Page, secret: string): Promise<void> {
  const codeBox = page.getByLabel('Verification code', { exact: true });
  const used = page.getByText('already been used');
  await codeBox.waitFor({ timeout: 15_000 });
  for (let attempt = 0; attempt < 2; attempt++) {
    if (attempt > 0) {
      const nextStep = (Math.floor(Date.now() / 30_000) + 1) * 30_000;
      await page.waitForTimeout(nextStep - Date.now() + 100);
    }
    await codeBox.fill(totpCode(secret, Date.now()));
    await page.getByRole('button', { name: 'Verify', exact: true }).click();
    // Either the provider lets the user through (the page leaves it, or a popup closes) or it asks again.
    const through = page.waitForURL((u) => !embeddedProviderPage.isAt(u), { timeout: 15_000 }).then(() => true, () => page.isClosed());
    const refused = used.waitFor({ timeout: 15_000 }).then(() => false, () => false);
    if (await Promise.race([through, refused])) return;
    if (!(await used.isVisible().catch(() => false))) return; // another problem: the caller's next step says what the page shows
  }
}

/**
 * The web flow of /rh and /rhh: "Sign in" → a page asking "Email" + "Next" (home-realm discovery)
 * → the tenant's provider page → back on the page the user started from, signed in.
 */
export async function signInOnWebPage(page: Page, email: string, password = demoPassword, opts: SignInOptions = {}): Promise<void> {
  const startedOn = new URL(page.url());
  await startWebSignIn(page, email, opts);
  await signInOnProviderPage(page, email, password, opts);
  await page.waitForURL((u) => u.origin === startedOn.origin && u.pathname === startedOn.pathname, { timeout: 15_000 });
}

/**
 * The relay's part of the web sign-in: "Sign in", then "Email" + "Next" (home-realm discovery). Returns
 * once the email is sent (or the provider page is already there): the browser then goes on to the
 * tenant's provider, or the relay says why it cannot.
 */
export async function startWebSignIn(page: Page, email: string, opts: Pick<SignInOptions, 'provider' | 't'> = {}): Promise<void> {
  await signInControl(page, opts.t).click();
  await answerEmailStep(page, email, opts);
}

/** The relay's "Email" + "Next" step, when it comes (it may be on the page already, or skipped when the
 * provider page is there at once). */
export async function answerEmailStep(page: Page, email: string, opts: Pick<SignInOptions, 'provider' | 't'> = {}): Promise<void> {
  const provider = opts.provider ?? embeddedProviderPage;
  const t = opts.t ?? ((english: string) => english);
  const emailBox = page.getByLabel(t('Email'), { exact: true });
  const next = page.getByRole('button', { name: t('Next'), exact: true });
  // The "Email" + "Next" step can be on the same page or a page of its own; either way it comes
  // before the provider page.
  await Promise.race([next.waitFor(), page.waitForURL(provider.isAt)]);
  if (!provider.isAt(new URL(page.url()))) {
    await emailBox.fill(email);
    await next.click();
  }
}

/** Signs in unless the page already shows `ready` (a returning user whose session cookie is alive). */
export async function signInOnWebPageIfAsked(page: Page, email: string, ready: Locator, password = demoPassword, opts: SignInOptions = {}): Promise<void> {
  const control = signInControl(page);
  await Promise.race([ready.waitFor(), control.waitFor()]);
  if (await ready.isVisible()) return;
  await signInOnWebPage(page, email, password, opts);
}

/**
 * The console's sign-in: the console asks for the email, then opens the provider page in a new
 * window (the console host cannot open a system browser); the user signs in there and the window
 * may close itself. Returns when the console has the provider window's answer.
 */
export async function signInOnConsole(console: Page, email: string, password = demoPassword, opts: SignInOptions = {}): Promise<void> {
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
  await signInOnProviderPage(provider, email, password, opts);
}
