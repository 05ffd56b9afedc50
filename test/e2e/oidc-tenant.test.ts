// An organization whose tenant signs in at its own OpenID provider (DESIGN §11 `identity: { type: oidc }`),
// beside a tenant that signs in at the relay's embedded provider. The provider is the stand-in "Keyhole
// ID" (test/support/oidc-idp.ts): a second, independent oidc-provider on its own port and CA, with its own
// sign-in page and its own claim names (display_name, title, org, avatar_url, member_of), driven in
// Chromium like any user would. What is shown on the trust screens comes from those claims as the
// operator mapped them; roles come from member_of; tokens of the other tenant, of another audience or
// of an issuer no tenant has are refused; a provider that is down when the relay starts only stops its
// own tenant's sign-in, and only until it is back.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { io } from 'socket.io-client';
import type { Ack, CreatedSession, TrustInfo } from '#protocol';
import type { DirectoryStore } from '#relay/directory/index.js';
import type { ConfiguredTenant } from '#relay/operator-config.js';
import { useSystem } from '../support/e2e.js';
import { httpsRequest } from '../support/https-fetch.js';
import { idpClaimNames, idpScopes, keyholeSignInPage, startOidcIdp, type IdpUser, type OidcIdp } from '../support/oidc-idp.js';
import type { ClientSocket } from '../support/relay.js';
import { pkcePair, signInForToken, walkSignIn } from '../support/sign-in.js';
import { signInOnProviderPage, startWebSignIn } from '../support/sign-in-page.js';
import type { RunningSystem } from '../support/system.js';
import {
  consoleHelperGetsCode, consoleSignIn, expectFramesAdvancing, expectSessionEnded, expectTrustScreenShows, readIssuedCode,
  sharedScreen, sharerAnswers, sharerOpensLinkAndConnects, step, webHelperGetsCode, type Credentials,
} from './flows.js';

/** A 1×1 picture inline: the pages' CSP loads images from the relay and data: only (see the report). */
const avatar = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';

// Keyhole ID's people. Their titles and organization differ from anything the relay knows (the tenant
// is "Globex"), so what the trust screens show can only have come from the provider's claims.
const alice: IdpUser = {
  sub: 'kh-00u1alice', email: 'alice@globex.example', password: 'correct horse 1', displayName: 'Alice Ample',
  title: 'Service Desk Lead', org: 'Globex Corporation', avatar, memberOf: ['rh-helpdesk', 'staff'],
};
const sam: IdpUser = {
  sub: 'kh-00u3sam', email: 'sam@globex.example', password: 'tr0ub4dor 3', displayName: 'Sam Sharp',
  title: 'Plant Accountant', org: 'Globex Corporation', memberOf: ['staff', 'finance'],
};
const nora: IdpUser = {
  sub: 'kh-00u4nora', email: 'nora@globex.example', password: 'no helpdesk 4', displayName: 'Nora Noble',
  title: 'Receptionist', org: 'Globex Corporation', memberOf: ['staff'],
};
const olga: IdpUser = {
  sub: 'kh-00u5olga', email: 'olga@globex.example', password: 'admin of globex 5', displayName: 'Olga Oversight',
  title: 'IT Manager', org: 'Globex Corporation', memberOf: ['rh-admins', 'staff'],
};
const web = { clientId: 'remote-help-web', clientSecret: 'globex-web-secret-for-tests' };
const consoleClientId = 'remote-help-console';
const audience = 'remote-help';

/** Initech signs in at the relay's own provider: its people are in the relay's directory. */
const initechPassword = 'Initech!2026-tps';
const initech = {
  helper: { upn: 'bill@initech.example', name: 'Bill Lumbergh', jobTitle: 'IT Support', roles: ['Help Desk Operator'] },
  sharer: { upn: 'peter@initech.example', name: 'Peter Gibbons', jobTitle: 'Programmer', roles: [] as string[] },
};
const globexDevice = 'GLOBEX-LT-0042';

const keyhole = (idp: OidcIdp, user: IdpUser): Credentials => ({ provider: keyholeSignInPage(idp), password: user.password });

function startKeyhole(): Promise<OidcIdp> {
  return startOidcIdp({
    users: [alice, sam, nora, olga],
    // The relay's callback is registered once it listens (port 0): registerWebRedirectUri.
    clients: { web: { ...web, redirectUris: [] }, console: { clientId: consoleClientId } },
    audience,
  });
}

/** The operator's configuration: Globex at Keyhole ID with its claim names mapped, Initech embedded. */
function organization(idp: OidcIdp): { tenants: ConfiguredTenant[]; outgoingCa: string[]; prepare: (d: DirectoryStore) => Promise<void> } {
  const globex: ConfiguredTenant = {
    id: 'globex', name: 'Globex', verifiedDomains: ['globex.example'], settings: { unenrolledHelp: true },
    identity: {
      type: 'oidc', issuer: idp.issuer, clientId: web.clientId, clientSecret: web.clientSecret, consoleClientId, audience,
      // `groups` releases member_of; `remote-help` is the API's scope.
      scopes: ['openid', 'profile', 'email', idpScopes.groups, idpScopes.api],
      claims: {
        name: idpClaimNames.name, jobTitle: idpClaimNames.jobTitle, company: idpClaimNames.company,
        picture: idpClaimNames.picture, groups: idpClaimNames.groups,
      },
      roles: { claim: idpClaimNames.groups, map: { 'rh-helpdesk': 'Help Desk Operator', 'rh-admins': 'Remote Help Administrator' } },
    },
  };
  const initechTenant: ConfiguredTenant = {
    id: 'initech', name: 'Initech', verifiedDomains: ['initech.example'], settings: { unenrolledHelp: true }, identity: { type: 'embedded' },
  };
  return {
    tenants: [globex, initechTenant],
    outgoingCa: [idp.caPem],
    async prepare(directory) {
      for (const u of Object.values(initech)) {
        await directory.upsertUser({ oid: randomUUID(), tenantId: 'initech', company: 'Initech', photoUrl: '', password: initechPassword, ...u });
      }
      await directory.upsertDevice({
        id: 'globex-dev-0042', tenantId: 'globex', name: globexDevice, platform: 'Windows', osVersion: '10.0.26100',
        primaryUser: sam.email, enrolled: true, compliance: 'compliant', complianceReasons: [], lastCheckIn: new Date().toISOString(),
        groups: ['Corporate laptops'], updatedAt: new Date().toISOString(), managedBy: 'import', approved: true,
        ownership: 'company', serialNumber: 'GX0042', manufacturer: '', model: '', enrolledAt: new Date().toISOString(),
      });
    },
  };
}

/** A Keyhole ID access token as the console gets one (authorization code + PKCE, loopback redirect), without a browser. */
async function keyholeToken(idp: OidcIdp, user: IdpUser): Promise<string> {
  const redirectUri = 'http://localhost:47613/';
  const { verifier, challenge } = pkcePair();
  const authorize = new URL(`${idp.issuer}auth`);
  authorize.search = new URLSearchParams({
    client_id: consoleClientId, response_type: 'code', redirect_uri: redirectUri, scope: `openid profile email ${idpScopes.groups} ${idpScopes.api}`,
    code_challenge: challenge, code_challenge_method: 'S256', state: randomUUID(), login_hint: user.email,
  }).toString();
  const walked = await walkSignIn({ authorizeUrl: authorize.href, email: user.email, password: user.password, ca: idp.caPem, redirectUri });
  if (!walked.ok) throw new Error(`Keyhole ID sign-in of ${user.email} failed: ${walked.error}`);
  const res = await httpsRequest(`${idp.issuer}token`, idp.caPem, {
    form: { grant_type: 'authorization_code', code: walked.code, redirect_uri: redirectUri, client_id: consoleClientId, code_verifier: verifier },
  });
  if (res.status !== 200) throw new Error(`Keyhole ID's token endpoint answered ${res.status}: ${res.body}`);
  return (JSON.parse(res.body) as { access_token: string }).access_token;
}

const relayCa = (system: RunningSystem): string => readFileSync(system.caCertPath, 'utf8');

/** A socket to the relay with `token`; resolves when connected, or with the refusal's code. */
function connect(system: RunningSystem, token: string, open: ClientSocket[]): Promise<{ socket: ClientSocket } | { refused: string }> {
  const socket: ClientSocket = io(system.relayUrl, { transports: ['websocket'], ca: relayCa(system), reconnection: false, forceNew: true, auth: { token } });
  open.push(socket);
  return new Promise((resolve) => {
    socket.once('connect', () => resolve({ socket }));
    socket.once('connect_error', (err: Error & { data?: { code?: string } }) => resolve({ refused: err.data?.code ?? `no code: ${err.message}` }));
  });
}

async function connected(system: RunningSystem, token: string, open: ClientSocket[]): Promise<ClientSocket> {
  const r = await connect(system, token, open);
  if ('refused' in r) throw new Error(`the relay refused the socket: ${r.refused}`);
  return r.socket;
}

function emit<T>(socket: ClientSocket, event: 'session:create' | 'session:join', payload: unknown): Promise<Ack<T>> {
  return (socket.timeout(10_000).emitWithAck as (e: string, p: unknown) => Promise<Ack<T>>)(event, payload);
}

const codeOf = (ack: Ack<unknown>): string => (ack.ok ? 'ok' : ack.error.code);

describe('end to end: a tenant that signs in at its own OpenID provider, beside an embedded one', function () {
  this.timeout(180_000);
  let idp: OidcIdp;
  before(async () => { idp = await startKeyhole(); });
  const e2e = useSystem(() => organization(idp));
  before(() => idp.registerWebRedirectUri(`${e2e.system.relayUrl}/auth/callback`));
  after(() => idp?.close());

  it('a Globex helper and sharer sign in at Keyhole ID, see each other as Keyhole ID describes them, and share a screen', async () => {
    const helper = await e2e.person('helper');
    const sharer = await e2e.person('sharer');
    const { link } = await webHelperGetsCode(helper, e2e.system, alice.email, keyhole(idp, alice));
    await sharerOpensLinkAndConnects(sharer, link, sam.email, keyhole(idp, sam));

    // Names, titles and the organization from display_name, title and org; Globex's verified domain.
    await expectTrustScreenShows(sharer, 'sharer', { name: alice.displayName, jobTitle: alice.title!, company: alice.org!, domain: 'globex.example' });
    await expectTrustScreenShows(helper, 'helper', { name: sam.displayName, jobTitle: sam.title!, company: sam.org!, domain: 'globex.example' });
    await step(sharer, 'sharer sees the helper\'s photo from avatar_url', async () => {
      const photo = sharer.getByRole('img', { name: `Photo of ${alice.displayName}` });
      await photo.waitFor();
      assert.equal(await photo.getAttribute('src'), avatar);
      assert.ok(await photo.evaluate((img) => img instanceof HTMLImageElement && img.complete && img.naturalWidth > 0), 'the photo did not load');
    });

    await sharerAnswers(sharer, 'Allow');
    await expectFramesAdvancing(helper);
    await step(helper, 'helper clicks "End session"', () => helper.getByRole('button', { name: 'End session' }).click());
    await expectSessionEnded(sharer, 'sharer');
    await expectSessionEnded(helper, 'helper');
    assert.equal(await sharedScreen(helper).count(), 0, 'the helper still shows the shared screen after the end');
  });

  it('a Globex user whose groups map to no helper role is told they cannot give remote help', async () => {
    const page = await e2e.person('helper');
    await step(page, `Nora opens ${e2e.system.webHelperUrl}`, () => page.goto(e2e.system.webHelperUrl));
    await step(page, 'Nora signs in at Keyhole ID', async () => {
      await startWebSignIn(page, nora.email, keyhole(idp, nora));
      await signInOnProviderPage(page, nora.email, nora.password, keyhole(idp, nora));
      await page.waitForURL((u) => u.pathname === '/rhh');
    });
    // Told before any "Get security code" (none is offered), with what can work instead.
    await step(page, 'Nora is told her role does not allow remote help', () =>
      page.getByText(/Your role does not allow you to give remote help/).first().waitFor());
    await step(page, 'Nora is offered "Share your screen instead", and no "Get security code"', async () => {
      await page.getByRole('link', { name: 'Share your screen instead' }).waitFor();
      assert.equal(await page.getByRole('button', { name: 'Get security code' }).count(), 0, '"Get security code" is offered to a user without a helper role');
    });
    assert.equal(await page.getByLabel('Security code', { exact: true }).count(), 0, 'a security code was shown to a user without a helper role');
  });

  it('the console finds Globex\'s provider from the email, signs in at Keyhole ID and starts a session for a Globex device', async () => {
    const realm = await httpsRequest(`${e2e.system.relayUrl}/auth/realm?email=${encodeURIComponent(alice.email)}`, relayCa(e2e.system));
    assert.equal(realm.status, 200, realm.body);
    assert.deepEqual(
      JSON.parse(realm.body),
      {
        tenantId: 'globex', tenantName: 'Globex', authority: idp.issuer, clientId: consoleClientId, protocolMode: 'OIDC',
        scopes: ['openid', 'profile', 'email', 'groups', 'remote-help'], knownAuthorities: [idp.host],
        claims: { name: 'display_name', jobTitle: 'title', company: 'org', picture: 'avatar_url' },
        look: { name: 'Globex', logo: '', accentColor: '' },
      },
    );
    const page = await e2e.person('console');
    await consoleSignIn(page, e2e.system, alice.email, keyhole(idp, alice));
    await step(page, 'the console shows who is signed in', async () => {
      await page.getByRole('button', { name: 'Sign out' }).waitFor();
      // Her name from Keyhole ID's own claim (display_name), as the relay's realm said to read it.
      assert.match(await page.getByRole('banner').innerText(), /Alice Ample/);
    });
    // The device list and the session come from the relay, which accepted Keyhole ID's access token.
    const { code } = await consoleHelperGetsCode(page, globexDevice);
    assert.match(code, /^[0-9A-HJKMNP-TV-Z]{8}$/);
  });

  it('a Globex administrator (member_of rh-admins) finds Tenant administration in the console', async () => {
    const page = await e2e.person('console');
    await step(page, 'the console is signed out', async () => {
      await page.goto(e2e.system.consoleUrl);
      const signOut = page.getByRole('button', { name: 'Sign out' });
      await page.getByLabel('Email', { exact: true }).or(signOut).first().waitFor();
      if (await signOut.isVisible()) await signOut.click();
    });
    await consoleSignIn(page, e2e.system, olga.email, keyhole(idp, olga));
    const nav = page.getByRole('navigation', { name: 'Main' });
    await step(page, 'Olga opens "Tenant administration"', () => nav.getByRole('link', { name: 'Tenant administration' }).click());
    await step(page, 'the console shows Globex\'s settings', async () => {
      await page.getByRole('heading', { name: 'Tenant administration' }).waitFor();
      await nav.getByRole('link', { name: 'Settings', exact: true }).click();
      await page.getByRole('switch', { name: 'Chat' }).waitFor();
    });
  });

  describe('tokens', () => {
    const open: ClientSocket[] = [];
    afterEach(() => { for (const s of open.splice(0)) s.disconnect(); });

    it('a Globex session is Globex\'s: an Initech sharer\'s join is refused as if the code did not exist', async () => {
      const { system } = e2e;
      const globexHelper = await connected(system, await keyholeToken(idp, alice), open);
      const created = await emit<CreatedSession>(globexHelper, 'session:create', {});
      assert.ok(created.ok, `the Globex helper could not create a session: ${codeOf(created)}`);
      const initechToken = await signInForToken(system.relayUrl, initech.sharer.upn, initechPassword, relayCa(system));
      const initechSharer = await connected(system, initechToken, open);
      const joined = await emit<TrustInfo>(initechSharer, 'session:join', { code: created.value.code });
      assert.equal(codeOf(joined), 'code-invalid');
      // The same code still serves Globex's own sharer.
      const globexSharer = await connected(system, await keyholeToken(idp, sam), open);
      assert.equal(codeOf(await emit<TrustInfo>(globexSharer, 'session:join', { code: created.value.code })), 'ok');
    });

    it('refuses a Keyhole ID token for another audience (unauthenticated) and one from an issuer no tenant has (unknown-issuer)', async () => {
      const { system } = e2e;
      const otherAudience = await idp.mintAccessToken({
        sub: alice.sub, audience: 'payroll-api', claims: { preferred_username: alice.email, display_name: alice.displayName, member_of: alice.memberOf },
      });
      assert.deepEqual(await connect(system, otherAudience, open), { refused: 'unauthenticated' });

      // A real, working provider of the same product that this relay was never told about.
      const stranger = await startOidcIdp({
        users: [alice], clients: { web: { ...web, redirectUris: [] }, console: { clientId: consoleClientId } }, audience,
      });
      try {
        const foreign = await keyholeToken(stranger, alice);
        assert.deepEqual(await connect(system, foreign, open), { refused: 'unknown-issuer' });
      } finally {
        await stranger.close();
      }
      // …while Globex's own provider's token for the same person is accepted.
      assert.ok('socket' in (await connect(system, await keyholeToken(idp, alice), open)));
    });
  });
});

describe('end to end: an OpenID provider that is down when the relay starts', function () {
  this.timeout(180_000);
  let idp: OidcIdp;
  before(async () => {
    idp = await startKeyhole();
    await idp.stop();
  });
  const e2e = useSystem(() => ({ ...organization(idp), console: false }));
  before(() => idp.registerWebRedirectUri(`${e2e.system.relayUrl}/auth/callback`));
  after(() => idp?.close());

  it('starts anyway; Globex\'s sign-in says its service cannot be reached while Initech signs in, and works once the provider is back', async () => {
    const { system } = e2e;
    const globexPage = await e2e.person('globex helper');
    await step(globexPage, `Alice opens ${system.webHelperUrl}`, () => globexPage.goto(system.webHelperUrl));
    const answered = globexPage.waitForResponse((r) => new URL(r.url()).pathname === '/auth/signin' && r.request().method() === 'POST');
    await step(globexPage, 'Alice starts signing in with her Globex email', () => startWebSignIn(globexPage, alice.email, keyhole(idp, alice)));
    assert.equal((await answered).status(), 503);
    await step(globexPage, 'Alice is told Globex\'s sign-in service cannot be reached', async () => {
      await globexPage.getByRole('heading', { name: 'Sign-in is not available right now' }).waitFor();
      await globexPage.getByText('Globex\'s sign-in service cannot be reached at the moment').waitFor();
    });

    // Initech's people sign in at the relay's own provider as usual.
    const initechPage = await e2e.person('initech helper');
    const { code } = await webHelperGetsCode(initechPage, system, initech.helper.upn, { password: initechPassword });
    assert.match(code, /^[0-9A-HJKMNP-TV-Z]{8}$/);

    // The provider comes back; the same relay, not restarted, now signs Globex in.
    await idp.start();
    await step(globexPage, 'Alice clicks "Try again"', () => globexPage.getByRole('link', { name: 'Try again' }).click());
    await step(globexPage, 'Alice signs in at Keyhole ID', async () => {
      await globexPage.getByLabel('Email', { exact: true }).fill(alice.email);
      await globexPage.getByRole('button', { name: 'Next', exact: true }).click();
      await signInOnProviderPage(globexPage, alice.email, alice.password, keyhole(idp, alice));
      await globexPage.waitForURL((u) => u.pathname === '/rhh');
    });
    await step(globexPage, 'Alice clicks "Get security code"', () => globexPage.getByRole('button', { name: 'Get security code' }).click());
    await readIssuedCode(globexPage);
  });
});
