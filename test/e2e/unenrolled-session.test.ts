// The unenrolled way in (/rhh → code → /rh), with real sign-in on both sides and real frames; then
// what happens inside a session: chat both ways, and the end by either side.
import assert from 'node:assert/strict';
import { demoUsers } from '#relay/directory/demo-data.js';
import { dialogsSeen, useSystem } from '../support/e2e.js';
import {
  expectChatShows, expectFramesAdvancing, expectSessionEnded, expectTrustScreenShows, openUnenrolledSession, sendChat as send,
  sharerAnswers, sharerOpensLinkAndConnects, step, webHelperGetsCode,
} from './flows.js';
import { countPeerConnections, peerConnectionsMade, readVerificationCode } from './verification-flows.js';

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

  it('a relay that puts its own certificate fingerprint in what it forwards gives two different Verification codes', async () => {
    const helper = await e2e.person('helper');
    const sharer = await e2e.person('sharer');
    const { link } = await webHelperGetsCode(helper, e2e.system);
    e2e.system.faults.tamperFingerprintOf = 'sharer';
    try {
      await sharerOpensLinkAndConnects(sharer, link);
      const onSharer = await readVerificationCode(sharer, 'sharer');
      const onHelper = await readVerificationCode(helper, 'helper');
      assert.notEqual(onHelper, onSharer, `both trust screens show ${onHelper} although the relay changed the sharer's fingerprint`);
    } finally {
      delete e2e.system.faults.tamperFingerprintOf;
    }
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
