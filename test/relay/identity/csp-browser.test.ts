// The identity pages under their Content-Security-Policy in real Chromium: the web sign-in reaches its
// page through the form_post auto-submit (the hashed script runs), the console's sign-in reaches its
// loopback redirect (a form target outside the relay), and the browser reports no CSP violation.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { demoPassword, demoTenants } from '#relay/directory/index.js';
import { cspViolations as violations, launchBrowser, newPerson } from '../../support/browser.js';
import { consoleAuthorizeUrl, pkcePair } from '../../support/sign-in.js';
import { startIdentityHost, type IdentityHost } from '../../support/identity-host.js';

async function signIn(page: Page, email: string): Promise<void> {
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(demoPassword);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

describe('identity pages under their CSP in Chromium', function () {
  this.timeout(60_000);
  let host: IdentityHost;
  let browser: Browser;
  before(async () => {
    host = await startIdentityHost();
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await host?.close();
  });

  it('completes the web sign-in: email, password, then the auto-submitted form_post to /auth/callback', async () => {
    const context = await newPerson(browser);
    try {
      const page = await context.newPage();
      const seen = violations(page);
      await page.goto(`${host.baseUrl}/auth/signin?returnTo=/rhh`);
      await page.getByLabel('Email').fill('helper@contoso.example');
      await page.getByRole('button', { name: 'Next' }).click();
      await signIn(page, 'helper@contoso.example');
      await page.waitForURL(`${host.baseUrl}/rhh`);
      const cookies = await context.cookies(host.baseUrl);
      assert.ok(cookies.some((c) => c.name === 'rh_session'), 'signed in');
      assert.deepEqual(seen, []);
    } finally {
      await context.close();
    }
  });

  it('completes the console sign-in: the form_post reaches the loopback redirect', async () => {
    let received = '';
    const loopback: Server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        if (req.method === 'POST') received = body;
        res.end('done');
      });
    });
    await new Promise<void>((resolve) => loopback.listen(0, '127.0.0.1', resolve));
    const redirect = `http://localhost:${(loopback.address() as AddressInfo).port}/`;
    const context = await newPerson(browser);
    try {
      const page = await context.newPage();
      const seen = violations(page);
      const url = new URL(consoleAuthorizeUrl(host.baseUrl, demoTenants.contoso.id, 'helper@contoso.example', pkcePair().challenge));
      url.searchParams.set('redirect_uri', redirect);
      await page.goto(url.toString());
      await signIn(page, 'helper@contoso.example');
      await page.waitForURL(redirect);
      assert.match(received, /(^|&)code=/, 'the authorization code reached the app');
      assert.deepEqual(seen, []);
    } finally {
      await context.close();
      loopback.closeAllConnections();
      await new Promise<void>((resolve) => loopback.close(() => resolve()));
    }
  });
});
