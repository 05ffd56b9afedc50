// Through firewalls (issue 12, point 5): the pages take their ICE servers from the relay, with TURN
// credentials the relay makes per member (the TURN REST API), and a deployment can force relay-only
// ICE. Here a real coturn on loopback is the only way through: the helper still gets frames over TURN
// on UDP, over TURN on TCP alone (a network without UDP), and over TURN/TLS alone (a network that lets
// only TLS to a 443-style port through), and a TURN server that does not share the relay's secret
// refuses the pages (401), so no frames come.
import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { newPerson } from '../support/browser.js';
import { turnMemberId } from '#relay/turn/turn-credentials.js';
import { startCoturn, type Coturn } from '../support/coturn.js';
import { useSystem } from '../support/e2e.js';
import { portIsFree } from '#scripts/services/free-port.js';
import { freePort } from '../support/redis-server.js';
import { waitFor } from '../support/wait.js';
import {
  expectFramesAdvancing, framesOnScreen, sharerAnswers, sharerConnects, sharerOpensLink, step, webHelperNewCode,
} from './flows.js';

const secret = 'turn-e2e-shared-secret-0123456789';
const ttlSeconds = 600;
const ports = { udp: 0, tls: 0 };

// Test instrumentation, before any page script: every RTCPeerConnection a page makes, with the
// configuration it was given and the TURN errors it met (the component keeps its own to itself).
// Source text: tsx's __name helper does not exist inside the page.
const recordPeers = `(() => {
  const Native = window.RTCPeerConnection;
  const peers = [];
  window.__rhPeers = peers;
  window.RTCPeerConnection = class extends Native {
    constructor(config) {
      super(config);
      const record = { pc: this, errors: [] };
      peers.push(record);
      this.addEventListener('icecandidateerror', (e) => record.errors.push({ code: e.errorCode, url: e.url }));
    }
  };
})()`;

interface PeerView {
  policy: string | undefined;
  turnUsername: string | undefined;
  turnErrors: number[];
  /** The selected pair's local candidate, once ICE has one. */
  selected: { candidateType: string; relayProtocol?: string } | undefined;
}

/** What the page's last peer connection was built with, and the path it took. */
async function lastPeer(page: Page): Promise<PeerView | undefined> {
  return page.evaluate(`(async () => {
    const record = (window.__rhPeers || []).at(-1);
    if (!record) return undefined;
    const config = record.pc.getConfiguration();
    const turn = (config.iceServers || []).find((s) => s.username);
    const stats = [...(await record.pc.getStats()).values()];
    const transport = stats.find((s) => s.type === 'transport' && s.selectedCandidatePairId);
    const pair = transport && stats.find((s) => s.id === transport.selectedCandidatePairId);
    const local = pair && stats.find((s) => s.id === pair.localCandidateId);
    return {
      policy: config.iceTransportPolicy,
      turnUsername: turn && turn.username,
      turnErrors: record.errors.map((e) => e.code),
      selected: local ? { candidateType: local.candidateType, relayProtocol: local.relayProtocol } : undefined,
    };
  })()`);
}

describe('end to end: the screen through a TURN server only (relay-only ICE, coturn on loopback)', function () {
  this.timeout(120_000);
  // Before useSystem's own before (hooks run in the order they are registered): the relay's
  // configuration names these ports.
  before(async () => {
    ports.udp = await freePort();
    // TURN/TLS where a network that lets only HTTPS out lets it through: port 443 itself wherever the test
    // may bind it (CI runs as root; Chromium takes no TURN port under 1024 but 53, 80 and 443), another
    // port otherwise. The test of it says which it used.
    ports.tls = (await portIsFree(443, '127.0.0.1')) ? 443 : await freePort();
  });
  const e2e = useSystem(() => ({
    console: false,
    relayEnv: {
      RH_TURN_SECRET: secret,
      // Both ways in, as a deployment would list them; each test opens only some on the TURN server.
      RH_TURN_URLS: `turn:127.0.0.1:${ports.udp}?transport=udp,turn:127.0.0.1:${ports.udp}?transport=tcp,turns:127.0.0.1:${ports.tls}?transport=tcp`,
      RH_TURN_TTL_SECONDS: String(ttlSeconds),
      RH_ICE_TRANSPORT_POLICY: 'relay',
    },
  }), [
    // Chromium checks the TURN server's certificate on turns: (seen with 156: the TLS handshake is
    // dropped for a certificate of the relay's local CA), and the test context's ignoreHTTPSErrors does
    // not reach WebRTC's TURN sockets; this switch does. A deployment's TURN server has a real certificate.
    '--ignore-certificate-errors',
  ]);
  let coturn: Coturn | undefined;

  afterEach(async () => {
    await Promise.all(pages.map((p) => p.close().catch(() => undefined)));
    pages = [];
    await coturn?.stop();
    coturn = undefined;
  });

  async function turnServer(listeners: { udp: boolean; tcp?: boolean; tls: boolean }, withSecret = secret): Promise<Coturn> {
    // The relay's own certificate (its local CA, for 127.0.0.1), accepted by this file's Chromium only.
    const tls = dirname(e2e.system.caCertPath);
    coturn = await startCoturn({
      secret: withSecret, udpPort: ports.udp, tlsPort: ports.tls,
      certFile: join(tls, 'server.pem'), keyFile: join(tls, 'server.key'), listeners,
    });
    return coturn;
  }

  // One helper and one sharer for the whole file, signed in once (their contexts keep the sign-in): each
  // test opens fresh pages in them, so each has its own session and its own peer connections.
  let contexts: { helper: BrowserContext; sharer: BrowserContext } | undefined;
  let pages: Page[] = [];
  after(async () => {
    await contexts?.helper.close().catch(() => undefined);
    await contexts?.sharer.close().catch(() => undefined);
  });

  async function people(): Promise<{ helper: Page; sharer: Page }> {
    if (!contexts) {
      contexts = { helper: await newPerson(e2e.browser), sharer: await newPerson(e2e.browser) };
      await contexts.helper.addInitScript(recordPeers);
      await contexts.sharer.addInitScript(recordPeers);
    }
    const helper = await contexts.helper.newPage();
    const sharer = await contexts.sharer.newPage();
    pages.push(helper, sharer);
    return { helper, sharer };
  }

  async function sessionUntilAllow(helper: Page, sharer: Page): Promise<void> {
    const { link } = await webHelperNewCode(helper, e2e.system);
    await sharerOpensLink(sharer, link);
    await sharerConnects(sharer);
    await sharerAnswers(sharer, 'Allow');
  }

  /** Both pages relay-only, with the relay's TURN credentials, on a relay candidate of `protocol`; and
   * the TURN server allocated for both of those usernames. */
  async function expectRelayedOver(turn: Coturn, pages: { helper: Page; sharer: Page }, protocol: 'udp' | 'tcp' | 'tls'): Promise<void> {
    const now = Math.floor(Date.now() / 1000);
    // The web helper keeps its live session in the tab (for a reload): the session the usernames are for.
    const live = await pages.helper.evaluate(() => sessionStorage.getItem('rh:live-session:helper'));
    const sessionId = (JSON.parse(live ?? '{}') as { sessionId?: string }).sessionId ?? '';
    for (const [who, page] of [['helper', pages.helper], ['sharer', pages.sharer]] as const) {
      let view: PeerView | undefined;
      await step(page, `${who}'s connection runs through a ${protocol} TURN relay`, () => waitFor(async () => {
        view = await lastPeer(page);
        return view?.selected?.candidateType === 'relay' && view.selected.relayProtocol === protocol;
      }, 15_000, `${who}'s selected candidate is ${JSON.stringify(view?.selected)}, not a ${protocol} relay`));
      assert.equal(view?.policy, 'relay', `${who}: the page did not take the relay-only policy`);
      const username = view?.turnUsername ?? '';
      const [expiry, memberId] = username.split(':');
      assert.match(memberId ?? '', /^[A-Za-z0-9_-]{22}$/, `${who}: the TURN username "${username}" is not expiry:member`);
      assert.ok(Math.abs(Number(expiry) - (now + ttlSeconds)) < 60, `${who}: the TURN username "${username}" does not expire ${ttlSeconds} s from now`);
      assert.equal(memberId, turnMemberId(sessionId, who), `${who}: the TURN username is not this session member's`);
      await waitFor(() => turn.log.some((l) => l.includes(`user <${username}>`) && /ALLOCATE processed, success/.test(l)), 5_000,
        `${who}: coturn logged no allocation for ${username}:\n${turn.log.filter((l) => /ALLOCATE|401/.test(l)).slice(-10).join('\n')}`);
    }
  }

  it('over TURN on UDP: the helper sees frames, both pages on relay candidates with the relay\'s credentials', async () => {
    const turn = await turnServer({ udp: true, tls: false });
    const pages = await people();
    await sessionUntilAllow(pages.helper, pages.sharer);
    await expectFramesAdvancing(pages.helper);
    await expectRelayedOver(turn, pages, 'udp');
  });

  it('over TURN on TCP alone (UDP blocked, plain TCP to the TURN server\'s port): still frames', async () => {
    const turn = await turnServer({ udp: false, tcp: true, tls: false });
    const pages = await people();
    await sessionUntilAllow(pages.helper, pages.sharer);
    await expectFramesAdvancing(pages.helper);
    await expectRelayedOver(turn, pages, 'tcp');
  });

  it('over TURN/TLS alone (UDP blocked, only TLS to the TURN server\'s port, 443 where the test may bind it): still frames', async function () {
    // Said in the test's line of the run: which port this run's TURN/TLS was on.
    this.test!.title += ` [port ${ports.tls}${ports.tls === 443 ? '' : ': 443 is taken, or needs root, here'}]`;
    const turn = await turnServer({ udp: false, tls: true });
    const pages = await people();
    await sessionUntilAllow(pages.helper, pages.sharer);
    await expectFramesAdvancing(pages.helper);
    await expectRelayedOver(turn, pages, 'tls');
  });

  it('a TURN server without the relay\'s secret refuses the pages (401): no relay path, no frames', async () => {
    const turn = await turnServer({ udp: true, tls: true }, 'another-secret-not-the-relays-0123');
    const { helper, sharer } = await people();
    await sessionUntilAllow(helper, sharer);
    let view: PeerView | undefined;
    await step(sharer, 'the sharer\'s TURN requests are refused with 401', () => waitFor(async () => {
      view = await lastPeer(sharer);
      return view?.turnErrors.includes(401) ?? false;
    }, 15_000, `the sharer's page met no 401 (TURN errors ${JSON.stringify(view?.turnErrors)})`));
    // Its log line may come through the pipe a moment after the page heard the answer.
    await waitFor(() => turn.log.some((l) => l.includes(`user <${view?.turnUsername}>`) && /error 401/.test(l)), 5_000, `coturn logged no 401 for ${view?.turnUsername}`);
    assert.equal(view?.selected, undefined, 'a candidate pair was selected without a TURN relay');
    assert.equal(await framesOnScreen(helper), 0, 'the helper saw frames though no path was allowed');
  });
});
