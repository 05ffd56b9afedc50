// A disabled or deleted account (admin view, SCIM; session-service.ts endForUser), in the session
// service, on one node and on Redis: each live session the person is in ends (or their colleague's part,
// or their open invitation closes), found through the member index (relay/src/sessions/person-index.ts)
// and not by reading every live session; and on several nodes, a disable handled by any node finds a
// session held by another, including one created before the index existed, once the node has indexed
// the live sessions at its start.
import assert from 'node:assert/strict';
import type { ColleagueStatus, Invitation, SessionEnded } from '#protocol';
import { createMemoryPersonIndex } from '#relay/sessions/person-index.js';
import type { SessionStore } from '#relay/sessions/session-store.js';
import {
  closeFixtureReports, colleague, contoso, helper, manualClock, serviceUnderTest, sharer, stranger, value,
} from '../../fixtures/session-directory.js';
import { liveBackends } from '../../support/live-backends.js';

after(closeFixtureReports);

const here = { address: '127.0.0.1' };


/** Counts the session records read through `store` from now on. */
function countReads(store: SessionStore): { count: number } {
  const counter = { count: 0 };
  const get = store.get.bind(store);
  store.get = async (id) => {
    counter.count++;
    return get(id);
  };
  return counter;
}

for (const backend of liveBackends()) {
  describe(`a disabled account, live state ${backend.name}`, () => {
    before(() => backend.start());
    after(() => backend.stop());

    /** A service on fresh live state, its member index at hand. */
    async function node() {
      const store = await backend.sessionStore();
      const members = await backend.personIndex('member');
      const t = serviceUnderTest({
        store: store.value, limits: (await backend.windowCounter()).value,
        invitationIndex: (await backend.personIndex('invited')).value, memberIndex: members.value,
      });
      return { ...t, shared: { store, members } };
    }
    async function created(t: Awaited<ReturnType<typeof node>>, by = helper) {
      return value(await t.sessions.create(by, {}));
    }
    async function joined(t: Awaited<ReturnType<typeof node>>, by = helper, who = sharer) {
      const c = await created(t, by);
      value(await t.sessions.join(who, c.code, here));
      return c.sessionId;
    }
    const stateOf = async (t: { store: SessionStore }, id: string) => (await t.store.get(id))?.state;

    it('ends each session they help in, tells the other side why, and reads only their sessions', async () => {
      const t = await node();
      const helping = await joined(t);
      const waiting = (await created(t)).sessionId;
      // Sessions of other people: a colleague helping the stranger, and many codes nobody used yet.
      const others = [await joined(t, colleague, stranger)];
      for (let i = 0; i < 20; i++) others.push((await created(t, colleague)).sessionId);
      const reads = countReads(t.store);

      assert.equal(await t.sessions.endForUser(contoso.id, helper.userId), 2);
      const readDuringDisable = reads.count;
      assert.ok(readDuringDisable <= 2 * 2, `the disable read ${readDuringDisable} records for 2 sessions of theirs among ${others.length + 2} live ones`);
      assert.equal(await stateOf(t, helping), 'ended');
      assert.equal(await stateOf(t, waiting), 'ended');
      const told = t.notifier.to('sharer', 'session:ended').map((s) => ({ to: s.sessionId, ended: s.payload as SessionEnded }));
      assert.deepEqual(told.map(({ to, ended }) => ({ to, by: ended.by, reason: ended.reason })), [{ to: helping, by: 'helper', reason: 'account-disabled' }]);
      for (const id of others) assert.notEqual(await stateOf(t, id), 'ended', 'another person\'s session goes on');
      assert.deepEqual(await t.shared.members.value.sessionsOf(helper), [], 'ended sessions leave the index');
    });

    it('ends the session of a sharer, and the part of a colleague while the session goes on', async () => {
      const t = await node();
      const shared = await joined(t);
      assert.equal(await t.sessions.endForUser(contoso.id, sharer.userId), 1);
      assert.equal(await stateOf(t, shared), 'ended');
      const toHelper = t.notifier.to('helper', 'session:ended').at(-1)?.payload as SessionEnded;
      assert.deepEqual([toHelper.by, toHelper.reason], ['sharer', 'account-disabled']);

      const helped = await joined(t);
      value(await t.sessions.invite(helper, { sessionId: helped, colleague: colleague.upn }));
      value(await t.sessions.answerInvite(colleague, { sessionId: helped, accept: true }, here));
      assert.equal(await t.sessions.endForUser(contoso.id, colleague.userId), 1);
      assert.equal(await stateOf(t, helped), 'joined', 'the helper and the sharer go on without them');
      assert.equal((await t.store.get(helped))?.colleagues?.at(-1)?.state, 'left');
      const toColleague = t.notifier.to('colleague', 'session:ended').at(-1)?.payload as SessionEnded | undefined;
      assert.deepEqual([toColleague?.by, toColleague?.reason], ['colleague', 'account-disabled'], 'the colleague\'s page is told why');
      assert.equal((t.notifier.to('helper', 'session:colleague').at(-1)?.payload as ColleagueStatus).state, 'left', 'the helper sees them go');
      assert.deepEqual(await t.shared.members.value.sessionsOf(sharer), [helped], 'the sharer\'s ended session left the index; the live one stays');
    });

    it('lets people create, join and invite when the index cannot be written, and logs it', async () => {
      const failing = { ...createMemoryPersonIndex(), add: async () => { throw new Error('index unreachable'); } };
      const t = serviceUnderTest({ store: (await backend.sessionStore()).value, limits: (await backend.windowCounter()).value, memberIndex: failing });
      const c = value(await t.sessions.create(helper, {}));
      value(await t.sessions.join(sharer, c.code, here));
      value(await t.sessions.invite(helper, { sessionId: c.sessionId, colleague: colleague.upn }));
      value(await t.sessions.answerInvite(colleague, { sessionId: c.sessionId, accept: true }, here));
      const failures = t.log.lines.filter((l) => l.includes('indexing a session member failed'));
      assert.equal(failures.length, 3, 'create, join and invite each logged the failure');
      assert.doesNotMatch(failures[0]!, /"level":"(info|debug)"/, 'logged as an error');
    });

    /** A session handed over from the helper to the colleague. */
    async function handedOver(t: Awaited<ReturnType<typeof node>>) {
      const id = await joined(t);
      value(await t.sessions.consent(sharer, { sessionId: id, allow: true }));
      value(await t.sessions.invite(helper, { sessionId: id, colleague: colleague.upn }));
      value(await t.sessions.answerInvite(colleague, { sessionId: id, accept: true }, here));
      value(await t.sessions.consent(sharer, { sessionId: id, allow: true, member: 'colleague' }));
      return id;
    }

    it('after a hand-over, ends the session for its new helper, and not for the one who started it', async () => {
      const t = await node();
      const id = await handedOver(t);
      value(await t.sessions.handOver(helper, id));
      assert.equal(await t.sessions.endForUser(contoso.id, helper.userId), 0, 'the former helper is out of it');
      assert.equal(await stateOf(t, id), 'sharing');
      assert.equal(await t.sessions.endForUser(contoso.id, colleague.userId), 1);
      assert.equal(await stateOf(t, id), 'ended');
      const toSharer = t.notifier.to('sharer', 'session:ended').at(-1)?.payload as SessionEnded | undefined;
      assert.deepEqual([toSharer?.by, toSharer?.reason], ['helper', 'account-disabled']);
      assert.deepEqual(await t.shared.members.value.sessionsOf(helper), [], 'the one who started it left the index with its end');
    });

    it('closes an invitation they had not answered; the session goes on', async () => {
      const t = await node();
      const id = await joined(t);
      value(await t.sessions.invite(helper, { sessionId: id, colleague: colleague.upn }));
      assert.equal(await t.sessions.endForUser(contoso.id, colleague.userId), 0, 'no session of theirs ended');
      assert.equal(await stateOf(t, id), 'joined');
      const closed = t.notifier.to(`user:${colleague.userId}`, 'session:invitation').at(-1)?.payload as Invitation;
      assert.equal(closed.open, false, 'their console is told the invitation is closed');
      assert.deepEqual(value(await t.sessions.invitations(colleague)), []);
    });

    it('counts no session that is already over, and forgets it', async () => {
      const t = await node();
      const id = await joined(t);
      value(await t.sessions.end(helper, id));
      // As if the end had been missed by the index (a node died between the two): the disable drops it.
      await t.shared.members.value.add(helper, id);
      assert.equal(await t.sessions.endForUser(contoso.id, helper.userId), 0);
      assert.deepEqual(await t.shared.members.value.sessionsOf(helper), []);
    });

    // A disable that lands while a create, a join or an accept is on its way: its look at the person's
    // sessions comes before the write that puts them in one. The write is the one these tests hold back.
    describe('that lands while they are joining a session', () => {
      /** Runs `meanwhile` once, just before the next write of `method` on the store (given its arguments), then the write. */
      function beforeNext<M extends 'insert' | 'update'>(store: SessionStore, method: M, meanwhile: (...args: Parameters<SessionStore[M]>) => Promise<void>): void {
        const real = store[method].bind(store) as (...args: unknown[]) => Promise<unknown>;
        let armed = true;
        (store as unknown as Record<M, (...args: unknown[]) => Promise<unknown>>)[method] = async (...args: unknown[]) => {
          if (armed) {
            armed = false;
            await meanwhile(...(args as Parameters<SessionStore[M]>));
          }
          return real(...args);
        };
      }

      it('ends a session a disabled helper was creating, and answers account-disabled', async () => {
        const t = await node();
        let id = '';
        beforeNext(t.store, 'insert', async (session) => {
          id = session.id;
          t.disable(helper);
          assert.equal(await t.sessions.endForUser(contoso.id, helper.userId), 0, 'nothing of theirs stored yet');
        });
        const answer = await t.sessions.create(helper, {});
        assert.equal(answer.ok ? 'ok' : answer.error.code, 'account-disabled');
        assert.equal(await stateOf(t, id), 'ended', 'no session of a disabled helper waits for a sharer');
        assert.deepEqual(await t.store.liveSessions(), []);
      });

      it('ends a session a disabled sharer was joining; the helper is told why', async () => {
        const t = await node();
        const c = await created(t);
        beforeNext(t.store, 'update', async () => {
          t.disable(sharer);
          assert.equal(await t.sessions.endForUser(contoso.id, sharer.userId), 0, 'not in the session yet');
        });
        const answer = await t.sessions.join(sharer, c.code, here);
        assert.equal(answer.ok ? 'ok' : answer.error.code, 'account-disabled');
        assert.equal(await stateOf(t, c.sessionId), 'ended', 'not left until their page\'s grace runs out');
        const toHelper = t.notifier.to('helper', 'session:ended').at(-1)?.payload as SessionEnded | undefined;
        assert.deepEqual([toHelper?.by, toHelper?.reason], ['sharer', 'account-disabled']);
      });

      it('ends a session handed over to a disabled colleague while the disable was ending their part', async () => {
        const t = await node();
        const id = await handedOver(t);
        // The disable read them as the colleague; the hand-over's write comes before its own.
        beforeNext(t.store, 'update', async () => {
          value(await t.sessions.handOver(helper, id));
        });
        assert.equal(await t.sessions.endForUser(contoso.id, colleague.userId), 1, 'decided again as the helper they now are');
        assert.equal(await stateOf(t, id), 'ended');
      });

      it('puts a disabled colleague out again as their accept lands; the session goes on', async () => {
        const t = await node();
        const id = await joined(t);
        value(await t.sessions.invite(helper, { sessionId: id, colleague: colleague.upn }));
        // The disable's look found them invited, just before this write made them a member.
        beforeNext(t.store, 'update', async () => t.disable(colleague));
        const answer = await t.sessions.answerInvite(colleague, { sessionId: id, accept: true }, here);
        assert.equal(answer.ok ? 'ok' : answer.error.code, 'account-disabled');
        const s = await t.store.get(id);
        assert.equal(s?.state, 'joined', 'the helper and the sharer go on');
        assert.equal(s?.colleagues?.at(-1)?.state, 'left');
      });
    });

    if (backend.name === 'in Redis') {
      it('on another node, ends a session held here; one made before the index existed once that node has indexed the live sessions', async () => {
        const store = await backend.sessionStore();
        const limits = await backend.windowCounter();
        const members = await backend.personIndex('member');
        const invited = await backend.personIndex('invited');
        const clock = manualClock();
        const a = serviceUnderTest({ store: store.value, limits: limits.value, invitationIndex: invited.value, memberIndex: members.value, clock });
        const b = serviceUnderTest({
          store: await store.another(), limits: await limits.another(), invitationIndex: await invited.another(), memberIndex: await members.another(), clock,
        });
        // A node of an earlier version: the same live state, no shared member index.
        const old = serviceUnderTest({ store: await store.another(), limits: await limits.another(), memberIndex: createMemoryPersonIndex(), clock });

        const onA = await joined({ ...a, shared: { store, members } } as Awaited<ReturnType<typeof node>>);
        const before = value(await old.sessions.create(helper, {}));
        value(await old.sessions.join(sharer, before.code, here));

        assert.equal(await b.sessions.endForUser(contoso.id, helper.userId), 1, 'the session the old node made is not known yet');
        assert.equal(await stateOf(b, onA), 'ended');
        assert.equal(await stateOf(b, before.sessionId), 'joined');

        assert.equal(await b.sessions.indexLive(), 1, 'the one live session read');
        assert.equal(await b.sessions.endForUser(contoso.id, sharer.userId), 1);
        assert.equal(await stateOf(b, before.sessionId), 'ended');
      });
    }
  });
}
