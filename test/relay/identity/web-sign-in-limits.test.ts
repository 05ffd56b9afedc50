// Started web sign-ins are bounded: POST /auth/signin needs no account, so one address may start only
// so many within ten minutes, and all of them together are capped (the oldest is forgotten).
import assert from 'node:assert/strict';
import { demoPassword } from '#relay/directory/index.js';
import { alertText, CookieJar, httpsRequest } from '../../support/https-fetch.js';
import { walkSignIn } from '../../support/sign-in.js';
import { startIdentityHost, type IdentityHost } from '../../support/identity-host.js';

/** POST /auth/signin as the email form does: answers the redirect to the provider (or the refusal). */
async function startSignIn(host: IdentityHost, jar = new CookieJar(), email = 'helper@contoso.example') {
  return httpsRequest(`${host.baseUrl}/auth/signin`, host.ca, { form: { email, returnTo: '/rhh' } }, jar);
}

describe('limits on started web sign-ins', () => {
  it('refuses an address that starts too many sign-ins with a clear page, until the window passes', async () => {
    let offset = 0;
    const host = await startIdentityHost(undefined, 0, { clock: { now: () => Date.now() + offset }, webSignInLimits: { perAddress: 3 } });
    try {
      for (let i = 0; i < 3; i++) assert.equal((await startSignIn(host)).status, 302);
      const refused = await startSignIn(host);
      assert.equal(refused.status, 429);
      assert.equal(refused.location, undefined);
      assert.match(refused.body, /<h1>Too many sign-in attempts<\/h1>/);
      assert.match(refused.body, /Wait a few minutes/);
      offset += 10 * 60_000 + 1000;
      assert.equal((await startSignIn(host)).status, 302);
    } finally {
      await host.close();
    }
  });

  it('keeps at most maxPending started sign-ins: the oldest one expires, the newest completes', async () => {
    const host = await startIdentityHost(undefined, 0, { webSignInLimits: { maxPending: 2 } });
    try {
      const started = [];
      for (let i = 0; i < 3; i++) {
        const jar = new CookieJar();
        const res = await startSignIn(host, jar);
        assert.ok(res.location);
        started.push({ jar, authorizeUrl: res.location });
      }
      const callback = `${host.baseUrl}/auth/callback`;
      const finish = async (s: { jar: CookieJar; authorizeUrl: string }) => {
        const walked = await walkSignIn({ ...s, email: 'helper@contoso.example', password: demoPassword, ca: host.ca, redirectUri: callback });
        assert.ok(walked.ok);
        return httpsRequest(callback, host.ca, { form: { code: walked.code, state: walked.state } }, s.jar);
      };
      const oldest = await finish(started[0]!);
      assert.equal(oldest.status, 400);
      assert.match(alertText(oldest.body) ?? oldest.body, /expired/);
      assert.equal(started[0]!.jar.get('rh_session'), undefined);
      const newest = await finish(started[2]!);
      assert.equal(newest.status, 303);
      assert.ok(started[2]!.jar.get('rh_session'));
    } finally {
      await host.close();
    }
  });
});
