// A live session between two members connected through a cluster's load balancer, each on its own
// node (where the balancer put them; a member sharing a node with the other is moved until it does
// not), as the failover and restart tests start from.
import assert from 'node:assert/strict';
import type { Cluster, ClusterNode } from './cluster.js';
import { demo, next, request, valueOf } from './relay.js';
import { follow, type Member } from './session-member.js';

export interface LiveSession {
  sessionId: string;
  helper: Member;
  sharer: Member;
  /** The node each member's socket is on now. */
  nodeOf(member: Member): ClusterNode;
}

/** `on`: the nodes to pin each member to, instead of the balancer (and no moving apart). */
export async function liveSessionAcross(cluster: Cluster, opts: { split?: boolean; on?: { helper: ClusterNode; sharer: ClusterNode } } = {}): Promise<LiveSession> {
  const helper = follow(await cluster.connect(demo.contosoHelper, opts.on && { node: opts.on.helper }), 'helper');
  const sharer = follow(await cluster.connect(demo.contosoSharer, opts.on && { node: opts.on.sharer }), 'sharer');
  const created = valueOf(await request(helper.socket, 'session:create', {}));
  const sessionId = created.sessionId;
  helper.sessionId = sessionId;
  const joinedSeen = next(helper.socket, 'session:trust', (t) => t.sessionId === sessionId, 15_000);
  valueOf(await request(sharer.socket, 'session:join', { code: created.code }));
  sharer.sessionId = sessionId;
  await joinedSeen;
  const sharing = next(helper.socket, 'session:state', (c) => c.sessionId === sessionId && c.state === 'sharing', 15_000);
  valueOf(await request(sharer.socket, 'session:consent', { sessionId, allow: true }));
  await sharing;

  const nodeOf = (member: Member): ClusterNode => {
    const node = cluster.whereIs(sessionId, member.role);
    assert.ok(node, `no node took the ${member.role}`);
    return node;
  };
  // Round robin usually splits them already; if not, the sharer's connection drops and comes back
  // through the balancer (to the next node) until they are apart.
  for (let moves = 0; opts.split !== false && !opts.on && cluster.nodes.length > 1 && nodeOf(helper) === nodeOf(sharer); moves++) {
    assert.ok(moves < 6, 'the balancer kept both members on one node');
    const resumes = sharer.resumes.length;
    sharer.socket.io.engine.close();
    const res = await sharer.resumed(resumes + 1);
    assert.ok(res.ok, `the sharer could not resume: ${res.ok ? '' : res.error.code}`);
  }
  return { sessionId, helper, sharer, nodeOf };
}

/** Every message both members hold: seq 1..count, each clientId once, each as acknowledged to its sender,
 * and no message pushed twice to anyone. */
export function assertOneThread(s: LiveSession, count: number): void {
  const bySeq = new Map<number, string>();
  for (const member of [s.helper, s.sharer]) {
    assert.equal(member.lastSeq(), count, `the ${member.role} holds ${member.lastSeq()} of ${count} messages in order`);
    assert.equal(member.thread.size, count, `the ${member.role} holds a message beyond ${count}`);
    for (const [seq, m] of member.thread) {
      const known = bySeq.get(seq);
      if (known) assert.equal(m.clientId, known, `seq ${seq} is two different messages`);
      else bySeq.set(seq, m.clientId);
    }
    const pushedSeqs = member.pushed.map((m) => m.seq);
    assert.equal(new Set(pushedSeqs).size, pushedSeqs.length, `the ${member.role} was pushed a message twice: ${pushedSeqs.join(',')}`);
  }
  const clientIds = [...bySeq.values()];
  assert.equal(new Set(clientIds).size, clientIds.length, 'a message was stored twice under two seqs');
}
