// The built pages /rh and /rhh (dist bundles from scripts/build-web.ts) before sign-in: the browser
// check and the way into sign-in. Signed-in flows run against the real relay in test/e2e.
// The /auth/me answer here is a fixed TEST DOUBLE of the relay's endpoint ("not signed in").
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import type { Browser } from 'playwright-core';
import { Server as SocketServer } from 'socket.io';
import { launchBrowser, newPerson } from '../support/browser.js';

const types: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.css': 'text/css; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.map': 'application/json' };

describe('the web pages before sign-in', function () {
  /** What the /auth/me double answers (a test changes it, and puts it back). */
  let me: object = { signedIn: false };
  let out: string;
  let server: Server;
  let origin: string;
  let browser: Browser;
  /** The page's socket: a stand-in relay that refuses every handshake with this code (the relay's middleware does so). */
  let refuseWith = 'unauthenticated';
  let handshakes = 0;

  before(async () => {
    out = mkdtempSync(join(tmpdir(), 'rh-web-'));
    const built = spawnSync('npx', ['tsx', 'scripts/build-web.ts', `--out=${out}`], { encoding: 'utf8' });
    assert.equal(built.status, 0, built.stderr);
    server = createServer((req, res) => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      if (path === '/auth/me') {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(me));
        return;
      }
      const file = path === '/rh' ? 'rh.html' : path === '/rhh' ? 'rhh.html' : path.startsWith('/assets/') ? normalize(path.slice(1)) : null;
      try {
        if (!file || file.startsWith('..')) throw new Error('not found');
        res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(join(out, 'web', file)));
      } catch {
        res.writeHead(404).end();
      }
    });
    const sockets = new SocketServer(server, { transports: ['websocket'] });
    sockets.use((_socket, next) => {
      handshakes++;
      next(Object.assign(new Error('refused'), { data: { code: refuseWith } }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await new Promise<void>((r) => server.close(() => r()));
    rmSync(out, { recursive: true, force: true });
  });

  it('/rh asks a supported browser to sign in, and comes back to the same link with the code', async () => {
    const context = await newPerson(browser);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${origin}/rh?passcode=ab12cd34`);
    const signIn = page.getByRole('main').getByRole('link', { name: 'Sign in' });
    await signIn.waitFor();
    assert.equal(await signIn.getAttribute('href'), `/auth/signin?returnTo=${encodeURIComponent('/rh?passcode=ab12cd34')}`);
    assert.equal(await page.evaluate(() => [document.documentElement.lang, document.documentElement.dir].join()), 'en,ltr');
    assert.equal(await page.title(), 'Remote Help — share your screen');
    assert.deepEqual(errors, []);
    await context.close();
  });

  it('/rh tells an old browser it is not supported, before any sign-in', async () => {
    const context = await browser.newContext({
      userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/100.0.4896.60 Safari/537.36',
    });
    const page = await context.newPage();
    await page.goto(`${origin}/rh`);
    await page.getByRole('alert').getByText('This browser is not supported').waitFor();
    await page.getByText('Chrome 100.0.4896.60').waitFor();
    assert.equal(await page.getByRole('link', { name: 'Sign in' }).count(), 0);
    await context.close();
  });

  it('/rh tells a browser that cannot share a screen (as on a phone), before any sign-in', async () => {
    const context = await newPerson(browser);
    await context.addInitScript(() => {
      Object.defineProperty(MediaDevices.prototype, 'getDisplayMedia', { value: undefined });
    });
    const page = await context.newPage();
    await page.goto(`${origin}/rh`);
    await page.getByRole('alert').getByText('This browser cannot share a screen.', { exact: false }).waitFor();
    assert.equal(await page.getByRole('link', { name: 'Sign in' }).count(), 0);
    await context.close();
  });

  it('/rhh asks the helper to sign in', async () => {
    const context = await newPerson(browser);
    const page = await context.newPage();
    await page.goto(`${origin}/rhh`);
    const signIn = page.getByRole('link', { name: 'Sign in' });
    await signIn.waitFor();
    assert.equal(await signIn.getAttribute('href'), `/auth/signin?returnTo=${encodeURIComponent('/rhh')}`);
    await context.close();
  });

  it('signed in, the header names the product and the organization with its logo, the language picker and the account; the accent and the text on it follow the organization', async () => {
    const logo = `data:image/svg+xml,${encodeURIComponent('<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"><rect width="40" height="20" fill="#ffd600"/></svg>')}`;
    me = { signedIn: true, upn: 'sam@contoso.example', name: 'Sam Helper', tenantName: 'Contoso', look: { name: 'Contoso Ltd', logo, accentColor: '#ffd600' } };
    const context = await newPerson(browser);
    try {
      const page = await context.newPage();
      await page.goto(`${origin}/rhh`);
      const header = page.getByRole('banner');
      await header.getByText('Signed in as Sam Helper (sam@contoso.example)').waitFor();
      await header.getByText('Remote Help', { exact: true }).waitFor();
      await header.getByText('Contoso Ltd', { exact: true }).waitFor();
      assert.equal(await header.locator('img.rh-logo').getAttribute('src'), logo);
      await header.getByRole('button', { name: 'Sign out' }).waitFor();
      await header.getByRole('combobox', { name: 'Language', exact: true }).waitFor();
      const accent = await page.evaluate(() => {
        const style = getComputedStyle(document.documentElement);
        return [style.getPropertyValue('--rh-color-accent').trim(), style.getPropertyValue('--rh-color-on-accent').trim()];
      });
      assert.deepEqual(accent, ['#ffd600', '#1b1c20'], 'a yellow accent carries dark text');

      // No look yet (a relay that does not fill it): the tenant's name, no logo, the tokens' own accent.
      me = { signedIn: true, upn: 'sam@contoso.example', tenantName: 'Contoso' };
      await page.reload();
      await header.getByText('Contoso', { exact: true }).waitFor();
      assert.equal(await header.locator('img').count(), 0);
      assert.equal(await page.evaluate(() => document.documentElement.style.getPropertyValue('--rh-color-accent')), '');
    } finally {
      me = { signedIn: false };
      await context.close();
    }
  });

  it('signed in with too many connections open, says so and does not knock again on its own', async () => {
    me = { signedIn: true, upn: 'sam@contoso.example', name: 'Sam Helper', tenantName: 'Contoso' };
    refuseWith = 'too-many-connections';
    handshakes = 0;
    const context = await newPerson(browser);
    try {
      const page = await context.newPage();
      await page.goto(`${origin}/rhh`);
      await page.getByRole('alert').getByText(/too many/i).waitFor();
      const seen = handshakes;
      assert.ok(seen >= 1);
      await page.getByRole('button', { name: 'Try again' }).waitFor();
      // A second later (socket.io's own retries would have knocked twice by then): no new handshake.
      await page.waitForTimeout(1500);
      assert.equal(handshakes, seen, 'no retry without the person asking');
    } finally {
      me = { signedIn: false };
      refuseWith = 'unauthenticated';
      await context.close();
    }
  });
});
