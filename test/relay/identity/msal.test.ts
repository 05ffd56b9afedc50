import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CryptoProvider, PublicClientApplication } from '@azure/msal-node';
import { consoleClientId, realmInfo, relayScope } from '../../../protocol/src/index.js';
import { demoPassword, demoTenants, demoUsers } from '../../../relay/src/directory/index.js';
import { httpsNetworkClient } from '../../../relay/src/identity/network-client.js';
import { safeReturnTo } from '../../../relay/src/identity/web-sign-in.js';
import { alertText, CookieJar, httpsRequest, parseForm } from '../../support/https-fetch.js';
import { loopbackRedirect, signInForTokens, walkSignIn } from '../../support/sign-in.js';
import { startIdentityHost, type IdentityHost } from './harness.js';

describe('MSAL against the embedded provider', () => {
  let host: IdentityHost;
  before(async () => {
    host = await startIdentityHost();
  });
  after(() => host.close());

  const console = (tenantId: string) =>
    new PublicClientApplication({
      auth: { clientId: consoleClientId, authority: `${host.baseUrl}/${tenantId}`, knownAuthorities: [new URL(host.baseUrl).host] },
      system: { networkClient: httpsNetworkClient(host.ca) },
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

  it('answers home-realm discovery, including a known user outside the verified domains', async () => {
    const fab = await httpsRequest(`${host.baseUrl}/auth/realm?email=sharer@fabrikam.example`, host.ca);
    assert.deepEqual(JSON.parse(fab.body), { tenantId: demoTenants.fabrikam.id, tenantName: 'Fabrikam', authority: `${host.baseUrl}/${demoTenants.fabrikam.id}` });
    const contractor = await httpsRequest(`${host.baseUrl}/auth/realm?email=contractor@contoso-partner.example`, host.ca);
    assert.equal((JSON.parse(contractor.body) as { tenantId: string }).tenantId, demoTenants.contoso.id);
    const unknown = await httpsRequest(`${host.baseUrl}/auth/realm?email=someone@unknown.example`, host.ca);
    assert.equal(unknown.status, 404);
    assert.deepEqual(JSON.parse(unknown.body), { ok: false, error: { code: 'not-found', message: 'No organization is set up for unknown.example.' } });
    const bad = await httpsRequest(`${host.baseUrl}/auth/realm?email=nope`, host.ca);
    assert.equal(bad.status, 400);
  });

  it('tells the web user on the Email page when a domain is unknown', async () => {
    const jar = new CookieJar();
    const start = await httpsRequest(`${host.baseUrl}/auth/signin?returnTo=/rhh`, host.ca, {}, jar);
    assert.match(start.body, /<label for="email">Email<\/label>/);
    assert.match(start.body, /<button type="submit">Next<\/button>/);
    const form = parseForm(start.body, `${host.baseUrl}/auth/signin`)!;
    const res = await httpsRequest(form.action, host.ca, { form: { ...form.fields, email: 'someone@unknown.example' } }, jar);
    assert.equal(res.status, 200);
    assert.equal(alertText(res.body), 'No organization is set up for unknown.example. Check the email address.');
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
      const port = Number(new URL(first.baseUrl).port);
      const tokens = await signInForTokens(first.baseUrl, 'sharer@contoso.example', demoPassword, first.ca);
      await first.close();

      const second = await startIdentityHost(dir, port);
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
