// Every node restarted (an upgrade, a host reboot): with Redis the live sessions are there when the
// nodes come back and both members resume; without it (one node, memory) they are gone, and both
// members are told so — the relay ends them at a clean stop, and answers not-found to a resume after a
// crash, which the pages show as the session being over (ui/src/session-controller.ts).
import assert from 'node:assert/strict';
import { startCluster, type Cluster } from '../../support/cluster.js';
import { assertOneThread, liveSessionAcross } from '../../support/cluster-session.js';
import { next, whyEnded } from '../../support/relay.js';
import type { Member } from '../../support/session-member.js';
import { waitFor } from '../../support/wait.js';

describe('restarting every relay node', function () {
  this.timeout(180_000);
  let cluster: Cluster | undefined;

  afterEach(async () => {
    await cluster?.stop();
    cluster = undefined;
  });

  it('with Redis (and PostgreSQL): the session survives, both members resume and chat on', async () => {
    const c = (cluster = await startCluster({ nodes: 2, postgres: true }));
    const s = await liveSessionAcross(c);
    await s.helper.say('before the restart');
    // One after the other, as a rolling stop would, then all down at once.
    for (const node of c.nodes) assert.equal((await node.stop('SIGTERM')).code, 0, `node ${node.name} did not drain`);
    // Counted with every node down: a member may have resumed on the second before it stopped too.
    const resumesBefore = [s.helper.resumes.length, s.sharer.resumes.length] as const;
    for (const node of c.nodes) await node.start();
    const [helperBack, sharerBack] = await Promise.all([
      waitForResumeOk(s.helper, resumesBefore[0]), waitForResumeOk(s.sharer, resumesBefore[1]),
    ]);
    assert.equal(helperBack.state, 'sharing');
    assert.equal(sharerBack.state, 'sharing');
    await s.sharer.say('after the restart');
    for (const m of [s.helper, s.sharer]) await waitFor(() => m.lastSeq() >= 2, 15_000, `the ${m.role} never held both messages`);
    assertOneThread(s, 2);
    for (const m of [s.helper, s.sharer]) assert.deepEqual(m.ended, []);
  });

  it('without Redis, a clean stop: both members are told the relay ended the session', async () => {
    const c = (cluster = await startCluster({ nodes: 1, redis: false }));
    const s = await liveSessionAcross(c, { split: false });
    const told = [s.helper, s.sharer].map((m) => next(m.socket, 'session:ended', (e) => e.sessionId === s.sessionId, 15_000));
    assert.equal((await c.nodes[0]!.stop('SIGTERM')).code, 0);
    for (const e of await Promise.all(told)) assert.deepEqual(whyEnded(e), { sessionId: s.sessionId, by: 'relay', reason: 'ended' });
  });

  it('without Redis, a crash: the restarted relay answers both resumes not-found', async () => {
    const c = (cluster = await startCluster({ nodes: 1, redis: false }));
    const s = await liveSessionAcross(c, { split: false });
    const before = [s.helper.resumes.length, s.sharer.resumes.length] as const;
    await c.nodes[0]!.stop('SIGKILL');
    await c.nodes[0]!.start();
    const answers = await Promise.all([s.helper.resumed(before[0] + 1), s.sharer.resumed(before[1] + 1)]);
    for (const a of answers) assert.equal(a.ok ? 'ok' : a.error.code, 'not-found');
  });
});

/** The first resume after `count` that the relay answered ok (earlier ones may find no node up yet). */
async function waitForResumeOk(member: Member, count: number) {
  for (let n = count + 1; ; n++) {
    const res = await member.resumed(n, 60_000);
    if (res.ok) return res.value;
    assert.equal(res.error.code, 'relay-unreachable', `the ${member.role}'s resume was refused: ${res.error.code}`);
  }
}
