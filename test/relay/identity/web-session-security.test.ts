// The web pages' sign-in and sign-out, as an attacker would try them: a return address that leads off
// the site, a sign-out posted from another site, and a shared PC where the web user signed out and the
// next person opens the console on the same browser.
import assert from 'node:assert/strict';
import { demoPassword, demoTenants } from '#relay/directory/index.js';
import { safeReturnTo } from '#relay/identity/web-sign-in.js';
import { CookieJar, httpsRequest, parseForm } from '../../support/https-fetch.js';
import { startIdentityHost, type IdentityHost } from '../../support/identity-host.js';
import { consoleAuthorizeUrl, loopbackRedirect, pkcePair, walkSignIn } from '../../support/sign-in.js';

const email = 'helper@contoso.example';
const contoso = demoTenants.contoso.id;

/** A web sign-in as the browser does it, keeping every cookie in `jar`: answers the callback's answer. */
async function webSignInWith(host: IdentityHost, jar: CookieJar, returnTo: string) {
  const start = await httpsRequest(`${host.baseUrl}/auth/signin?returnTo=${encodeURIComponent(returnTo)}`, host.ca, {}, jar);
  const form = parseForm(start.body, `${host.baseUrl}/auth/signin`)!;
  // Posted as a page elsewhere would post it: the return address as the attacker wrote it.
  const next = await httpsRequest(form.action, host.ca, { form: { ...form.fields, email, returnTo } }, jar);
  assert.ok(next.location, 'on to the provider');
  const callback = `${host.baseUrl}/auth/callback`;
  const walked = await walkSignIn({ authorizeUrl: next.location, email, password: demoPassword, ca: host.ca, redirectUri: callback, jar });
  assert.ok(walked.ok, walked.ok ? '' : walked.error);
  return httpsRequest(callback, host.ca, { form: { code: walked.code, state: walked.state } }, jar);
}

/** The console's authorization request on this browser: a code straight away, or the password form. */
async function consoleAuthorize(host: IdentityHost, jar: CookieJar): Promise<'code' | 'password'> {
  let url = consoleAuthorizeUrl(host.baseUrl, contoso, email, pkcePair().challenge);
  for (let hops = 0; hops < 10; hops++) {
    const res = await httpsRequest(url, host.ca, {}, jar);
    if (res.location) {
      if (res.location.startsWith(loopbackRedirect)) return 'code';
      url = res.location;
      continue;
    }
    const form = parseForm(res.body, url);
    if (form?.action.startsWith(loopbackRedirect) && form.fields.code) return 'code';
    if (/name="password"/.test(res.body)) return 'password';
    throw new Error(`unexpected answer ${res.status} at ${url}`);
  }
  throw new Error('no answer within 10 hops');
}

describe('web sign-in and sign-out against an attacker', () => {
  let host: IdentityHost;
  before(async () => {
    host = await startIdentityHost();
  });
  after(() => host.close());

  it('after sign-in, never sends the browser to another site, however the return address is written', async () => {
    const done = await webSignInWith(host, new CookieJar(), '/.//evil.example/x');
    assert.equal(done.status, 303);
    const raw = String(done.headers.location);
    assert.ok(!raw.startsWith('//') && !raw.startsWith('/\\'), `Location: ${raw}`);
    assert.equal(new URL(raw, host.baseUrl).origin, host.baseUrl, `Location: ${raw}`);
  });

  it('resolves a return address first, then keeps only a path on the relay itself', () => {
    const base = 'https://relay.example:8443';
    for (const evil of ['/.//evil.example', '/./\\evil.example', '//evil.example', '/\\evil.example', '/\t/evil.example',
      'https://evil.example', '%2F%2Fevil.example', '/../..//evil.example', 'https://relay.example:8443@evil.example/']) {
      const kept = safeReturnTo(evil, base);
      assert.ok(kept.startsWith('/') && !kept.startsWith('//'), `${JSON.stringify(evil)} → ${kept}`);
      assert.equal(new URL(kept, base).origin, base, `${JSON.stringify(evil)} → ${kept}`);
    }
    assert.equal(safeReturnTo('/rh?passcode=abcd1234', base), '/rh?passcode=abcd1234');
    assert.equal(safeReturnTo('/%2F%2Fevil.example', base), '/%2F%2Fevil.example', 'an encoded slash stays a path here');
  });

  it('refuses a sign-out posted from another site (or with no origin at all), and the user stays signed in', async () => {
    const jar = new CookieJar();
    await webSignInWith(host, jar, '/rhh');
    const cookie = `rh_session=${jar.get('rh_session')}`;
    for (const headers of [{ origin: 'https://evil.example' }, { 'sec-fetch-site': 'cross-site' }, { origin: 'null' }, {}] as Record<string, string>[]) {
      const res = await httpsRequest(`${host.baseUrl}/auth/signout`, host.ca, { method: 'POST', headers: { cookie, ...headers } });
      assert.equal(res.status, 403, JSON.stringify(headers));
      assert.equal((JSON.parse(res.body) as { error: { code: string } }).error.code, 'forbidden');
      assert.ok((await host.identity.userFromCookie(cookie)).ok, 'still signed in');
    }
    const own = await httpsRequest(`${host.baseUrl}/auth/signout`, host.ca, { method: 'POST', headers: { cookie, 'sec-fetch-site': 'same-origin' } });
    assert.equal(own.status, 200);
    assert.ok(!(await host.identity.userFromCookie(cookie)).ok, 'signed out from the page itself');
  });

  it('on a shared browser, a web sign-out leaves the console no way in without the password', async () => {
    const jar = new CookieJar();
    await webSignInWith(host, jar, '/rhh');
    const out = await httpsRequest(`${host.baseUrl}/auth/signout`, host.ca, { method: 'POST', headers: { origin: host.baseUrl } }, jar);
    assert.equal(out.status, 200);
    assert.equal(await consoleAuthorize(host, jar), 'password');
  });

  it('ends the provider session of a browser that signed in through the console, at the web sign-out', async () => {
    // The console's own sign-in in the system browser, then the web pages used and signed out there.
    const jar = new CookieJar();
    const walked = await walkSignIn({
      authorizeUrl: consoleAuthorizeUrl(host.baseUrl, contoso, email, pkcePair().challenge), email, password: demoPassword, ca: host.ca, redirectUri: loopbackRedirect, jar,
    });
    assert.ok(walked.ok);
    assert.equal(await consoleAuthorize(host, jar), 'code', 'signed in at the provider');
    const out = await httpsRequest(`${host.baseUrl}/auth/signout`, host.ca, { method: 'POST', headers: { origin: host.baseUrl } }, jar);
    assert.equal(out.status, 200);
    assert.equal(await consoleAuthorize(host, jar), 'password');
  });
});
