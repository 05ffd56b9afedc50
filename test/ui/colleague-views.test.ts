// A second helper, with the sharer's consent (issue 13, point 5), as the helper and the invited colleague
// see it: the helper's Invite a colleague section and the colleague's standing in words; the colleague's
// invitations, their session view until allowed, and the hand-over. The relay is a scripted link here
// (its side is tested in test/relay; the three people together in test/e2e).
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import type { ColleagueStatus, Invitation } from '#protocol/colleague.js';
import type { TrustInfo } from '#protocol/relay-events.js';
import type { ScriptedLink } from '../fixtures/ui/scripted-link.js';
import type { RhTest } from '../fixtures/ui/test-page.js';
import { helperProfile, sharerProfile } from '../fixtures/ui/profiles.js';
import { axeViolations as allViolations } from '../support/axe.js';
import { useUiPage } from '../support/ui-page.js';

type W = Window & { rhTest: RhTest; link: ScriptedLink; events: string[] };

const colleagueProfile = {
  ...helperProfile, userId: 'u-colleague', name: 'Cora Colleague', jobTitle: 'Second line support', upn: 'cora@contoso.example',
};
const sessionId = 's-1';
const status = (state: ColleagueStatus['state'], extra: Partial<ColleagueStatus> = {}): ColleagueStatus => ({
  sessionId, colleague: colleagueProfile, state, invitedBy: helperProfile.name, invitedAt: '2026-01-01T10:00:00.000Z', ...extra,
});
const invitation = (id: string, extra: Partial<Invitation> = {}): Invitation => ({
  sessionId: id, open: true, from: helperProfile, sharerName: sharerProfile.name, deviceName: 'LAPTOP-042',
  reason: 'Ticket 4711: printer', invitedAt: '2026-01-01T10:00:00.000Z', ...extra,
});
const colleagueTrust: TrustInfo = {
  sessionId, role: 'colleague', peer: sharerProfile, warnings: [], permission: 'view-screen', chatEnabled: true,
  reason: 'Ticket 4711: printer', invitedBy: helperProfile,
};

/** The requests the view sent, by event name, without the session resumes' and answers' details. */
async function sent(page: Page, event: string): Promise<unknown[]> {
  return page.evaluate((event) => (window as unknown as W).link.calls.filter((c) => c.event === event).map((c) => c.req), event);
}

/** axe's findings but the page's own want of a level-one heading (the test page has none; the pages do). */
async function axeViolations(page: Page): Promise<unknown[]> {
  return (await allViolations(page)).filter((v) => v.id !== 'page-has-heading-one');
}

async function push(page: Page, event: string, payload: unknown): Promise<void> {
  await page.evaluate(({ event, payload }) => (window as unknown as W).link.push(event as never, payload as never), { event, payload });
}

async function answer(page: Page, event: string, ack: unknown): Promise<void> {
  await page.evaluate(({ event, ack }) => {
    (window as unknown as W).link.answers[event as 'session:invite'] = ack as never;
  }, { event, ack });
}

describe('a second helper: the helper\'s and the colleague\'s views', function () {
  let page: Page;
  useUiPage((p) => (page = p));

  /** A helper whose sharer has joined: the trust screen, as after session:trust. */
  async function mountHelper(): Promise<void> {
    await page.evaluate(({ sessionId }) => {
      const w = window as unknown as W;
      const { ok } = w.rhTest;
      w.link = w.rhTest.createScriptedLink({
        'session:create': ok({ sessionId, code: 'ABCD2345', link: 'https://relay.test/rh?passcode=ABCD2345', expiresAt: new Date(Date.now() + 600_000).toISOString() }),
        'session:end': ok(null),
      });
      const helper = document.createElement('rh-helper-session');
      helper.link = w.link;
      document.querySelector('main')?.append(helper);
      void helper.start();
    }, { sessionId });
    await page.getByLabel('Security code').waitFor();
    await push(page, 'session:trust', { sessionId, role: 'helper', peer: sharerProfile, warnings: [], chatEnabled: true });
    await page.getByText('Waiting for Sam Sharer to allow…').waitFor();
  }

  it('lets the helper invite a colleague, says where the colleague stands, and hands over only when asked twice', async () => {
    await mountHelper();
    const section = page.getByRole('region', { name: 'Invite a colleague' });
    const field = section.getByRole('textbox', { name: "Colleague's sign-in name" });

    // Nobody by that name: said in words that fit, on the field, which keeps the focus.
    await answer(page, 'session:invite', { ok: false, error: { code: 'not-found', message: 'x' } });
    await field.fill('nobody@contoso.example');
    await section.getByRole('button', { name: 'Invite' }).click();
    await section.getByRole('alert').getByText('Nobody in your organization can be invited as “nobody@contoso.example”. Check the sign-in name.').waitFor();
    assert.equal(await field.evaluate((el) => (el.getRootNode() as ShadowRoot).activeElement === el), true, 'the field keeps the focus');
    await answer(page, 'session:invite', { ok: false, error: { code: 'permission-missing', message: 'x' } });
    await field.fill('cora@contoso.example');
    await field.press('Enter');
    await section.getByText('cora@contoso.example has no role that lets them give remote help.').waitFor();

    await answer(page, 'session:invite', { ok: true, value: status('invited') });
    await section.getByRole('button', { name: 'Invite' }).click();
    await section.getByText('Invited: waiting for Cora Colleague to accept').waitFor();
    assert.deepEqual((await sent(page, 'session:invite')).at(-1), { sessionId, colleague: 'cora@contoso.example' });
    assert.equal(await field.count(), 0, 'one colleague at a time: no second invitation while one is open');
    await section.getByRole('button', { name: 'Withdraw' }).waitFor();

    await push(page, 'session:colleague', status('asking'));
    await section.getByText('Cora Colleague accepted: waiting for Sam Sharer to allow them').waitFor();
    await page.getByRole('status').getByText('Cora Colleague accepted: waiting for Sam Sharer to allow them').waitFor();
    await push(page, 'session:colleague', status('allowed'));
    await section.getByText('Cora Colleague sees the screen').waitFor();
    assert.equal(await section.getByRole('button', { name: 'Withdraw' }).count(), 0);
    await section.getByRole('button', { name: 'Remove colleague' }).waitFor();

    // Away: no hand-over to someone who is not there.
    await push(page, 'session:colleague', status('allowed', { present: false }));
    await section.getByText('Cora Colleague is away: the session waits for them to come back.').waitFor();
    assert.equal(await section.getByRole('button', { name: 'Hand over' }).count(), 0);
    await push(page, 'session:colleague', status('allowed', { present: true }));

    // Hand over asks in the page first; Cancel sends nothing.
    await answer(page, 'session:hand-over', { ok: true, value: null });
    await section.getByRole('button', { name: 'Hand over' }).click();
    const question = section.getByRole('group', { name: 'You leave the session and Cora Colleague goes on helping.' });
    await question.waitFor();
    assert.equal(await question.getByRole('button', { name: 'Cancel' }).evaluate((b) => (b.getRootNode() as ShadowRoot).activeElement === b), true);
    await question.getByRole('button', { name: 'Cancel' }).click();
    assert.equal(await question.count(), 0);
    assert.deepEqual(await sent(page, 'session:hand-over'), []);
    await section.getByRole('button', { name: 'Hand over' }).click();
    await question.getByRole('button', { name: 'Hand over' }).click();
    await page.waitForFunction(() => (window as unknown as W).link.calls.some((c) => c.event === 'session:hand-over'));
    assert.deepEqual(await sent(page, 'session:hand-over'), [{ sessionId }]);

    await push(page, 'session:colleague', status('handed-over'));
    await push(page, 'session:ended', { sessionId, by: 'helper', reason: 'handed-over' });
    await page.getByText('You handed the session over to Cora Colleague.').waitFor();
    assert.equal(await section.count(), 0, 'nothing to invite into an ended session');
  });

  it('withdraws an invitation, and offers Invite again once the colleague\'s part is over', async () => {
    await mountHelper();
    const section = page.getByRole('region', { name: 'Invite a colleague' });
    await answer(page, 'session:invite', { ok: true, value: status('invited') });
    await answer(page, 'session:withdraw-invite', { ok: true, value: null });
    await section.getByRole('textbox', { name: "Colleague's sign-in name" }).fill('cora@contoso.example');
    await section.getByRole('button', { name: 'Invite' }).click();
    await section.getByRole('button', { name: 'Withdraw' }).click();
    await page.waitForFunction(() => (window as unknown as W).link.calls.some((c) => c.event === 'session:withdraw-invite'));
    assert.deepEqual(await sent(page, 'session:withdraw-invite'), [{ sessionId }]);
    await push(page, 'session:colleague', status('withdrawn'));
    await section.getByText('Cora Colleague is no longer in the session').waitFor();
    const field = section.getByRole('textbox', { name: "Colleague's sign-in name" });
    await field.waitFor();
    await page.waitForFunction(() => {
      const invite = document.querySelector('rh-helper-session')?.shadowRoot?.querySelector('rh-invite-colleague');
      return invite?.shadowRoot?.activeElement?.id === 'colleague';
    });

    for (const [state, text] of [['declined', 'Cora Colleague declined'], ['denied', 'Sam Sharer refused Cora Colleague'], ['left', 'Cora Colleague left']] as const) {
      await push(page, 'session:colleague', status(state));
      await section.getByText(text, { exact: true }).waitFor();
    }
    const violations = await axeViolations(page);
    assert.deepEqual(violations, [], 'the helper\'s trust screen with the invite section is axe-clean');
  });

  it('lists the invitations that came before and after, announces a new one, and declines one', async () => {
    await page.evaluate(({ first }) => {
      const w = window as unknown as W;
      w.link = w.rhTest.createScriptedLink({ 'session:invitations': w.rhTest.ok([first]), 'session:invite-answer': w.rhTest.ok(null) });
      w.events = [];
      const list = document.createElement('rh-invitation-list');
      list.link = w.link;
      list.addEventListener('rh-accept-invitation', (e) => w.events.push(e.detail.sessionId));
      document.querySelector('main')?.append(list);
    }, { first: invitation('s-1') });
    const first = page.getByRole('listitem', { name: 'Hanna Helper asks you to help Sam Sharer' });
    await first.getByText('LAPTOP-042').waitFor();
    await first.getByText('Ticket 4711: printer').waitFor();

    await push(page, 'session:invitation', invitation('s-2', { from: { ...helperProfile, name: 'Ivan Ops' }, deviceName: undefined, reason: undefined }));
    const second = page.getByRole('listitem', { name: 'Ivan Ops asks you to help Sam Sharer' });
    await second.getByText('No reason given').waitFor();
    await page.getByRole('status').getByText('Ivan Ops asks you to help Sam Sharer').waitFor();
    assert.deepEqual(await axeViolations(page), [], 'the invitations are axe-clean');

    await second.getByRole('button', { name: 'Decline' }).click();
    await second.waitFor({ state: 'detached' });
    assert.deepEqual(await sent(page, 'session:invite-answer'), [{ sessionId: 's-2', accept: false }]);

    // Answered elsewhere (another window of the same person): it closes here too.
    await first.getByRole('button', { name: 'Accept' }).click();
    assert.deepEqual(await page.evaluate(() => (window as unknown as W).events), ['s-1']);
    await push(page, 'session:invitation', invitation('s-1', { open: false }));
    await first.waitFor({ state: 'detached' });
    assert.equal(await page.getByRole('heading', { name: 'Invitations to help' }).count(), 0);
  });

  /** The colleague's view, its Accept answered with `trust` (or refused). */
  async function mountColleague(acceptAnswer: unknown): Promise<void> {
    await page.evaluate(({ inv, acceptAnswer }) => {
      const w = window as unknown as W;
      const { ok } = w.rhTest;
      w.link = w.rhTest.createScriptedLink({
        'session:invite-answer': acceptAnswer as never,
        'session:resume': ok({ state: 'sharing', trust: null, messages: [
          { sessionId: inv.sessionId, seq: 1, clientId: 'c1', from: 'sharer', senderName: 'Sam Sharer', text: 'The printer says PC LOAD LETTER', sentAt: new Date().toISOString() },
        ] }),
        'session:end': ok(null),
      });
      w.events = [];
      const view = document.createElement('rh-helper-session');
      view.link = w.link;
      view.addEventListener('rh-accept-failed', (e) => w.events.push(`accept-failed:${e.detail.code}`));
      view.addEventListener('rh-handed-over', () => w.events.push('handed-over'));
      document.querySelector('main')?.append(view);
      void view.acceptInvitation(inv);
    }, { inv: invitation(sessionId), acceptAnswer });
  }

  it('shows the colleague the sharer\'s card, who invited them and their own code, then the screen and the chat once allowed, then the helper\'s view', async () => {
    await mountColleague({ ok: true, value: colleagueTrust });
    const card = page.locator('rh-trust-card');
    await card.getByText('Invited by Hanna Helper').waitFor();
    await card.getByText('Sam Sharer', { exact: true }).waitFor();
    await card.getByText('Verification code').waitFor();
    await page.getByText('Waiting for Sam Sharer to allow you', { exact: true }).waitFor();
    assert.deepEqual(await sent(page, 'session:invite-answer'), [{ sessionId, accept: true }]);
    assert.equal(await page.getByRole('button', { name: 'End session' }).count(), 0, 'a colleague leaves; they do not end the session');
    await page.getByRole('button', { name: 'Leave' }).waitFor();
    assert.equal(await page.getByRole('region', { name: 'Invite a colleague' }).count(), 0);
    assert.equal(await page.getByRole('log', { name: 'Chat' }).count(), 0, 'no chat before the sharer allows them');
    assert.deepEqual(await axeViolations(page), [], 'the colleague\'s waiting view is axe-clean');

    await push(page, 'session:colleague', status('allowed'));
    await page.getByLabel('Shared screen').waitFor();
    await page.getByRole('log', { name: 'Chat' }).getByText('The printer says PC LOAD LETTER').waitFor();
    assert.equal((await sent(page, 'session:resume')).length, 1, 'the chat history asked once');
    await page.getByRole('status').getByText('Sam Sharer allowed you. You can see their screen.').waitFor();

    await push(page, 'session:colleague', status('handed-over'));
    await page.getByRole('button', { name: 'End session' }).waitFor();
    await page.getByRole('region', { name: 'Invite a colleague' }).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Leave' }).count(), 0);
    assert.deepEqual(await page.evaluate(() => (window as unknown as W).events), ['handed-over']);
    await page.waitForFunction(() => (window as unknown as W).link.calls.filter((c) => c.event === 'session:resume').length === 2);
  });

  it('tells a colleague who leaves, is removed or is refused what happened', async () => {
    await mountColleague({ ok: true, value: colleagueTrust });
    await page.getByRole('button', { name: 'Leave' }).click();
    await page.getByText('You left the session.').waitFor();
    assert.deepEqual(await sent(page, 'session:end'), [{ sessionId }]);
    assert.equal(await page.getByRole('button', { name: 'New session' }).count(), 0);

    for (const [ended, text] of [
      [{ by: 'helper', reason: 'removed' }, 'Hanna Helper removed you from the session.'],
      [{ by: 'sharer', reason: 'denied' }, 'Sam Sharer did not allow you to join.'],
      [{ by: 'helper', reason: 'ended' }, 'Hanna Helper (the helper) ended the session.'],
      // The helper's page went and did not come back: the helper is named, not the sharer on the card.
      [{ by: 'helper', reason: 'left' }, 'Hanna Helper left the session and did not come back.'],
      [{ by: 'helper', reason: 'connection-lost' }, 'The connection to Hanna Helper was lost and did not come back.'],
      [{ by: 'colleague', reason: 'connection-lost' }, 'Your connection was lost for too long, so you are no longer in the session.'],
    ] as const) {
      await page.evaluate(() => document.querySelector('main')!.replaceChildren());
      await mountColleague({ ok: true, value: colleagueTrust });
      await page.getByText('Waiting for Sam Sharer to allow you', { exact: true }).waitFor();
      await push(page, 'session:ended', { sessionId, ...ended });
      await page.locator('rh-session-ended .reason').getByText(text, { exact: true }).waitFor();
    }
  });

  it('says a refused Accept and lets the page take the colleague back to the invitation', async () => {
    await mountColleague({ ok: false, error: { code: 'mfa-required', message: 'x' } });
    await page.getByText('You could not join this session.').waitFor();
    await page.getByRole('alert').first().waitFor();
    assert.deepEqual(await page.evaluate(() => (window as unknown as W).events), ['accept-failed:mfa-required']);
  });

  it('brings a reloaded colleague back into the session they joined: the screen and the chat if allowed, once', async () => {
    await page.evaluate(({ sessionId, trust, allowed }) => {
      const w = window as unknown as W;
      const { ok } = w.rhTest;
      w.link = w.rhTest.createScriptedLink({
        'session:resume': ok({ state: 'sharing', trust, colleague: allowed, messages: [
          { sessionId, seq: 1, clientId: 'c1', from: 'sharer', senderName: 'Sam Sharer', text: 'Still there?', sentAt: new Date().toISOString() },
        ] }),
      });
      const view = document.createElement('rh-helper-session');
      view.link = w.link;
      view.remember = true;
      view.resumeFrom = { sessionId, member: 'colleague' };
      document.querySelector('main')?.append(view);
    }, { sessionId, trust: colleagueTrust, allowed: status('allowed') });
    await page.getByLabel('Shared screen').waitFor();
    await page.getByRole('log', { name: 'Chat' }).getByText('Still there?').waitFor();
    await page.getByText('Invited by Hanna Helper').waitFor();
    await page.getByRole('button', { name: 'Leave' }).waitFor();
    // Back without a connection: the relay is told, so the sharer offers a new one.
    assert.deepEqual(await sent(page, 'session:resume'), [{ sessionId, afterSeq: 0, restartMedia: true }]);
  });

  it('makes a colleague\'s page that missed the hand-over (it was reloading or reconnecting) the helper\'s view, whose End ends the session', async () => {
    await page.evaluate(({ sessionId, trust }) => {
      const w = window as unknown as W;
      const { ok } = w.rhTest;
      w.link = w.rhTest.createScriptedLink({
        // The relay has this person as the helper now: the helper's trust, no colleague.
        'session:resume': ok({ state: 'sharing', trust, colleague: null, messages: [] }),
        'session:end': ok(null),
      });
      const view = document.createElement('rh-helper-session');
      view.link = w.link;
      view.remember = true;
      view.resumeFrom = { sessionId, member: 'colleague' };
      document.querySelector('main')?.append(view);
    }, { sessionId, trust: { sessionId, role: 'helper', peer: sharerProfile, warnings: [], permission: 'view-screen', chatEnabled: true } });
    await page.getByRole('button', { name: 'End session' }).waitFor();
    await page.getByLabel('Shared screen').waitFor();
    const leave = await page.getByRole('button', { name: 'Leave' }).count();
    const end = await page.getByRole('button', { name: 'End session' }).count();
    const waiting = await page.getByText('Waiting for Sam Sharer to allow you').count();
    const screen = await page.getByLabel('Shared screen').count();
    assert.deepEqual({ leave, end, waiting, screen }, { leave: 0, end: 1, waiting: 0, screen: 1 });
  });

  it('remembers an accepted invitation in the tab, as the colleague it is', async () => {
    await page.evaluate(() => sessionStorage.clear());
    // The scripted link of a colleague's view, then a view that keeps its session in the tab.
    await mountColleague({ ok: true, value: colleagueTrust });
    await page.evaluate(() => document.querySelector('main')!.replaceChildren());
    await page.evaluate((inv) => {
      const w = window as unknown as W;
      const view = document.createElement('rh-helper-session');
      view.link = w.link;
      view.remember = true;
      document.querySelector('main')?.append(view);
      void view.acceptInvitation(inv);
    }, invitation('s-9'));
    await page.getByText('Waiting for Sam Sharer to allow you', { exact: true }).waitFor();
    assert.deepEqual(JSON.parse((await page.evaluate(() => sessionStorage.getItem('rh:live-session:helper'))) ?? 'null'), { sessionId: 's-9', member: 'colleague' });
  });
});
