// A second helper, with the sharer's consent (issue 13, point 5), in Chromium with real sign-ins and
// real frames: the helper invites a colleague from the session view, the colleague accepts on /rhh,
// the sharer sees the colleague's trust card and its own Verification code and allows them; both
// helpers see the screen (one peer connection each from the sharer) and share the chat; the helper
// hands over and leaves, the colleague goes on. A colleague the sharer refuses sees nothing.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { demoUsers } from '#relay/directory/demo-data.js';
import { createReportLog } from '#relay/reports/index.js';
import { signInOnWebPage } from '../support/sign-in-page.js';
import { useSystem } from '../support/e2e.js';
import { waitFor } from '../support/wait.js';
import {
  expectChatShows, expectFramesAdvancing, expectSessionEnded, framesOnScreen, openUnenrolledSession, sendChat, step, users,
} from './flows.js';
import { countPeerConnections, peerConnectionsMade } from './verification-flows.js';

const helperName = demoUsers.contosoHelper.name;
const colleague = demoUsers.contosoAdmin; // Kenji Tanaka, Remote Help Administrator: may help anyone
const sharerName = demoUsers.contosoSharer.name;

/** The helper types the colleague's sign-in name under "Invite a colleague" and clicks "Invite". */
async function helperInvites(helper: Page, upn: string): Promise<void> {
  await step(helper, `helper types "${upn}" in "Colleague's sign-in name" and clicks "Invite"`, async () => {
    await helper.getByLabel('Colleague\'s sign-in name').fill(upn);
    await helper.getByRole('button', { name: 'Invite', exact: true }).click();
  });
  await step(helper, `helper sees that ${colleague.name} is invited`, () =>
    helper.getByText(colleague.name, { exact: false }).first().waitFor({ timeout: 15_000 }));
}

/** The colleague, signed in on /rhh, sees the invitation and clicks "Accept". */
async function colleagueAccepts(page: Page, webHelperUrl: string): Promise<void> {
  await step(page, 'colleague opens /rhh', () => page.goto(webHelperUrl));
  await step(page, `colleague signs in as ${colleague.upn} on /rhh`, () => signInOnWebPage(page, colleague.upn));
  await step(page, `colleague sees that ${helperName} asks for help with ${sharerName}'s screen`, () =>
    page.getByText(helperName, { exact: false }).first().waitFor({ timeout: 20_000 }));
  await step(page, 'colleague clicks "Accept"', () => page.getByRole('button', { name: 'Accept', exact: true }).click());
}

/** The colleague's trust card on the sharer's page: the colleague's name, and its own buttons. */
function colleagueCard(sharer: Page) {
  return sharer.locator('rh-colleague-card');
}

/** A Verification code shown in `scope` ("123 456"), once it is there. */
async function codeIn(page: Page, scope: ReturnType<Page['locator']> | Page, who: string): Promise<string> {
  return step(page, `${who} sees a Verification code`, async () => {
    const el = scope.getByLabel('Verification code', { exact: true }).last();
    let shown = '';
    await waitFor(async () => {
      shown = /\d{3} \d{3}/.exec(await el.innerText().catch(() => ''))?.[0] ?? '';
      return shown !== '';
    }, 20_000, 'no Verification code appeared');
    return shown;
  });
}

describe('end to end: a second helper, with the sharer\'s consent', function () {
  this.timeout(180_000);
  const e2e = useSystem({ console: false });

  it('the helper invites a colleague who accepts; the sharer sees their card and code and allows them; both helpers see frames and share the chat; the helper hands over and the colleague goes on', async () => {
    const sharerPage = await e2e.person('sharer');
    await countPeerConnections(sharerPage);
    const { helper, sharer } = await openUnenrolledSession(await e2e.person('helper'), sharerPage, e2e.system);
    const mate = await e2e.person('colleague');

    await helperInvites(helper, colleague.upn);
    await colleagueAccepts(mate, e2e.system.webHelperUrl);

    const card = colleagueCard(sharer);
    await step(sharer, `sharer sees ${colleague.name}'s trust card, invited by ${helperName}`, async () => {
      await card.getByText(colleague.name, { exact: false }).first().waitFor({ timeout: 20_000 });
      await card.getByText(helperName, { exact: false }).first().waitFor();
    });
    const onSharer = await codeIn(sharer, card, 'sharer');
    const onColleague = await codeIn(mate, mate, 'colleague');
    assert.equal(onColleague, onSharer, 'the colleague and the sharer see different verification codes with nobody in between');
    assert.equal(await framesOnScreen(mate), 0, 'the colleague saw frames before the sharer allowed them');

    await step(sharer, 'sharer clicks "Allow" on the colleague\'s card', () => card.getByRole('button', { name: /^Allow/ }).click());
    await expectFramesAdvancing(mate);
    await expectFramesAdvancing(helper);
    assert.equal(await peerConnectionsMade(sharer), 2, 'the sharer\'s page did not make exactly one peer connection per helper');

    await sendChat(mate, 'colleague', 'Second line here: I will look at the driver.');
    await expectChatShows(helper, 'helper', 'Second line here: I will look at the driver.');
    await expectChatShows(sharer, 'sharer', 'Second line here: I will look at the driver.');
    await sendChat(sharer, 'sharer', 'Thank you both');
    await expectChatShows(mate, 'colleague', 'Thank you both');
    await step(sharer, `the sharer's chat names ${colleague.name} as the writer`, () =>
      sharer.getByRole('log', { name: 'Chat' }).getByText(colleague.name, { exact: false }).first().waitFor());

    await step(helper, 'helper clicks "Hand over" and confirms', async () => {
      await helper.getByRole('button', { name: /^Hand over/ }).first().click();
      await helper.getByRole('button', { name: /^Hand over/ }).last().click();
    });
    await step(helper, `the former helper sees that they handed the session over to ${colleague.name}`, () =>
      helper.getByText('handed the session over', { exact: false }).first().waitFor({ timeout: 15_000 }));
    await expectFramesAdvancing(mate);
    await step(sharer, `the sharer's page now names ${colleague.name}, not ${helperName}, under "Seeing your screen", and the colleague's card is gone`, async () => {
      const seeing = sharer.locator('.helper-card');
      await seeing.getByText(colleague.name, { exact: false }).first().waitFor({ timeout: 15_000 });
      await waitFor(async () => (await seeing.getByText(helperName, { exact: false }).count()) === 0, 15_000, `${helperName} is still named as seeing the screen`);
      await waitFor(async () => (await colleagueCard(sharer).count()) === 0, 15_000, 'the colleague\'s card is still shown');
    });

    await step(mate, 'the new helper clicks "End session"', () => mate.getByRole('button', { name: 'End session' }).click());
    await expectSessionEnded(sharer, 'sharer');
    await step(sharer, `the sharer's receipt names ${colleague.name}`, () =>
      sharer.locator('rh-session-receipt').getByText(colleague.name, { exact: false }).first().waitFor({ timeout: 15_000 }));

    const reports = createReportLog({ dataDir: join(e2e.system.dataDir, 'relay') });
    try {
      const all = (await reports.list(demoUsers.contosoHelper.tenantId, { limit: 50 })).items;
      const report = all.find((r) => r.helper?.upn === users.helper && (r.colleagues ?? []).some((c) => c.upn === colleague.upn));
      assert.ok(report, `no report keeps the colleague: ${JSON.stringify(all.map((r) => ({ h: r.helper?.upn, o: r.outcome, c: r.colleagues })))}`);
      const kept = report.colleagues!.find((c) => c.upn === colleague.upn)!;
      assert.equal(kept.consent, 'allowed');
      assert.equal(kept.state, 'handed-over');
      assert.ok(kept.handedOverAt, 'the report does not say when the session was handed over');
      assert.equal(report.outcome, 'completed');
    } finally {
      await reports.close();
    }
  });

  it('a colleague the sharer refuses sees nothing, and the session goes on for the helper', async () => {
    const { helper, sharer } = await openUnenrolledSession(await e2e.person('helper'), await e2e.person('sharer'), e2e.system);
    const mate = await e2e.person('colleague');
    await helperInvites(helper, colleague.upn);
    await colleagueAccepts(mate, e2e.system.webHelperUrl);
    const card = colleagueCard(sharer);
    await step(sharer, 'sharer clicks "Deny" on the colleague\'s card', () => card.getByRole('button', { name: /^Deny/ }).click());
    await step(mate, `the colleague is told ${sharerName} did not allow them`, () =>
      mate.getByText('did not allow you', { exact: false }).first().waitFor({ timeout: 15_000 }));
    assert.equal(await framesOnScreen(mate), 0, 'the refused colleague saw frames');
    await expectFramesAdvancing(helper);
    await step(helper, `the helper sees that ${sharerName} refused ${colleague.name}`, () =>
      helper.getByText('refused', { exact: false }).first().waitFor({ timeout: 15_000 }));
  });
});
