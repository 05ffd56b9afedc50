import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CryptoProvider, PublicClientApplication } from '@azure/msal-node';
import { consoleClientId, realmInfo, relayScope } from '#protocol';
import { demoPassword, demoTenants, demoUsers } from '#relay/directory/index.js';
import { httpsNetworkClient } from '#relay/identity/network-client.js';
import { safeReturnTo } from '#relay/identity/web-sign-in.js';
import { alertText, CookieJar, httpsRequest, parseForm } from '../../support/https-fetch.js';
import { loopbackRedirect, signInForTokens, walkSignIn } from '../../support/sign-in.js';
import { startIdentityHost, type IdentityHost } from '../../support/identity-host.js';

describe('MSAL against the embedded provider', () => {
  let host: IdentityHost;
  before(async () => {
    host = await startIdentityHost();
  });
  after(() => host.close());

  const console = (tenantId: string) =>
    new PublicClientApplication({
      auth: { clientId: consoleClientId, authority: `${host.baseUrl}/${tenantId}`, knownAuthorities: [new URL(host.baseUrl).host] },
      system: { networkClient: httpsNetworkClient([host.ca]) },
    });

  it('signs in as the console with PublicClientApplication, then refreshes silently', async () => {
    const realm = realmInfo.parse(JSON.parse((await httpsRequest(`${host.baseUrl}/auth/realm?email=helper@contoso.example`, host.ca)).body));
    assert.equal(realm.authority, `${host.baseUrl}/${demoTenants.contoso.id}`);
    const pca = console(realm.tenantId);
    const { verifier, challenge } = await new CryptoProvider().generatePkceCodes();
    const authorizeUrl = await pca.getAuthCodeUrl({
      scopes: [relayScope], redirectUri: loopbackRedirect, codeChallenge: challenge, codeChallengeMethod: 'S256', loginHint: 'helper@contoso.example',
    });
    assert.ok(authorizeUrl.startsWith(`${host.baseUrl}/${realm.tenantId}/v2.0/auth?`), authorizeUrl);
    const walked = await walkSignIn({ authorizeUrl, email: 'helper@contoso.example', password: demoPassword, ca: host.ca, redirectUri: loopbackRedirect });
    assert.ok(walked.ok, walked.ok ? '' : walked.error);
    const result = await pca.acquireTokenByCode({ code: walked.code, scopes: [relayScope], redirectUri: loopbackRedirect, codeVerifier: verifier });
    assert.equal(result.account?.homeAccountId, `${demoUsers.contosoHelper.oid}.${demoTenants.contoso.id}`);
    assert.equal(result.account?.tenantId, demoTenants.contoso.id);
    assert.equal(result.account?.username, 'helper@contoso.example');
    assert.equal(result.account?.name, demoUsers.contosoHelper.name);
    assert.ok((await host.identity.verifyAccessToken(result.accessToken)).ok);

    const refreshed = await pca.acquireTokenSilent({ account: result.account!, scopes: [relayScope], forceRefresh: true });
    assert.notEqual(refreshed.accessToken, result.accessToken);
    const user = await host.identity.verifyAccessToken(refreshed.accessToken);
    assert.ok(user.ok && user.value.userId === demoUsers.contosoHelper.oid);
  });

  it('answers home-realm discovery by verified domain, or by the organization the user names', async () => {
    const fab = await httpsRequest(`${host.baseUrl}/auth/realm?email=sharer@fabrikam.example`, host.ca);
    assert.deepEqual(JSON.parse(fab.body), {
      tenantId: demoTenants.fabrikam.id, tenantName: 'Fabrikam', authority: `${host.baseUrl}/${demoTenants.fabrikam.id}`,
      clientId: consoleClientId, protocolMode: 'AAD', scopes: [relayScope], knownAuthorities: [new URL(host.baseUrl).host],
      look: { name: 'Fabrikam', logo: '', accentColor: '' },
    });
    // A contractor whose own domain no tenant verified names the organization (its domain or its id).
    for (const tenant of ['contoso.example', demoTenants.contoso.id]) {
      const contractor = await httpsRequest(`${host.baseUrl}/auth/realm?email=contractor@contoso-partner.example&tenant=${tenant}`, host.ca);
      assert.equal((JSON.parse(contractor.body) as { tenantId: string }).tenantId, demoTenants.contoso.id);
    }
    const unknown = await httpsRequest(`${host.baseUrl}/auth/realm?email=someone@unknown.example`, host.ca);
    assert.equal(unknown.status, 404);
    assert.deepEqual(JSON.parse(unknown.body), { ok: false, error: { code: 'not-found', message: 'No organization is set up for unknown.example.' } });
    const unknownOrg = await httpsRequest(`${host.baseUrl}/auth/realm?email=someone@unknown.example&tenant=nowhere.example`, host.ca);
    assert.equal(unknownOrg.status, 404);
    const bad = await httpsRequest(`${host.baseUrl}/auth/realm?email=nope`, host.ca);
    assert.equal(bad.status, 400);
  });

  it('does not tell whether an account exists at a domain no organization verified', async () => {
    // The contractor exists; nobody@ does not. Without the organization named, both get the same answer.
    const answers = await Promise.all(['contractor@contoso-partner.example', 'nobody@contoso-partner.example'].map(async (email) => {
      const res = await httpsRequest(`${host.baseUrl}/auth/realm?email=${encodeURIComponent(email)}`, host.ca);
      return { status: res.status, body: res.body };
    }));
    assert.equal(answers[0]!.status, 404);
    assert.deepEqual(answers[0], answers[1]);

    // The Email page too: the same refusal, asking for the organization; named, both go on to the
    // provider, whose password step is the only one that knows.
    const pages = await Promise.all(['contractor@contoso-partner.example', 'nobody@contoso-partner.example'].map(async (email) => {
      const jar = new CookieJar();
      const start = await httpsRequest(`${host.baseUrl}/auth/signin?returnTo=/rh`, host.ca, {}, jar);
      const form = parseForm(start.body, `${host.baseUrl}/auth/signin`)!;
      const refused = await httpsRequest(form.action, host.ca, { form: { ...form.fields, email } }, jar);
      const again = parseForm(refused.body, form.action)!;
      const named = await httpsRequest(again.action, host.ca, { form: { ...again.fields, email, organization: 'contoso.example' } }, jar);
      return { status: refused.status, alert: alertText(refused.body), fields: Object.keys(again.fields).sort(), next: named.status, to: named.location?.split('?')[0] };
    }));
    assert.deepEqual(pages[0], pages[1]);
    assert.equal(pages[0]!.alert, "No organization is set up for contoso-partner.example. Check the email address, or enter your organization's domain.");
    assert.ok(pages[0]!.fields.includes('organization'));
    assert.equal(pages[0]!.to, `${host.baseUrl}/${demoTenants.contoso.id}/v2.0/auth`);
  });

  it('signs the contractor in on the web once the organization is named', async () => {
    const jar = new CookieJar();
    const email = 'contractor@contoso-partner.example';
    const start = await httpsRequest(`${host.baseUrl}/auth/signin?returnTo=/rh&organization=contoso.example`, host.ca, {}, jar);
    const form = parseForm(start.body, `${host.baseUrl}/auth/signin`)!;
    const next = await httpsRequest(form.action, host.ca, { form: { ...form.fields, email } }, jar);
    assert.ok(next.location, alertText(next.body) ?? String(next.status));
    const callback = `${host.baseUrl}/auth/callback`;
    const walked = await walkSignIn({ authorizeUrl: next.location, email, password: demoPassword, ca: host.ca, redirectUri: callback, jar });
    assert.ok(walked.ok, walked.ok ? '' : walked.error);
    const done = await httpsRequest(callback, host.ca, { form: { code: walked.code, state: walked.state } }, jar);
    assert.equal(done.status, 303);
    const user = await host.identity.userFromCookie(`rh_session=${jar.get('rh_session')}`);
    assert.ok(user.ok && user.value.userId === demoUsers.contosoContractor.oid);
  });

  it('tells the web user on the Email page when a domain is unknown', async () => {
    const jar = new CookieJar();
    const start = await httpsRequest(`${host.baseUrl}/auth/signin?returnTo=/rhh`, host.ca, {}, jar);
    assert.match(start.body, /<label for="email">Email<\/label>/);
    assert.match(start.body, /<button type="submit" class="primary">Next<\/button>/);
    const form = parseForm(start.body, `${host.baseUrl}/auth/signin`)!;
    const res = await httpsRequest(form.action, host.ca, { form: { ...form.fields, email: 'someone@unknown.example' } }, jar);
    assert.equal(res.status, 200);
    assert.equal(alertText(res.body), "No organization is set up for unknown.example. Check the email address, or enter your organization's domain.");
    assert.match(res.body, /<label for="organization">Organization<\/label>/);
  });

  it('only returns to same-origin paths after a web sign-in', () => {
    const base = 'https://relay.example:8443';
    assert.equal(safeReturnTo('/rh?passcode=abcd1234', base), '/rh?passcode=abcd1234');
    assert.equal(safeReturnTo('https://evil.example/', base), '/rh');
    assert.equal(safeReturnTo('//evil.example/x', base), '/rh');
    assert.equal(safeReturnTo('/\\evil.example', base), '/rh');
    assert.equal(safeReturnTo(undefined, base), '/rh');
  });
});

describe('the identity data folder across a restart', () => {
  it('keeps tokens valid and refresh tokens usable', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rh-identity-restart-'));
    try {
      const first = await startIdentityHost(dir);
      const tokens = await signInForTokens(first.baseUrl, 'sharer@contoso.example', demoPassword, first.ca);

      const second = await first.restart();
      try {
        assert.equal(second.baseUrl, first.baseUrl);
        assert.ok((await second.identity.verifyAccessToken(tokens.accessToken)).ok, 'the access token survives');
        const res = await httpsRequest(`${second.baseUrl}/${tokens.tenantId}/v2.0/token`, second.ca, {
          form: { grant_type: 'refresh_token', refresh_token: tokens.refreshToken ?? '', client_id: consoleClientId },
        });
        assert.equal(res.status, 200, res.body);
      } finally {
        await second.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
