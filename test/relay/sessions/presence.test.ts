// Presence in the session service, with the clock and the grace timers run by hand: what the other
// side is told, what the record keeps, and the races between a grace running out and a resume.
import assert from 'node:assert/strict';
import type { PeerStatus, SessionEnded } from '#protocol';
import { closeFixtureReports, contoso, helper, serviceOn, sharer, value } from '../../fixtures/session-directory.js';
import { liveBackends } from '../../support/live-backends.js';

after(closeFixtureReports);

const here = { address: '127.0.0.1' };
const graceMs = 120_000;


for (const backend of liveBackends()) {
  // The same behaviour with the live state in memory (one node) and in Redis (several nodes).
  const service = serviceOn(backend);
  describe(`live state ${backend.name}`, () => {
    before(() => backend.start());
    after(() => backend.stop());

    async function sharing() {
      const t = await service({ reconnectGraceMs: graceMs });
      const created = value(await t.sessions.create(helper, {}));
      value(await t.sessions.join(sharer, created.code, here));
      value(await t.sessions.consent(sharer, { sessionId: created.sessionId, allow: true }));
      return { ...t, sessionId: created.sessionId };
    }
    const iso = (ms: number) => new Date(ms).toISOString();

    describe('session service: a member away and back', () => {
      it('tells the other side at once, waits one grace, and is undone by a resume', async () => {
        const t = await sharing();
        const from = t.clock.now();
        await t.sessions.away(t.sessionId, 'sharer', 'connection');
        assert.deepEqual(t.notifier.to('helper', 'session:peer').map((s) => s.payload), [
          { sessionId: t.sessionId, role: 'sharer', present: false, away: 'connection', graceEndsAt: iso(from + graceMs), paused: false },
        ] satisfies PeerStatus[]);
        assert.deepEqual(t.timers.due().map((d) => d.ms), [graceMs]);
        t.clock.advance(5000);
        const resumed = value(await t.sessions.resume(sharer, { sessionId: t.sessionId, afterSeq: 0 }));
        assert.deepEqual(resumed.value.peer, { sessionId: t.sessionId, role: 'helper', present: true, paused: false });
        assert.equal(t.timers.due().length, 0, 'the grace timer is gone');
        assert.deepEqual(t.notifier.to('helper', 'session:peer').at(-1)?.payload, { sessionId: t.sessionId, role: 'sharer', present: true, paused: false, restartMedia: false });
        value(await t.sessions.end(helper, t.sessionId));
        const report = (await t.reports.list(contoso.id, {})).items.find((x) => x.sessionId === t.sessionId);
        assert.deepEqual(report?.gaps, [{ role: 'sharer', from: iso(from), to: iso(from + 5000), reason: 'connection' }]);
      });

      it('ends after the grace as connection-lost, the gap open', async () => {
        const t = await sharing();
        await t.sessions.away(t.sessionId, 'helper', 'connection');
        t.clock.advance(graceMs);
        await t.timers.runAll();
        const ended = t.notifier.to('sharer', 'session:ended').map((s) => s.payload as SessionEnded);
        assert.equal(ended.length, 1);
        assert.deepEqual(ended[0] && { by: ended[0].by, reason: ended[0].reason }, { by: 'helper', reason: 'connection-lost' });
        const s = await t.store.get(t.sessionId);
        assert.deepEqual(s?.gaps?.map((g) => g.to), [null]);
      });

      it('does not end a session whose member came back before its timer ran, nor one who went again later', async () => {
        const t = await sharing();
        await t.sessions.away(t.sessionId, 'sharer', 'left');
        const [first] = t.timers.due();
        value(await t.sessions.resume(sharer, { sessionId: t.sessionId, afterSeq: 0 }));
        await t.sessions.away(t.sessionId, 'sharer', 'left'); // away again: a new gap, a new timer
        await first!.run(); // the first absence's timer, late (it had been cleared, but ran anyway)
        assert.equal(t.notifier.to('helper', 'session:ended').length, 0);
        assert.equal((await t.store.get(t.sessionId))?.gaps?.length, 2);
        await t.timers.runAll();
        assert.deepEqual(t.notifier.to('helper', 'session:ended').map((s) => (s.payload as SessionEnded).reason), ['left']);
      });

      it('counts a second departure of a member already away as the same absence', async () => {
        const t = await sharing();
        await t.sessions.away(t.sessionId, 'sharer', 'left');
        await t.sessions.away(t.sessionId, 'sharer', 'connection');
        assert.equal(t.notifier.to('helper', 'session:peer').length, 1);
        assert.equal(t.timers.due().length, 1);
      });

      it('drops the grace timers when the session ends otherwise, and at shutdown', async () => {
        const t = await sharing();
        await t.sessions.away(t.sessionId, 'sharer', 'left');
        value(await t.sessions.end(helper, t.sessionId));
        assert.equal(t.timers.due().length, 0);
        const u = await sharing();
        await u.sessions.away(u.sessionId, 'helper', 'left');
        await u.sessions.shutdown();
        assert.equal(u.timers.due().length, 0);
      });

      it('ends at once, as left, with no grace', async () => {
        const t = await service({ reconnectGraceMs: 0 });
        const created = value(await t.sessions.create(helper, {}));
        value(await t.sessions.join(sharer, created.code, here));
        await t.sessions.away(created.sessionId, 'sharer', 'connection');
        assert.deepEqual(t.notifier.to('helper', 'session:ended').map((s) => [(s.payload as SessionEnded).by, (s.payload as SessionEnded).reason]), [['sharer', 'left']]);
        assert.equal(t.notifier.to('helper', 'session:peer').length, 0);
      });
    });
  });
}
