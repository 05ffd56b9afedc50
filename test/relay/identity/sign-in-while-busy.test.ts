// A sign-in is the start of new work: past capacity (issue 12, point 1) the relay refuses it with
// `overloaded` before the password is hashed or a provider is asked — 503 with Retry-After, the same
// form again with what was typed and why, in the person's language — and takes it once the load is
// back to normal. A sign-in already past its password is not refused: that would waste it.
import assert from 'node:assert/strict';
import { demoPassword, demoTenants } from '#relay/directory/index.js';
import { demoMfaUsers, totpCode } from '#relay/identity/index.js';
import { createForcedOverload } from '#relay/socket/overload.js';
import { alertText, CookieJar, httpsRequest, parseForm, type HttpsResponse } from '../../support/https-fetch.js';
import { consoleAuthorizeUrl, loopbackRedirect, pkcePair } from '../../support/sign-in.js';
import { demo, startTestRelay, type TestRelay } from '../../support/relay.js';

const busyText = 'Remote Help is very busy right now, so this sign-in was not checked. Wait a moment, then try again.';
const busyTextSv = 'Remote Help-tjänsten är mycket upptagen just nu, så inloggningen har inte kontrollerats. Vänta en stund och försök sedan igen.';

/** The value of one Prometheus sample (0 when absent). */
function sample(metrics: string, name: string): number {
  const line = metrics.split('\n').find((l) => l.startsWith(`${name} `));
  return line === undefined ? 0 : Number(line.slice(name.length + 1));
}

describe('signing in while the relay sheds load', function () {
  this.timeout(60_000);
  const overload = createForcedOverload();
  let t: TestRelay;
  before(async () => {
    t = await startTestRelay({}, { overload });
  });
  after(async () => t?.stop());
  afterEach(() => overload.set(false));

  const overloadedHttpRefusals = async (): Promise<number> =>
    sample((await httpsRequest(`${t.url}/metrics`, t.caPem)).body, 'rh_refusals_total{code="overloaded",via="http"}');

  /** The provider's password form for the console's sign-in of `email`: its action and the browser's cookies. */
  async function passwordForm(email: string): Promise<{ action: string; jar: CookieJar }> {
    const jar = new CookieJar();
    const { challenge } = pkcePair();
    let url = consoleAuthorizeUrl(t.url, demoTenants.contoso.id, email, challenge);
    let res: HttpsResponse = await httpsRequest(url, t.caPem, {}, jar);
    for (let hops = 0; res.location && hops < 5; hops++) {
      url = res.location;
      res = await httpsRequest(url, t.caPem, {}, jar);
    }
    assert.match(res.body, /name="password"/, 'the provider shows its password form');
    return { action: parseForm(res.body, url)!.action, jar };
  }

  it('answers a password form 503 overloaded, without checking the password, and the same form signs in once the load is back', async () => {
    const refusedBefore = await overloadedHttpRefusals();
    const { action, jar } = await passwordForm(demo.contosoHelper);

    overload.set(true);
    // A wrong password is not called wrong: it was not checked at all.
    const refused = await httpsRequest(action, t.caPem, { form: { email: demo.contosoHelper, password: 'not-the-password' } }, jar);
    assert.equal(refused.status, 503);
    assert.equal(refused.headers['retry-after'], '5');
    assert.equal(alertText(refused.body), busyText);
    // The form again, with the email as typed, to send once more.
    const again = parseForm(refused.body, action);
    assert.equal(again?.action, action);
    assert.equal(again?.fields['email'], demo.contosoHelper);
    assert.ok(!t.logLines.some((l) => l.includes('"sign-in refused"')), 'no password was checked');
    assert.ok(t.logLines.some((l) => l.includes('"sign-ins refused: overloaded"')), 'the operator sees the refusals');
    assert.equal(await overloadedHttpRefusals(), refusedBefore + 1);

    overload.set(false);
    const signedIn = await httpsRequest(action, t.caPem, { form: { email: demo.contosoHelper, password: demoPassword } }, jar);
    assert.equal(signedIn.status, 303, alertText(signedIn.body));
    // On to the authorization's end: the console receives its code.
    let res = await httpsRequest(signedIn.location!, t.caPem, {}, jar);
    for (let hops = 0; res.location && hops < 5; hops++) res = await httpsRequest(res.location, t.caPem, {}, jar);
    const posted = parseForm(res.body, t.url);
    assert.ok(posted?.action.startsWith(loopbackRedirect), 'the code is posted back to the console');
    assert.ok(posted?.fields['code'], 'with an authorization code');
  });

  it('lets a sign-in past its password finish: the verification code is checked while the node sheds', async () => {
    const { action, jar } = await passwordForm(demoMfaUsers.helper.upn);
    const codeStep = await httpsRequest(action, t.caPem, { form: { email: demoMfaUsers.helper.upn, password: demoPassword } }, jar);
    const codeForm = parseForm(codeStep.body, action);
    assert.match(codeStep.body, /name="code"/, 'the provider asks for the verification code');

    overload.set(true);
    const done = await httpsRequest(codeForm!.action, t.caPem, { form: { code: totpCode(demoMfaUsers.helper.totpSecret, Date.now()) } }, jar);
    assert.equal(done.status, 303, alertText(done.body));
  });

  it('answers the web email step 503 overloaded in the page\'s language, keeping what was typed, then takes it', async () => {
    const refusedBefore = await overloadedHttpRefusals();
    const jar = new CookieJar();
    const start = await httpsRequest(`${t.url}/auth/signin?returnTo=%2Frhh`, t.caPem, {}, jar);
    const form = parseForm(start.body, `${t.url}/auth/signin`)!;
    const filled = { ...form.fields, email: demo.contosoSharer };

    overload.set(true);
    const refused = await httpsRequest(form.action, t.caPem, { form: filled, headers: { 'accept-language': 'sv' } }, jar);
    assert.equal(refused.status, 503);
    assert.equal(refused.headers['retry-after'], '5');
    assert.equal(alertText(refused.body), busyTextSv);
    const again = parseForm(refused.body, form.action);
    assert.equal(again?.fields['email'], demo.contosoSharer);
    assert.equal(again?.fields['returnTo'], '/rhh');
    assert.equal(refused.location, undefined, 'no provider was asked');
    assert.equal(await overloadedHttpRefusals(), refusedBefore + 1);

    overload.set(false);
    const taken = await httpsRequest(again.action, t.caPem, { form: again.fields }, jar);
    assert.ok(taken.location?.startsWith(`${t.url}/${demoTenants.contoso.id}/v2.0/auth?`), `on to the provider (${taken.status})`);
  });
});
