// A second helper, with the sharer's consent (issue 13, point 5), in the session service: what each of
// the helper, the sharer and the colleague is told and answered at each step, what the relay refuses
// (with which code), and what the report and the sharer's receipt keep. The rooms themselves are the
// socket layer's (second-helper-sockets.test.ts); here the notifier records who was addressed.
import assert from 'node:assert/strict';
import type { Ack, ColleagueStatus, Invitation, SessionEnded, SessionReceipt, TrustInfo } from '#protocol';
import { builtInRoles } from '#relay/directory/index.js';
import {
  closeFixtureReports, colleague, compliantDevice, contoso, fabrikamHelper, helper, serviceOn, sharer, stranger, value,
} from '../../fixtures/session-directory.js';
import { liveBackends } from '../../support/live-backends.js';
import { caRule } from '../../support/policy-calls.js';

/** The invitation as the sharer's card last showed it: what their decision names (none before one asked). */
const onCard = (t: { notifier: { to(role: 'sharer', event: string): { payload: unknown }[] } }) => {
  const c = t.notifier.to('sharer', 'session:colleague').at(-1)?.payload as ColleagueStatus | undefined;
  return c && { tenantId: c.colleague.tenantId, userId: c.colleague.userId, invitedAt: c.invitedAt };
};

after(closeFixtureReports);

const here = { address: '127.0.0.1' };
const graceMs = 120_000;

const code = (ack: Ack<unknown>): string => (ack.ok ? 'ok' : ack.error.code);
const iso = (ms: number) => new Date(ms).toISOString();

const dataOnly = { description: { type: 'offer' as const, sdp: 'v=0\r\nm=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\n' } };
const withMedia = { description: { type: 'offer' as const, sdp: 'v=0\r\nm=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\n' } };
const answer = { description: { type: 'answer' as const, sdp: 'v=0' } };

for (const backend of liveBackends()) {
  const service = serviceOn(backend);
  describe(`live state ${backend.name}`, () => {
    before(() => backend.start());
    after(() => backend.stop());

    async function joined(opts: Parameters<typeof service>[0] = {}, deviceId?: string) {
      const t = await service({ reconnectGraceMs: graceMs, ...opts });
      const created = value(await t.sessions.create(helper, { ...(deviceId ? { deviceId } : {}), reason: 'Ticket 4711' }));
      value(await t.sessions.join(sharer, created.code, here));
      const id = created.sessionId;
      const payloads = <T>(role: Parameters<typeof t.notifier.to>[0], event: string): T[] => t.notifier.to(role, event).map((s) => s.payload as T);
      const states = (role: Parameters<typeof t.notifier.to>[0]) => payloads<ColleagueStatus>(role, 'session:colleague').map((c) => c.state);
      return { ...t, id, payloads, states };
    }
    async function sharing(opts: Parameters<typeof service>[0] = {}) {
      const t = await joined(opts);
      value(await t.sessions.consent(sharer, { sessionId: t.id, allow: true }));
      return t;
    }
    async function asking(t: Awaited<ReturnType<typeof joined>>) {
      value(await t.sessions.invite(helper, { sessionId: t.id, colleague: colleague.upn }));
      return value(await t.sessions.answerInvite(colleague, { sessionId: t.id, accept: true }, here))!;
    }
    async function allowed(t: Awaited<ReturnType<typeof joined>>) {
      const trust = await asking(t);
      value(await t.sessions.consent(sharer, { sessionId: t.id, allow: true, member: 'colleague', colleague: onCard(t) }));
      return trust;
    }

    describe('second helper: the invitation', () => {
      it('refuses whoever may not invite, before the sharer joined, and the wrong people, each with its code', async () => {
        const t = await service();
        const created = value(await t.sessions.create(helper, {}));
        assert.equal(code(await t.sessions.invite(helper, { sessionId: created.sessionId, colleague: colleague.upn })), 'wrong-state', 'nobody joined yet');
        const j = await joined();
        const invite = (who: typeof helper, upn: string) => j.sessions.invite(who, { sessionId: j.id, colleague: upn });
        assert.equal(code(await invite(sharer, colleague.upn)), 'forbidden', 'the sharer does not invite');
        assert.equal(code(await invite(colleague, colleague.upn)), 'forbidden', 'nor does an outsider');
        assert.equal(code(await invite(helper, 'nobody@contoso.example')), 'not-found');
        assert.equal(code(await invite(helper, fabrikamHelper.upn)), 'not-found', 'another organization\'s helper reads as nobody');
        assert.equal(code(await invite(helper, helper.upn)), 'validation');
        assert.equal(code(await invite(helper, sharer.upn.toUpperCase())), 'validation', 'the sharer, in any case');
        assert.equal(code(await invite(helper, stranger.upn)), 'permission-missing', 'no role that helps');
        assert.equal(j.notifier.sent.filter((s) => s.event === 'session:invitation' || s.event === 'session:colleague').length, 0, 'nobody was told anything');
      });

      it('refuses a colleague whose roles do not cover the session\'s device (out-of-scope)', async () => {
        // The colleague's Help Desk Operator covers only servers here; the helper is an administrator.
        const serversOnly = { ...builtInRoles[0]!, scope: { deviceGroups: ['Servers'], userGroups: ['*'] } };
        const t = await service({ roles: [serversOnly, builtInRoles[1]!] });
        const admin = { ...helper, roles: [builtInRoles[1]!.name] };
        const created = value(await t.sessions.create(admin, { deviceId: compliantDevice.id }));
        value(await t.sessions.join(sharer, created.code, here));
        assert.equal(code(await t.sessions.invite(admin, { sessionId: created.sessionId, colleague: colleague.upn })), 'out-of-scope');
      });

      it('invites: the helper has the colleague as invited, every connection of the colleague is asked, the sharer hears nothing', async () => {
        const t = await joined({}, compliantDevice.id);
        const status = value(await t.sessions.invite(helper, { sessionId: t.id, colleague: ` ${colleague.upn.toUpperCase()} ` }));
        assert.equal(status.state, 'invited');
        assert.equal(status.colleague.name, colleague.name);
        assert.equal(status.invitedBy, helper.name);
        assert.deepEqual(t.payloads('helper', 'session:colleague'), [status]);
        const [inv] = t.payloads<Invitation>(`user:${colleague.userId}`, 'session:invitation');
        assert.equal(inv?.open, true);
        assert.equal(inv?.from.name, helper.name);
        assert.equal(inv?.sharerName, sharer.name);
        assert.equal(inv?.deviceName, compliantDevice.name);
        assert.equal(inv?.reason, 'Ticket 4711');
        assert.equal(t.notifier.to('sharer', 'session:colleague').length, 0);
        assert.deepEqual(value(await t.sessions.invitations(colleague)).map((i) => i.sessionId), [t.id], 'a console opened later finds it');
        assert.deepEqual(value(await t.sessions.invitations(stranger)), []);
        assert.equal(code(await t.sessions.invite(helper, { sessionId: t.id, colleague: colleague.upn })), 'wrong-state', 'one colleague at a time');
      });

      it('lists a person\'s invitations reading only the sessions they were invited to, and forgets one once it closed', async () => {
        const t = await joined();
        // Other live sessions, none of them inviting the colleague: a console opening must not read them.
        for (let i = 0; i < 5; i++) {
          const other = value(await t.sessions.create(helper, {}));
          value(await t.sessions.join(sharer, other.code, here));
        }
        value(await t.sessions.invite(helper, { sessionId: t.id, colleague: colleague.upn }));
        const read: string[] = [];
        const get = t.store.get.bind(t.store);
        t.store.get = async (id) => {
          read.push(id);
          return get(id);
        };
        assert.deepEqual(value(await t.sessions.invitations(colleague)).map((i) => i.sessionId), [t.id]);
        assert.deepEqual(read, [t.id], 'the listing read sessions the colleague was not invited to');
        value(await t.sessions.answerInvite(colleague, { sessionId: t.id, accept: false }, here));
        read.length = 0;
        assert.deepEqual(value(await t.sessions.invitations(colleague)), []);
        read.length = 0;
        assert.deepEqual(value(await t.sessions.invitations(colleague)), []);
        assert.deepEqual(read, [], 'a closed invitation was read again: the index kept it');
      });

      it('declines: the helper is told, the invitation closes, and the helper may invite again; ten invitations at most', async () => {
        const t = await joined();
        value(await t.sessions.invite(helper, { sessionId: t.id, colleague: colleague.upn }));
        assert.equal(code(await t.sessions.answerInvite(stranger, { sessionId: t.id, accept: true }, here)), 'forbidden', 'only the invited colleague answers');
        assert.equal(value(await t.sessions.answerInvite(colleague, { sessionId: t.id, accept: false }, here)), null);
        assert.deepEqual(t.states('helper'), ['invited', 'declined']);
        assert.deepEqual(t.payloads<Invitation>(`user:${colleague.userId}`, 'session:invitation').map((i) => i.open), [true, false]);
        assert.equal(code(await t.sessions.answerInvite(colleague, { sessionId: t.id, accept: true }, here)), 'forbidden', 'a closed invitation');
        assert.deepEqual(value(await t.sessions.invitations(colleague)), []);
        for (let i = 1; i < 10; i++) {
          value(await t.sessions.invite(helper, { sessionId: t.id, colleague: colleague.upn }));
          value(await t.sessions.withdrawColleague(helper, t.id));
        }
        assert.equal(code(await t.sessions.invite(helper, { sessionId: t.id, colleague: colleague.upn })), 'rate-limited');
      });

      it('accepts: the colleague sees the sharer, the device and who invited them; all three hear the colleague is asking', async () => {
        const t = await joined({}, compliantDevice.id);
        const trust: TrustInfo = (await asking(t));
        assert.equal(trust.role, 'colleague');
        assert.equal(trust.peer.name, sharer.name);
        assert.equal(trust.invitedBy?.name, helper.name);
        assert.equal(trust.device?.name, compliantDevice.name);
        assert.equal(trust.reason, 'Ticket 4711');
        assert.ok(trust.warnings.some((w) => w.kind === 'unconfirmed-device'), 'the warnings the helper saw');
        for (const role of ['helper', 'sharer', 'colleague'] as const) assert.deepEqual(t.states(role).slice(-1), ['asking'], role);
        assert.equal(t.payloads<ColleagueStatus>('sharer', 'session:colleague')[0]?.colleague.name, colleague.name);
        assert.deepEqual(t.payloads<Invitation>(`user:${colleague.userId}`, 'session:invitation').map((i) => i.open), [true, false]);
        assert.equal(code(await t.sessions.answerInvite(colleague, { sessionId: t.id, accept: true }, here)), 'wrong-state', 'answered already');
      });

      it('refuses an accept that conditional access blocks for the colleague, who stays invited', async () => {
        const t = await joined();
        value(await t.sessions.invite(helper, { sessionId: t.id, colleague: colleague.upn }));
        t.policy.setRules([caRule({ appliesTo: 'helper', conditions: { users: [colleague.upn] }, grant: 'block' })]);
        assert.equal(code(await t.sessions.answerInvite(colleague, { sessionId: t.id, accept: true }, here)), 'policy-blocked');
        assert.equal(value(await t.sessions.invitations(colleague)).length, 1);
        t.policy.setRules([]);
        value(await t.sessions.answerInvite(colleague, { sessionId: t.id, accept: true }, here));
      });
    });

    describe('second helper: the sharer decides', () => {
      it('tells a colleague allowed before the session that the sharing starts', async () => {
        const t = await joined();
        await allowed(t);
        value(await t.sessions.consent(sharer, { sessionId: t.id, allow: true }));
        assert.deepEqual(t.payloads('colleague-chat', 'session:state'), [{ sessionId: t.id, state: 'sharing' }]);
      });

      it('allows: everyone hears it and the colleague joins the chat; a second decision is wrong-state', async () => {
        const t = await sharing();
        assert.equal(code(await t.sessions.consent(sharer, { sessionId: t.id, allow: true, member: 'colleague', colleague: onCard(t) })), 'wrong-state', 'nobody asking yet');
        await asking(t);
        assert.equal(code(await t.sessions.consent(helper, { sessionId: t.id, allow: true, member: 'colleague', colleague: onCard(t) })), 'forbidden');
        value(await t.sessions.consent(sharer, { sessionId: t.id, allow: true, member: 'colleague', colleague: onCard(t) }));
        for (const role of ['helper', 'sharer', 'colleague'] as const) assert.deepEqual(t.states(role).slice(-1), ['allowed'], role);
        assert.deepEqual(t.notifier.regrouped.map((r) => r.change), ['colleague-allowed']);
        assert.equal(code(await t.sessions.consent(sharer, { sessionId: t.id, allow: false, member: 'colleague', colleague: onCard(t) })), 'wrong-state');
      });

      it('applies a decision only to the invitation it names: one made on another card is wrong-state, and the one asking still asks', async () => {
        const t = await sharing();
        await asking(t);
        const firstCard = onCard(t)!;
        // As when the helper withdrew the colleague the sharer was looking at and invited someone else …
        assert.equal(code(await t.sessions.consent(sharer, { sessionId: t.id, allow: true, member: 'colleague', colleague: { ...firstCard, userId: stranger.userId } })), 'wrong-state');
        assert.deepEqual(t.states('sharer').slice(-1), ['asking']);
        assert.ok(!t.notifier.regrouped.some((r) => r.change === 'colleague-allowed'), 'somebody was let into the chat');
        // … or the same person again, whose new connection has a code the sharer has not seen.
        value(await t.sessions.withdrawColleague(helper, t.id));
        t.clock.advance(1000);
        await asking(t);
        assert.equal(code(await t.sessions.consent(sharer, { sessionId: t.id, allow: true, member: 'colleague', colleague: firstCard })), 'wrong-state');
        assert.ok(!t.notifier.regrouped.some((r) => r.change === 'colleague-allowed'), 'somebody was let into the chat');
        value(await t.sessions.consent(sharer, { sessionId: t.id, allow: true, member: 'colleague', colleague: onCard(t) }));
        assert.deepEqual(t.states('sharer').slice(-1), ['allowed']);
      });

      it('applies a decision that names no invitation (a page from before they were named) to the one asking', async () => {
        const t = await sharing();
        await asking(t);
        value(await t.sessions.consent(sharer, { sessionId: t.id, allow: true, member: 'colleague' }));
        assert.deepEqual(t.states('sharer').slice(-1), ['allowed']);
      });

      it('denies: the colleague hears denied and the end of their part; the session goes on', async () => {
        const t = await sharing();
        await asking(t);
        value(await t.sessions.consent(sharer, { sessionId: t.id, allow: false, member: 'colleague', colleague: onCard(t) }));
        assert.deepEqual(t.states('helper').slice(-1), ['denied']);
        assert.deepEqual(t.states('sharer').slice(-1), ['denied']);
        assert.deepEqual(t.states('colleague').slice(-1), ['denied']);
        assert.deepEqual(t.payloads<SessionEnded>('colleague', 'session:ended').map((e) => [e.by, e.reason]), [['sharer', 'denied']]);
        assert.equal(t.notifier.to('helper', 'session:ended').length, 0);
        assert.equal(code(await t.sessions.signal(colleague, { sessionId: t.id, signal: answer })), 'forbidden', 'out of the session');
        assert.equal(code(await t.sessions.chat(colleague, { sessionId: t.id, clientId: 'c1', text: 'hi' })), 'forbidden');
        assert.equal(value(await t.sessions.resume(helper, { sessionId: t.id, afterSeq: 0 })).value.state, 'sharing');
      });
    });

    describe('second helper: signals and chat', () => {
      it('addresses the sharer\'s signals to the colleague\'s connection and marks the colleague\'s as theirs; media waits for allow and sharing', async () => {
        const t = await joined();
        value(await t.sessions.invite(helper, { sessionId: t.id, colleague: colleague.upn }));
        assert.equal(code(await t.sessions.signal(sharer, { sessionId: t.id, signal: dataOnly, to: 'colleague' })), 'wrong-state', 'invited is not in yet');
        assert.equal(code(await t.sessions.signal(colleague, { sessionId: t.id, signal: answer })), 'forbidden', 'an invited colleague has no connection');
        value(await t.sessions.answerInvite(colleague, { sessionId: t.id, accept: true }, here));
        value(await t.sessions.signal(sharer, { sessionId: t.id, signal: dataOnly, to: 'colleague' }));
        assert.equal(code(await t.sessions.signal(sharer, { sessionId: t.id, signal: withMedia, to: 'colleague' })), 'wrong-state', 'no media while asking');
        assert.equal(code(await t.sessions.signal(colleague, { sessionId: t.id, signal: dataOnly })), 'forbidden', 'a colleague never offers');
        value(await t.sessions.signal(colleague, { sessionId: t.id, signal: answer, to: 'helper' }));
        assert.deepEqual(t.payloads('colleague', 'signal'), [{ sessionId: t.id, signal: dataOnly, from: 'sharer' }]);
        assert.deepEqual(t.payloads('sharer', 'signal'), [{ sessionId: t.id, signal: answer, from: 'colleague' }]);
        assert.equal(t.notifier.to('helper', 'signal').length, 0, 'the helper\'s connection is another');
        value(await t.sessions.consent(sharer, { sessionId: t.id, allow: true, member: 'colleague', colleague: onCard(t) }));
        assert.equal(code(await t.sessions.signal(sharer, { sessionId: t.id, signal: withMedia, to: 'colleague' })), 'wrong-state', 'the session is not sharing yet');
        value(await t.sessions.consent(sharer, { sessionId: t.id, allow: true }));
        value(await t.sessions.signal(sharer, { sessionId: t.id, signal: withMedia, to: 'colleague' }));
        value(await t.sessions.signal(sharer, { sessionId: t.id, signal: withMedia }));
        assert.equal(t.notifier.to('helper', 'signal').length, 1, 'no `to`: the helper');
      });

      it('lets an allowed colleague chat with both, by name; an asking one neither sends nor is sent to', async () => {
        const t = await sharing();
        await asking(t);
        assert.equal(code(await t.sessions.chat(colleague, { sessionId: t.id, clientId: 'c0', text: 'too early' })), 'forbidden');
        value(await t.sessions.consent(sharer, { sessionId: t.id, allow: true, member: 'colleague', colleague: onCard(t) }));
        const mine = value(await t.sessions.chat(colleague, { sessionId: t.id, clientId: 'c1', text: 'Hello, I am second line' }));
        assert.equal(mine.from, 'colleague');
        assert.equal(mine.senderName, colleague.name);
        assert.deepEqual(t.payloads('helper', 'chat:message'), [mine]);
        assert.deepEqual(t.payloads('sharer', 'chat:message'), [mine]);
        const fromHelper = value(await t.sessions.chat(helper, { sessionId: t.id, clientId: 'h1', text: 'Thanks' }, 'helper'));
        assert.deepEqual(t.payloads('colleague-chat', 'chat:message'), [fromHelper], 'to the allowed colleague\'s chat room');
        assert.equal(t.notifier.to('colleague', 'chat:message').length, 0, 'never to the colleague\'s room as such (asking ones are there)');
      });
    });

    describe('second helper: withdraw, leave, the end', () => {
      it('withdraws an invitation (it closes) and removes an allowed colleague (their part ends, the sharer hears)', async () => {
        const t = await sharing();
        assert.equal(code(await t.sessions.withdrawColleague(helper, t.id)), 'wrong-state', 'nobody invited');
        value(await t.sessions.invite(helper, { sessionId: t.id, colleague: colleague.upn }));
        assert.equal(code(await t.sessions.withdrawColleague(sharer, t.id)), 'forbidden');
        value(await t.sessions.withdrawColleague(helper, t.id));
        assert.deepEqual(t.payloads<Invitation>(`user:${colleague.userId}`, 'session:invitation').map((i) => i.open), [true, false]);
        assert.equal(t.notifier.to('sharer', 'session:colleague').length, 0, 'the sharer never heard of it');
        await allowed(t);
        value(await t.sessions.withdrawColleague(helper, t.id));
        assert.deepEqual(t.states('sharer').slice(-1), ['withdrawn']);
        assert.deepEqual(t.payloads<SessionEnded>('colleague', 'session:ended').map((e) => [e.by, e.reason]), [['helper', 'removed']]);
        assert.deepEqual(t.notifier.regrouped.map((r) => r.change), ['colleague-allowed', 'colleague-out']);
      });

      it('lets the colleague leave alone: the session goes on for the helper and the sharer', async () => {
        const t = await sharing();
        await allowed(t);
        value(await t.sessions.end(colleague, t.id));
        assert.deepEqual(t.states('helper').slice(-1), ['left']);
        assert.deepEqual(t.states('sharer').slice(-1), ['left']);
        assert.deepEqual(t.payloads<SessionEnded>('colleague', 'session:ended').map((e) => [e.by, e.reason]), [['colleague', 'left']]);
        assert.equal(t.notifier.to('sharer', 'session:ended').length, 0);
        value(await t.sessions.chat(helper, { sessionId: t.id, clientId: 'h1', text: 'still here' }));
      });

      it('ends for the colleague with the session, and closes an open invitation', async () => {
        const t = await sharing();
        await allowed(t);
        value(await t.sessions.end(sharer, t.id));
        assert.deepEqual(t.payloads<SessionEnded>('colleague', 'session:ended').map((e) => [e.by, e.reason]), [['sharer', 'ended']]);
        const u = await sharing();
        value(await u.sessions.invite(helper, { sessionId: u.id, colleague: colleague.upn }));
        value(await u.sessions.end(helper, u.id));
        assert.deepEqual(u.payloads<Invitation>(`user:${colleague.userId}`, 'session:invitation').map((i) => i.open), [true, false]);
      });

      it('answers a resume with the colleague: to the colleague their own card, to the sharer only once they accepted', async () => {
        const t = await sharing();
        value(await t.sessions.invite(helper, { sessionId: t.id, colleague: colleague.upn }));
        assert.equal(value(await t.sessions.resume(sharer, { sessionId: t.id, afterSeq: 0 })).value.colleague, null);
        assert.equal(value(await t.sessions.resume(helper, { sessionId: t.id, afterSeq: 0 })).value.colleague?.state, 'invited');
        assert.equal(code(await t.sessions.resume(colleague, { sessionId: t.id, afterSeq: 0 })), 'forbidden', 'not a member before the accept');
        value(await t.sessions.answerInvite(colleague, { sessionId: t.id, accept: true }, here));
        value(await t.sessions.chat(helper, { sessionId: t.id, clientId: 'h1', text: 'before you came' }));
        assert.deepEqual(value(await t.sessions.resume(colleague, { sessionId: t.id, afterSeq: 0 })).value.messages, [], 'no chat while asking');
        value(await t.sessions.consent(sharer, { sessionId: t.id, allow: true, member: 'colleague', colleague: onCard(t) }));
        const r = value(await t.sessions.resume(colleague, { sessionId: t.id, afterSeq: 0 }));
        assert.equal(r.role, 'colleague');
        assert.equal(r.value.trust?.role, 'colleague');
        assert.equal(r.value.peer?.role, 'sharer', 'their peer is the sharer');
        assert.equal(r.value.colleague?.state, 'allowed');
        assert.deepEqual(r.value.messages.map((m) => m.text), ['before you came'], 'the chat history');
        assert.equal(value(await t.sessions.resume(sharer, { sessionId: t.id, afterSeq: 0 })).value.colleague?.state, 'allowed');
      });

      it('waits for an away colleague, telling the others; when the grace runs out only the colleague is out', async () => {
        const t = await sharing();
        await allowed(t);
        await t.sessions.away(t.id, 'colleague', 'connection');
        assert.equal(t.payloads<ColleagueStatus>('helper', 'session:colleague').at(-1)?.present, false);
        assert.equal(t.payloads<ColleagueStatus>('sharer', 'session:colleague').at(-1)?.present, false);
        assert.equal(code(await t.sessions.handOver(helper, t.id)), 'wrong-state', 'not handed over to someone away');
        t.clock.advance(graceMs);
        await t.timers.runAll();
        assert.deepEqual(t.states('helper').slice(-1), ['left']);
        assert.equal(t.notifier.to('helper', 'session:ended').length, 0);
        value(await t.sessions.end(helper, t.id));
        const report = (await t.reports.list(contoso.id, {})).items.find((r) => r.sessionId === t.id);
        assert.deepEqual(report?.gaps?.map((g) => [g.role, g.reason, g.to]), [['colleague', 'connection', null]]);
        assert.deepEqual(report?.colleagues?.map((c) => [c.state, c.leftAt]), [['left', iso(t.clock.now())]]);
      });
    });

    describe('second helper: hand-over', () => {
      it('makes the colleague the helper: the former helper is out, the sharer keeps the screen going to the new one', async () => {
        const t = await sharing();
        assert.equal(code(await t.sessions.handOver(helper, t.id)), 'wrong-state', 'nobody to hand over to');
        await asking(t);
        assert.equal(code(await t.sessions.handOver(helper, t.id)), 'wrong-state', 'not allowed yet');
        value(await t.sessions.consent(sharer, { sessionId: t.id, allow: true, member: 'colleague', colleague: onCard(t) }));
        assert.equal(code(await t.sessions.handOver(sharer, t.id)), 'forbidden');
        value(await t.sessions.handOver(helper, t.id));
        assert.deepEqual(t.payloads<SessionEnded>('helper', 'session:ended').map((e) => [e.by, e.reason]), [['helper', 'handed-over']]);
        assert.deepEqual(t.states('colleague').slice(-1), ['handed-over']);
        assert.deepEqual(t.states('sharer').slice(-1), ['handed-over']);
        assert.equal(t.payloads<TrustInfo>('sharer', 'session:trust').at(-1)?.peer.name, colleague.name);
        assert.deepEqual(t.notifier.regrouped.map((r) => r.change), ['colleague-allowed', 'handed-over']);
        // The new helper resumes as the helper; the former one is nobody in it now.
        const r = value(await t.sessions.resume(colleague, { sessionId: t.id, afterSeq: 0 }));
        assert.equal(r.role, 'helper');
        assert.equal(r.value.trust?.role, 'helper');
        assert.equal(r.value.trust?.invitedBy, undefined);
        assert.equal(code(await t.sessions.chat(helper, { sessionId: t.id, clientId: 'h9', text: 'me again' })), 'forbidden');
        assert.equal(code(await t.sessions.end(helper, t.id)), 'forbidden');
        value(await t.sessions.signal(colleague, { sessionId: t.id, signal: answer }));
        assert.equal(t.payloads<{ from: string }>('sharer', 'signal').at(-1)?.from, 'helper', 'the sharer\'s helper connection now');
        // They may invite in turn (the former helper, say).
        value(await t.sessions.invite(colleague, { sessionId: t.id, colleague: helper.upn }));
      });

      it('gives the former helper their place among their live sessions back', async () => {
        const t = await sharing({ liveSessionsPerHelper: 1 });
        assert.equal(code(await t.sessions.create(helper, {})), 'too-many-sessions');
        await allowed(t);
        value(await t.sessions.handOver(helper, t.id));
        value(await t.sessions.create(helper, {}));
      });

      it('counts the session against the colleague\'s own live sessions: one at their limit is not handed more', async () => {
        const t = await sharing({ liveSessionsPerHelper: 1 });
        // The colleague helps someone else already: that is their one live session.
        value(await t.sessions.create(colleague, {}));
        await allowed(t);
        assert.equal(code(await t.sessions.handOver(helper, t.id)), 'too-many-sessions');
        assert.deepEqual((await t.store.get(t.id))?.helper.userId, helper.userId, 'the session stays the helper\'s');
      });

      it('leaves a colleague whose connection went before the answer to their accept out at once', async () => {
        const t = await sharing();
        value(await t.sessions.invite(helper, { sessionId: t.id, colleague: colleague.upn }));
        value(await t.sessions.answerInvite(colleague, { sessionId: t.id, accept: true }, here, async () => false));
        assert.deepEqual(t.states('helper'), ['invited', 'left']);
        assert.deepEqual(t.states('sharer'), ['left']);
        value(await t.sessions.invite(helper, { sessionId: t.id, colleague: colleague.upn }));
      });
    });

    describe('second helper: the report and the receipt', () => {
      it('keeps every invitation in the report, and the allowed colleagues and the hand-over in the receipt', async () => {
        const t = await sharing();
        const t0 = t.clock.now();
        value(await t.sessions.invite(helper, { sessionId: t.id, colleague: colleague.upn }));
        t.clock.advance(1000);
        value(await t.sessions.answerInvite(colleague, { sessionId: t.id, accept: false }, here));
        t.clock.advance(1000);
        value(await t.sessions.invite(helper, { sessionId: t.id, colleague: colleague.upn }));
        value(await t.sessions.answerInvite(colleague, { sessionId: t.id, accept: true }, here));
        t.clock.advance(1000);
        value(await t.sessions.consent(sharer, { sessionId: t.id, allow: true, member: 'colleague', colleague: onCard(t) }));
        t.clock.advance(1000);
        value(await t.sessions.handOver(helper, t.id));
        t.clock.advance(1000);
        value(await t.sessions.end(colleague, t.id));
        const [receipt] = t.payloads<SessionReceipt>('sharer', 'session:receipt');
        assert.deepEqual(receipt?.colleagues, [{ name: colleague.name, upn: colleague.upn, from: iso(t0 + 3000), to: null }]);
        assert.deepEqual(receipt?.handedOverTo, { name: colleague.name, upn: colleague.upn });
        assert.equal(receipt?.helper.name, helper.name, 'the receipt names the helper who started it');
        const [ended] = t.payloads<SessionEnded>('sharer', 'session:ended');
        assert.equal(ended?.by, 'helper', 'ended by the helper of the moment');
        const report = (await t.reports.list(contoso.id, {})).items.find((r) => r.sessionId === t.id);
        const who = { userId: colleague.userId, upn: colleague.upn, name: colleague.name };
        const by = { userId: helper.userId, name: helper.name };
        assert.deepEqual(report?.colleagues, [
          { ...who, invitedBy: by, invitedAt: iso(t0), state: 'declined', answeredAt: iso(t0 + 1000), consent: null, consentAt: null, leftAt: null, handedOverAt: null },
          {
            ...who, invitedBy: by, invitedAt: iso(t0 + 2000), state: 'handed-over', answeredAt: iso(t0 + 2000), consent: 'allowed', consentAt: iso(t0 + 3000),
            leftAt: null, handedOverAt: iso(t0 + 4000),
          },
        ]);
        assert.equal(report?.helper?.name, helper.name, 'the report\'s helper stays the one who started it');
        assert.equal(report?.endedBy, 'helper');
        assert.equal((await t.reports.verify()).intact, true);
      });

      it('keeps a colleague who was in it at the end with the end as their leaving, and the receipt says until the end', async () => {
        const t = await sharing();
        await allowed(t);
        t.clock.advance(5000);
        value(await t.sessions.end(helper, t.id));
        const report = (await t.reports.list(contoso.id, {})).items.find((r) => r.sessionId === t.id);
        assert.deepEqual(report?.colleagues?.map((c) => [c.state, c.leftAt]), [['allowed', report?.endedAt]]);
        const [receipt] = t.payloads<SessionReceipt>('sharer', 'session:receipt');
        assert.deepEqual(receipt?.colleagues?.map((c) => c.to), [null]);
        assert.equal(receipt?.handedOverTo, undefined);
      });
    });
  });
}

