// The stand-in for a tenant's own OpenID Connect provider (test/support/oidc-idp.ts), checked with the
// clients the relay and the console use against it: MSAL in OIDC protocol mode, jose, and Chromium on
// the stand-in's own sign-in page. What MSAL's OIDC mode needs from a provider is asserted here, so a
// change in MSAL shows up as a failing line rather than as a relay that cannot sign anyone in.
import assert from 'node:assert/strict';
import { createServer, request, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ConfidentialClientApplication, CryptoProvider, ProtocolMode, PublicClientApplication, ResponseMode,
} from '@azure/msal-node';
import { createRemoteJWKSet, customFetch, decodeJwt, jwtVerify } from 'jose';
import type { Browser } from 'playwright-core';
import { httpsNetworkClient } from '#relay/identity/network-client.js';
import { ensureLocalCertificate } from '#relay/tls/local-ca.js';
import { launchBrowser, newPerson } from '../../support/browser.js';
import { httpsRequest } from '../../support/https-fetch.js';
import { idpSignInPage, startOidcIdp, type IdpUser, type OidcIdp } from '../../support/oidc-idp.js';
import { walkSignIn } from '../../support/sign-in.js';

const alice: IdpUser = {
  sub: 'kh-00u1alice', email: 'alice@globex.example', password: 'correct horse 1', displayName: 'Alice Ample',
  title: 'Service Desk Lead', org: 'Globex', avatar: 'https://img.globex.example/alice.png', memberOf: ['rh-helpdesk', 'staff'],
};
const bob: IdpUser = { sub: 'kh-00u2bob', email: 'bob@globex.example', password: 'battery staple 2', displayName: 'Bob Brown' };
const webClient = { clientId: 'remote-help-web', clientSecret: 'web-secret-for-tests' };
const consoleClientId = 'remote-help-console';
const audience = 'remote-help';
/** What the relay would ask for: its API scope, the groups for roles, and email. MSAL adds openid profile offline_access. */
const scopes = ['remote-help', 'groups', 'email'];

/** A stand-in for the relay's /auth/callback over HTTPS (its own local CA): captures what form_post sends. */
async function startCallback(): Promise<{ url: string; next(): Promise<URLSearchParams>; close(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'rh-oidc-cb-'));
  const cert = await ensureLocalCertificate(dir, ['127.0.0.1']);
  let deliver: (p: URLSearchParams) => void = () => {};
  const server: Server = createServer({ key: cert.key, cert: cert.cert }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const params = req.method === 'POST'
        ? new URLSearchParams(Buffer.concat(chunks).toString('utf8'))
        : new URL(req.url ?? '/', 'https://x').searchParams;
      res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>Relay</title><p>Back at the relay.</p>');
      deliver(params);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `https://127.0.0.1:${(server.address() as AddressInfo).port}/auth/callback`,
    next: () => new Promise((r) => { deliver = r; }),
    async close() {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** jose's fetch for the JWKS, trusting the stand-in's CA (the relay would trust it through its CA list). */
function fetchTrusting(ca: string): (url: string, options: { headers: Headers; method: string; signal?: AbortSignal | null }) => Promise<Response> {
  return (url, options) => new Promise((resolve, reject) => {
    const req = request(url, { method: options.method, headers: Object.fromEntries(options.headers.entries()), ca, signal: options.signal ?? undefined }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve(new Response(Buffer.concat(chunks), {
        status: res.statusCode ?? 0,
        headers: Object.entries(res.headers).flatMap(([k, v]) => (v === undefined ? [] : [[k, String(v)] as [string, string]])),
      })));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the stand-in OpenID provider (Keyhole ID)', () => {
  let idp: OidcIdp;
  let callback: Awaited<ReturnType<typeof startCallback>>;
  let browser: Browser;
  let jwksUri: string;

  before(async function () {
    this.timeout(60_000);
    callback = await startCallback();
    [idp, browser] = await Promise.all([
      startOidcIdp({
        users: [alice, bob],
        clients: { web: { ...webClient, redirectUris: [callback.url] }, console: { clientId: consoleClientId } },
        audience,
      }),
      launchBrowser(),
    ]);
    const discovery = JSON.parse((await httpsRequest(idp.discoveryUrl, idp.caPem)).body) as Record<string, unknown>;
    jwksUri = String(discovery.jwks_uri);
  });
  after(async () => {
    await browser?.close();
    await idp?.close();
    await callback?.close();
  });

  const verify = (token: string) => jwtVerify(
    token,
    createRemoteJWKSet(new URL(jwksUri), { [customFetch]: fetchTrusting(idp.caPem) }),
    { issuer: idp.issuer, audience, algorithms: ['RS256'] },
  );

  it('publishes a discovery document at issuer + /.well-known/openid-configuration', async () => {
    assert.match(idp.issuer, /^https:\/\/127\.0\.0\.1:\d+\/$/);
    const res = await httpsRequest(idp.discoveryUrl, idp.caPem);
    assert.equal(res.status, 200);
    const d = JSON.parse(res.body) as Record<string, unknown>;
    assert.equal(d.issuer, idp.issuer);
    assert.ok((d.scopes_supported as string[]).includes('groups') && (d.scopes_supported as string[]).includes('remote-help'));
    assert.ok((d.claims_supported as string[]).includes('member_of'));
    assert.ok((d.response_modes_supported as string[]).includes('form_post'));
    assert.deepEqual(d.code_challenge_methods_supported, ['S256']);
    assert.ok((d.token_endpoint_auth_methods_supported as string[]).includes('client_secret_basic'));
    assert.ok(typeof d.userinfo_endpoint === 'string');
  });

  it('signs in the web client (MSAL ConfidentialClientApplication, OIDC mode) through its own page in Chromium', async () => {
    const seenFrom = idp.requests.length;
    const cca = new ConfidentialClientApplication({
      auth: { ...webClient, authority: idp.issuer, knownAuthorities: [idp.host] },
      system: { protocolMode: ProtocolMode.OIDC, networkClient: httpsNetworkClient([idp.caPem]) },
    });
    const { verifier, challenge } = await new CryptoProvider().generatePkceCodes();
    const authorizeUrl = await cca.getAuthCodeUrl({
      scopes, redirectUri: callback.url, responseMode: ResponseMode.FORM_POST,
      codeChallenge: challenge, codeChallengeMethod: 'S256', state: 'state-123', nonce: 'nonce-456',
    });
    const asked = new URL(authorizeUrl);
    assert.equal(`${asked.origin}${asked.pathname}`, `${idp.issuer}auth`);
    // MSAL's OIDC mode: the configured scopes plus openid profile offline_access; client_info=1 still sent.
    assert.deepEqual(asked.searchParams.get('scope')?.split(' ').sort(), [...scopes, 'openid', 'profile', 'offline_access'].sort());
    assert.equal(asked.searchParams.get('client_info'), '1');
    assert.equal(asked.searchParams.get('response_mode'), 'form_post');
    assert.equal(asked.searchParams.get('nonce'), 'nonce-456');
    const plain = new URL(await cca.getAuthCodeUrl({ scopes, redirectUri: callback.url }));
    assert.equal(plain.searchParams.get('nonce'), null, 'MSAL adds no nonce of its own');
    assert.equal(plain.searchParams.get('response_mode'), 'query');
    assert.equal(plain.searchParams.get('state'), null, 'nor a state: the caller makes and checks its own');
    // Before any request to the provider, MSAL fetched the discovery document, and nothing from Microsoft.
    const fetched = idp.requests.slice(seenFrom).map((r) => `${r.method} ${r.path}`);
    assert.deepEqual(fetched, ['GET /.well-known/openid-configuration']);

    const context = await newPerson(browser);
    try {
      const page = await context.newPage();
      await page.goto(authorizeUrl);
      assert.equal(await page.title(), idpSignInPage.title);
      await page.getByLabel(idpSignInPage.email).fill(alice.email);
      await page.getByLabel(idpSignInPage.password).fill('not her password');
      await page.getByRole('button', { name: idpSignInPage.submit }).click();
      assert.equal((await page.getByRole('alert').textContent())?.trim(), idpSignInPage.wrongPassword);
      assert.equal(await page.getByLabel(idpSignInPage.email).inputValue(), alice.email);

      await page.getByLabel(idpSignInPage.password).fill(alice.password);
      const arrived = callback.next();
      await page.getByRole('button', { name: idpSignInPage.submit }).click();
      const params = await arrived;
      assert.equal(params.get('state'), 'state-123');
      const code = params.get('code');
      assert.ok(code, `no code: ${params.toString()}`);

      // msal-node 7.2 checks the ID token's nonce whenever it has one: without `nonce` here, nonce_mismatch.
      const result = await cca.acquireTokenByCode({ code, scopes, redirectUri: callback.url, codeVerifier: verifier, nonce: 'nonce-456' });
      const at = await verify(result.accessToken);
      assert.equal(at.payload.sub, alice.sub);
      assert.deepEqual(at.payload.member_of, alice.memberOf);
      assert.equal(at.payload.display_name, alice.displayName);
      assert.equal(at.payload.title, alice.title);
      assert.equal(at.payload.org, alice.org);
      assert.equal(at.payload.client_id, webClient.clientId);
      assert.deepEqual(String(at.payload.scope).split(' ').sort(), ['email', 'groups', 'openid', 'profile', 'remote-help']);
      assert.equal(at.protectedHeader.typ, 'at+jwt');

      const id = result.idTokenClaims as Record<string, unknown>;
      assert.equal(id.iss, idp.issuer);
      assert.equal(id.aud, webClient.clientId);
      assert.equal(id.nonce, 'nonce-456');
      assert.equal(id.display_name, alice.displayName);
      assert.equal(id.title, alice.title);
      assert.equal(id.org, alice.org);
      assert.equal(id.avatar_url, alice.avatar);
      assert.equal(id.preferred_username, alice.email);
      assert.equal(id.email, alice.email);
      assert.deepEqual(id.member_of, alice.memberOf);
      assert.equal(id.name, undefined, 'this provider has no `name` claim: the relay must map display_name');

      // How MSAL's account looks with a provider that sends no client_info.
      const account = result.account!;
      assert.equal(account.homeAccountId, alice.sub);
      assert.equal(account.localAccountId, alice.sub);
      assert.equal(account.username, alice.email);
      assert.equal(account.name, undefined);
      assert.equal(account.environment, idp.host);
      assert.equal(account.tenantId, '');
      assert.deepEqual(account.idTokenClaims, result.idTokenClaims);

      // A silent refresh: MSAL repeats offline_access; the provider issues a fresh token.
      const refreshed = await cca.acquireTokenSilent({ account, scopes, forceRefresh: true });
      assert.notEqual(refreshed.accessToken, result.accessToken);
      assert.equal((await verify(refreshed.accessToken)).payload.sub, alice.sub);
      const [byCode, byRefresh] = idp.requests.filter((r) => r.path === '/token').slice(-2).map((r) => r.form ?? {});
      // What MSAL sends a non-Microsoft provider: the secret in the body (client_secret_post), client_info=1,
      // Entra's optional id_token claims in a `claims` parameter, and offline_access again when refreshing.
      assert.equal(byCode?.grant_type, 'authorization_code');
      assert.equal(byCode?.client_secret, '…');
      assert.equal(byCode?.client_info, '1');
      assert.deepEqual(Object.keys(JSON.parse(byCode?.claims ?? '{}') as object), ['id_token']);
      assert.equal(byRefresh?.grant_type, 'refresh_token');
      assert.ok(byRefresh?.scope?.split(' ').includes('offline_access'));

      // Userinfo answers the API token with this provider's claim names.
      const me = await httpsRequest(`${idp.issuer}me`, idp.caPem, { headers: { authorization: `Bearer ${result.accessToken}` } });
      assert.equal(me.status, 200, me.body);
      assert.deepEqual(JSON.parse(me.body), {
        sub: alice.sub, display_name: alice.displayName, preferred_username: alice.email, title: alice.title, org: alice.org,
        avatar_url: alice.avatar, email: alice.email, email_verified: true, member_of: alice.memberOf,
      });
    } finally {
      await context.close();
    }
  });

  it('accepts client_secret_basic at the token endpoint as well as client_secret_post', async () => {
    const { verifier, challenge } = await new CryptoProvider().generatePkceCodes();
    const authorize = new URL(`${idp.issuer}auth`);
    for (const [k, v] of Object.entries({
      client_id: webClient.clientId, response_type: 'code', scope: 'openid profile groups', redirect_uri: callback.url,
      code_challenge: challenge, code_challenge_method: 'S256', state: 's', response_mode: 'query',
    })) authorize.searchParams.set(k, v);
    const walked = await walkSignIn({ authorizeUrl: authorize.href, email: bob.email, password: bob.password, ca: idp.caPem, redirectUri: callback.url });
    assert.ok(walked.ok, walked.ok ? '' : walked.error);
    const basic = Buffer.from(`${encodeURIComponent(webClient.clientId)}:${encodeURIComponent(webClient.clientSecret)}`).toString('base64');
    const res = await httpsRequest(`${idp.issuer}token`, idp.caPem, {
      headers: { authorization: `Basic ${basic}` },
      form: { grant_type: 'authorization_code', code: walked.code, redirect_uri: callback.url, code_verifier: verifier },
    });
    assert.equal(res.status, 200, res.body);
    const body = JSON.parse(res.body) as { access_token: string; refresh_token?: string; id_token: string };
    assert.equal(decodeJwt(body.access_token).sub, bob.sub);
    assert.deepEqual(decodeJwt(body.access_token).member_of, []);
    assert.ok(body.refresh_token, 'a refresh token without offline_access asked for: the client may refresh');

    const wrong = Buffer.from(`${webClient.clientId}:not-the-secret`).toString('base64');
    const refused = await httpsRequest(`${idp.issuer}token`, idp.caPem, {
      headers: { authorization: `Basic ${wrong}` }, form: { grant_type: 'refresh_token', refresh_token: body.refresh_token },
    });
    assert.equal(refused.status, 401);
    assert.equal((JSON.parse(refused.body) as { error: string }).error, 'invalid_client');
  });

  it('signs in the console (MSAL PublicClientApplication, OIDC mode) with its own loopback server', async () => {
    const pca = new PublicClientApplication({
      auth: { clientId: consoleClientId, authority: idp.issuer, knownAuthorities: [idp.host] },
      system: { protocolMode: ProtocolMode.OIDC, networkClient: httpsNetworkClient([idp.caPem]) },
    });
    const context = await newPerson(browser);
    try {
      const page = await context.newPage();
      let open: (url: string) => void = () => {};
      const opened = new Promise<string>((r) => { open = r; });
      // As the console does: MSAL runs its loopback server and hands the URL to whoever opens a browser.
      const interactive = pca.acquireTokenInteractive({
        scopes: ['remote-help', 'groups'],
        loginHint: alice.email,
        openBrowser: async (url) => { open(url); },
        successTemplate: '<!doctype html><title>Signed in</title><p>Signed in.</p>',
        errorTemplate: '<!doctype html><title>Failed</title><p>Sign-in failed.</p>',
      });
      const url = new URL(await Promise.race([opened, interactive.then(() => { throw new Error('finished before opening a browser'); })]));
      const redirect = new URL(url.searchParams.get('redirect_uri') ?? '');
      assert.equal(redirect.hostname, 'localhost');
      assert.equal(url.searchParams.get('response_mode'), 'form_post', 'msal-node\'s loopback client asks for form_post');
      assert.equal(url.searchParams.get('code_challenge_method'), 'S256');
      assert.equal(url.searchParams.get('login_hint'), alice.email);

      await page.goto(url.href);
      // login_hint fills the email in; the user types the password.
      assert.equal(await page.getByLabel(idpSignInPage.email).inputValue(), alice.email);
      await page.getByLabel(idpSignInPage.password).fill(alice.password);
      await page.getByRole('button', { name: idpSignInPage.submit }).click();
      const result = await interactive;
      await page.waitForURL((u) => u.hostname === 'localhost' && u.port === redirect.port);
      assert.equal(await page.title(), 'Signed in');

      const at = await verify(result.accessToken);
      assert.equal(at.payload.sub, alice.sub);
      assert.equal(at.payload.client_id, consoleClientId);
      assert.deepEqual(at.payload.member_of, alice.memberOf);
      assert.equal(result.account?.username, alice.email);
      assert.equal((result.idTokenClaims as Record<string, unknown>).aud, consoleClientId);

      const refreshed = await pca.acquireTokenSilent({ account: result.account!, scopes: ['remote-help', 'groups'], forceRefresh: true });
      assert.equal((await verify(refreshed.accessToken)).payload.sub, alice.sub);
    } finally {
      await context.close();
    }
  });

  it('refuses a public client without PKCE, and a redirect that is not loopback', async () => {
    const base = { client_id: consoleClientId, response_type: 'code', scope: 'openid', state: 's' };
    const noPkce = await httpsRequest(`${idp.issuer}auth?${new URLSearchParams({ ...base, redirect_uri: 'http://127.0.0.1:5555/' })}`, idp.caPem);
    assert.equal(new URL(noPkce.location ?? 'x:/').searchParams.get('error'), 'invalid_request');
    const elsewhere = await httpsRequest(`${idp.issuer}auth?${new URLSearchParams({
      ...base, redirect_uri: 'http://evil.example:5555/', code_challenge: 'x'.repeat(43), code_challenge_method: 'S256',
    })}`, idp.caPem);
    assert.equal(elsewhere.status, 400);
    assert.equal(elsewhere.location, undefined);
  });

  it('verifies minted tokens and refuses a wrong audience, an expired token and a foreign key', async () => {
    assert.equal((await verify(await idp.mintAccessToken({ sub: alice.sub, claims: { member_of: ['rh-admins'] } }))).payload.member_of?.toString(), 'rh-admins');
    await assert.rejects(verify(await idp.mintAccessToken({ sub: alice.sub, audience: 'someone-else' })), { code: 'ERR_JWT_CLAIM_VALIDATION_FAILED' });
    await assert.rejects(verify(await idp.mintAccessToken({ sub: alice.sub, expiresIn: -120 })), { code: 'ERR_JWT_EXPIRED' });
    await assert.rejects(verify(await idp.mintAccessToken({ sub: alice.sub, foreignKey: true })), { code: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED' });
  });

  it('can be taken down and brought back on the same port: down when the relay starts, up later', async () => {
    await idp.stop();
    // Made while the provider is down, as a relay starting at that moment would.
    const cca = new ConfidentialClientApplication({
      auth: { ...webClient, authority: idp.issuer, knownAuthorities: [idp.host] },
      system: { protocolMode: ProtocolMode.OIDC, networkClient: httpsNetworkClient([idp.caPem]) },
    });
    try {
      await assert.rejects(httpsRequest(idp.discoveryUrl, idp.caPem), { code: 'ECONNREFUSED' });
      // MSAL does not pass the network error on: the discovery failure is all it says.
      await assert.rejects(cca.getAuthCodeUrl({ scopes, redirectUri: callback.url }), { errorCode: 'endpoints_resolution_error' });
    } finally {
      await idp.start();
    }
    assert.equal((await httpsRequest(idp.discoveryUrl, idp.caPem)).status, 200);
    // The same MSAL instance tries discovery again on its next call: nothing to rebuild once the provider is back.
    assert.match(await cca.getAuthCodeUrl({ scopes, redirectUri: callback.url }), new RegExp(`^${idp.issuer}auth\\?`));
  });
});

describe('the stand-in OpenID provider with a Keycloak-shaped issuer (a path, no trailing slash)', () => {
  let idp: OidcIdp;
  before(async () => {
    idp = await startOidcIdp({
      users: [bob], issuerPath: '/realms/globex', audience,
      clients: { web: { ...webClient, redirectUris: ['https://127.0.0.1:1/auth/callback'] }, console: { clientId: consoleClientId } },
    });
  });
  after(() => idp?.close());

  it('serves discovery under the path and MSAL finds it from the issuer as authority', async () => {
    assert.match(idp.issuer, /^https:\/\/127\.0\.0\.1:\d+\/realms\/globex$/);
    assert.equal(idp.discoveryUrl, `${idp.issuer}/.well-known/openid-configuration`);
    const d = JSON.parse((await httpsRequest(idp.discoveryUrl, idp.caPem)).body) as Record<string, string>;
    assert.equal(d.issuer, idp.issuer);
    assert.equal(d.authorization_endpoint, `${idp.issuer}/auth`);
    const pca = new PublicClientApplication({
      auth: { clientId: consoleClientId, authority: idp.issuer, knownAuthorities: [idp.host] },
      system: { protocolMode: ProtocolMode.OIDC, networkClient: httpsNetworkClient([idp.caPem]) },
    });
    const url = await pca.getAuthCodeUrl({ scopes: ['remote-help'], redirectUri: 'http://localhost:5555' });
    assert.ok(url.startsWith(`${idp.issuer}/auth?`), url);
    const { verifier, challenge } = await new CryptoProvider().generatePkceCodes();
    const walked = await walkSignIn({
      authorizeUrl: await pca.getAuthCodeUrl({ scopes: ['remote-help'], redirectUri: 'http://localhost:5555', codeChallenge: challenge, codeChallengeMethod: 'S256' }),
      email: bob.email, password: bob.password, ca: idp.caPem, redirectUri: 'http://localhost:5555',
    });
    assert.ok(walked.ok, walked.ok ? '' : walked.error);
    const result = await pca.acquireTokenByCode({ code: walked.code, scopes: ['remote-help'], redirectUri: 'http://localhost:5555', codeVerifier: verifier });
    assert.equal(decodeJwt(result.accessToken).iss, idp.issuer);
    assert.equal(decodeJwt(result.accessToken).aud, audience);
  });
});
