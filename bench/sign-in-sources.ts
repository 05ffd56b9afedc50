// How long a person takes to get signed in, per identity source: on /rhh through an `oidc` tenant's
// own provider (the stand-in Keyhole ID, test/support/oidc-idp.ts) and through the relay's embedded
// provider, and in the console through Keyhole ID (realm discovery, MSAL in OIDC mode, its loopback
// redirect). Its own relay with an organization's two tenants, as test/e2e/oidc-tenant.test.ts starts it.
// Each run is a fresh browser context (no cookies); the time runs from the click on "Sign in" (web) or
// "Next" (console) to the page showing the signed-in state, with the steps typed by Playwright.
import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { newPerson } from '#test/support/browser.js';
import { idpClaimNames, idpScopes, keyholeSignInPage, startOidcIdp, type IdpUser } from '#test/support/oidc-idp.js';
import { signInOnConsole, signInOnWebPage, type SignInOptions } from '#test/support/sign-in-page.js';
import { startSystem, type RunningSystem } from '#test/support/system.js';
import { step } from '#test/e2e/flows.js';
import { measure, type BenchResult } from './stats.js';

const runs = 10;
const alice: IdpUser = {
  sub: 'kh-bench-alice', email: 'alice@globex.example', password: 'correct horse 1', displayName: 'Alice Ample',
  title: 'Service Desk Lead', org: 'Globex Corporation', memberOf: ['rh-helpdesk'],
};
const bill = { upn: 'bill@initech.example', password: 'Initech!2026-tps' };
const web = { clientId: 'remote-help-web', clientSecret: 'bench-web-secret' };
const consoleClientId = 'remote-help-console';

/** Milliseconds from `start` to `signedIn` resolving, on a new page in a new context. */
async function timed(browser: Browser, run: (page: Page) => Promise<{ startedAt: number }>): Promise<number> {
  const context = await newPerson(browser);
  try {
    const { startedAt } = await run(await context.newPage());
    return Math.round(performance.now() - startedAt);
  } finally {
    await context.close();
  }
}

/** /rhh: "Sign in" → Email + Next → the provider's page → back on /rhh with "Get security code". */
function webSignIn(system: RunningSystem, email: string, password: string, opts: SignInOptions) {
  return async (page: Page): Promise<{ startedAt: number }> => {
    await page.goto(system.webHelperUrl);
    await page.getByRole('button', { name: 'Sign in', exact: true }).or(page.getByRole('link', { name: 'Sign in', exact: true })).first().waitFor();
    const startedAt = performance.now();
    await step(page, `${email} signs in on /rhh`, () => signInOnWebPage(page, email, password, opts));
    await step(page, '/rhh offers "Get security code"', () => page.getByRole('button', { name: 'Get security code' }).waitFor());
    return { startedAt };
  };
}

/** The console: Email + Next → Keyhole ID in the window the console opens → the console shows "Sign out". */
function consoleSignIn(system: RunningSystem, opts: SignInOptions) {
  return async (page: Page): Promise<{ startedAt: number }> => {
    await page.goto(system.consoleUrl);
    await page.getByLabel('Email', { exact: true }).or(page.getByRole('button', { name: 'Sign out' })).first().waitFor();
    // The console host keeps who signed in: sign out first, so every run signs in from the start.
    if (await page.getByRole('button', { name: 'Sign out' }).isVisible()) {
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByLabel('Email', { exact: true }).waitFor();
    }
    const startedAt = performance.now();
    await step(page, 'helper signs in to the console at Keyhole ID', () => signInOnConsole(page, alice.email, alice.password, opts));
    await step(page, 'the console shows "Sign out"', () => page.getByRole('button', { name: 'Sign out' }).waitFor({ timeout: 20_000 }));
    return { startedAt };
  };
}

export async function signInSources(browser: Browser): Promise<BenchResult> {
  const idp = await startOidcIdp({ users: [alice], clients: { web: { ...web, redirectUris: [] }, console: { clientId: consoleClientId } }, audience: 'remote-help' });
  let system: RunningSystem | undefined;
  try {
    system = await startSystem({
      outgoingCa: [idp.caPem],
      tenants: [
        {
          id: 'globex', name: 'Globex', verifiedDomains: ['globex.example'], settings: { unenrolledHelp: true },
          identity: {
            type: 'oidc', issuer: idp.issuer, ...web, consoleClientId, audience: 'remote-help',
            scopes: ['openid', 'profile', 'email', idpScopes.groups, idpScopes.api],
            claims: { name: idpClaimNames.name, jobTitle: idpClaimNames.jobTitle, company: idpClaimNames.company, groups: idpClaimNames.groups },
            roles: { claim: idpClaimNames.groups, map: { 'rh-helpdesk': 'Help Desk Operator' } },
          },
        },
        { id: 'initech', name: 'Initech', verifiedDomains: ['initech.example'], settings: { unenrolledHelp: true }, identity: { type: 'embedded' } },
      ],
      prepare: (directory) => directory.upsertUser({
        oid: randomUUID(), tenantId: 'initech', upn: bill.upn, name: 'Bill Lumbergh', jobTitle: 'IT Support', company: 'Initech',
        photoUrl: '', roles: ['Help Desk Operator'], password: bill.password,
      }),
    });
    idp.registerWebRedirectUri(`${system.relayUrl}/auth/callback`);
    const keyhole: SignInOptions = { provider: keyholeSignInPage(idp) };
    const series = {
      keyholeWeb: webSignIn(system, alice.email, alice.password, keyhole),
      embeddedWeb: webSignIn(system, bill.upn, bill.password, {}),
      keyholeConsole: consoleSignIn(system, keyhole),
    };
    const samples: Record<keyof typeof series, number[]> = { keyholeWeb: [], embeddedWeb: [], keyholeConsole: [] };
    // One warm-up of each (first discovery, first keys, first page loads), not counted; then the
    // series take turns, so a slow moment of the machine is spread over all three.
    for (const run of Object.values(series)) await timed(browser, run);
    for (let i = 0; i < runs; i++) {
      for (const [name, run] of Object.entries(series) as [keyof typeof series, (p: Page) => Promise<{ startedAt: number }>][]) {
        samples[name].push(await timed(browser, run));
      }
    }
    return {
      name: 'sign-in-sources',
      description: 'Time to be signed in, per identity source: click on "Sign in" (web) or "Next" (console) to the signed-in page',
      measures: [
        measure('web /rhh, oidc tenant (Keyhole ID)', samples.keyholeWeb),
        measure('web /rhh, embedded tenant', samples.embeddedWeb),
        measure('console, oidc tenant (Keyhole ID, MSAL OIDC mode)', samples.keyholeConsole),
      ],
      notes: [
        `${runs} runs each after one warm-up, taking turns; a new browser context per run (no cookies)`,
        'timed in Node around Playwright steps: typing the email and password and Playwright\'s own round trips are included',
        'relay, Keyhole ID, console host and Chromium on the same machine (loopback)',
      ],
    };
  } finally {
    await system?.stop();
    await idp.close();
  }
}
