// The Entra stand-in checked against the libraries the relay uses with the real Entra: msal-node signs
// in through it (discovery, sign-in page, code + PKCE, client_info, refresh, client credentials) and
// jose verifies its tokens from its jwks_uri. If these pass, the stand-in's shapes are ones MSAL takes.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { ConfidentialClientApplication, CryptoProvider, PublicClientApplication, ServerError } from '@azure/msal-node';
import { createRemoteJWKSet, customFetch, decodeJwt, jwtVerify } from 'jose';
import { httpsNetworkClient } from '#relay/identity/network-client.js';
import { fetchTrusting } from './ca-fetch.js';
import { startEntraStandIn, type EntraStandIn } from './entra-stand-in.js';
import { alertText, httpsRequest, parseForm } from './https-fetch.js';
import { walkSignIn } from './sign-in.js';

const tid = randomUUID();
const otherTid = randomUUID();
const web = { clientId: randomUUID(), clientSecret: 'web-secret~value', redirectUris: ['https://relay.example/auth/callback'], applicationPermissions: ['User.Read.All'] };
const consoleApp = { clientId: randomUUID(), redirectUris: ['http://localhost'], publicClient: true };
const api = { audience: 'api://remote-help', scopes: ['session'] };
const scope = 'api://remote-help/session';
const graphUrl = 'https://graph.stand-in.example';
const helper = { oid: randomUUID(), upn: 'helper@contoso.example', name: 'Hanna Helper', password: 'correct horse', appRoles: ['Help Desk Operator'] };
const disabled = { oid: randomUUID(), upn: 'gone@contoso.example', name: 'Gone', password: 'pw', accountEnabled: false };

describe('the Entra stand-in, as MSAL and jose see it', () => {
  let entra: EntraStandIn;
  before(async () => {
    entra = await startEntraStandIn({
      tenants: [
        { tenantId: tid, apps: [web, consoleApp], apis: [api], users: [helper, disabled] },
        { tenantId: otherTid, apps: [web], apis: [api], users: [] },
      ],
    });
    entra.addResource(graphUrl);
  });
  after(() => entra.close());

  const authority = () => `${entra.authorityHost}/${tid}`;
  const system = () => ({ networkClient: httpsNetworkClient(entra.caPem) });
  const confidential = (secret = web.clientSecret) =>
    new ConfidentialClientApplication({
      auth: { clientId: web.clientId, clientSecret: secret, authority: authority(), knownAuthorities: [new URL(entra.authorityHost).host] },
      system: system(),
    });

  const verify = (token: string, audience: string) =>
    jwtVerify(token, createRemoteJWKSet(new URL(`${entra.authorityHost}/${tid}/discovery/v2.0/keys`), { [customFetch]: fetchTrusting(entra.caPem) }), {
      issuer: entra.issuer(tid), audience, algorithms: ['RS256'],
    });

  async function webSignIn(cca: ConfidentialClientApplication, user = helper) {
    const { verifier, challenge } = await new CryptoProvider().generatePkceCodes();
    const nonce = randomUUID();
    const state = randomUUID();
    const redirectUri = web.redirectUris[0]!;
    const authorizeUrl = await cca.getAuthCodeUrl({
      scopes: [scope], redirectUri, responseMode: 'form_post', codeChallenge: challenge, codeChallengeMethod: 'S256', nonce, state, loginHint: user.upn,
    });
    const walked = await walkSignIn({ authorizeUrl, email: user.upn, password: user.password, ca: entra.caPem, redirectUri });
    return { authorizeUrl, walked, verifier, nonce, state, redirectUri };
  }

  it('serves the v2.0 discovery document, and keys that name the tenant issuer', async () => {
    const doc = JSON.parse((await httpsRequest(`${entra.authorityHost}/${tid}/v2.0/.well-known/openid-configuration`, entra.caPem)).body) as Record<string, unknown>;
    assert.equal(doc.issuer, `${entra.authorityHost}/${tid}/v2.0`);
    assert.equal(doc.authorization_endpoint, `${entra.authorityHost}/${tid}/oauth2/v2.0/authorize`);
    assert.equal(doc.token_endpoint, `${entra.authorityHost}/${tid}/oauth2/v2.0/token`);
    assert.equal(doc.jwks_uri, `${entra.authorityHost}/${tid}/discovery/v2.0/keys`);
    assert.ok((doc.response_modes_supported as string[]).includes('form_post'));
    const jwks = JSON.parse((await httpsRequest(doc.jwks_uri as string, entra.caPem)).body) as { keys: Record<string, string>[] };
    assert.equal(jwks.keys[0]?.kty, 'RSA');
    assert.equal(jwks.keys[0]?.issuer, doc.issuer);
    const unknown = await httpsRequest(`${entra.authorityHost}/${randomUUID()}/v2.0/.well-known/openid-configuration`, entra.caPem);
    assert.equal(unknown.status, 400);
    assert.match((JSON.parse(unknown.body) as { error_description: string }).error_description, /^AADSTS90002: /);
  });

  it('signs in a confidential client with code + PKCE (form_post), and the tokens verify', async () => {
    const cca = confidential();
    const { authorizeUrl, walked, verifier, nonce, state, redirectUri } = await webSignIn(cca);
    assert.ok(authorizeUrl.startsWith(`${entra.authorityHost}/${tid}/oauth2/v2.0/authorize?`), authorizeUrl);
    assert.ok(walked.ok, walked.ok ? '' : walked.error);
    assert.equal(walked.state, state);
    // msal-node's ConfidentialClientApplication reads the expected nonce from the request only (it drops
    // the payload's); an ID token with a nonce and no expected nonce is refused (nonce_mismatch).
    const result = await cca.acquireTokenByCode({ code: walked.code, scopes: [scope], redirectUri, codeVerifier: verifier, nonce, state }, { code: walked.code, state });
    // client_info makes MSAL's account: homeAccountId is `${oid}.${tid}`.
    assert.equal(result.account?.homeAccountId, `${helper.oid}.${tid}`);
    assert.equal(result.account?.tenantId, tid);
    assert.equal(result.account?.username, helper.upn);
    assert.equal(result.idTokenClaims && (result.idTokenClaims as { nonce?: string }).nonce, nonce);

    const { payload } = await verify(result.accessToken, api.audience);
    assert.equal(payload.tid, tid);
    assert.equal(payload.oid, helper.oid);
    assert.equal(payload.preferred_username, helper.upn);
    assert.deepEqual(payload.roles, helper.appRoles);
    assert.equal(payload.scp, 'session');
    assert.equal(payload.azp, web.clientId);
    assert.equal(payload.ver, '2.0');
    assert.notEqual(payload.sub, helper.oid, 'sub is pairwise; oid is the user id');
    assert.equal((payload.exp ?? 0) - Math.floor(Date.now() / 1000) > 3500, true);
    assert.equal((await verify(result.idToken, web.clientId)).payload.aud, web.clientId);
  });

  it('refreshes through acquireTokenSilent once the access token nears expiry', async () => {
    // MSAL renews a cached token that has less than five minutes left (tokenRenewalOffsetSeconds).
    entra.setTokenLifetime(120);
    try {
      const cca = confidential();
      const { walked, verifier, nonce, state, redirectUri } = await webSignIn(cca);
      assert.ok(walked.ok);
      const first = await cca.acquireTokenByCode({ code: walked.code, scopes: [scope], redirectUri, codeVerifier: verifier, nonce, state }, { code: walked.code, state });
      const tokenCalls = () => entra.requests.filter((r) => r.path === `/${tid}/oauth2/v2.0/token`).length;
      const before = tokenCalls();
      const silent = await cca.acquireTokenSilent({ account: first.account!, scopes: [scope] });
      assert.equal(tokenCalls(), before + 1, 'a refresh_token grant');
      assert.notEqual(silent.accessToken, first.accessToken);
      assert.equal((await verify(silent.accessToken, api.audience)).payload.oid, helper.oid);
    } finally {
      entra.setTokenLifetime(3600);
    }
  });

  it('signs in the public console client on any loopback port', async () => {
    const pca = new PublicClientApplication({
      auth: { clientId: consoleApp.clientId, authority: authority(), knownAuthorities: [new URL(entra.authorityHost).host] },
      system: system(),
    });
    const { verifier, challenge } = await new CryptoProvider().generatePkceCodes();
    const redirectUri = 'http://localhost:53177/';
    const authorizeUrl = await pca.getAuthCodeUrl({ scopes: [scope], redirectUri, codeChallenge: challenge, codeChallengeMethod: 'S256' });
    const walked = await walkSignIn({ authorizeUrl, email: helper.upn, password: helper.password, ca: entra.caPem, redirectUri });
    assert.ok(walked.ok, walked.ok ? '' : walked.error);
    const result = await pca.acquireTokenByCode({ code: walked.code, scopes: [scope], redirectUri, codeVerifier: verifier });
    const { payload } = await verify(result.accessToken, api.audience);
    assert.equal(payload.azp, consoleApp.clientId);
    assert.equal(payload.azpacr, '0');
  });

  it('answers a wrong password and a disabled account on its page, and a code only once', async () => {
    const cca = confidential();
    const redirectUri = web.redirectUris[0]!;
    const url = await cca.getAuthCodeUrl({ scopes: [scope], redirectUri, loginHint: helper.upn });
    const page = await httpsRequest(url, entra.caPem);
    assert.match(page.body, /<label for="email">Email<\/label>/);
    assert.match(page.body, /<label for="password">Password<\/label>/);
    assert.match(page.body, /<button type="submit">Sign in<\/button>/);
    assert.match(page.body, new RegExp(`value="${helper.upn}"`), 'login_hint pre-fills the email');
    const wrong = await walkSignIn({ authorizeUrl: url, email: helper.upn, password: 'nope', ca: entra.caPem, redirectUri });
    assert.ok(!wrong.ok && /AADSTS50126/.test(wrong.error), wrong.ok ? '' : wrong.error);
    const off = await walkSignIn({ authorizeUrl: url, email: disabled.upn, password: disabled.password, ca: entra.caPem, redirectUri });
    assert.ok(!off.ok && /AADSTS50057/.test(off.error), off.ok ? '' : off.error);

    const { walked, verifier, nonce, redirectUri: back } = await webSignIn(cca);
    assert.ok(walked.ok);
    await cca.acquireTokenByCode({ code: walked.code, scopes: [scope], redirectUri: back, codeVerifier: verifier, nonce });
    await assert.rejects(
      cca.acquireTokenByCode({ code: walked.code, scopes: [scope], redirectUri: back, codeVerifier: verifier, nonce }),
      (err: unknown) => err instanceof ServerError && err.errorCode === 'invalid_grant' && /AADSTS54005/.test(err.errorMessage),
    );
  });

  it('keeps an unregistered redirect on its own page, and sends other errors back to the app', async () => {
    const base = `${entra.authorityHost}/${tid}/oauth2/v2.0/authorize`;
    const q = (p: Record<string, string>) => `${base}?${new URLSearchParams({ client_id: web.clientId, response_type: 'code', scope, state: 's1', ...p })}`;
    const foreign = await httpsRequest(q({ redirect_uri: 'https://evil.example/cb' }), entra.caPem);
    assert.equal(foreign.status, 400);
    assert.match(alertText(foreign.body) ?? '', /^AADSTS50011: /);
    const badScope = await httpsRequest(q({ redirect_uri: web.redirectUris[0]!, scope: 'api://nothing-here/x' }), entra.caPem);
    const to = new URL(badScope.location ?? '');
    assert.equal(to.origin + to.pathname, web.redirectUris[0]);
    assert.equal(to.searchParams.get('error'), 'invalid_resource');
    assert.match(to.searchParams.get('error_description') ?? '', /^AADSTS500011: /);
    assert.equal(to.searchParams.get('state'), 's1');
    const posted = await httpsRequest(q({ redirect_uri: web.redirectUris[0]!, response_mode: 'form_post', response_type: 'token' }), entra.caPem);
    const form = parseForm(posted.body, base);
    assert.equal(form?.action, web.redirectUris[0]);
    assert.equal(form?.fields.error, 'unsupported_response_type');
  });

  it('issues app-only tokens by client credentials, and refuses a bad secret in the documented shape', async () => {
    const cca = confidential();
    const result = await cca.acquireTokenByClientCredential({ scopes: [`${graphUrl}/.default`] });
    assert.ok(result);
    const claims = decodeJwt(result.accessToken);
    assert.equal(claims.aud, graphUrl);
    assert.equal(claims.iss, `https://sts.windows.net/${tid}/`, 'Graph tokens are v1.0');
    assert.equal(claims.idtyp, 'app');
    assert.equal(claims.appid, web.clientId);
    assert.deepEqual(claims.roles, web.applicationPermissions);

    await assert.rejects(
      confidential('wrong').acquireTokenByClientCredential({ scopes: [`${graphUrl}/.default`] }),
      (err: unknown) => err instanceof ServerError && err.errorCode === 'invalid_client' && /AADSTS7000215/.test(err.errorMessage),
    );
    const raw = await httpsRequest(`${entra.authorityHost}/${tid}/oauth2/v2.0/token`, entra.caPem, {
      form: { grant_type: 'client_credentials', client_id: web.clientId, client_secret: web.clientSecret, scope: `${graphUrl}/User.Read.All` },
      headers: { 'client-request-id': 'c0ffee00-0000-4000-8000-000000000000' },
    });
    assert.equal(raw.status, 400);
    const body = JSON.parse(raw.body) as Record<string, unknown>;
    assert.deepEqual(Object.keys(body).sort(), ['correlation_id', 'error', 'error_codes', 'error_description', 'error_uri', 'timestamp', 'trace_id']);
    assert.equal(body.error, 'invalid_scope');
    assert.deepEqual(body.error_codes, [1002012]);
    assert.equal(body.correlation_id, 'c0ffee00-0000-4000-8000-000000000000');
    assert.match(body.timestamp as string, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$/);
  });

  it('mints tokens for tests: good ones, expired ones, and ones no tenant key signed', async () => {
    const jwks = createRemoteJWKSet(new URL(`${entra.authorityHost}/${tid}/discovery/v2.0/keys`), { [customFetch]: fetchTrusting(entra.caPem) });
    const opts = { issuer: entra.issuer(tid), audience: api.audience };
    const good = await entra.issueToken({ tenantId: tid, oid: helper.oid });
    assert.deepEqual((await jwtVerify(good, jwks, opts)).payload.roles, helper.appRoles);
    await assert.rejects(jwtVerify(await entra.issueToken({ tenantId: tid, oid: helper.oid, expiresInSeconds: -60 }), jwks, opts), { code: 'ERR_JWT_EXPIRED' });
    await assert.rejects(jwtVerify(await entra.issueToken({ tenantId: tid, oid: helper.oid, signedBy: 'unknown-key' }), jwks, opts), { code: 'ERR_JWKS_NO_MATCHING_KEY' });
    await assert.rejects(jwtVerify(await entra.issueToken({ tenantId: tid, oid: helper.oid, signedBy: 'forged' }), jwks, opts), { code: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED' });
    const otherIssuer = await entra.issueToken({ tenantId: tid, oid: helper.oid, claims: { iss: entra.issuer(otherTid) } });
    await assert.rejects(jwtVerify(otherIssuer, jwks, opts), { code: 'ERR_JWT_CLAIM_VALIDATION_FAILED' });
  });

  it('writes aud and iss as the API registration says: the client id for v2.0, the App ID URI and sts.windows.net for v1.0', async () => {
    const v2 = { audience: 'api://rh-v2', clientId: randomUUID(), scopes: ['session'] };
    const v1 = { audience: 'api://rh-v1', scopes: ['session'], accessTokenVersion: 1 as const };
    entra.addApi(tid, v2);
    entra.addApi(tid, v1);
    const two = decodeJwt(await entra.issueToken({ tenantId: tid, oid: helper.oid, audience: v2.audience }));
    assert.equal(two.aud, v2.clientId);
    assert.equal(two.iss, entra.issuer(tid));
    const one = decodeJwt(await entra.issueToken({ tenantId: tid, oid: helper.oid, audience: v1.audience }));
    assert.equal(one.aud, v1.audience);
    assert.equal(one.iss, `https://sts.windows.net/${tid}/`);
    assert.equal(one.upn, helper.upn);
    assert.equal(one.ver, '1.0');
  });

  it('is unreachable while told so, and back afterwards at the same address', async () => {
    entra.setUnreachable(true);
    try {
      // A new client: one that already resolved the authority would only need the token endpoint.
      await assert.rejects(confidential().acquireTokenByClientCredential({ scopes: [`${graphUrl}/.default`], skipCache: true }), { errorCode: 'endpoints_resolution_error' });
    } finally {
      entra.setUnreachable(false);
    }
    const doc = await httpsRequest(`${entra.authorityHost}/${tid}/v2.0/.well-known/openid-configuration`, entra.caPem);
    assert.equal(doc.status, 200);
  });
});
