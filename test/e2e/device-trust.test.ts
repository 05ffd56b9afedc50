// Device trust through the real pages: the sharer enrolls this browser on /enroll (its key stays in
// the browser profile) with disk encryption off; joining from that browser, it proves the key, and
// the helper's trust screen names the device, marks it self-reported and awaiting approval, and warns
// that it is not compliant, with the reason.
// Another browser, never enrolled, gets the "not enrolled" warning instead.
import assert from 'node:assert/strict';
import { demoUsers } from '#relay/directory/demo-data.js';
import { useSystem } from '../support/e2e.js';
import { expectTrustScreenShows, sharerConnects, sharerOpensLink, sharerOpensLinkAndConnects, step, webHelperGetsCode, webHelperNewCode } from './flows.js';
import { sharerEnrolls } from './policy-flows.js';

const sharerPerson = { ...demoUsers.contosoSharer, domain: 'contoso.example' };
const laptop = { name: 'SOFIA-HOME-LAPTOP', platform: 'Linux', osVersion: '6.12', diskEncryption: false, firewall: true };

describe('end to end: device trust (enrollment, proof at join, compliance warnings)', function () {
  this.timeout(180_000);
  const e2e = useSystem({ console: false }); // the web pages only: no console needed

  it('an enrolled, non-compliant browser: the helper sees the device by name and why it is not compliant; another, unenrolled browser is warned about as not enrolled', async () => {
    const helper = await e2e.person('helper');
    const sharer = await e2e.person('sharer');

    const result = await sharerEnrolls(sharer, e2e.system, laptop);
    await step(sharer, 'the enrollment result says "Not compliant" with the reason "Disk encryption is off"', async () => {
      await result.getByText('Not compliant', { exact: true }).waitFor();
      await result.getByRole('list', { name: 'Reasons' }).getByText('Disk encryption is off', { exact: true }).waitFor();
    });
    assert.equal(await result.getByText('Firewall is off').count(), 0, 'the result says the firewall is off, though the sharer reported it on');
    await step(sharer, 'the enrollment result says the device is self-reported and awaits an administrator\'s approval', async () => {
      await result.getByText('Awaiting approval: an administrator must approve this device', { exact: false }).waitFor();
      await result.getByText('Self-reported: its name and properties come from this browser alone', { exact: false }).waitFor();
    });

    const { link } = await webHelperGetsCode(helper, e2e.system);
    // The same browser (same profile, holding the device key), already signed in from /enroll.
    await sharerOpensLink(sharer, link);
    await sharerConnects(sharer);
    await expectTrustScreenShows(helper, 'helper', sharerPerson);
    await step(helper, `helper's trust screen names the device "${laptop.name}"`, () => helper.getByText(laptop.name, { exact: true }).first().waitFor());
    await step(helper, 'helper sees the warning that the device is not compliant, with the reason "Disk encryption is off"', async () => {
      const warning = helper.getByRole('alert').filter({ hasText: 'This device is not compliant' }).first();
      await warning.waitFor();
      await warning.getByText('Disk encryption is off', { exact: true }).waitFor();
    });
    await step(helper, 'helper sees the device marked "Self-reported" and "Awaiting approval", with a warning that it awaits approval', async () => {
      const line = helper.locator('rh-trust-card dd.device').filter({ hasText: laptop.name });
      await line.getByText('Self-reported', { exact: true }).waitFor();
      await line.getByText('Awaiting approval', { exact: true }).waitFor();
      await helper.getByRole('alert').filter({ hasText: 'This device awaits an administrator’s approval' }).first().waitFor();
    });
    const notEnrolled = await helper.getByRole('alert').filter({ hasText: /not enrolled/i }).count();
    assert.equal(notEnrolled, 0, 'the helper is warned the device is not enrolled, though the sharer joined from the enrolled browser');

    // A live session comes back when its page is opened again (issue 9): the helper ends it first.
    await step(helper, 'helper clicks "End session"', () => helper.getByRole('button', { name: 'End session' }).first().click());
    const other = await e2e.person('sharer on another browser');
    const second = await webHelperNewCode(helper, e2e.system);
    await sharerOpensLinkAndConnects(other, second.link);
    await expectTrustScreenShows(helper, 'helper', sharerPerson);
    await step(helper, 'for the other, unenrolled browser the helper sees "This device is not enrolled"', () =>
      helper.getByRole('alert').filter({ hasText: 'This device is not enrolled' }).first().waitFor());
    assert.equal(await helper.getByText(laptop.name, { exact: true }).count(), 0, `the helper is shown "${laptop.name}" for a browser that never enrolled`);
  });
});
