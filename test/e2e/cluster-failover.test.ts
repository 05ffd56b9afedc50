// The helper's relay node dies in the middle of a session (issue 11): two nodes sharing Redis and PostgreSQL behind
// the load balancer, real pages in Chromium. The screen is peer to peer, so the helper's video keeps
// playing; the helper's page reconnects through the balancer to the other node and resumes; chat works
// again both ways, nobody is told the session ended, and nobody is asked anything again.
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, newPerson } from '../support/browser.js';
import { startCluster, type Cluster } from '../support/cluster.js';
import type { RunningSystem } from '../support/system.js';
import { waitFor } from '../support/wait.js';
import { signInOnWebPageIfAsked } from '../support/sign-in-page.js';
import { expectChatShows, expectFramesAdvancing, openUnenrolledSession, sendChat, step, users } from './flows.js';

const lostText = 'The service no longer has this session: it ended while you were disconnected, or the service restarted.';

async function liveSessionId(page: Page): Promise<string> {
  const raw = await page.evaluate((key) => sessionStorage.getItem(key), 'rh:live-session:helper');
  const id = raw ? (JSON.parse(raw) as { sessionId?: string }).sessionId : undefined;
  if (!id) throw new Error('the helper\'s page keeps no live session');
  return id;
}

/** What the flows use of a system: the pages' addresses, here the balancer's. */
const systemOf = (cluster: Cluster) => ({ relayUrl: cluster.url, webHelperUrl: `${cluster.url}/rhh`, sharerUrl: `${cluster.url}/rh` }) as RunningSystem;

describe('end to end: the helper\'s relay node dies mid-session', function () {
  this.timeout(240_000);
  let cluster: Cluster;
  let browser: Browser;

  before(async function () {
    this.timeout(120_000);
    [cluster, browser] = await Promise.all([startCluster({ nodes: 2, postgres: true, webPages: true }), launchBrowser()]);
  });
  after(async function () {
    this.timeout(60_000);
    await browser?.close().catch(() => undefined);
    await cluster?.stop();
  });

  it('the helper\'s video keeps playing, its page moves to the other node, and chat works again', async () => {
    const system = systemOf(cluster);
    const open = async (): Promise<Page> => (await newPerson(browser)).newPage();
    const { helper, sharer } = await openUnenrolledSession(await open(), await open(), system);
    const sessionId = await liveSessionId(helper);
    await sendChat(helper, 'helper', 'before');
    await expectChatShows(sharer, 'sharer', 'before');

    const dead = cluster.whereIs(sessionId, 'helper');
    assert.ok(dead, 'no node took the helper');
    await dead.stop('SIGKILL');
    await expectFramesAdvancing(helper);
    await step(helper, 'the helper\'s page resumed on the other node', () =>
      waitFor(() => cluster.whereIs(sessionId, 'helper') !== dead, 30_000, 'the helper never resumed elsewhere'));
    await expectFramesAdvancing(helper);

    await sendChat(helper, 'helper', 'after, from the helper');
    await expectChatShows(sharer, 'sharer', 'after, from the helper');
    await sendChat(sharer, 'sharer', 'after, from the sharer');
    await expectChatShows(helper, 'helper', 'after, from the sharer');
    for (const page of [helper, sharer]) {
      assert.equal(await page.getByText('Session ended', { exact: true }).count(), 0, 'a page says the session ended');
    }
    assert.equal(await sharer.getByRole('button', { name: 'Allow' }).count(), 0, 'the sharer was asked to Allow again');
  });
});

describe('end to end: one relay without Redis crashes mid-session and comes back', function () {
  this.timeout(240_000);
  let cluster: Cluster;
  let browser: Browser;

  before(async function () {
    this.timeout(120_000);
    [cluster, browser] = await Promise.all([startCluster({ nodes: 1, redis: false, webPages: true }), launchBrowser()]);
  });
  after(async function () {
    this.timeout(60_000);
    await browser?.close().catch(() => undefined);
    await cluster?.stop();
  });

  it('both pages say the service no longer has the session, not that the other person left', async () => {
    const open = async (): Promise<Page> => (await newPerson(browser)).newPage();
    const { helper, sharer } = await openUnenrolledSession(await open(), await open(), systemOf(cluster));
    const node = cluster.nodes[0]!;
    await node.stop('SIGKILL');
    await node.start();
    // The web sign-ins were in the crashed process's memory: each page asks to sign in again (the
    // provider may remember the person), and back on its page it finds the session gone.
    const ended = (page: Page) => page.getByText(lostText, { exact: true });
    for (const [page, email] of [[helper, users.helper], [sharer, users.sharer]] as const) {
      await step(page, `${email} signs in again if asked, and sees the session is gone`, async () => {
        await signInOnWebPageIfAsked(page, email, ended(page));
        await ended(page).waitFor({ timeout: 30_000 });
      });
      assert.equal(await page.getByText('Session ended', { exact: true }).count(), 1);
    }
  });
});
