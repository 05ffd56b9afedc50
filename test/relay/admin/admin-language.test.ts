// The admin API answers in the administrator's language (issue 10): the console sends its own language
// as Accept-Language, and the relay writes its refusals, a file's problems and their remedies from the
// same catalogues as every other text. Without a language it speaks English; one it does not speak
// falls back to English too.
import assert from 'node:assert/strict';
import type { Ack, LineProblem } from '#protocol';
import { demoTenants } from '#relay/directory/index.js';
import { inLocale, inLocaleWith } from '../../support/catalogue.js';
import { adminCall, errorCode } from '../../support/policy-calls.js';
import { demo, startTestRelay, type TestRelay } from '../../support/relay.js';

const contoso = demoTenants.contoso.id;
const header = 'upn,name,jobTitle,company,roles';
const messageOf = (ack: Ack<unknown>): string => (ack.ok ? '' : ack.error.message);
const problemsOf = (ack: Ack<unknown>): LineProblem[] => (ack.ok ? [] : ack.error.problems ?? []);

describe('the admin API in the administrator\u2019s language', function () {
  this.timeout(60_000);
  let t: TestRelay;
  let admin: string;
  const callIn = (acceptLanguage: string | undefined, method: string, args: unknown, token = admin) =>
    adminCall(t, token, method, args, acceptLanguage ? { 'accept-language': acceptLanguage } : {});

  before(async () => {
    t = await startTestRelay();
    admin = await t.token(demo.contosoAdmin);
  });
  after(async () => t?.stop());

  const languages: [string | undefined, string][] = [[undefined, 'en'], ['sv-SE,sv;q=0.9,en;q=0.5', 'sv'], ['ar-EG,ar;q=0.9', 'ar']];

  for (const [acceptLanguage, locale] of languages) {
    it(`refuses a user at a domain that is not verified in ${locale} (Accept-Language: ${acceptLanguage ?? 'none'})`, async () => {
      const upn = 'someone@elsewhere.example';
      const { status, ack } = await callIn(acceptLanguage, 'addUser', { upn, name: 'Someone' });
      assert.deepEqual([status, errorCode(ack)], [400, 'validation']);
      const tenant = (await t.directory.tenant(contoso))!;
      const expected = inLocaleWith(locale, '{0} is not at a verified domain of {1} ({2}).', upn, tenant.name, tenant.verifiedDomains.join(', '));
      assert.equal(messageOf(ack), expected);
      if (locale === 'en') assert.match(messageOf(ack), /^someone@elsewhere\.example is not at a verified domain of Contoso/);
      assert.equal(await t.directory.userByUpn(upn), undefined);
    });

    it(`lists a refused file's problems by line in ${locale}`, async () => {
      const csv = [header, 'ok.person@contoso.example,Ok Person,,,', 'ghost@contoso.example,Ghost,,,Ghost Role', 'short@contoso.example,Short'].join('\n');
      const { status, ack } = await callIn(acceptLanguage, 'importUsers', { csv });
      assert.deepEqual([status, errorCode(ack)], [400, 'validation']);
      assert.equal(messageOf(ack), inLocaleWith(locale, 'Nothing was imported: {0} lines to fix.', 2));
      assert.deepEqual(problemsOf(ack), [
        { line: 3, message: inLocaleWith(locale, 'roles: no such role: {0}.', 'Ghost Role') },
        { line: 4, message: inLocaleWith(locale, 'It has {0} columns; the header has {1}.', 2, 5) },
      ]);
      const empty = await callIn(acceptLanguage, 'importUsers', { csv: `${header}\n` });
      assert.equal(messageOf(empty.ack), inLocale(locale, 'Nothing was imported: 1 line to fix.'));
      assert.deepEqual(problemsOf(empty.ack), [{ line: 1, message: inLocale(locale, 'The file has a header but no users.') }]);
      assert.equal(await t.directory.userByUpn('ok.person@contoso.example'), undefined, 'nothing was imported');
    });
  }

  it('tells someone who is not an administrator so in their language', async () => {
    const helper = await t.token(demo.contosoHelper);
    const { status, ack } = await callIn('sv', 'listUsers', {}, helper);
    assert.deepEqual([status, errorCode(ack)], [403, 'admin-only']);
    assert.equal(messageOf(ack), inLocale('sv', 'Only a Remote Help Administrator can do this.'));
  });

  it('matches a regional tag to its language, and answers English for a language it does not speak', async () => {
    const chinese = await callIn('zh-CN', 'importUsers', { csv: `${header}\n` });
    assert.deepEqual(problemsOf(chinese.ack), [{ line: 1, message: inLocale('zh-Hans', 'The file has a header but no users.') }]);
    const german = await callIn('de-DE,fr;q=0.8', 'importUsers', { csv: `${header}\n` });
    assert.deepEqual(problemsOf(german.ack), [{ line: 1, message: 'The file has a header but no users.' }]);
    // The first language it speaks, in the header's order of preference.
    const japanese = await callIn('de;q=1,ja;q=0.9,sv;q=0.8', 'importUsers', { csv: `${header}\n` });
    assert.deepEqual(problemsOf(japanese.ack), [{ line: 1, message: inLocale('ja', 'The file has a header but no users.') }]);
  });
});
