// How long a person takes to get signed in, per identity source, on /rhh and in the console: an `oidc`
// tenant at its own provider (the stand-in Keyhole ID, test/support/oidc-idp.ts), an `entra` tenant at
// the Entra ID stand-in (with Graph beside it), and an `embedded` tenant at the relay's own provider.
// The console goes through realm discovery and MSAL (OIDC or AAD mode) with its loopback redirect. Its
// own relay with an organization's three tenants, as test/e2e/oidc-tenant.test.ts starts one.
// Each run is a fresh browser context (no cookies); the time runs from the click on "Sign in" (web) or
// "Next" (console) to the page showing the signed-in state, with the steps typed by Playwright.
import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { newPerson } from '#test/support/browser.js';
import { startEntraStandIn } from '#test/support/entra-stand-in.js';
import { startGraphStandIn } from '#test/support/graph-stand-in.js';
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
const megan = {
  tid: '6c1f7a52-3b0e-4d8e-9a51-0f2b7c9d4e11', oid: '11111111-1111-4111-8111-111111111111', email: 'megan@contoso.example',
  password: 'Entra-bench-password-1', web: '0b7e2c1d-5a4f-4e3b-8c2d-1a9f8e7d6c5b', console: '4d3c2b1a-0f9e-4d8c-b7a6-958473625140',
  api: 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d',
};

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

/** The console: Email + Next → the provider's page in the window the console opens → the console shows "Sign out". */
function consoleSignIn(system: RunningSystem, who: { email: string; password: string }, opts: SignInOptions) {
  return async (page: Page): Promise<{ startedAt: number }> => {
    await page.goto(system.consoleUrl);
    await page.getByLabel('Email', { exact: true }).or(page.getByRole('button', { name: 'Sign out' })).first().waitFor();
    // The console host keeps who signed in: sign out first, so every run signs in from the start.
    if (await page.getByRole('button', { name: 'Sign out' }).isVisible()) {
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByLabel('Email', { exact: true }).waitFor();
    }
    const startedAt = performance.now();
    await step(page, `${who.email} signs in to the console`, () => signInOnConsole(page, who.email, who.password, opts));
    await step(page, 'the console shows "Sign out"', () => page.getByRole('button', { name: 'Sign out' }).waitFor({ timeout: 20_000 }));
    return { startedAt };
  };
}

export async function signInSources(browser: Browser): Promise<BenchResult> {
  const idp = await startOidcIdp({ users: [alice], clients: { web: { ...web, redirectUris: [] }, console: { clientId: consoleClientId } }, audience: 'remote-help' });
  const entra = await startEntraStandIn({
    tenants: [{
      tenantId: megan.tid,
      apps: [{ clientId: megan.console, publicClient: true, redirectUris: ['http://localhost'] }],
      apis: [{ audience: 'api://remote-help', clientId: megan.api, scopes: ['session'] }],
      users: [{ oid: megan.oid, upn: megan.email, name: 'Megan Bowen', password: megan.password, appRoles: ['help-desk-operator'] }],
    }],
  });
  const graph = await startGraphStandIn({ entra });
  graph.setUser(megan.tid, { id: megan.oid, displayName: 'Megan Bowen', userPrincipalName: megan.email, jobTitle: 'Service Desk Lead', companyName: 'Contoso' });
  let system: RunningSystem | undefined;
  try {
    system = await startSystem({
      // Some 33 web sign-ins from one address in a few minutes: past a person's limit, not a benchmark's.
      webSignInLimits: { perAddress: 1000 },
      outgoingCa: [idp.caPem, entra.caPem, graph.caPem],
      tenants: [
        {
          id: 'contoso', name: 'Contoso', verifiedDomains: ['contoso.example'], settings: { unenrolledHelp: true },
          identity: {
            type: 'entra', tenantId: megan.tid, clientId: megan.web, clientSecret: web.clientSecret, consoleClientId: megan.console,
            audience: megan.api, scopes: ['api://remote-help/session'], authorityHost: entra.authorityHost, graphUrl: graph.url,
          },
        },
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
    entra.addApp(megan.tid, {
      clientId: megan.web, clientSecret: web.clientSecret, redirectUris: [`${system.relayUrl}/auth/callback`],
      applicationPermissions: ['User.Read.All', 'GroupMember.Read.All', 'Organization.Read.All', 'ProfilePhoto.Read.All'],
    });
    const keyhole: SignInOptions = { provider: keyholeSignInPage(idp) };
    const entraPage: SignInOptions = { provider: { isAt: (url) => url.origin === entra.authorityHost, email: 'Email', password: 'Password', submit: 'Sign in' } };
    const series = {
      keyholeWeb: webSignIn(system, alice.email, alice.password, keyhole),
      entraWeb: webSignIn(system, megan.email, megan.password, entraPage),
      embeddedWeb: webSignIn(system, bill.upn, bill.password, {}),
      keyholeConsole: consoleSignIn(system, alice, keyhole),
      entraConsole: consoleSignIn(system, megan, entraPage),
      embeddedConsole: consoleSignIn(system, { email: bill.upn, password: bill.password }, {}),
    };
    const samples: Record<keyof typeof series, number[]> = { keyholeWeb: [], entraWeb: [], embeddedWeb: [], keyholeConsole: [], entraConsole: [], embeddedConsole: [] };
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
        measure('web /rhh, entra tenant (Entra ID stand-in)', samples.entraWeb),
        measure('web /rhh, embedded tenant', samples.embeddedWeb),
        measure('console, oidc tenant (Keyhole ID, MSAL OIDC mode)', samples.keyholeConsole),
        measure('console, entra tenant (Entra ID stand-in, MSAL AAD mode)', samples.entraConsole),
        measure('console, embedded tenant', samples.embeddedConsole),
      ],
      notes: [
        `${runs} runs each after one warm-up, taking turns; a new browser context per run (no cookies)`,
        'timed in Node around Playwright steps: typing the email and password and Playwright\'s own round trips are included',
        'the entra tenant\'s Graph profile is fetched after sign-in, in the background: not part of these times',
        'relay, Keyhole ID, console host and Chromium on the same machine (loopback)',
      ],
    };
  } finally {
    await system?.stop();
    await idp.close();
    await graph.close();
    await entra.close();
  }
}
