// A node that goes in the middle of a session (DESIGN §12): killed outright, or stopped by the
// orchestrator (SIGTERM: it drains). Its members' clients reconnect through the load balancer to the
// other node and resume; the session goes on, every chat message arrives once, and it is recorded
// once, when it really ends. The production layout: the nodes keep their data in PostgreSQL.
import assert from 'node:assert/strict';
import { demoUsers } from '#relay/directory/index.js';
import { startCluster, type Cluster } from '../../support/cluster.js';
import { assertOneThread, liveSessionAcross, type LiveSession } from '../../support/cluster-session.js';
import { next, request, valueOf, whyEnded } from '../../support/relay.js';
import type { Member } from '../../support/session-member.js';
import { waitFor } from '../../support/wait.js';

const tenantId = demoUsers.contosoHelper.tenantId;

describe('a relay node that goes mid-session', function () {
  this.timeout(180_000);
  let cluster: Cluster;

  beforeEach(async () => {
    cluster = await startCluster({ nodes: 2, postgres: true });
  });
  afterEach(async () => cluster?.stop());

  /** Ends the session by the helper; both are told once, and the reports hold exactly one record. */
  async function endOnce(s: LiveSession): Promise<void> {
    const told = [s.helper, s.sharer].map((m) => next(m.socket, 'session:ended', (e) => e.sessionId === s.sessionId, 15_000));
    valueOf(await request(s.helper.socket, 'session:end', { sessionId: s.sessionId }));
    for (const e of await Promise.all(told)) assert.deepEqual(whyEnded(e), { sessionId: s.sessionId, by: 'helper', reason: 'ended' });
    await waitFor(async () => (await cluster.reportsOf(tenantId, s.sessionId)).length > 0, 15_000, 'the session was never recorded');
    const reports = await cluster.reportsOf(tenantId, s.sessionId);
    assert.equal(reports.length, 1, 'one record for the session');
    assert.equal(reports[0]?.endedBy, 'helper');
    for (const m of [s.helper, s.sharer]) assert.equal(m.ended.length, 1, `the ${m.role} was told the session ended more than once`);
  }

  /** Messages before, while and after `move` happens; then both hold the one thread. */
  async function chatAround(s: LiveSession, moved: Member, move: () => Promise<void>): Promise<void> {
    await s.helper.say('before, from the helper');
    await s.sharer.say('before, from the sharer');
    const movesBefore = moved.resumes.length;
    await move();
    // Sent at once: the moved member's waits in its client until it is connected again.
    await Promise.all([s.helper.say('during, from the helper'), s.sharer.say('during, from the sharer')]);
    const resumed = await moved.resumed(movesBefore + 1);
    assert.ok(resumed.ok, `the ${moved.role} could not resume: ${resumed.ok ? '' : resumed.error.code}`);
    await s.helper.say('after, from the helper');
    await s.sharer.say('after, from the sharer');
    for (const m of [s.helper, s.sharer]) {
      await waitFor(() => m.lastSeq() >= 6, 15_000, `the ${m.role} never held all 6 messages: ${threadOf(m)}; the other: ${threadOf(m === s.helper ? s.sharer : s.helper)}`);
    }
    assertOneThread(s, 6);
    for (const m of [s.helper, s.sharer]) assert.deepEqual(m.ended, [], `the ${m.role} was told the session ended`);
    assert.equal((await cluster.reportsOf(tenantId, s.sessionId)).length, 0, 'the session was recorded while it went on');
  }

  for (const role of ['helper', 'sharer'] as const) {
    it(`SIGKILL of the ${role}'s node: it resumes on the other node and the session goes on`, async () => {
      const s = await liveSessionAcross(cluster);
      const moved = s[role];
      const dead = s.nodeOf(moved);
      const survivor = cluster.nodes.find((n) => n !== dead)!;
      await chatAround(s, moved, async () => {
        const exit = await dead.stop('SIGKILL');
        assert.equal(exit.signal, 'SIGKILL');
      });
      assert.equal(s.nodeOf(moved), survivor);
      await endOnce(s);
    });
  }

  it('SIGTERM drains the node: it exits by itself, its member resumes elsewhere unnoticed, nothing is ended or recorded', async () => {
    const s = await liveSessionAcross(cluster);
    const draining = s.nodeOf(s.helper);
    const survivor = cluster.nodes.find((n) => n !== draining)!;
    await chatAround(s, s.helper, async () => {
      const exit = await draining.stop('SIGTERM');
      // 0: it finished within its bound (main.ts exits with 1 when the bound is reached first).
      assert.equal(exit.code, 0, `the draining node exited with ${exit.code}: ${draining.output().slice(-2000)}`);
      assert.match(draining.output(), /"msg":"relay draining"/);
      assert.match(draining.output(), /"msg":"relay drained"/);
      assert.doesNotMatch(draining.output(), /"msg":"session ended"/, 'the draining node ended a session');
    });
    assert.equal(s.nodeOf(s.helper), survivor);
    // A move the drain made is not the helper going away: the sharer never hears of one.
    assert.deepEqual(s.sharer.peer.filter((p) => p.role === 'helper' && !p.present), [], 'the sharer was told the helper was away');
    await endOnce(s);
  });
});

/** What a member holds, for a failure message: seq:from of its thread, and the seqs pushed to it. */
function threadOf(m: Member): string {
  const held = [...m.thread.values()].sort((x, y) => x.seq - y.seq).map((x) => `${x.seq}:${x.from}`).join(',');
  return `${m.role} holds [${held}], was pushed [${m.pushed.map((x) => x.seq).join(',')}], resumes ${m.resumes.map((r) => (r.ok ? 'ok' : r.error.code)).join(',')}`;
}
