// The ways a session does not happen, and what each person is told: the sharer denies, the code is
// wrong, the sharer belongs to another organization (told as a wrong code: a guess learns nothing).
import { randomInt } from 'node:crypto';
import { useSystem } from '../support/e2e.js';
import {
  expectFramesAdvancing, expectSessionEnded, sharedScreen, sharerAnswers, sharerConnects, sharerOpensLinkAndConnects,
  step, users, webHelperGetsCode,
} from './flows.js';
import { signInOnWebPage } from '../support/sign-in-page.js';
import assert from 'node:assert/strict';
import { securityCodeAlphabet } from '#protocol';

/** A well-formed code nobody issued (the odds of hitting a live one are about 2^-41). */
/** A well-formed code (Crockford base32) that no session has: the relay's answer is code-invalid. */
function unissuedCode(): string {
  return Array.from({ length: 8 }, () => securityCodeAlphabet[randomInt(securityCodeAlphabet.length)]).join('');
}

describe('end to end: refusals, and what each side is told', function () {
  this.timeout(120_000);
  const e2e = useSystem({ console: false }); // the web pages only: no console needed

  it('sharer clicks "Deny": the helper is told the request was declined, and no screen is shared', async () => {
    const helper = await e2e.person('helper');
    const sharer = await e2e.person('sharer');
    const { link } = await webHelperGetsCode(helper, e2e.system);
    await sharerOpensLinkAndConnects(sharer, link);
    await sharerAnswers(sharer, 'Deny');
    await expectSessionEnded(helper, 'helper');
    await step(helper, 'helper is told the request was declined', () => helper.getByText(/declined the request/).first().waitFor());
    await step(sharer, 'sharer sees that they declined', () => sharer.getByText(/You declined/).first().waitFor());
    const frames = await sharedScreen(helper).count();
    assert.equal(frames, 0, 'the helper shows a "Shared screen" video although the sharer denied');
  });

  it('a wrong code: the sharer is told the code is not valid, and can still join with the right one', async () => {
    const helper = await e2e.person('helper');
    const sharer = await e2e.person('sharer');
    const { code } = await webHelperGetsCode(helper, e2e.system);
    await step(sharer, `sharer opens ${e2e.system.sharerUrl}`, () => sharer.goto(e2e.system.sharerUrl));
    await step(sharer, 'sharer signs in on /rh', () => signInOnWebPage(sharer, users.sharer));
    await sharerConnects(sharer, unissuedCode());
    await step(sharer, 'sharer is told the security code is not valid', () => sharer.getByText(/security code is not valid/i).first().waitFor());
    await sharerConnects(sharer, code);
    await sharerAnswers(sharer, 'Allow');
    await expectFramesAdvancing(helper);
  });

  it('a Fabrikam sharer with a Contoso code: told the code is not valid, as for a code nobody has', async () => {
    const helper = await e2e.person('helper');
    const sharer = await e2e.person('sharer');
    const { link } = await webHelperGetsCode(helper, e2e.system);
    await sharerOpensLinkAndConnects(sharer, link, users.fabrikamSharer);
    await step(sharer, 'Fabrikam sharer is told the security code is not valid', () =>
      sharer.getByText(/security code is not valid/i).first().waitFor());
    await step(helper, 'helper still waits with the code (no trust screen for a refused sharer)', async () => {
      await helper.getByLabel('Security code', { exact: true }).first().waitFor();
      assert.equal(await helper.getByText('Sofia Romero').count(), 0, 'the helper was shown the Fabrikam sharer');
    });
  });
});
