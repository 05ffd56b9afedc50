// The identity pages carry a strict Content-Security-Policy: no script anywhere, except the one inline
// script of the provider's form_post page, allowed by its hash alone. The pages still work under it
// (every sign-in test walks them; here the header is checked on each kind of page).
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { demoPassword, demoTenants } from '#relay/directory/index.js';
import { CookieJar, httpsRequest, parseForm, type HttpsResponse } from '../../support/https-fetch.js';
import { consoleAuthorizeUrl, loopbackRedirect, pkcePair } from '../../support/sign-in.js';
import { startIdentityHost, type IdentityHost } from '../../support/identity-host.js';

const contoso = demoTenants.contoso.id;
const authCsp = "default-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

function directives(res: HttpsResponse): Map<string, string[]> {
  const header = res.headers['content-security-policy'];
  assert.equal(typeof header, 'string', 'a Content-Security-Policy header');
  return new Map((header as string).split(';').map((d) => d.trim().split(/\s+/)).map(([name = '', ...values]) => [name, values]));
}

/** Follows redirects (GET) from `res` until a page. */
async function follow(host: IdentityHost, res: HttpsResponse, jar: CookieJar): Promise<{ res: HttpsResponse; url: string }> {
  let url = '';
  while (res.location && !res.location.startsWith(loopbackRedirect)) {
    url = new URL(res.location, host.baseUrl).toString();
    res = await httpsRequest(url, host.ca, {}, jar);
  }
  return { res, url };
}

describe('Content-Security-Policy of the identity pages', () => {
  let host: IdentityHost;
  before(async () => {
    host = await startIdentityHost();
  });
  after(() => host.close());

  it('sets the strict policy on the /auth/* pages', async () => {
    const page = await httpsRequest(`${host.baseUrl}/auth/signin?returnTo=/rhh`, host.ca);
    assert.equal(page.status, 200);
    assert.equal(page.headers['content-security-policy'], authCsp);
    const refused = await httpsRequest(`${host.baseUrl}/auth/signin`, host.ca, { form: { email: 'x@nowhere.example', returnTo: '/rhh' } });
    assert.equal(refused.headers['content-security-policy'], authCsp);
    const expired = await httpsRequest(`${host.baseUrl}/auth/callback`, host.ca, { form: { state: 'nope', code: 'nope' } });
    assert.equal(expired.status, 400);
    assert.equal(expired.headers['content-security-policy'], authCsp);
  });

  it('sets a no-script policy on the provider\'s sign-in and error pages, with the console\'s loopback as a form target', async () => {
    const jar = new CookieJar();
    const start = await httpsRequest(consoleAuthorizeUrl(host.baseUrl, contoso, 'helper@contoso.example', pkcePair().challenge), host.ca, {}, jar);
    const { res: signIn } = await follow(host, start, jar);
    assert.match(signIn.body, /name="password"/);
    const d = directives(signIn);
    assert.deepEqual(d.get('default-src'), ["'none'"]);
    assert.deepEqual(d.get('script-src'), ["'none'"]);
    assert.deepEqual(d.get('style-src'), ["'self'", "'unsafe-inline'"]);
    assert.deepEqual(d.get('img-src'), ["'self'", 'data:']);
    assert.deepEqual(d.get('frame-ancestors'), ["'none'"]);
    assert.deepEqual(d.get('base-uri'), ["'none'"]);
    assert.deepEqual(d.get('form-action'), ["'self'", 'http://localhost:*', 'http://127.0.0.1:*']);
    const error = await httpsRequest(`${host.baseUrl}/${contoso}/v2.0/auth?client_id=nobody&response_type=code&scope=openid`, host.ca);
    assert.match(error.body, /Sign-in problem/);
    assert.deepEqual(directives(error).get('script-src'), ["'none'"]);
  });

  it('allows the form_post page\'s auto-submit script by its hash only, and the web sign-in completes', async () => {
    const jar = new CookieJar();
    const started = await httpsRequest(`${host.baseUrl}/auth/signin`, host.ca, { form: { email: 'sharer@contoso.example', returnTo: '/rh' } }, jar);
    const { res: signIn, url } = await follow(host, started, jar);
    const login = parseForm(signIn.body, url);
    assert.ok(login);
    const posted = await httpsRequest(login.action, host.ca, { form: { email: 'sharer@contoso.example', password: demoPassword } }, jar);
    const { res: formPost, url: formPostUrl } = await follow(host, posted, jar);
    const callback = parseForm(formPost.body, formPostUrl);
    assert.equal(callback?.action, `${host.baseUrl}/auth/callback`);
    const script = /<script>([\s\S]*?)<\/script>/.exec(formPost.body)?.[1];
    assert.ok(script, 'the auto-submit script');
    const hash = `'sha256-${createHash('sha256').update(script).digest('base64')}'`;
    const d = directives(formPost);
    assert.deepEqual(d.get('script-src'), [hash]);
    assert.deepEqual(d.get('default-src'), ["'none'"]);
    const done = await httpsRequest(callback.action, host.ca, { form: callback.fields }, jar);
    assert.equal(done.status, 303);
    assert.ok(jar.get('rh_session'));
  });
});
