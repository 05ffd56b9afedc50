// The relay's own pages (the provider's sign-in, verification code and sign-out pages, the email step,
// the message pages) in the person's language (issue 10): the browser's Accept-Language picks it, the
// page's "Language" picker (?lang=) overrides it and is remembered in the rh-locale cookie; <html lang
// dir> follows (Arabic right to left). And the organization's look: branding set through the admin API
// shows on its sign-in pages (logo, name, accent colour), in /auth/me and /auth/realm; bad branding is
// refused with `validation` and changes nothing.
import assert from 'node:assert/strict';
import type { TenantSettingsView, WebSessionInfo, RealmInfo } from '#protocol';
import { demoTenants } from '#relay/directory/index.js';
import { demoMfaUsers } from '#relay/identity/index.js';
import { demoPassword } from '../../support/sign-in-page.js';
import { alertText, CookieJar, decodeEntities, httpsRequest, parseForm, type HttpsResponse } from '../../support/https-fetch.js';
import { inLocale } from '../../support/catalogue.js';
import { consoleAuthorizeUrl, loopbackRedirect, pkcePair, walkSignIn, webSignIn } from '../../support/sign-in.js';
import { adminCall, errorCode } from '../../support/policy-calls.js';
import { demo, startTestRelay, valueOf, type TestRelay } from '../../support/relay.js';

const contoso = demoTenants.contoso.id;
const locales = [['sv', 'sv-SE,sv;q=0.9,en;q=0.5'], ['ja', 'ja-JP,ja;q=0.9'], ['zh-Hans', 'zh-CN,zh;q=0.9'], ['ar', 'ar-EG,ar;q=0.9']] as const;
const pngLogo = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';

/** The provider's sign-in page, reached as the console reaches it (authorize → interaction), asking in `headers`. */
async function signInPage(t: TestRelay, headers: Record<string, string> = {}, jar = new CookieJar(), email: string = demo.contosoHelper): Promise<{ res: HttpsResponse; url: string; jar: CookieJar }> {
  let url = consoleAuthorizeUrl(t.url, contoso, email, pkcePair().challenge);
  let res = await httpsRequest(url, t.caPem, { headers }, jar);
  while (res.location) {
    url = new URL(res.location, url).href;
    res = await httpsRequest(url, t.caPem, { headers }, jar);
  }
  return { res, url, jar };
}

/** The provider's sign-out page, for a browser signed in there (without a session, there is nothing to confirm). */
async function signOutPage(t: TestRelay, headers: Record<string, string> = {}): Promise<{ res: HttpsResponse; url: string; jar: CookieJar }> {
  const jar = new CookieJar();
  const walked = await walkSignIn({
    authorizeUrl: consoleAuthorizeUrl(t.url, contoso, demo.contosoSharer, pkcePair().challenge),
    email: demo.contosoSharer, password: demoPassword, ca: t.caPem, redirectUri: loopbackRedirect, jar,
  });
  assert.ok(walked.ok, 'signed in at the provider');
  const url = `${t.url}/${contoso}/v2.0/session/end`;
  const res = await httpsRequest(url, t.caPem, { headers }, jar);
  assert.equal(res.status, 200, res.body.slice(0, 300));
  return { res, url, jar };
}

const htmlLang = (body: string): { lang: string | undefined; dir: string | undefined } => {
  const tag = /<html\b[^>]*>/.exec(body)?.[0] ?? '';
  return { lang: /\slang="([^"]*)"/.exec(tag)?.[1], dir: /\sdir="([^"]*)"/.exec(tag)?.[1] };
};
/** The text of a label, by the id of its control. */
const labelOf = (body: string, id: string): string | undefined => {
  const m = new RegExp(`<label for="${id}">([^<]*)</label>`).exec(body);
  return m ? decodeEntities(m[1]!) : undefined;
};
const buttons = (body: string): string[] => [...body.matchAll(/<button\b[^>]*>([^<]*)<\/button>/g)].map((m) => decodeEntities(m[1]!));
const title = (body: string): string => decodeEntities(/<title>([^<]*)<\/title>/.exec(body)?.[1] ?? '');
const heading = (body: string): string => decodeEntities(/<h1>([^<]*)<\/h1>/.exec(body)?.[1] ?? '');

function assertInLocale(body: string, locale: string): void {
  assert.deepEqual(htmlLang(body), { lang: locale, dir: locale === 'ar' ? 'rtl' : 'ltr' });
  assert.equal(labelOf(body, 'rh-language'), inLocale(locale, 'Language'), 'every page has the Language picker');
  assert.match(body, /<select id="rh-language" name="lang">/);
  assert.match(body, new RegExp(`<option value="${locale}" lang="${locale}" selected>`));
}

describe('the relay\'s server pages: languages and the organization\'s look', function () {
  this.timeout(120_000);
  let t: TestRelay;
  before(async () => {
    t = await startTestRelay();
  });
  after(async () => t?.stop());

  it('speaks English without Accept-Language, with the design system\'s stylesheets and the product header', async () => {
    const { res } = await signInPage(t);
    assert.equal(res.status, 200);
    assertInLocale(res.body, 'en');
    assert.equal(labelOf(res.body, 'email'), 'Email');
    assert.equal(labelOf(res.body, 'password'), 'Password');
    assert.deepEqual(buttons(res.body).slice(0, 2), ['Sign in', 'Cancel']);
    assert.match(res.body, /<link rel="stylesheet" href="\/assets\/tokens\.css"><link rel="stylesheet" href="\/assets\/page\.css">/);
    assert.match(res.body, /<header class="rh-header"><div class="rh-brand"><span class="rh-product">Remote Help<\/span>/);
    assert.doesNotMatch(res.body, /<style>/, 'no inline stylesheet');
    // The page's own form comes first (the picker's form is at the foot).
    assert.match(parseForm(res.body, t.url)?.action ?? '', /\/interaction\/[\w-]+\/login$/);
  });

  for (const [locale, acceptLanguage] of locales) {
    const tr = (english: string) => inLocale(locale, english);
    const headers = { 'accept-language': acceptLanguage };

    it(`${locale}: the provider's sign-in and verification-code pages follow Accept-Language`, async () => {
      const { res, jar } = await signInPage(t, headers);
      assertInLocale(res.body, locale);
      assert.equal(labelOf(res.body, 'email'), tr('Email'));
      assert.equal(labelOf(res.body, 'password'), tr('Password'));
      assert.equal(heading(res.body), tr('Sign in'));
      assert.deepEqual(buttons(res.body), [tr('Sign in'), tr('Cancel'), tr('Change language')]);
      assert.ok(title(res.body).includes('Contoso'));

      const login = parseForm(res.body, t.url)!;
      // An email of its own per language: wrong passwords for one account from one address are slowed
      // after three (sign-in-limits.ts), and this is about the words, not the limit.
      const wrong = await httpsRequest(login.action, t.caPem, { headers, form: { email: `${locale}.${demo.contosoHelper}`, password: 'not the password' } }, jar);
      assertInLocale(wrong.body, locale);
      assert.equal(alertText(wrong.body), tr('The email or password is not correct.'));

      const mfa = await signInPage(t, headers, new CookieJar(), demoMfaUsers.helper.upn);
      const form = parseForm(mfa.res.body, t.url)!;
      const code = await httpsRequest(form.action, t.caPem, { headers, form: { email: demoMfaUsers.helper.upn, password: demoPassword } }, mfa.jar);
      assertInLocale(code.body, locale);
      assert.equal(labelOf(code.body, 'code'), tr('Verification code'));
      assert.deepEqual(buttons(code.body), [tr('Verify'), tr('Cancel'), tr('Change language')]);
      assert.match(code.body, new RegExp(tr('Enter the 6-digit code from your authenticator app.').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
    });

    it(`${locale}: the email step, the sign-out page and the message pages follow Accept-Language`, async () => {
      const email = await httpsRequest(`${t.url}/auth/signin?returnTo=%2Frh`, t.caPem, { headers });
      assertInLocale(email.body, locale);
      assert.equal(labelOf(email.body, 'email'), tr('Email'));
      assert.deepEqual(buttons(email.body), [tr('Next'), tr('Change language')]);
      // The picker keeps the page's state: the same address, with returnTo.
      assert.match(email.body, /<form class="rh-language" method="get" action="\/auth\/signin">/);
      assert.match(email.body, /<input type="hidden" name="returnTo" value="\/rh">/);

      const unknown = await httpsRequest(`${t.url}/auth/signin`, t.caPem, { headers, form: { returnTo: '/rh', email: 'someone@unknown.example' } });
      assertInLocale(unknown.body, locale);
      assert.equal(labelOf(unknown.body, 'organization'), tr('Organization'));
      assert.ok(alertText(unknown.body)?.includes('unknown.example'));
      assert.notEqual(alertText(unknown.body), "No organization is set up for unknown.example. Check the email address, or enter your organization's domain.");

      const signOut = await signOutPage(t, headers);
      assertInLocale(signOut.res.body, locale);
      assert.equal(heading(signOut.res.body), tr('Sign out'));
      assert.deepEqual(buttons(signOut.res.body), [tr('Sign out'), tr('Stay signed in'), tr('Change language')]);
      const confirm = parseForm(signOut.res.body, signOut.url)!;
      let done = await httpsRequest(confirm.action, t.caPem, { headers, form: { ...confirm.fields, logout: 'yes' } }, signOut.jar);
      while (done.location) done = await httpsRequest(new URL(done.location, t.url).href, t.caPem, { headers }, signOut.jar);
      assertInLocale(done.body, locale);
      assert.equal(heading(done.body), tr('Signed out'));

      const expired = await httpsRequest(`${t.url}/auth/callback`, t.caPem, { headers, form: { state: 'nope', code: 'nope' } });
      assert.equal(expired.status, 400);
      assertInLocale(expired.body, locale);
      assert.equal(heading(expired.body), tr('Sign-in expired'));
      assert.match(expired.body, new RegExp(`<a href="/auth/signin">${tr('Sign in')}</a>`));

      const gone = await httpsRequest(`${t.url}/${contoso}/v2.0/interaction/no-such-interaction`, t.caPem, { headers });
      assertInLocale(gone.body, locale);
      assert.equal(heading(gone.body), tr('Sign-in expired'));
      assert.ok(gone.body.includes(tr('This sign-in page has expired. Go back to the app and sign in again.')));
    });
  }

  it('takes ?lang= over Accept-Language and remembers it in the rh-locale cookie, which then wins too', async () => {
    const chosen = await httpsRequest(`${t.url}/auth/signin?returnTo=%2Frhh&lang=ja`, t.caPem, { headers: { 'accept-language': 'sv-SE' } });
    assertInLocale(chosen.body, 'ja');
    const cookie = [chosen.headers['set-cookie'] ?? []].flat().find((c) => c.startsWith('rh-locale='));
    assert.ok(cookie, 'the choice is remembered');
    assert.match(cookie, /^rh-locale=ja; Path=\/; Max-Age=31536000; SameSite=Lax; Secure$/, 'site-wide, a year, readable by the web pages (not HttpOnly)');
    // The picker's state survives the switch: returnTo is still there, lang is not kept twice.
    assert.match(chosen.body, /<input type="hidden" name="returnTo" value="\/rhh">/);
    assert.doesNotMatch(chosen.body, /type="hidden" name="lang"/);

    const jar = new CookieJar();
    jar.store(cookie);
    const later = await signInPage(t, { 'accept-language': 'sv-SE' }, jar);
    assertInLocale(later.res.body, 'ja');
    // A POST keeps the language the cookie carries.
    jar.store('rh-locale=ar; Path=/');
    const form = parseForm(later.res.body, t.url)!;
    const wrong = await httpsRequest(form.action, t.caPem, { headers: { 'accept-language': 'sv-SE' }, form: { email: demo.contosoHelper, password: 'nope' } }, jar);
    assertInLocale(wrong.body, 'ar');

    // The provider's sign-out page takes the picker's ?lang= too (its own parameters are kept by the picker).
    const signOut = await signOutPage(t, { 'accept-language': 'sv' });
    const switched = await httpsRequest(`${signOut.url}?lang=ar`, t.caPem, { headers: { 'accept-language': 'sv' } }, signOut.jar);
    assert.equal(switched.status, 200);
    assertInLocale(switched.body, 'ar');
    assert.equal(heading(switched.body), inLocale('ar', 'Sign out'));

    const lang = await signInPage(t, { 'accept-language': 'ja' });
    const picked = await httpsRequest(`${lang.url}?lang=zh-Hans`, t.caPem, { headers: { 'accept-language': 'ja' } }, lang.jar);
    assertInLocale(picked.body, 'zh-Hans');
    assert.equal(labelOf(picked.body, 'password'), inLocale('zh-Hans', 'Password'));
  });

  it('matches Accept-Language by language and weight: sv-SE is sv, zh-TW falls back to English, q orders', async () => {
    const cases: [string, string][] = [['sv-SE', 'sv'], ['zh-TW, zh;q=0.1', 'zh-Hans'], ['zh-TW', 'en'], ['fr-FR, ar;q=0.8, ja;q=0.9', 'ja'], ['de', 'en'], ['zh-Hans-CN', 'zh-Hans']];
    for (const [header, locale] of cases) {
      const res = await httpsRequest(`${t.url}/auth/signin`, t.caPem, { headers: { 'accept-language': header } });
      assert.equal(htmlLang(res.body).lang, locale, header);
    }
  });

  describe('branding', () => {
    let admin: string;
    let before: TenantSettingsView;
    beforeEach(async () => {
      admin = await t.token(demo.contosoAdmin);
      before = valueOf((await adminCall<TenantSettingsView>(t, admin, 'getSettings', {})).ack);
    });
    afterEach(async () => {
      valueOf((await adminCall(t, admin, 'updateSettings', { ...before, branding: { organizationName: '', logo: '', accentColor: '' } })).ack);
    });

    it('demo tenants have none: the product\'s look, the tenant\'s name', async () => {
      assert.deepEqual(before.branding, { organizationName: '', logo: '', accentColor: '' });
      const { res } = await signInPage(t);
      assert.match(htmlLang(res.body).dir ?? '', /ltr/);
      assert.doesNotMatch(/<html\b[^>]*>/.exec(res.body)?.[0] ?? '', /style=/);
      assert.doesNotMatch(res.body, /class="rh-logo"/);
      assert.match(res.body, /<span class="rh-organization"><span dir="auto">Contoso<\/span><\/span>/);
    });

    it('set through the admin API: logo, name and accent on the sign-in pages, in /auth/realm and /auth/me, and on the trust profile', async () => {
      const branding = { organizationName: 'Contoso Health', logo: pngLogo, accentColor: '#ffd700' };
      const saved = valueOf((await adminCall<TenantSettingsView>(t, admin, 'updateSettings', { ...before, branding })).ack);
      assert.deepEqual(saved.branding, branding);
      assert.deepEqual(valueOf((await adminCall<TenantSettingsView>(t, admin, 'getSettings', {})).ack).branding, branding);

      const { res } = await signInPage(t, { 'accept-language': 'sv' });
      // A light accent gets near-black text; the focus ring takes the accent too.
      assert.match(/<html\b[^>]*>/.exec(res.body)?.[0] ?? '', /style="--rh-color-accent:#ffd700;--rh-color-on-accent:#1b1c20;--rh-color-focus:#ffd700"/);
      // The logo's text alternative is in the page's language too ("{name} logo" in Swedish).
      assert.ok(res.body.includes(`<img class="rh-logo" src="${pngLogo}" alt="Logotyp för Contoso Health">`));
      assert.match(res.body, /<span dir="auto">Contoso Health<\/span>/);
      assert.ok(title(res.body).includes('Contoso Health'));

      const signOut = (await signOutPage(t)).res;
      assert.match(signOut.body, /alt="Contoso Health logo"/);
      assert.ok(signOut.body.includes('Sign out of Contoso Health on this browser?'));

      // The email step, once the email names the tenant.
      const step = await httpsRequest(`${t.url}/auth/signin?email=${encodeURIComponent(demo.contosoSharer)}`, t.caPem);
      assert.match(step.body, /alt="Contoso Health logo"/);

      const realm = JSON.parse((await httpsRequest(`${t.url}/auth/realm?email=${demo.contosoSharer}`, t.caPem)).body) as RealmInfo;
      assert.equal(realm.tenantName, 'Contoso Health');
      assert.deepEqual(realm.look, { name: 'Contoso Health', logo: pngLogo, accentColor: '#ffd700' });

      const cookie = await webSignIn(t.url, demo.contosoSharer, demoPassword, t.caPem, '/rh');
      const me = JSON.parse((await httpsRequest(`${t.url}/auth/me`, t.caPem, { headers: { cookie } })).body) as WebSessionInfo;
      assert.equal(me.tenantName, 'Contoso Health');
      assert.deepEqual(me.look, { name: 'Contoso Health', logo: pngLogo, accentColor: '#ffd700' });

      const sharer = (await t.directory.userByUpn(demo.contosoSharer))!;
      assert.equal((await t.directory.profile(contoso, sharer.oid))?.tenantName, 'Contoso Health', 'the trust screen names the organization as branded');

      // Settings sent without branding keep it.
      const { branding: _dropped, ...withoutBranding } = saved;
      const kept = valueOf((await adminCall<TenantSettingsView>(t, admin, 'updateSettings', { ...withoutBranding, chatEnabled: saved.chatEnabled })).ack);
      assert.deepEqual(kept.branding, branding);

      // A dark accent gets white text.
      valueOf((await adminCall(t, admin, 'updateSettings', { ...before, branding: { ...branding, accentColor: '#0b3d91' } })).ack);
      const dark = await signInPage(t);
      assert.match(/<html\b[^>]*>/.exec(dark.res.body)?.[0] ?? '', /--rh-color-on-accent:#ffffff/);
    });

    it('refuses a bad logo or colour with validation, and changes nothing', async () => {
      const bad = [
        { organizationName: 'X', logo: 'https://evil.example/logo.png', accentColor: '' },
        { organizationName: 'X', logo: 'data:text/html;base64,PHNjcmlwdD4=', accentColor: '' },
        { organizationName: 'X', logo: `data:image/png;base64,${'A'.repeat(90_000)}`, accentColor: '' },
        { organizationName: 'X', logo: '', accentColor: 'red' },
        { organizationName: 'X', logo: '', accentColor: '#12345' },
        { organizationName: 'x'.repeat(101), logo: '', accentColor: '' },
        { organizationName: 'X', logo: '', accentColor: '', extra: 1 },
      ];
      for (const branding of bad) {
        const { status, ack } = await adminCall(t, admin, 'updateSettings', { ...before, remoteHelpEnabled: !before.remoteHelpEnabled, branding });
        assert.equal(status, 400, JSON.stringify(branding).slice(0, 80));
        assert.equal(errorCode(ack), 'validation');
        assert.ok(!ack.ok && /branding/.test(ack.error.message), `the message names the field: ${!ack.ok && ack.error.message}`);
      }
      const after = valueOf((await adminCall<TenantSettingsView>(t, admin, 'getSettings', {})).ack);
      assert.deepEqual(after, before, 'nothing changed');
    });
  });
});
