// A second factor in the embedded provider: a user with an authenticator app (TOTP) is asked for a
// "Verification code" after the password, and the relay's token then says so (amr has 'mfa').
import assert from 'node:assert/strict';
import { decodeJwt } from 'jose';
import { demoPassword, demoTenants } from '#relay/directory/index.js';
import { demoMfaUsers, totpCode } from '#relay/identity/index.js';
import { alertText, httpsRequest, parseForm, CookieJar } from '../../support/https-fetch.js';
import { consoleAuthorizeUrl, loopbackRedirect, pkcePair, signInForTokens, walkSignIn, webSignIn } from '../../support/sign-in.js';
import { forEachStoreBackend } from '../../support/store-backends.js';
import { startIdentityHost, type IdentityHost } from '../../support/identity-host.js';

const contoso = demoTenants.contoso.id;

/** Walks to the verification-code page by hand: email and password accepted, code asked. */
async function toCodePage(host: IdentityHost, email: string): Promise<{ jar: CookieJar; action: string; page: string }> {
  const jar = new CookieJar();
  const { challenge } = pkcePair();
  let url = consoleAuthorizeUrl(host.baseUrl, contoso, email, challenge);
  let res = await httpsRequest(url, host.ca, {}, jar);
  while (res.location) {
    url = res.location;
    res = await httpsRequest(url, host.ca, {}, jar);
  }
  const login = parseForm(res.body, url);
  assert.ok(login && /name="password"/.test(res.body), 'the password page first');
  const codePage = await httpsRequest(login.action, host.ca, { form: { email, password: demoPassword } }, jar);
  const form = parseForm(codePage.body, login.action);
  assert.ok(form, 'a form after the password');
  return { jar, action: form.action, page: codePage.body };
}

describe('multi-factor sign-in (TOTP) in the embedded provider', () => forEachStoreBackend((backend) => {
  let host: IdentityHost;
  before(async () => {
    host = await startIdentityHost(undefined, 0, { kept: await backend.fresh() });
  });
  after(() => host.close());

  it('asks a TOTP user for a "Verification code" after a correct password, with a Verify button', async () => {
    const { page } = await toCodePage(host, demoMfaUsers.helper.upn);
    assert.match(page, /<label for="code">Verification code<\/label>/);
    assert.match(page, /<button type="submit" class="primary">Verify<\/button>/);
    assert.match(page, /autocomplete="one-time-code"/);
    assert.doesNotMatch(page, /name="password"/);
  });

  it('puts mfa in amr of the access token (and the ID token) after a correct code', async () => {
    const tokens = await signInForTokens(host.baseUrl, demoMfaUsers.helper.upn, demoPassword, host.ca, undefined, {
      totpSecret: demoMfaUsers.helper.totpSecret,
    });
    const verified = await host.identity.verifyAccessToken(tokens.accessToken);
    assert.ok(verified.ok);
    assert.deepEqual(verified.value.amr, ['pwd', 'mfa']);
    assert.equal(verified.value.userId, (await host.directory.userByUpn(demoMfaUsers.helper.upn))?.oid);
    assert.deepEqual(verified.value.roles, ['Help Desk Operator']);
    assert.deepEqual(decodeJwt(tokens.idToken).amr, ['pwd', 'mfa']);
    assert.equal(await host.identity.mfaEnrolled(contoso, verified.value.userId), true);
  });

  it('carries mfa through the web sign-in too (the pages\' session token)', async () => {
    const cookie = await webSignIn(host.baseUrl, demoMfaUsers.sharer.upn, demoPassword, host.ca, '/rh', {
      totpSecret: demoMfaUsers.sharer.totpSecret,
    });
    const user = await host.identity.userFromCookie(cookie);
    assert.ok(user.ok);
    assert.equal(user.value.upn, demoMfaUsers.sharer.upn);
    assert.deepEqual(user.value.amr, ['pwd', 'mfa']);
  });

  it('refuses a wrong code with a clear message and lets the user try again', async () => {
    const { jar, action } = await toCodePage(host, demoMfaUsers.sharer.upn);
    const right = totpCode(demoMfaUsers.sharer.totpSecret, Date.now());
    const wrong = String((Number(right) + 500_000) % 1_000_000).padStart(6, '0');
    const refused = await httpsRequest(action, host.ca, { form: { code: wrong } }, jar);
    assert.equal(refused.status, 200);
    assert.equal(refused.location, undefined, 'no redirect back to the app');
    assert.match(alertText(refused.body) ?? '', /verification code is not correct/);
    assert.match(refused.body, /Verification code/);
    // The code never reaches a log line.
    assert.ok(!JSON.stringify(host.logs).includes(wrong));
  });

  it('sends the user back to the password after five wrong codes', async () => {
    const { jar, action } = await toCodePage(host, demoMfaUsers.sharer.upn);
    let res = await httpsRequest(action, host.ca, { form: { code: '000000' } }, jar);
    for (let i = 1; i < 5; i++) res = await httpsRequest(action, host.ca, { form: { code: '000000' } }, jar);
    // '000000' might by chance be the real code once in a million: then the sign-in simply went through.
    if (res.location) return;
    assert.match(alertText(res.body) ?? '', /Too many wrong verification codes/);
    assert.match(res.body, /name="password"/);
  });

  it('takes a code only once: a second sign-in with the same code is refused as used', async () => {
    const at = Date.now();
    const code = totpCode(demoMfaUsers.helper.totpSecret, at + 30_000); // next step: no earlier test used it
    const first = await toCodePage(host, demoMfaUsers.helper.upn);
    const accepted = await httpsRequest(first.action, host.ca, { form: { code } }, first.jar);
    assert.ok(accepted.location, 'the first use goes through');
    const second = await toCodePage(host, demoMfaUsers.helper.upn);
    const replayed = await httpsRequest(second.action, host.ca, { form: { code } }, second.jar);
    assert.equal(replayed.location, undefined);
    assert.match(alertText(replayed.body) ?? '', /already been used/);
  });

  it('keeps users without a second factor on password only (amr pwd)', async () => {
    const tokens = await signInForTokens(host.baseUrl, 'helper@contoso.example', demoPassword, host.ca);
    const verified = await host.identity.verifyAccessToken(tokens.accessToken);
    assert.ok(verified.ok);
    assert.deepEqual(verified.value.amr, ['pwd']);
    assert.equal(await host.identity.mfaEnrolled(contoso, verified.value.userId), false);
  });

  it('a TOTP user cannot skip the code: without one there is no authorization code', async () => {
    const { challenge } = pkcePair();
    const walked = await walkSignIn({
      authorizeUrl: consoleAuthorizeUrl(host.baseUrl, contoso, demoMfaUsers.helper.upn, challenge),
      email: demoMfaUsers.helper.upn, password: demoPassword, ca: host.ca, redirectUri: loopbackRedirect,
    });
    assert.equal(walked.ok, false);
  });
}));
