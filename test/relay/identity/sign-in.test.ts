import assert from 'node:assert/strict';
import { decodeJwt } from 'jose';
import { demoPassword, demoTenants, demoUsers } from '#relay/directory/index.js';
import { CookieJar, httpsRequest, parseForm } from '../../support/https-fetch.js';
import { consoleAuthorizeUrl, loopbackRedirect, pkcePair, signInForTokens, walkSignIn, webSignIn } from '../../support/sign-in.js';
import { startIdentityHost, type IdentityHost } from '../../support/identity-host.js';

describe('the embedded identity provider', () => {
  let host: IdentityHost;
  before(async () => {
    host = await startIdentityHost();
  });
  after(() => host.close());

  it('serves Entra-shaped discovery per tenant', async () => {
    const tid = demoTenants.contoso.id;
    const res = await httpsRequest(`${host.baseUrl}/${tid}/v2.0/.well-known/openid-configuration`, host.ca);
    assert.equal(res.status, 200);
    const meta = JSON.parse(res.body) as Record<string, unknown>;
    assert.equal(meta.issuer, `${host.baseUrl}/${tid}/v2.0`);
    assert.equal(meta.authorization_endpoint, `${host.baseUrl}/${tid}/v2.0/auth`);
    assert.equal(meta.token_endpoint, `${host.baseUrl}/${tid}/v2.0/token`);
    assert.ok((meta.response_modes_supported as string[]).includes('form_post'));
  });

  it('signs the console in and issues a relay token with tenant, roles and profile', async () => {
    const tokens = await signInForTokens(host.baseUrl, 'helper@contoso.example', demoPassword, host.ca);
    const verified = await host.identity.verifyAccessToken(tokens.accessToken);
    assert.deepEqual(verified, {
      ok: true,
      value: {
        tenantId: demoTenants.contoso.id,
        userId: demoUsers.contosoHelper.oid,
        upn: 'helper@contoso.example',
        name: demoUsers.contosoHelper.name,
        roles: ['Help Desk Operator'],
        amr: ['pwd'],
      },
    });
    const id = decodeJwt(tokens.idToken);
    assert.equal(id.name, demoUsers.contosoHelper.name);
    assert.equal(id.preferred_username, 'helper@contoso.example');
    assert.equal(id.tid, demoTenants.contoso.id);
    assert.deepEqual(id.roles, ['Help Desk Operator']);
    assert.ok(tokens.refreshToken, 'a refresh token for the console');
    assert.deepEqual(JSON.parse(Buffer.from(tokens.clientInfo ?? '', 'base64url').toString()), {
      uid: demoUsers.contosoHelper.oid,
      utid: demoTenants.contoso.id,
    });
  });

  it('refreshes with offline_access in the scope, as MSAL sends it', async () => {
    const tokens = await signInForTokens(host.baseUrl, 'admin@contoso.example', demoPassword, host.ca);
    const res = await httpsRequest(`${host.baseUrl}/${tokens.tenantId}/v2.0/token`, host.ca, {
      form: {
        grant_type: 'refresh_token',
        refresh_token: tokens.refreshToken ?? '',
        client_id: 'remote-help-console',
        scope: 'api://remote-help/session openid profile offline_access',
      },
    });
    assert.equal(res.status, 200, res.body);
    const body = JSON.parse(res.body) as { access_token: string };
    const verified = await host.identity.verifyAccessToken(body.access_token);
    assert.ok(verified.ok && verified.value.roles.includes('Remote Help Administrator'));
  });

  it('shows a clear error and the form again on a wrong password', async () => {
    const { challenge } = pkcePair();
    const walked = await walkSignIn({
      authorizeUrl: consoleAuthorizeUrl(host.baseUrl, demoTenants.contoso.id, 'sharer@contoso.example', challenge),
      email: 'sharer@contoso.example', password: 'not-the-password', ca: host.ca, redirectUri: loopbackRedirect,
    });
    assert.equal(walked.ok, false);
    assert.ok(!walked.ok);
    assert.equal(walked.error, 'The email or password is not correct.');
    assert.match(walked.page, /<label for="email">Email<\/label>/);
    assert.match(walked.page, /<label for="password">Password<\/label>/);
    assert.match(walked.page, /<button type="submit" class="primary">Sign in<\/button>/);
    assert.match(walked.page, /value="sharer@contoso.example"/, 'the email stays filled in');
  });

  it('tells the app when the user cancels the sign-in', async () => {
    const { challenge } = pkcePair();
    const jar = new CookieJar();
    const auth = await httpsRequest(consoleAuthorizeUrl(host.baseUrl, demoTenants.contoso.id, 'admin@contoso.example', challenge), host.ca, {}, jar);
    const page = await httpsRequest(auth.location!, host.ca, {}, jar);
    assert.match(page.body, />Cancel<\/button>/);
    const form = parseForm(page.body, auth.location!)!;
    let res = await httpsRequest(form.action, host.ca, { form: { cancel: 'yes' } }, jar);
    while (res.location) res = await httpsRequest(res.location, host.ca, {}, jar);
    const answer = parseForm(res.body, host.baseUrl)!;
    assert.equal(answer.action, loopbackRedirect);
    assert.equal(answer.fields.error, 'access_denied');
  });

  it('prefills Email from login_hint', async () => {
    const { challenge } = pkcePair();
    const auth = await httpsRequest(consoleAuthorizeUrl(host.baseUrl, demoTenants.contoso.id, 'admin@contoso.example', challenge), host.ca);
    const interaction = auth.location;
    if (!interaction?.includes('/interaction/')) assert.fail(`expected the sign-in page, got ${auth.status} ${interaction}`);
    // The interaction cookie is path-scoped to the interaction: follow with it.
    const cookie = [auth.headers['set-cookie'] ?? []].flat().map((c) => c.split(';')[0]).join('; ');
    const page = await httpsRequest(interaction, host.ca, { headers: { cookie } });
    assert.match(page.body, /id="email"[^>]*value="admin@contoso.example"/);
  });

  it('refuses a Fabrikam user on Contoso\'s provider, saying why', async () => {
    const { challenge } = pkcePair();
    const walked = await walkSignIn({
      authorizeUrl: consoleAuthorizeUrl(host.baseUrl, demoTenants.contoso.id, 'helper@fabrikam.example', challenge),
      email: 'helper@fabrikam.example', password: demoPassword, ca: host.ca, redirectUri: loopbackRedirect,
    });
    assert.ok(!walked.ok);
    assert.equal(walked.error, 'helper@fabrikam.example belongs to Fabrikam, not to Contoso.');
  });

  it('signs a Fabrikam user in on Fabrikam\'s provider with a Fabrikam token', async () => {
    const tokens = await signInForTokens(host.baseUrl, 'sharer@fabrikam.example', demoPassword, host.ca);
    const verified = await host.identity.verifyAccessToken(tokens.accessToken);
    assert.ok(verified.ok);
    assert.equal(verified.value.tenantId, demoTenants.fabrikam.id);
    assert.deepEqual(verified.value.roles, []);
  });

  it('ends the provider session through end_session', async () => {
    const { challenge } = pkcePair();
    const tid = demoTenants.contoso.id;
    const first = await walkSignIn({
      authorizeUrl: consoleAuthorizeUrl(host.baseUrl, tid, 'helper@contoso.example', challenge),
      email: 'helper@contoso.example', password: demoPassword, ca: host.ca, redirectUri: loopbackRedirect,
    });
    assert.ok(first.ok);
    const jar = first.jar;
    // Signed in: a second authorization needs no password.
    const again = await walkSignIn({
      authorizeUrl: consoleAuthorizeUrl(host.baseUrl, tid, 'helper@contoso.example', challenge),
      email: 'x', password: 'wrong', ca: host.ca, redirectUri: loopbackRedirect, jar,
    });
    assert.ok(again.ok, 'the provider session signs in silently');

    const confirm = await httpsRequest(`${host.baseUrl}/${tid}/v2.0/session/end?client_id=remote-help-console`, host.ca, {}, jar);
    assert.equal(confirm.status, 200);
    assert.match(confirm.body, />Sign out<\/button>/);
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(confirm.body)?.[1] ?? '';
    const done = await httpsRequest(`${host.baseUrl}/${tid}/v2.0/session/end/confirm`, host.ca, { form: { xsrf, logout: 'yes' } }, jar);
    assert.ok([200, 303].includes(done.status), `${done.status}`);

    const after = await walkSignIn({
      authorizeUrl: consoleAuthorizeUrl(host.baseUrl, tid, 'helper@contoso.example', challenge),
      email: 'helper@contoso.example', password: 'wrong', ca: host.ca, redirectUri: loopbackRedirect, jar,
    });
    assert.ok(!after.ok, 'after sign-out the password is asked again');
  });

  it('gives the web pages a session cookie that userFromCookie accepts, until sign-out', async () => {
    const cookie = await webSignIn(host.baseUrl, 'sharer@contoso.example', demoPassword, host.ca, '/rh?passcode=abcd1234');
    assert.match(cookie, /^rh_session=[\w-]{40,}$/);
    const user = await host.identity.userFromCookie(`other=1; ${cookie}`);
    assert.ok(user.ok);
    assert.equal(user.value.upn, 'sharer@contoso.example');
    assert.equal(user.value.tenantId, demoTenants.contoso.id);

    const me = await httpsRequest(`${host.baseUrl}/auth/me`, host.ca, { headers: { cookie } });
    assert.deepEqual(JSON.parse(me.body), { signedIn: true, upn: 'sharer@contoso.example', name: demoUsers.contosoSharer.name, tenantId: demoTenants.contoso.id, tenantName: demoTenants.contoso.name,
      look: { name: demoTenants.contoso.name, logo: '', accentColor: '' } });

    const out = await httpsRequest(`${host.baseUrl}/auth/signout`, host.ca, { method: 'POST', headers: { cookie, origin: host.baseUrl } });
    assert.equal(out.status, 200);
    assert.match(String(out.headers['set-cookie']), /rh_session=;/);
    const gone = await host.identity.userFromCookie(cookie);
    assert.ok(!gone.ok);
    assert.equal(gone.error.code, 'unauthenticated');
    const meAfter = await httpsRequest(`${host.baseUrl}/auth/me`, host.ca, { headers: { cookie } });
    assert.deepEqual(JSON.parse(meAfter.body), { signedIn: false });
  });
});
