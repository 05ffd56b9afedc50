// Conditional access written in the console and enforced by the relay: a report-only rule is only
// recorded; "require compliant device" refuses a sharer on an unenrolled browser at join, and one on a
// browser enrolled with made-up compliant properties until an administrator approves it; "require MFA"
// refuses a helper who signed in with a password only, and lets one with a verification code through.
// The rules accumulate in this file's one system, so the order matters: each rule is added after the
// sessions it must not affect.
import { demoMfaUsers } from '#relay/identity/index.js';
import { useSystem } from '../support/e2e.js';
import {
  expectFramesAdvancing, expectSessionEnded, expectTrustScreenShows, sharerAnswers, sharerConnects, sharerOpensLink,
  sharerOpensLinkAndConnects, step, users, webHelperGetsCode, webHelperNewCode,
} from './flows.js';
import { adminApprovesDevice, adminCreatesRule, expectRefusal, sharerEnrolls, webHelperIsRefused } from './policy-flows.js';
import { demoUsers } from '#relay/directory/demo-data.js';

describe('end to end: conditional access rules from the admin view', function () {
  this.timeout(180_000);
  const e2e = useSystem();

  it('a report-only "Block" rule refuses nobody: the session proceeds to the shared screen', async () => {
    const admin = await e2e.person('admin');
    const helper = await e2e.person('helper');
    const sharer = await e2e.person('sharer');
    await adminCreatesRule(admin, e2e.system, { name: 'Trial: block everyone', appliesTo: 'Helpers and sharers', grant: 'Block', mode: 'Report-only' });

    const { link } = await webHelperGetsCode(helper, e2e.system);
    await sharerOpensLinkAndConnects(sharer, link);
    await expectTrustScreenShows(helper, 'helper', { ...demoUsers.contosoSharer, domain: 'contoso.example' });
    await sharerAnswers(sharer, 'Allow');
    await expectFramesAdvancing(helper);
  });

  it('"Sharers need a compliant device": a sharer on an unenrolled browser is refused at Connect with the rule and the remedy; the helper is told', async () => {
    const admin = await e2e.person('admin');
    const helper = await e2e.person('helper');
    const sharer = await e2e.person('sharer');
    await adminCreatesRule(admin, e2e.system, { name: 'Sharers need a compliant device', appliesTo: 'Sharers', grant: 'Require compliant device', mode: 'On' });

    const { link } = await webHelperGetsCode(helper, e2e.system);
    await sharerOpensLinkAndConnects(sharer, link);
    await expectRefusal(sharer, 'sharer', [
      'Your organization requires a compliant device for this session.',
      'Blocked by the rule “Sharers need a compliant device”',
      'Use a compliant device.',
    ]);
    await step(sharer, 'the refused sharer is not asked to allow anything', async () => {
      const allow = await sharer.getByRole('button', { name: 'Allow', exact: true }).count();
      if (allow > 0) throw new Error('the refused sharer is shown "Allow"');
    });
    await expectSessionEnded(helper, 'helper');
    await step(helper, 'helper is told the access policy did not allow the sharer to join', () =>
      helper.getByText(/access policy did not allow .* to join this session/).first().waitFor());
  });

  it('"Sharers need a compliant device": a browser enrolled under a made-up name with made-up compliant properties is refused until an administrator approves it, then passes', async () => {
    const admin = await e2e.person('admin');
    const helper = await e2e.person('helper');
    const sharer = await e2e.person('sharer');
    const madeUp = { name: 'CEO-LAPTOP', platform: 'Windows', osVersion: '10.0.26100', diskEncryption: true, firewall: true };
    const result = await sharerEnrolls(sharer, e2e.system, madeUp);
    await step(sharer, 'the enrollment result says "Compliant", self-reported and awaiting approval', async () => {
      await result.getByText('Compliant', { exact: true }).waitFor();
      await result.getByText('Awaiting approval:', { exact: false }).waitFor();
      await result.getByText('Self-reported:', { exact: false }).waitFor();
    });

    const first = await webHelperGetsCode(helper, e2e.system);
    // The same browser, holding the device key, already signed in from /enroll.
    await sharerOpensLink(sharer, first.link);
    await sharerConnects(sharer);
    await expectRefusal(sharer, 'sharer', [
      'Your organization requires a compliant device for this session.',
      'Blocked by the rule “Sharers need a compliant device”',
      'This device waits for an administrator’s approval. Ask your administrator to approve it.',
    ]);
    await expectSessionEnded(helper, 'helper');

    await adminApprovesDevice(admin, e2e.system, madeUp.name);
    await step(sharer, 'sharer revisits /enroll and reads "Approved by an administrator."', async () => {
      await sharer.goto(`${e2e.system.relayUrl}/enroll`);
      await sharer.getByText('Approved by an administrator.', { exact: true }).waitFor();
    });

    const second = await webHelperNewCode(helper, e2e.system);
    await sharerOpensLink(sharer, second.link);
    await sharerConnects(sharer);
    await expectTrustScreenShows(helper, 'helper', { ...demoUsers.contosoSharer, domain: 'contoso.example' });
    await step(helper, `helper's trust screen names "${madeUp.name}", marked "Self-reported", no longer awaiting approval`, async () => {
      const line = helper.locator('rh-trust-card dd.device').filter({ hasText: madeUp.name });
      await line.getByText('Self-reported', { exact: true }).waitFor();
      if (await line.getByText('Awaiting approval').count()) throw new Error('the approved device is still shown "Awaiting approval"');
    });
    await sharerAnswers(sharer, 'Allow');
    await expectFramesAdvancing(helper);
  });

  it('"Helpers need MFA": a helper signed in with a password only is refused with the rule and the remedy; a helper who signs in with a verification code gets a code', async () => {
    const admin = await e2e.person('admin');
    const helper = await e2e.person('helper');
    const mfaHelper = await e2e.person('MFA helper');
    await adminCreatesRule(admin, e2e.system, { name: 'Helpers need MFA', appliesTo: 'Helpers', grant: 'Require MFA', mode: 'On' });

    await webHelperIsRefused(helper, e2e.system, users.helper, [
      'Your organization requires multi-factor authentication for this session.',
      'Blocked by the rule “Helpers need MFA”',
      'Sign in again with multi-factor authentication.',
    ]);
    await webHelperGetsCode(mfaHelper, e2e.system, demoMfaUsers.helper.upn, { totpSecret: demoMfaUsers.helper.totpSecret });
  });
});
