// The deployment of README "Deploying behind nginx with systemd", run: Debian's nginx with the site of
// deploy/nginx/remote-help.conf (only its ports, server name, certificate paths and upstream port changed,
// see test/support/nginx-site.ts) ends TLS with the organization's certificate, in front of the relay's
// own entry point started from a configuration file with trustProxy and no tls. Everything the people do
// goes through nginx's HTTPS port only: sign-in, the WebSocket, the admin API, the pages in Chromium.
//
// The socket-level clients reach nginx from 127.0.0.2, while nginx reaches the relay from 127.0.0.1; the
// tenant has a conditional-access rule blocking them from 127.0.0.1. So their session works only if nginx
// names the client in X-Forwarded-For and the relay (trustProxy) believes it — and a client from 127.0.0.1
// is refused even when it sends its own X-Forwarded-For, because nginx, the edge, overwrites that header.
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import { io, type ManagerOptions, type SocketOptions } from 'socket.io-client';
import type { Ack, CaRule, ChatMessage, SessionReport } from '#protocol';
import { adminPath } from '#protocol';
import { loadConfig } from '#relay/config.js';
import { applyConfiguredTenants } from '#relay/directory/configured-tenants.js';
import { createDirectory } from '#relay/directory/index.js';
import { initialsAvatar } from '#relay/directory/avatar.js';
import { expectFramesAdvancing, readIssuedCode, sharerAnswers, sharerOpensLinkAndConnects, step } from './flows.js';
import { launchBrowser, newPerson } from '../support/browser.js';
import { httpsRequest } from '../support/https-fetch.js';
import type { NginxProcess } from '../support/nginx-process.js';
import { startExampleSite } from '../support/nginx-site.js';
import { organizationPki } from '../support/org-pki.js';
import { freePort } from '../support/redis-server.js';
import { connected, next, request, valueOf, type ClientSocket } from '../support/relay.js';
import { listening, startRelayMain } from '../support/relay-process.js';
import { signInForToken, webSignIn } from '../support/sign-in.js';
import { signInOnWebPage } from '../support/sign-in-page.js';

const password = 'globex behind nginx passphrase';
const people = {
  helper: { oid: '7e1c0a52-3b7d-4f0e-9a61-0c2d4b6e8f11', upn: 'helper@globex.example', name: 'Grace Hopper', jobTitle: 'Service Desk', roles: ['Help Desk Operator'] },
  sharer: { oid: '7e1c0a52-3b7d-4f0e-9a61-0c2d4b6e8f12', upn: 'sharer@globex.example', name: 'Ada Lovelace', jobTitle: 'Analyst', roles: [] },
  admin: { oid: '7e1c0a52-3b7d-4f0e-9a61-0c2d4b6e8f13', upn: 'admin@globex.example', name: 'Alan Kay', jobTitle: 'IT Administrator', roles: ['Remote Help Administrator'] },
  // In Chromium, which reaches nginx from 127.0.0.1 (it cannot choose its address): the rule names only the people above.
  webHelper: { oid: '7e1c0a52-3b7d-4f0e-9a61-0c2d4b6e8f14', upn: 'web.helper@globex.example', name: 'Barbara Liskov', jobTitle: 'Service Desk', roles: ['Help Desk Operator'] },
  webSharer: { oid: '7e1c0a52-3b7d-4f0e-9a61-0c2d4b6e8f15', upn: 'web.sharer@globex.example', name: 'Edsger Dijkstra', jobTitle: 'Controller', roles: [] },
} as const;
/** Where the people's connections to nginx come from; nginx's own to the relay come from 127.0.0.1. */
const clientAddress = '127.0.0.2';
const notFromTheProxyHost: CaRule = {
  id: 'not-from-proxy-host', name: 'Not from the proxy host', enabled: true, mode: 'enforce', appliesTo: 'both',
  conditions: { users: [people.helper.upn, people.sharer.upn], ipRanges: ['127.0.0.1/32'] }, grant: 'block',
};

/** Distinct free loopback ports. */
async function freePorts(count: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < count) ports.add(await freePort());
  return [...ports];
}

/** One plain-HTTP request to nginx's port 80 stand-in: its status and Location; 'no answer' when nginx
 * closes the connection without one. */
function plainGet(port: number, path: string, host: string): Promise<{ status: number; location: string | undefined } | 'no answer'> {
  return new Promise((resolve, reject) => {
    httpRequest({ host: '127.0.0.1', port, path, headers: { host } }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, location: res.headers.location }));
    }).on('error', (e: NodeJS.ErrnoException) => (e.code === 'ECONNRESET' ? resolve('no answer') : reject(e))).end();
  });
}

/** The protocol nginx agrees on by ALPN for a TLS connection asking for `name` (HTTP/2 offered first),
 * or the handshake's error. */
function handshake(url: string, ca: string, name: string): Promise<string> {
  const { port } = new URL(url);
  return new Promise((resolve) => {
    const s = tlsConnect({ host: '127.0.0.1', port: Number(port), servername: name, ca, ALPNProtocols: ['h2', 'http/1.1'] }, () => {
      resolve(s.alpnProtocol || 'none');
      s.end();
    });
    s.once('error', (e: NodeJS.ErrnoException) => resolve(`refused: ${e.code ?? e.message}`));
  });
}

describe('behind nginx with the example site (deploy/nginx/remote-help.conf)', function () {
  this.timeout(120_000);
  let dir: string;
  let ca: string;
  let url: string;
  let httpPort: number;
  let relay: ChildProcess | undefined;
  let nginx: NginxProcess | undefined;
  const sockets: ClientSocket[] = [];

  /** A socket to the relay through nginx, from `from`, as the console (token) or a web page (cookie) opens it. */
  const socketVia = (from: string, auth: { token: string } | { cookie: string }, headers: Record<string, string> = {}): Promise<ClientSocket> => {
    // localAddress is passed on to Node's request by engine.io-client's WebSocket transport, though its
    // option types do not list it.
    const options: Partial<ManagerOptions & SocketOptions> & { localAddress: string } = {
      transports: ['websocket'], ca, localAddress: from, autoConnect: false, reconnection: false, forceNew: true,
      ...('token' in auth ? { auth } : {}),
      extraHeaders: { ...('cookie' in auth ? { cookie: auth.cookie, origin: url } : {}), ...headers },
    };
    const s: ClientSocket = io(url, options);
    sockets.push(s);
    return connected(s);
  };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rh-reverse-proxy-'));
    const pki = await organizationPki(join(dir, 'pki'));
    ca = readFileSync(pki.ca, 'utf8');
    const [httpsPort, plainPort, relayPort] = (await freePorts(3)) as [number, number, number];
    httpPort = plainPort;
    url = `https://localhost:${httpsPort}`;
    const dataDir = join(dir, 'data');
    const file = join(dir, 'config.yaml');
    writeFileSync(file, `publicUrl: ${url}
trustProxy: true
port: ${relayPort}
dataDir: ${dataDir}
tenants:
  - id: globex
    name: Globex
    verifiedDomains: [globex.example]
    settings: { remoteHelp: true, unenrolledHelp: true, chat: true }
    identity: { type: embedded }
`);
    // The tenant's people and its rule, as its administrators would have made them.
    const directory = createDirectory({ dataDir });
    try {
      await applyConfiguredTenants(directory, loadConfig({ RH_CONFIG: file }).tenants!);
      for (const p of Object.values(people)) {
        await directory.addUserIfMissing({
          ...p, roles: [...p.roles], tenantId: 'globex', company: 'Globex', groups: [], photoUrl: initialsAvatar(p.name), password,
        });
      }
      await directory.saveRule('globex', notFromTheProxyHost);
    } finally {
      directory.close();
    }
    // The relay's web sign-in reads its own provider's metadata at publicUrl, through nginx as everyone
    // does: it trusts the organization's CA as a host trusts its certificate's issuer.
    const started = startRelayMain({ RH_CONFIG: file, RH_PORT: String(relayPort), NODE_EXTRA_CA_CERTS: pki.ca });
    relay = started;
    const { url: announced } = await listening(started);
    assert.equal(announced, url, 'the relay announces nginx\'s address');
    nginx = await startExampleSite({ httpsPort, httpPort, relayPort, certFile: pki.cert, keyFile: pki.key, serverName: 'localhost' });
  });

  after(async () => {
    for (const s of sockets) s.disconnect();
    await nginx?.stop();
    if (relay && relay.exitCode === null) {
      const gone = once(relay, 'exit');
      relay.kill('SIGTERM');
      await gone;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('sends plain HTTP to HTTPS, speaks HTTP/2, and tells browsers to stay on HTTPS (HSTS)', async () => {
    const redirected = await plainGet(httpPort, '/rh?passcode=ABCD1234', 'localhost');
    assert.deepEqual(redirected, { status: 301, location: 'https://localhost/rh?passcode=ABCD1234' }, 'the same page, on https://');

    const realm = await httpsRequest(`${url}/auth/realm?email=${encodeURIComponent(people.helper.upn)}`, ca);
    assert.equal(realm.status, 200, realm.body);
    assert.equal((JSON.parse(realm.body) as { tenantName: string }).tenantName, 'Globex');
    assert.equal(realm.headers['strict-transport-security'], 'max-age=63072000');
    const missing = await httpsRequest(`${url}/no-such-page`, ca);
    assert.equal(missing.status, 404);
    assert.equal(missing.headers['strict-transport-security'], 'max-age=63072000', 'on error answers too');
    assert.equal(await handshake(url, ca, 'localhost'), 'h2');
    // The request id a person may quote is nginx's, never one the client chose (the relay keeps a proxy's).
    const forged = await httpsRequest(`${url}/auth/realm?email=${encodeURIComponent(people.helper.upn)}`, ca, { headers: { 'x-request-id': 'chosen-by-the-client' } });
    assert.match(String(forged.headers['x-request-id']), /^[0-9a-f]{32}$/, 'nginx\u2019s $request_id');

    // The relay's own answers are for the public https:// address, which nginx's headers let it know.
    const discovery = await httpsRequest(`${url}/globex/v2.0/.well-known/openid-configuration`, ca);
    assert.equal((JSON.parse(discovery.body) as { issuer: string }).issuer, `${url}/globex/v2.0`);
  });

  it('answers no other host name, so nothing but its own name reaches the relay', async () => {
    assert.equal(await plainGet(httpPort, '/rh', 'other.example'), 'no answer');
    assert.equal(await handshake(url, ca, 'other.example'), 'refused: ERR_SSL_TLSV1_UNRECOGNIZED_NAME');
  });

  it('carries a whole session: sign-in, create, join, trust, consent, signals, chat both ways, end', async () => {
    // The helper signs in as the console does; the sharer as the sharer page does (its session cookie is
    // Secure, which the relay sets only because nginx says the request came over HTTPS).
    const helperToken = await signInForToken(url, people.helper.upn, password, ca);
    const sharerCookie = await webSignIn(url, people.sharer.upn, password, ca, '/rh');
    const helper = await socketVia(clientAddress, { token: helperToken });
    const sharer = await socketVia(clientAddress, { cookie: sharerCookie });

    const created = valueOf(await request(helper, 'session:create', {}));
    const { sessionId } = created;
    assert.equal(created.link, `${url}/rh?passcode=${created.code}`, 'the link is nginx\'s address');
    const helperTrust = next(helper, 'session:trust', (t) => t.sessionId === sessionId);
    const sharerTrust = valueOf(await request(sharer, 'session:join', { code: created.code }));
    assert.equal(sharerTrust.peer.name, people.helper.name, 'the sharer sees who is asking');
    assert.equal(sharerTrust.peer.domainVerified, true);
    assert.equal((await helperTrust).peer.name, people.sharer.name, 'the helper sees who is sharing');

    const sharing = next(helper, 'session:state', (c) => c.sessionId === sessionId && c.state === 'sharing');
    valueOf(await request(sharer, 'session:consent', { sessionId, allow: true }));
    await sharing;

    const offer = { description: { type: 'offer' as const, sdp: 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n' } };
    const answer = { description: { type: 'answer' as const, sdp: 'v=0\r\n' } };
    const gotOffer = next(helper, 'signal', (m) => m.sessionId === sessionId);
    valueOf(await request(sharer, 'signal:send', { sessionId, signal: offer }));
    assert.deepEqual((await gotOffer).signal, offer);
    const gotAnswer = next(sharer, 'signal', (m) => m.sessionId === sessionId);
    valueOf(await request(helper, 'signal:send', { sessionId, signal: answer }));
    assert.deepEqual((await gotAnswer).signal, answer);

    const said: ChatMessage[] = [];
    for (const [from, to, text] of [[sharer, helper, 'Jag ser inte skrivaren'], [helper, sharer, 'プリンターを確認します']] as const) {
      const arrived = next(to, 'chat:message', (m) => m.sessionId === sessionId && m.text === text);
      said.push(valueOf(await request(from, 'chat:send', { sessionId, clientId: randomUUID(), text })));
      assert.equal((await arrived).text, text);
    }
    assert.deepEqual(said.map((m) => [m.seq, m.from]), [[1, 'sharer'], [2, 'helper']]);

    const sharerTold = next(sharer, 'session:ended', (e) => e.sessionId === sessionId);
    valueOf(await request(helper, 'session:end', { sessionId }));
    assert.deepEqual([(await sharerTold).by, (await sharerTold).reason], ['helper', 'ended']);

    // The administrator's report of it, read through nginx as well (a JSON POST).
    const adminToken = await signInForToken(url, people.admin.upn, password, ca);
    const reports = await httpsRequest(`${url}${adminPath('listReports')}`, ca, {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` }, body: JSON.stringify({ limit: 50 }),
    });
    const report = valueOf(JSON.parse(reports.body) as Ack<{ items: SessionReport[] }>).items.find((r) => r.sessionId === sessionId);
    assert.deepEqual([report?.helper?.name, report?.sharer?.name, report?.consent, report?.endedBy], [people.helper.name, people.sharer.name, 'allowed', 'helper']);
    assert.equal(report?.policy.refusal, null, 'no rule refused it: the relay saw 127.0.0.2, not nginx\'s 127.0.0.1');
  });

  it('counts the client nginx names, never one the client names itself', async () => {
    // A helper on the proxy's own host: the rule for 127.0.0.1 applies to it, as the relay is told by nginx.
    const token = await signInForToken(url, people.helper.upn, password, ca);
    const local = await socketVia('127.0.0.1', { token });
    const refused = await request(local, 'session:create', {});
    assert.equal(refused.ok, false);
    assert.equal(refused.ok ? undefined : refused.error.code, 'policy-blocked');
    // The same helper claiming another address in its own X-Forwarded-For: nginx replaced the header.
    const forged = await socketVia('127.0.0.1', { token }, { 'x-forwarded-for': clientAddress });
    const stillRefused = await request(forged, 'session:create', {});
    assert.equal(stillRefused.ok ? 'ok' : stillRefused.error.code, 'policy-blocked');
  });

  it('shows the sharer\u2019s screen on the web helper page, in Chromium, through nginx', async () => {
    const browser = await launchBrowser();
    try {
      const helperPage = await (await newPerson(browser)).newPage();
      const sharerPage = await (await newPerson(browser)).newPage();
      await step(helperPage, 'helper opens /rhh through nginx', () => helperPage.goto(`${url}/rhh`));
      await step(helperPage, 'helper signs in on /rhh', () => signInOnWebPage(helperPage, people.webHelper.upn, password));
      await step(helperPage, 'helper clicks "Get security code"', () => helperPage.getByRole('button', { name: 'Get security code' }).click());
      const { link } = await readIssuedCode(helperPage);
      assert.ok(link.startsWith(`${url}/rh?passcode=`), link);
      await sharerOpensLinkAndConnects(sharerPage, link, people.webSharer.upn, { password });
      await sharerAnswers(sharerPage, 'Allow');
      await expectFramesAdvancing(helperPage);
    } finally {
      await browser.close();
    }
  });
});
