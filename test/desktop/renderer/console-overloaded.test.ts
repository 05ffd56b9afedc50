// A relay at capacity refuses the console's connection as `overloaded` (here, once the signed-in console's
// connection dropped): main asks again by itself after
// growing waits, and meanwhile the console's status line says the service is busy (not that it cannot be
// reached); once main is in, the line goes. The real relay (overload forced on), the console host with
// the real main, Chromium signed in through the provider page.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { createForcedOverload } from '#relay/socket/overload.js';
import { launchBrowser, newPerson } from '../../support/browser.js';
import { startTestConsole, type TestConsole } from '../../support/console.js';
import { demo, startTestRelay, type TestRelay } from '../../support/relay.js';
import { signInOnConsole } from '../../support/sign-in-page.js';
import { waitFor } from '../../support/wait.js';

describe('the console while the relay is overloaded', function () {
  this.timeout(120_000);
  const overload = createForcedOverload();
  let relay: TestRelay;
  let host: TestConsole;
  let browser: Browser;
  let page: Page;

  before(async function () {
    this.timeout(180_000);
    relay = await startTestRelay({}, { overload });
    const caCertPath = join(relay.dataDir, 'test-ca.pem');
    await writeFile(caCertPath, relay.caPem);
    host = await startTestConsole({ relayUrl: relay.url.replace(/\/+$/, ''), caCertPath });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await host?.close();
    await relay?.stop();
  });

  it('says the service is busy while main retries, and nothing once it is in', async () => {
    // Signed in and connected first: past capacity a sign-in is refused too (sign-in-while-busy.test.ts).
    page = await (await newPerson(browser)).newPage();
    await page.goto(host.url);
    await signInOnConsole(page, demo.contosoHelper);
    const sockets = relay.relay.io!.of('/').sockets;
    await waitFor(() => sockets.size > 0, 15_000, 'the console\'s main never connected to the relay');

    // The relay reaches capacity, and the console's connection drops (a network blip): main's new
    // handshake is refused, as the console is in no live session to come back to.
    overload.set(true);
    for (const s of sockets.values()) s.conn.close();
    const busy = page.getByRole('status').filter({ hasText: 'The Remote Help service is very busy right now. It will try again in a moment.' });
    await busy.waitFor();
    assert.equal(await page.getByText('Not connected to the Remote Help service. Reconnecting…').count(), 0, 'busy is told as busy, not as unreachable');

    overload.set(false);
    // Main's next try (the first waits at most 1 s, the second 2 s) gets in, and the line goes.
    await busy.waitFor({ state: 'detached', timeout: 15_000 });
    assert.equal(await page.getByText('Not connected to the Remote Help service. Reconnecting…').count(), 0);
  });
});
