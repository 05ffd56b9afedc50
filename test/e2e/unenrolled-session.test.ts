// The unenrolled way in (/rhh → code → /rh), with real sign-in on both sides and real frames; then
// what happens inside a session: chat both ways, and the end by either side.
import assert from 'node:assert/strict';
import { demoUsers } from '#relay/directory/demo-data.js';
import { dialogsSeen, useSystem } from '../support/e2e.js';
import {
  expectChatShows, expectFramesAdvancing, expectSessionEnded, framesOnScreen, expectTrustScreenShows, openUnenrolledSession, sendChat as send,
  readIssuedCode, sharerAnswers, sharerOpensLinkAndConnects, step, typeReason, users, webHelperGetsCode,
} from './flows.js';
import { countPeerConnections, peerConnectionsMade, readVerificationCode, recordVerificationCodes, verificationCodesSeen } from './verification-flows.js';
import { waitFor } from '../support/wait.js';
import { signInOnWebPage } from '../support/sign-in-page.js';

const helperPerson = { ...demoUsers.contosoHelper, domain: 'contoso.example' };
const sharerPerson = { ...demoUsers.contosoSharer, domain: 'contoso.example' };

describe('end to end: a session on an unenrolled device', function () {
  this.timeout(120_000);
  const e2e = useSystem({ console: false }); // the web pages only: no console needed

  it('helper gets a code on /rhh, sharer joins by the link, both see who the other is and the same Verification code, and after Allow the helper sees the screen on that connection', async () => {
    const helper = await e2e.person('helper');
    const sharer = await e2e.person('sharer');
    await countPeerConnections(helper);
    await countPeerConnections(sharer);
    const { code, link } = await webHelperGetsCode(helper, e2e.system);
    assert.match(link, new RegExp(`/rh\\?passcode=${code}$`), `the link shown to the helper is "${link}"`);

    await sharerOpensLinkAndConnects(sharer, link);
    await expectTrustScreenShows(sharer, 'sharer', helperPerson);
    await expectTrustScreenShows(helper, 'helper', sharerPerson);
    await step(helper, 'helper sees the warning that the device is not enrolled', async () => {
      const warning = helper.getByRole('alert').filter({ hasText: /not enrolled/i });
      await warning.first().waitFor();
    });
    // Before Allow: the connection is open and both pages read the same two certificates.
    const onSharer = await readVerificationCode(sharer, 'sharer');
    const onHelper = await readVerificationCode(helper, 'helper');
    assert.equal(onHelper, onSharer, 'the two trust screens show different verification codes with nobody in between');
    await step(sharer, 'sharer is told to compare the code and what to do if it differs', () =>
      sharer.getByText('Ask the helper to read their verification code aloud', { exact: false }).waitFor());

    await sharerAnswers(sharer, 'Allow');
    await expectFramesAdvancing(helper);
    // The screen came on the connection opened at join: no second connection on either side, same code.
    assert.equal(await peerConnectionsMade(helper), 1, 'the helper\'s page made another peer connection for the screen');
    assert.equal(await peerConnectionsMade(sharer), 1, 'the sharer\'s page made another peer connection for the screen');
    assert.equal(await readVerificationCode(helper, 'helper'), onHelper, 'the helper\'s code changed once sharing started');
    // A security code never reaches a log line (DESIGN §5).
    const leaked = e2e.system.relayLog.filter((l) => l.includes(code));
    assert.deepEqual(leaked, [], 'the security code appeared in the relay log');
  });

  it('a relay that puts its own fingerprint in the helper\'s answer is caught by the sharer: a warning, no code, and Allow sends nothing', async () => {
    const helper = await e2e.person('helper');
    const sharer = await e2e.person('sharer');
    const { link } = await webHelperGetsCode(helper, e2e.system);
    e2e.system.faults.tamperFingerprintOf = 'helper';
    try {
      await sharerOpensLinkAndConnects(sharer, link);
      await step(sharer, 'sharer is warned that the connection could not be verified, and sees no code', async () => {
        await sharer.getByRole('alert').filter({ hasText: 'This connection could not be verified.' }).waitFor({ timeout: 20_000 });
        assert.equal(await sharer.getByText(/^\d{3} \d{3}$/).count(), 0, 'the sharer sees a verification code for a connection that failed its check');
      });
      await step(helper, 'helper is told the sharer\'s page found someone may be in between, and sees no code', async () => {
        await helper.getByRole('alert').filter({ hasText: 'found that someone may be in between' }).waitFor({ timeout: 20_000 });
        assert.equal(await helper.getByText(/^\d{3} \d{3}$/).count(), 0, 'the helper still shows a code for a connection the sharer could not verify');
      });
      await sharerAnswers(sharer, 'Allow');
      await step(sharer, 'sharer is told the screen cannot be shared on this connection', () =>
        sharer.getByText('Your screen cannot be shared on this connection', { exact: false }).waitFor());
      assert.equal(await framesOnScreen(helper), 0, 'the helper received frames on a connection the sharer could not verify');
      assert.equal(await sharer.locator('rh-trust-card').count(), 1, 'Allow left the trust screen although the connection failed its check');
    } finally {
      delete e2e.system.faults.tamperFingerprintOf;
    }
    await sharerAnswers(sharer, 'Deny');
    await expectSessionEnded(helper, 'helper');
  });

  it('a relay that commits to a certificate of its own for the helper passes the sharer\'s check but not the people\'s: two different Verification codes', async () => {
    const helper = await e2e.person('helper');
    const sharer = await e2e.person('sharer');
    await recordVerificationCodes(helper);
    await recordVerificationCodes(sharer);
    const { link } = await webHelperGetsCode(helper, e2e.system);
    e2e.system.faults.substituteCertificateOf = 'helper';
    try {
      await sharerOpensLinkAndConnects(sharer, link);
      // DTLS then fails (the relay has no key for the certificate it committed to) and the pages try new
      // connections: every code each side showed, however briefly, is compared.
      let onSharer: string[] = [];
      await waitFor(async () => (onSharer = await verificationCodesSeen(sharer)).length > 0, 20_000, 'the sharer never saw a Verification code');
      const onHelper = await verificationCodesSeen(helper);
      assert.ok(onHelper.length > 0, 'the helper never saw a Verification code');
      assert.deepEqual(onSharer.filter((c) => onHelper.includes(c)), [], `the two pages showed the same code although the relay put its own certificate in between (sharer ${onSharer.join(', ')}; helper ${onHelper.join(', ')})`);
      assert.equal(await sharer.getByText('This connection could not be verified.').count(), 0, 'the relay kept its commitment, yet the sharer was warned of a broken one');
    } finally {
      delete e2e.system.faults.substituteCertificateOf;
    }
    await sharerAnswers(sharer, 'Deny');
    await expectSessionEnded(helper, 'helper');
  });

  it('a sharer\'s page that gets no ICE configuration makes no connection and says so, and the helper is told why no picture comes', async () => {
    const helper = await e2e.person('helper');
    const sharer = await e2e.person('sharer');
    const { link } = await webHelperGetsCode(helper, e2e.system);
    e2e.system.faults.refuseIceTo = 'sharer';
    try {
      await sharerOpensLinkAndConnects(sharer, link);
      await step(sharer, 'sharer is told the screen could not be connected', () =>
        sharer.getByText('The screen could not be connected', { exact: false }).waitFor({ timeout: 20_000 }));
      await step(helper, 'helper is told the sharer\'s page could not connect the screen, and to have them reload it', () =>
        helper.getByRole('alert').filter({ hasText: `${sharerPerson.name}'s page could not connect the screen` }).waitFor({ timeout: 20_000 }));
    } finally {
      delete e2e.system.faults.refuseIceTo;
    }
    await sharerAnswers(sharer, 'Deny');
    await expectSessionEnded(helper, 'helper');
  });

  it('the helper gives a reason on /rhh (one the relay would refuse is caught at the field): the sharer sees it, started from the web helper, before deciding', async () => {
    const helper = await e2e.person('helper');
    const sharer = await e2e.person('sharer');
    // A ticket number and a long run without spaces (a pasted URL): it wraps, the page does not scroll sideways.
    const reason = `INC-20417 printer on floor 3, see https://tickets.contoso.example/${'x'.repeat(120)}`;
    await step(helper, 'helper opens /rhh', () => helper.goto(e2e.system.webHelperUrl));
    await step(helper, 'helper signs in on /rhh', () => signInOnWebPage(helper, users.helper));
    await typeReason(helper, 'INC-\u202E4321'); // RIGHT-TO-LEFT OVERRIDE: the number would read backwards
    await step(helper, 'helper clicks "Get security code" and is told at the field what to change; no code is made', async () => {
      await helper.getByRole('button', { name: 'Get security code' }).click();
      await helper.getByRole('alert').filter({ hasText: 'text-direction' }).waitFor();
      assert.equal(await helper.getByLabel('Security code', { exact: true }).count(), 0, 'a code was shown for a refused reason');
    });
    await typeReason(helper, reason);
    await step(helper, 'helper clicks "Get security code"', () => helper.getByRole('button', { name: 'Get security code' }).click());
    const { link } = await readIssuedCode(helper);
    await sharerOpensLinkAndConnects(sharer, link);
    await step(sharer, 'sharer\'s trust screen shows the Reason and that it was Started from the web helper', async () => {
      const card = sharer.locator('rh-trust-card');
      await card.locator('dt', { hasText: 'Reason' }).waitFor({ timeout: 15_000 });
      await card.locator('dd.reason').getByText(reason, { exact: true }).waitFor();
      await card.locator('dt', { hasText: 'Started from' }).waitFor();
      await card.locator('dd.origin').getByText('The web helper', { exact: true }).waitFor();
      const widths = await sharer.evaluate('({ page: document.documentElement.scrollWidth, window: innerWidth })') as { page: number; window: number };
      assert.ok(widths.page <= widths.window, `the long reason makes the page ${widths.page} px wide in a ${widths.window} px window`);
      const line = await card.locator('dd.reason').evaluate((dd) => ({ text: dd.scrollWidth, box: dd.clientWidth }));
      assert.ok(line.text <= line.box, `the reason runs ${line.text - line.box} px out of its place on the card`);
    });
    await step(helper, 'helper\'s trust screen shows the same reason', () =>
      helper.locator('rh-trust-card dd.reason').getByText(reason, { exact: true }).waitFor({ timeout: 15_000 }));
    await sharerAnswers(sharer, 'Deny');
    await expectSessionEnded(helper, 'helper');
  });

  it('chat goes both ways with Chinese, Arabic (right to left), emoji and markup shown as text', async () => {
    const { helper, sharer } = await openUnenrolledSession(await e2e.person('helper'), await e2e.person('sharer'), e2e.system);
    const chinese = '你好，我来帮你看一下屏幕 中文';
    const arabic = 'مرحبا، شكرا على المساعدة العربية';
    const emoji = 'Thanks 👍🏽 👨‍👩‍👧 🎉';
    const markup = '<img src=x onerror=alert(1)>';

    await send(helper, 'helper', chinese);
    await expectChatShows(sharer, 'sharer', chinese);
    await send(sharer, 'sharer', arabic);
    await expectChatShows(helper, 'helper', arabic);
    await send(sharer, 'sharer', emoji);
    await expectChatShows(helper, 'helper', emoji);
    await send(helper, 'helper', markup);
    await expectChatShows(sharer, 'sharer', markup);
    await expectChatShows(helper, 'helper', markup);

    for (const [page, who] of [[helper, 'helper'], [sharer, 'sharer']] as const) {
      const arabicText = page.getByRole('log', { name: 'Chat' }).getByText(arabic, { exact: true });
      const dir = await arabicText.evaluate((el) => ({ attr: el.closest('[dir]')?.getAttribute('dir'), computed: getComputedStyle(el).direction }));
      assert.equal(dir.computed, 'rtl', `${who}: the Arabic message is laid out ${dir.computed}, not right to left (dir attribute "${dir.attr}")`);
      assert.equal(dir.attr, 'auto', `${who}: the Arabic message has dir="${dir.attr}", not dir="auto"`);
      assert.equal(await page.locator('img[src="x"]').count(), 0, `${who}: the markup in a chat message became an <img> element`);
    }
    assert.deepEqual(dialogsSeen(helper), [], 'a dialog opened: markup in a chat message ran as code');
  });

  it('the helper ends the session and the sharer sees "Session ended"', async () => {
    const { helper, sharer } = await openUnenrolledSession(await e2e.person('helper'), await e2e.person('sharer'), e2e.system);
    await step(helper, 'helper clicks "End session"', () => helper.getByRole('button', { name: 'End session' }).click());
    await expectSessionEnded(sharer, 'sharer');
    await expectSessionEnded(helper, 'helper');
  });

  it('the sharer ends the session and the helper sees "Session ended"', async () => {
    const { helper, sharer } = await openUnenrolledSession(await e2e.person('helper'), await e2e.person('sharer'), e2e.system);
    await step(sharer, 'sharer clicks "End session"', () => sharer.getByRole('button', { name: 'End session' }).click());
    await expectSessionEnded(helper, 'helper');
    await expectSessionEnded(sharer, 'sharer');
  });
});
