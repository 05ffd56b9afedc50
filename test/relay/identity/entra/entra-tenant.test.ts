// An Entra tenant beside an embedded one, against the Entra ID and Microsoft Graph stand-ins
// (test/support/entra-stand-in.ts, graph-stand-in.ts): sign-in on the web and as the console, tokens
// checked per tenant, profiles and groups from Graph, and a Graph that is slow, throttled or down.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CryptoProvider, ProtocolMode, PublicClientApplication } from '@azure/msal-node';
import { io } from 'socket.io-client';
import { realmInfo, type TrustInfo } from '#protocol';
import { loadConfig } from '#relay/config.js';
import { applyConfiguredTenants } from '#relay/directory/configured-tenants.js';
import { createDirectory, type DirectoryStore } from '#relay/directory/index.js';
import { httpsNetworkClient } from '#relay/identity/network-client.js';
import { createMemoryLog } from '#relay/log.js';
import type { ConfiguredTenant } from '#relay/operator-config.js';
import { systemClock } from '#relay/ports.js';
import { startRelay, type Relay } from '#relay/start-relay.js';
import { startEntraStandIn, type EntraStandIn } from '#test/support/entra-stand-in.js';
import { startGraphStandIn, type GraphStandIn } from '#test/support/graph-stand-in.js';
import { httpsRequest } from '#test/support/https-fetch.js';
import { connected, next, request, valueOf, type ClientSocket } from '#test/support/relay.js';
import { loopbackRedirect, walkSignIn, webSignIn } from '#test/support/sign-in.js';

const tid = '6c1f7a52-3b0e-4d8e-9a51-0f2b7c9d4e11';
const web = { clientId: '0b7e2c1d-5a4f-4e3b-8c2d-1a9f8e7d6c5b', clientSecret: 'web-secret-for-tests' };
const consoleId = '4d3c2b1a-0f9e-4d8c-b7a6-958473625140';
const api = { audience: 'api://remote-help', clientId: 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d' };
const password = 'Entra-test-password-1';
const people = {
  helper: { oid: '11111111-1111-4111-8111-111111111111', upn: 'megan@contoso.test', name: 'Megan Bowen', appRoles: ['help-desk-operator'] },
  sharer: { oid: '22222222-2222-4222-8222-222222222222', upn: 'alex@contoso.test', name: 'Alex Wilber', appRoles: [] as string[] },
  slow: { oid: '33333333-3333-4333-8333-333333333333', upn: 'lynne@contoso.test', name: 'Lynne Robbins', appRoles: [] as string[] },
  throttled: { oid: '44444444-4444-4444-8444-444444444444', upn: 'diego@contoso.test', name: 'Diego Siciliani', appRoles: [] as string[] },
  contractor: { oid: '55555555-5555-4555-8555-555555555555', upn: 'pradeep@contoso.test', name: 'Pradeep Gupta', appRoles: [] as string[] },
};
type Person = keyof typeof people;

describe('an Entra ID tenant (against the Entra ID and Graph stand-ins)', function () {
  this.timeout(60_000);
  let entra: EntraStandIn;
  let graph: GraphStandIn;
  let dir: string;
  let directory: DirectoryStore;
  let relay: Relay;
  let ca: string;
  const open: ClientSocket[] = [];

  const tenants = (): ConfiguredTenant[] => [
    {
      id: 'contoso', name: 'Contoso', verifiedDomains: ['contoso.test'], settings: { unenrolledHelp: true },
      identity: {
        type: 'entra', tenantId: tid, clientId: web.clientId, clientSecret: web.clientSecret, consoleClientId: consoleId,
        audience: api.clientId, scopes: [`${api.audience}/session`], authorityHost: entra.authorityHost, graphUrl: graph.url,
      },
    },
    { id: 'initech', name: 'Initech', verifiedDomains: ['initech.test'], settings: {}, identity: { type: 'embedded' } },
  ];

  async function startOrgRelay(dataDir: string): Promise<{ relay: Relay; directory: DirectoryStore }> {
    const config = { ...loadConfig({ RH_PORT: '0', RH_HOST: 'localhost', RH_DATA_DIR: dataDir, RH_WEB_DIST: join(dataDir, 'no-web') }), tenants: tenants() };
    const dirStore = createDirectory({ dataDir });
    await applyConfiguredTenants(dirStore, config.tenants);
    const started = await startRelay({ config, directory: dirStore, log: createMemoryLog(), clock: systemClock, outgoingCa: [entra.caPem, graph.caPem] });
    // The relay's web registration: its redirect, and the Graph application permissions it was given admin consent for.
    entra.addApp(tid, {
      clientId: web.clientId, clientSecret: web.clientSecret, redirectUris: [`${started.url}/auth/callback`],
      applicationPermissions: ['User.Read.All', 'GroupMember.Read.All', 'Organization.Read.All', 'ProfilePhoto.Read.All'],
    });
    return { relay: started, directory: dirStore };
  }

  before(async () => {
    entra = await startEntraStandIn({
      tenants: [{
        tenantId: tid,
        apps: [{ clientId: consoleId, publicClient: true, redirectUris: ['http://localhost'] }],
        apis: [{ audience: api.audience, clientId: api.clientId, scopes: ['session'], accessTokenVersion: 2 }],
        users: Object.values(people).map((p) => ({ ...p, password })),
      }],
    });
    graph = await startGraphStandIn({ entra });
    for (const p of Object.values(people)) {
      graph.setUser(tid, { id: p.oid, displayName: p.name, userPrincipalName: p.upn, jobTitle: `${p.name.split(' ')[0]}'s job`, companyName: 'Contoso Health' });
    }
    graph.setUser(tid, { id: people.helper.oid, displayName: people.helper.name, userPrincipalName: people.helper.upn, jobTitle: 'Service Desk Lead', companyName: 'Contoso Health' });
    graph.setPhoto(tid, people.helper.oid, { contentType: 'image/png', bytes: Buffer.from('89504e470d0a1a0a', 'hex') });
    graph.setGroups(tid, people.sharer.oid, [
      { '@odata.type': '#microsoft.graph.group', id: 'g1', displayName: 'Ward 7' },
      { '@odata.type': '#microsoft.graph.directoryRole', id: 'r1', displayName: 'Global Reader' },
      { '@odata.type': '#microsoft.graph.group', id: 'g2', displayName: 'Nurses' },
      { '@odata.type': '#microsoft.graph.group', id: 'g3', displayName: 'All staff' },
    ]);
    graph.setDomains(tid, [{ name: 'contoso.test', isDefault: true }, { name: 'Contoso-Health.test' }]);
    dir = mkdtempSync(join(tmpdir(), 'rh-entra-'));
    ({ relay, directory } = await startOrgRelay(join(dir, 'data')));
    // One bundle: the relay's local CA and the stand-ins' (Node takes several PEMs in one string).
    ca = [readFileSync(relay.caCertPath!, 'utf8'), entra.caPem, graph.caPem].join('\n');
  });
  after(async () => {
    for (const s of open) s.disconnect();
    await relay?.close();
    directory?.close();
    await graph?.close();
    await entra?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** The console's sign-in: realm discovery at the relay, then MSAL's PublicClientApplication at Entra. */
  async function consoleToken(who: Person): Promise<string> {
    const p = people[who];
    const res = await httpsRequest(`${relay.url}/auth/realm?email=${encodeURIComponent(p.upn)}`, ca);
    const realm = realmInfo.parse(JSON.parse(res.body));
    const pca = new PublicClientApplication({
      auth: { clientId: realm.clientId, authority: realm.authority, knownAuthorities: realm.knownAuthorities },
      system: { networkClient: httpsNetworkClient([entra.caPem]), protocolMode: realm.protocolMode === 'OIDC' ? ProtocolMode.OIDC : ProtocolMode.AAD },
    });
    const { verifier, challenge } = await new CryptoProvider().generatePkceCodes();
    const authorizeUrl = await pca.getAuthCodeUrl({ scopes: realm.scopes, redirectUri: loopbackRedirect, codeChallenge: challenge, codeChallengeMethod: 'S256', loginHint: p.upn });
    const walked = await walkSignIn({ authorizeUrl, email: p.upn, password, ca, redirectUri: loopbackRedirect });
    if (!walked.ok) throw new Error(walked.error);
    const result = await pca.acquireTokenByCode({ code: walked.code, scopes: realm.scopes, redirectUri: loopbackRedirect, codeVerifier: verifier });
    return result.accessToken;
  }

  function socket(auth: Record<string, unknown>): ClientSocket {
    const s: ClientSocket = io(relay.url, { transports: ['websocket'], ca, autoConnect: false, reconnection: false, forceNew: true, auth });
    open.push(s);
    return s;
  }

  async function session(helper: Person, sharer: Person): Promise<{ helperTrust: TrustInfo; sharerTrust: TrustInfo; joinMs: number }> {
    const h = await connected(socket({ token: await consoleToken(helper) }));
    const s = await connected(socket({ token: await consoleToken(sharer) }));
    const created = valueOf(await request(h, 'session:create', {}));
    const helperTrust = next(h, 'session:trust', undefined, 15_000);
    const started = Date.now();
    const joined = await request(s, 'session:join', { code: created.code });
    const joinMs = Date.now() - started;
    return { sharerTrust: valueOf(joined), helperTrust: await helperTrust, joinMs };
  }

  it('answers the console\'s realm with the tenant\'s Entra authority and the console\'s own registration', async () => {
    const res = await httpsRequest(`${relay.url}/auth/realm?email=megan@contoso.test`, ca);
    assert.deepEqual(JSON.parse(res.body), {
      tenantId: 'contoso', tenantName: 'Contoso', authority: `${entra.authorityHost}/${tid}`, clientId: consoleId,
      protocolMode: 'AAD', scopes: [`${api.audience}/session`], knownAuthorities: [new URL(entra.authorityHost).host],
      look: { name: 'Contoso', logo: '', accentColor: '' },
    });
  });

  it('signs a helper in on the web through Entra\'s page: the app role becomes the Remote Help role', async () => {
    const cookie = await webSignIn(relay.url, people.helper.upn, password, ca);
    const me = await httpsRequest(`${relay.url}/auth/me`, ca, { headers: { cookie } });
    assert.deepEqual(JSON.parse(me.body), { signedIn: true, upn: people.helper.upn, name: people.helper.name, tenantId: 'contoso', tenantName: 'Contoso',
      look: { name: 'Contoso', logo: '', accentColor: '' } });
    const row = await directory.userByUpn(people.helper.upn);
    assert.equal(row?.source, 'entra');
    assert.equal(row?.subject, people.helper.oid);
    assert.deepEqual(row?.roles, ['Help Desk Operator']);
  });

  it('runs a session between two Entra users signed in as the console: profiles, photo and groups from Graph', async () => {
    const { helperTrust, sharerTrust } = await session('helper', 'sharer');
    assert.equal(sharerTrust.peer.name, people.helper.name);
    assert.equal(sharerTrust.peer.jobTitle, 'Service Desk Lead');
    assert.equal(sharerTrust.peer.company, 'Contoso Health');
    assert.equal(sharerTrust.peer.photoUrl, `data:image/png;base64,${Buffer.from('89504e470d0a1a0a', 'hex').toString('base64')}`);
    assert.equal(sharerTrust.peer.domainVerified, true);
    assert.equal(sharerTrust.peer.incomplete, undefined);
    assert.equal(helperTrust.peer.name, people.sharer.name);
    assert.equal(helperTrust.peer.jobTitle, "Alex's job");
    const sharer = (await directory.userByUpn(people.sharer.upn))!;
    // transitiveMemberOf over two pages (@odata.nextLink), groups only.
    assert.deepEqual([...(await directory.userGroups('contoso', sharer.oid))].sort(), ['All staff', 'Nurses', 'Ward 7']);
    assert.ok(graph.requests.some((r) => r.url.includes('transitiveMemberOf') && r.url.includes('skip')), 'the next page was followed');
    // The verified domains Graph knows join the configured ones.
    assert.deepEqual((await directory.tenant('contoso'))?.verifiedDomains, ['contoso.test', 'contoso-health.test']);
  });

  it('waits out Graph\'s 429 Retry-After and still shows a complete profile', async () => {
    graph.throttleNext(1, 1);
    const { helperTrust } = await session('helper', 'throttled');
    assert.equal(helperTrust.peer.jobTitle, "Diego's job");
    assert.equal(helperTrust.peer.incomplete, undefined);
  });

  it('holds a join no more than 2 s for a slow Graph: the trust screen says the profile is incomplete', async () => {
    graph.delayNext(20_000, 10);
    const { helperTrust, joinMs } = await session('helper', 'slow');
    assert.equal(helperTrust.peer.name, people.slow.name, 'what the token says is shown');
    assert.equal(helperTrust.peer.incomplete, true);
    assert.ok(joinMs < 15_000, `the join did not wait for Graph (${joinMs} ms)`);
  });

  it('with a rule on groups, refuses a join whose groups Graph could not refresh, leaving the code for a retry', async () => {
    await directory.saveRule('contoso', {
      id: 'block-contractors', name: 'Block contractors', enabled: true, mode: 'enforce', appliesTo: 'sharer',
      conditions: { groups: ['Contractors'] }, grant: 'block',
    });
    try {
      const h = await connected(socket({ token: await consoleToken('helper') }));
      const created = valueOf(await request(h, 'session:create', {}));
      graph.setUnreachable(true);
      const s = await connected(socket({ token: await consoleToken('contractor') }));
      const joined = await request(s, 'session:join', { code: created.code });
      assert.equal(joined.ok ? 'joined' : joined.error.code, 'identity-provider-unavailable', 'no decision on groups Graph could not give');
      const again = await request(s, 'session:join', { code: created.code });
      assert.equal(again.ok ? 'joined' : again.error.code, 'identity-provider-unavailable', 'the code is not used up by it');
    } finally {
      graph.setUnreachable(false);
      await directory.deleteRule('contoso', 'block-contractors');
    }
  });

  it('refuses tokens of another Entra tenant, for another audience, expired, or from an issuer no tenant has', async () => {
    const refused = async (token: string): Promise<string> => {
      try {
        await connected(socket({ token }));
        return 'connected';
      } catch (err) {
        return ((err as { data?: { code?: string } }).data?.code) ?? 'no code';
      }
    };
    const oid = people.helper.oid;
    assert.equal(await refused(await entra.issueToken({ tenantId: tid, oid, audience: api.clientId })), 'connected', 'a good token is accepted');
    assert.equal(await refused(await entra.issueToken({ tenantId: tid, oid, audience: api.clientId, claims: { tid: '99999999-9999-4999-8999-999999999999' } })), 'unauthenticated');
    assert.equal(await refused(await entra.issueToken({ tenantId: tid, oid, audience: 'api://someone-else' })), 'unauthenticated');
    assert.equal(await refused(await entra.issueToken({ tenantId: tid, oid, audience: api.clientId, expiresInSeconds: -600 })), 'unauthenticated');
    assert.equal(await refused(await entra.issueToken({ tenantId: tid, oid, audience: api.clientId, signedBy: 'forged' })), 'unauthenticated');
    assert.equal(await refused(await entra.issueToken({ tenantId: tid, oid, audience: api.clientId, claims: { iss: 'https://login.example.net/other/v2.0' } })), 'unknown-issuer');
  });

  it('refuses a person disabled in Remote Help, whatever Entra says', async () => {
    const token = await consoleToken('throttled');
    const row = (await directory.userByUpn(people.throttled.upn))!;
    await directory.setUserActive('contoso', row.oid, false);
    try {
      await assert.rejects(connected(socket({ token })), (err: { data?: { code?: string } }) => err.data?.code === 'account-disabled');
    } finally {
      await directory.setUserActive('contoso', row.oid, true);
    }
  });

  it('starts while Entra and Graph are down: that tenant\'s sign-in says so, the embedded tenant works, and Entra works once back', async () => {
    entra.setUnreachable(true);
    graph.setUnreachable(true);
    const second = await startOrgRelay(join(dir, 'second'));
    try {
      const bundle = [readFileSync(second.relay.caCertPath!, 'utf8'), entra.caPem].join('\n');
      const signin = async (email: string) => {
        const page = await httpsRequest(`${second.relay.url}/auth/signin`, bundle, { form: { email, returnTo: '/rhh' } });
        return page;
      };
      const down = await signin(people.helper.upn);
      assert.equal(down.status, 503);
      assert.match(down.body, /Contoso&#39;s sign-in service cannot be reached|Contoso's sign-in service cannot be reached/);
      const embedded = await signin('ada@initech.test');
      assert.equal(embedded.status, 302, 'the embedded tenant goes on to its sign-in page');
      assert.match(embedded.location ?? '', new RegExp(`^${second.relay.url}/initech/v2.0/auth`));
      entra.setUnreachable(false);
      // The provider's discovery is tried again after a short pause, not on every request.
      let back = await signin(people.helper.upn);
      for (let i = 0; i < 20 && back.status !== 302; i++) {
        await new Promise((r) => setTimeout(r, 500));
        back = await signin(people.helper.upn);
      }
      assert.equal(back.status, 302);
      assert.match(back.location ?? '', new RegExp(`^${entra.authorityHost}/${tid}/oauth2/v2.0/authorize`));
    } finally {
      entra.setUnreachable(false);
      graph.setUnreachable(false);
      await second.relay.close();
      second.directory.close();
    }
  });
});
