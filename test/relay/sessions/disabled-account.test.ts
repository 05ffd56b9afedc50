// A disabled or deleted account (admin view, SCIM; session-service.ts endForUser), in the session
// service, on one node and on Redis: each live session the person is in ends (or their colleague's part,
// or their open invitation closes), found through the member index (relay/src/sessions/person-index.ts)
// and not by reading every live session; and on several nodes, a disable handled by any node finds a
// session held by another, including one created before the index existed, once the node has indexed
// the live sessions at its start.
import assert from 'node:assert/strict';
import type { Invitation, SessionEnded } from '#protocol';
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
