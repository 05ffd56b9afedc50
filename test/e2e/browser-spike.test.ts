// What the end-to-end suite relies on in this Chromium, proven without the product: on an https
// origin with an untrusted certificate, two contexts share a synthetic screen over WebRTC with
// frames decoded; closing a page or killing the browser reaches a server at once.
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import forge from 'node-forge';
import type { Browser, Page } from 'playwright-core';
import { WebSocket, WebSocketServer } from 'ws';
import { launchBrowser, launchKillableBrowser, newPerson } from '../support/browser.js';
import { waitFor } from '../support/wait.js';

function selfSignedLocalhost(): { key: string; cert: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString());
  cert.serialNumber = '01';
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  cert.validity.notAfter = new Date(Date.now() + 86_400_000);
  const attrs = [{ name: 'commonName', value: 'localhost' }];
  cert.setSubject(attrs);
  cert.setIssuer(attrs);
  cert.setExtensions([{ name: 'subjectAltName', altNames: [{ type: 2, value: 'localhost' }] }]);
  const keyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  cert.sign(forge.pki.privateKeyFromPem(keyPem), forge.md.sha256.create());
  return { key: keyPem, cert: forge.pki.certificateToPem(cert) };
}

// The page: a sender that shares its (fake) screen and a receiver that counts decoded frames.
// Signalling goes through the test (no trickle: the offer/answer carry every candidate).
const pageHtml = `<!doctype html><meta charset="utf-8"><title>spike</title><video id="v" muted autoplay playsinline></video>
<script>
  window.ws = new WebSocket('wss://' + location.host + '/ws');
  addEventListener('pagehide', () => navigator.sendBeacon('/beacon', 'pagehide'));
  window.share = async () => {
    const stream = await navigator.mediaDevices.getDisplayMedia({ video: true, audio: false });
    window.pc = new RTCPeerConnection();
    pc.addTransceiver(stream.getVideoTracks()[0], { direction: 'sendonly', streams: [stream] });
    await pc.setLocalDescription();
    await new Promise((r) => pc.iceGatheringState === 'complete' ? r() : pc.addEventListener('icegatheringstatechange', () => pc.iceGatheringState === 'complete' && r()));
    return pc.localDescription.toJSON();
  };
  window.accept = async (answer) => pc.setRemoteDescription(answer);
  window.view = async (offer) => {
    window.pc = new RTCPeerConnection();
    pc.ontrack = (e) => { document.getElementById('v').srcObject = e.streams[0] ?? new MediaStream([e.track]); };
    await pc.setRemoteDescription(offer);
    await pc.setLocalDescription();
    await new Promise((r) => pc.iceGatheringState === 'complete' ? r() : pc.addEventListener('icegatheringstatechange', () => pc.iceGatheringState === 'complete' && r()));
    return pc.localDescription.toJSON();
  };
  window.framesDecoded = async () => {
    if (!window.pc) return 0;
    let n = 0;
    (await pc.getStats()).forEach((s) => { if (s.type === 'inbound-rtp' && s.kind === 'video') n = s.framesDecoded ?? 0; });
    return n;
  };
</script>`;

describe('end-to-end groundwork: this Chromium (spike)', function () {
  this.timeout(60_000);
  let server: Server;
  let origin: string;
  let browser: Browser;
  const beacons: number[] = [];
  /** The server's end of every page's socket, in the order they connected, and when each closed. */
  const sockets: WebSocket[] = [];
  const closedAt = new Map<WebSocket, number>();

  before(async () => {
    server = createServer(selfSignedLocalhost(), (req, res) => {
      if (req.url === '/beacon') { beacons.push(Date.now()); req.resume(); res.end(); return; }
      res.setHeader('content-type', 'text/html; charset=utf-8');
      res.end(pageHtml);
    });
    const wss = new WebSocketServer({ server, path: '/ws' });
    wss.on('connection', (ws) => {
      sockets.push(ws);
      ws.on('close', () => closedAt.set(ws, Date.now()));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    origin = `https://localhost:${(server.address() as AddressInfo).port}`;
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    server?.closeAllConnections();
    await new Promise((r) => server?.close(r));
  });

  /** A page with its socket open; answers the page and the server's end of that socket. (Sockets of
   * pages closed earlier may still be closing meanwhile: only this page's own socket is looked at.) */
  async function openPage(b: Browser): Promise<{ page: Page; socket: WebSocket }> {
    const page = await (await newPerson(b)).newPage();
    const connected = sockets.length;
    await page.goto(origin);
    await page.waitForFunction(() => (window as unknown as { ws: WebSocket }).ws?.readyState === 1);
    // The server took the upgrade before the page could see its socket open.
    assert.equal(sockets.length, connected + 1, 'one new socket for the page');
    const socket = sockets[connected]!;
    assert.equal(socket.readyState, WebSocket.OPEN, 'the page\'s socket is open at the server');
    return { page, socket };
  }
  const closed = (socket: WebSocket) => closedAt.has(socket);

  it('shares a fake screen between two contexts on https with decoded frames that keep advancing', async () => {
    const { page: sender } = await openPage(browser);
    const { page: receiver } = await openPage(browser);
    const offer = await sender.evaluate(() => (window as unknown as { share(): Promise<unknown> }).share());
    const answer = await receiver.evaluate((o) => (window as unknown as { view(o: unknown): Promise<unknown> }).view(o), offer);
    await sender.evaluate((a) => (window as unknown as { accept(a: unknown): Promise<void> }).accept(a), answer);
    const frames = (): Promise<number> => receiver.evaluate(() => (window as unknown as { framesDecoded(): Promise<number> }).framesDecoded());
    await waitFor(async () => (await frames()) > 0, 15_000, 'the receiver never decoded a frame');
    const first = await frames();
    await waitFor(async () => (await frames()) > first + 5, 10_000, 'decoded frames stopped advancing');
    // What the product's tests read: the <video> element's own count of frames it received.
    const videoFrames = (): Promise<number> => receiver.locator('video').evaluate((v: HTMLVideoElement) => v.getVideoPlaybackQuality().totalVideoFrames);
    const v0 = await videoFrames();
    await waitFor(async () => (await videoFrames()) > v0 + 5, 10_000, 'the <video> element stopped counting frames');
    await sender.context().close();
    await receiver.context().close();
  });

  it('closing a page or its context fires pagehide and closes its socket at once (the "tab closed" case)', async () => {
    const { page, socket } = await openPage(browser);
    const beaconsBefore = beacons.length;
    const t0 = Date.now();
    await page.close({ runBeforeUnload: true });
    await waitFor(() => closed(socket), 5_000, 'the server never saw the socket close');
    console.log(`      socket closed ${closedAt.get(socket)! - t0} ms after page.close({runBeforeUnload:true}); pagehide beacon: ${beacons.length > beaconsBefore}`);
    await page.context().close();

    for (const how of ['page.close()', 'context.close()'] as const) {
      const { page: page2, socket: socket2 } = await openPage(browser);
      const beacons2 = beacons.length;
      const t1 = Date.now();
      await (how === 'page.close()' ? page2.close() : page2.context().close());
      await waitFor(() => closed(socket2), 5_000, 'the server never saw the socket close');
      await new Promise((r) => setTimeout(r, 300)); // a late beacon would land here; this is a probe, not an assertion
      console.log(`      socket closed ${closedAt.get(socket2)! - t1} ms after ${how}; pagehide beacon: ${beacons.length > beacons2}`);
      await page2.context().close();
    }
  });

  it('a browser killed outright (SIGKILL to its process group) drops its sockets at once', async () => {
    const killable = await launchKillableBrowser();
    try {
      const { socket } = await openPage(killable.browser);
      const t0 = Date.now();
      killable.kill();
      await waitFor(() => closed(socket), 10_000, 'the server never saw the socket of the killed browser close');
      console.log(`      socket closed ${closedAt.get(socket)! - t0} ms after SIGKILL`);
      await waitFor(() => { try { process.kill(killable.pid, 0); return false; } catch { return true; } }, 5_000, `Chromium ${killable.pid} still alive after SIGKILL`);
    } finally {
      await killable.close();
    }
  });
});
