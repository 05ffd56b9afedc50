// A session people can rely on (issue 9), over the live relay with real sockets: a member whose page
// closes or whose connection drops is away, the other side hears it at once; back within the reconnect
// grace the session goes on as it was; not back, it ends, saying why. The sharer can pause. A refused
// code says how many tries are left. The report keeps the gaps and the pauses.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { ChatMessage, PeerStatus, SessionReport } from '#protocol';
import { demoTenants, demoUsers } from '#relay/directory/index.js';
import { waitFor } from '../../support/wait.js';
import { demo, gatedStore, next, rawRequest, request, startTestRelay, valueOf, whyEnded, type ClientSocket, type TestRelay } from '../../support/relay.js';

const errorOf = (ack: { ok: boolean; error?: { code: string } }) => (ack.ok ? 'ok' : ack.error!.code);

async function reportOf(t: TestRelay, sessionId: string): Promise<SessionReport> {
  const r = (await t.relay.reports.list(demoTenants.contoso.id, {})).items.find((x) => x.sessionId === sessionId);
  assert.ok(r, 'no report for the session');
  return r;
}

/** Every `session:peer` a socket receives, in order. */
function peerLog(s: ClientSocket): PeerStatus[] {
  const seen: PeerStatus[] = [];
  s.on('session:peer', (p) => seen.push(p));
  return seen;
}

/** A relay with this reconnect grace for the enclosing describe, and a helper connected to it. */
function relayWithGrace(graceMs: number): { readonly t: TestRelay; readonly helper: ClientSocket } {
  let t: TestRelay | undefined;
  let helper: ClientSocket | undefined;
  before(async () => {
    t = await startTestRelay({ RH_RECONNECT_GRACE_MS: String(graceMs) });
    helper = await t.connect(demo.contosoHelper);
  });
  after(async () => t?.stop());
  return {
    get t() { if (!t) throw new Error('the relay did not start'); return t; },
    get helper() { if (!helper) throw new Error('the helper did not connect'); return helper; },
  };
}

describe('a member who goes away and comes back', function () {
  this.timeout(20_000);
  // Long enough for any resume below, however busy the machine; the tests that wait for the end use
  // a relay of their own with a short grace.
  const graceMs = 30_000;
  const relay = relayWithGrace(graceMs);

  async function sharingSession(): Promise<{ sessionId: string; sharer: ClientSocket }> {
    const sharer = await relay.t.connect(demo.contosoSharer);
    const created = valueOf(await request(relay.helper, 'session:create', {}));
    valueOf(await request(sharer, 'session:join', { code: created.code }));
    valueOf(await request(sharer, 'session:consent', { sessionId: created.sessionId, allow: true }));
    return { sessionId: created.sessionId, sharer };
  }

  it('tells the helper within a second that the sharer\'s page went (left), with when the session ends', async () => {
    const { sessionId, sharer } = await sharingSession();
    const away = next(relay.helper, 'session:peer', (p) => p.sessionId === sessionId, 1000);
    const before = Date.now();
    sharer.disconnect(); // what the page does on pagehide
    const status = await away;
    assert.deepEqual({ ...status, graceEndsAt: undefined }, { sessionId, role: 'sharer', present: false, away: 'left', graceEndsAt: undefined, paused: false });
    const endsIn = Date.parse(status.graceEndsAt!) - before;
    assert.ok(endsIn >= graceMs - 1000 && endsIn <= graceMs + 2000, `graceEndsAt is ${endsIn} ms away`);
    valueOf(await request(relay.helper, 'session:end', { sessionId }));
  });

  it('takes a page that goes while its connection stays (the console) as away, and back on its resume', async () => {
    const { sessionId, sharer } = await sharingSession();
    const away = next(sharer, 'session:peer', (p) => p.sessionId === sessionId && !p.present, 1000);
    valueOf(await request(relay.helper, 'session:away', { sessionId }));
    const status = await away;
    assert.equal(status.role, 'helper');
    assert.equal(status.away, 'left');
    // The reloaded console page resumes over the same socket, without media: the sharer offers again.
    const back = next(sharer, 'session:peer', (p) => p.sessionId === sessionId && p.present);
    valueOf(await request(relay.helper, 'session:resume', { sessionId, afterSeq: 0, restartMedia: true }));
    assert.equal((await back).restartMedia, true);
    const stranger = await relay.t.connect(demo.contosoAdmin);
    assert.equal(errorOf(await request(stranger, 'session:away', { sessionId })), 'forbidden');
    assert.equal(errorOf(await rawRequest(relay.helper, 'session:away', { sessionId: 42 })), 'validation');
    valueOf(await request(relay.helper, 'session:end', { sessionId }));
    const report = await reportOf(relay.t, sessionId);
    assert.equal(report.gaps?.length, 1);
    assert.equal(report.gaps?.[0]?.role, 'helper');
    assert.notEqual(report.gaps?.[0]?.to, null);
  });

  it('tells it as a connection lost when the transport just drops', async () => {
    const { sessionId, sharer } = await sharingSession();
    const away = next(relay.helper, 'session:peer', (p) => p.sessionId === sessionId, 1000);
    sharer.io.engine.close(); // as a dead network would: no goodbye on the socket
    assert.equal((await away).away, 'connection');
    valueOf(await request(relay.helper, 'session:end', { sessionId }));
  });

  it('takes the sharer back within the grace: the same session, chat intact, media restarted, the gap on the record', async () => {
    const { sessionId, sharer } = await sharingSession();
    const before = valueOf(await request(sharer, 'chat:send', { sessionId, clientId: randomUUID(), text: 'before the reload' }));
    const away = next(relay.helper, 'session:peer', (p) => p.sessionId === sessionId && !p.present);
    sharer.disconnect();
    await away;
    const whileAway = valueOf(await request(relay.helper, 'chat:send', { sessionId, clientId: randomUUID(), text: 'still there?' }));

    // The reloaded page: a new socket, the same person, no media connection any more.
    const reloaded = await relay.t.connect(demo.contosoSharer);
    const back = next(relay.helper, 'session:peer', (p) => p.sessionId === sessionId && p.present);
    const resumed = valueOf(await request(reloaded, 'session:resume', { sessionId, afterSeq: 0, restartMedia: true }));
    assert.equal(resumed.state, 'sharing');
    assert.equal(resumed.trust?.peer.name, demoUsers.contosoHelper.name);
    assert.deepEqual(resumed.messages, [before, whileAway]);
    assert.deepEqual(resumed.peer, { sessionId, role: 'helper', present: true, paused: false });
    assert.equal(resumed.paused, false);
    assert.deepEqual(await back, { sessionId, role: 'sharer', present: true, paused: false, restartMedia: true });

    // It goes on: a signal reaches the relay.helper, chat continues where it was.
    const offered = next(relay.helper, 'signal', (s) => s.sessionId === sessionId);
    valueOf(await request(reloaded, 'signal:send', { sessionId, signal: { description: { type: 'offer', sdp: 'v=0\r\n' } } }));
    await offered;
    assert.equal(valueOf(await request(reloaded, 'chat:send', { sessionId, clientId: randomUUID(), text: 'back' })).seq, 3);

    const ended = next(relay.helper, 'session:ended', (e) => e.sessionId === sessionId);
    valueOf(await request(relay.helper, 'session:end', { sessionId }));
    await ended;
    const report = await reportOf(relay.t, sessionId);
    assert.equal(report.gaps?.length, 1);
    const [gap] = report.gaps!;
    assert.deepEqual({ role: gap!.role, reason: gap!.reason }, { role: 'sharer', reason: 'left' });
    assert.ok(gap!.to !== null && Date.parse(gap!.to) >= Date.parse(gap!.from), `the gap is not closed: ${JSON.stringify(gap)}`);
    assert.deepEqual(report.pauses, []);
    assert.equal(report.endReason, 'ended');
  });

  it('takes the helper back too, and tells the sharer', async () => {
    const own = await relay.t.connect(demo.contosoHelper);
    const sharer = await relay.t.connect(demo.contosoSharer);
    const created = valueOf(await request(own, 'session:create', {}));
    const sessionId = created.sessionId;
    valueOf(await request(sharer, 'session:join', { code: created.code }));
    const away = next(sharer, 'session:peer', (p) => p.sessionId === sessionId && !p.present, 1000);
    own.disconnect();
    assert.deepEqual({ ...(await away), graceEndsAt: 'x' }, { sessionId, role: 'helper', present: false, away: 'left', graceEndsAt: 'x', paused: false });
    const again = await relay.t.connect(demo.contosoHelper);
    const back = next(sharer, 'session:peer', (p) => p.sessionId === sessionId && p.present);
    const resumed = valueOf(await request(again, 'session:resume', { sessionId, afterSeq: 0 }));
    assert.equal(resumed.state, 'joined');
    assert.deepEqual(resumed.peer, { sessionId, role: 'sharer', present: true, paused: false });
    assert.deepEqual(await back, { sessionId, role: 'helper', present: true, paused: false, restartMedia: false });
    valueOf(await request(again, 'session:end', { sessionId }));
  });

  it('answers the away member\'s status to a side that resumes while the other is still away', async () => {
    const { sessionId, sharer } = await sharingSession();
    const away = next(relay.helper, 'session:peer', (p) => p.sessionId === sessionId && !p.present);
    sharer.disconnect();
    await away;
    const resumed = valueOf(await request(relay.helper, 'session:resume', { sessionId, afterSeq: 0 }));
    assert.equal(resumed.peer?.present, false);
    assert.equal(resumed.peer?.away, 'left');
    valueOf(await request(relay.helper, 'session:end', { sessionId }));
  });

  it('tells the sharer to offer again when the helper\'s console reloaded on a socket that stayed up', async () => {
    const { sessionId, sharer } = await sharingSession();
    const restart = next(sharer, 'session:peer', (p) => p.sessionId === sessionId);
    valueOf(await request(relay.helper, 'session:resume', { sessionId, afterSeq: 0, restartMedia: true }));
    assert.deepEqual(await restart, { sessionId, role: 'helper', present: true, paused: false, restartMedia: true });
    // A plain resume of a member who never went tells nobody anything.
    const seen = peerLog(sharer);
    valueOf(await request(relay.helper, 'session:resume', { sessionId, afterSeq: 0 }));
    const barrier = next(sharer, 'chat:message', (m) => m.sessionId === sessionId);
    valueOf(await request(relay.helper, 'chat:send', { sessionId, clientId: randomUUID(), text: 'barrier' }));
    await barrier;
    assert.deepEqual(seen, []);
    valueOf(await request(relay.helper, 'session:end', { sessionId }));
  });

  it('tells a sharer who joins while the helper is away', async () => {
    const own = await relay.t.connect(demo.contosoHelper);
    const created = valueOf(await request(own, 'session:create', {}));
    own.disconnect();
    await waitFor(async () => (await relay.t.relay.sessions.peerNotice(created.sessionId, 'sharer'))?.present === false, 5000, 'the relay never saw the helper go');
    const sharer = await relay.t.connect(demo.contosoSharer);
    const order: string[] = [];
    sharer.on('session:peer', () => order.push('session:peer'));
    const told = next(sharer, 'session:peer', (p) => p.sessionId === created.sessionId);
    // The answer is noted in its own callback (an awaited promise would note it a microtask late).
    await new Promise<void>((resolve) => sharer.emit('session:join', { code: created.code }, (ack) => {
      order.push('join answered');
      valueOf(ack);
      resolve();
    }));
    assert.deepEqual({ ...(await told), graceEndsAt: 'x' }, { sessionId: created.sessionId, role: 'helper', present: false, away: 'left', graceEndsAt: 'x', paused: false });
    assert.deepEqual(order, ['join answered', 'session:peer'], 'told after the answer that names the session');
    valueOf(await request(sharer, 'session:end', { sessionId: created.sessionId }));
  });

  describe('pausing', () => {
    it('is the sharer\'s, while sharing: the helper is told, twice the same is no new pause, the report keeps them', async () => {
      const sharer = await relay.t.connect(demo.contosoSharer);
      const created = valueOf(await request(relay.helper, 'session:create', {}));
      const sessionId = created.sessionId;
      assert.equal(errorOf(await request(sharer, 'session:pause', { sessionId, paused: true })), 'forbidden', 'not a member yet');
      valueOf(await request(sharer, 'session:join', { code: created.code }));
      assert.equal(errorOf(await request(sharer, 'session:pause', { sessionId, paused: true })), 'wrong-state', 'not sharing yet');
      valueOf(await request(sharer, 'session:consent', { sessionId, allow: true }));
      assert.equal(errorOf(await request(relay.helper, 'session:pause', { sessionId, paused: true })), 'forbidden', 'the helper does not pause');

      const seen = peerLog(relay.helper);
      const paused = next(relay.helper, 'session:peer', (p) => p.sessionId === sessionId);
      assert.equal(valueOf(await request(sharer, 'session:pause', { sessionId, paused: true })), null);
      assert.deepEqual(await paused, { sessionId, role: 'sharer', present: true, paused: true });
      valueOf(await request(sharer, 'session:pause', { sessionId, paused: true })); // again: ok, nothing new
      assert.equal(valueOf(await request(relay.helper, 'session:resume', { sessionId, afterSeq: 0 })).paused, true);
      const resumed = next(relay.helper, 'session:peer', (p) => p.sessionId === sessionId && !p.paused);
      valueOf(await request(sharer, 'session:pause', { sessionId, paused: false }));
      await resumed;
      valueOf(await request(sharer, 'session:pause', { sessionId, paused: false })); // not paused: ok, nothing new
      valueOf(await request(sharer, 'session:pause', { sessionId, paused: true })); // and paused when it ends
      const barrier = next(relay.helper, 'chat:message', (m) => m.sessionId === sessionId);
      valueOf(await request(sharer, 'chat:send', { sessionId, clientId: randomUUID(), text: 'barrier' }));
      await barrier;
      assert.deepEqual(seen.filter((p) => p.sessionId === sessionId).map((p) => p.paused), [true, false, true]);

      valueOf(await request(sharer, 'session:end', { sessionId }));
      assert.equal(errorOf(await request(sharer, 'session:pause', { sessionId, paused: false })), 'session-ended');
      const report = await reportOf(relay.t, sessionId);
      assert.equal(report.pauses?.length, 2);
      assert.ok(report.pauses![0]!.to !== null, 'the first pause ended');
      assert.equal(report.pauses![1]!.to, null, 'the session ended paused');
      assert.deepEqual(report.gaps, []);
      assert.equal((await relay.t.relay.reports.verify()).intact, true);
    });

    it('refuses bad input without touching the session', async () => {
      const { sessionId, sharer } = await sharingSession();
      const stranger = await relay.t.connect(demo.contosoAdmin);
      for (const bad of [undefined, {}, { sessionId }, { sessionId, paused: 'yes' }, { sessionId: 'x'.repeat(10_000), paused: true }, { sessionId, paused: true, extra: 1 }]) {
        assert.ok(['validation', 'payload-too-large'].includes(errorOf(await rawRequest(sharer, 'session:pause', bad))), JSON.stringify(bad)?.slice(0, 80));
      }
      assert.equal(errorOf(await request(stranger, 'session:pause', { sessionId, paused: true })), 'forbidden');
      assert.equal(errorOf(await request(stranger, 'session:resume', { sessionId, afterSeq: 0, restartMedia: true })), 'forbidden');
      assert.equal(errorOf(await request(sharer, 'session:pause', { sessionId: randomUUID(), paused: true })), 'not-found');
      stranger.disconnect();
      // Still alive for both.
      const arrived = next(relay.helper, 'chat:message', (m) => m.sessionId === sessionId);
      valueOf(await request(sharer, 'chat:send', { sessionId, clientId: randomUUID(), text: 'still here' }));
      await arrived;
      valueOf(await request(relay.helper, 'session:end', { sessionId }));
    });
  });
});

describe('a member who does not come back', function () {
  this.timeout(20_000);
  const graceMs = 400;
  const relay = relayWithGrace(graceMs);

  for (const [how, go, reason, gapReason] of [
    ['whose page closed', (s: ClientSocket) => s.disconnect(), 'left', 'left'],
    ['whose connection dropped', (s: ClientSocket) => s.io.engine.close(), 'connection-lost', 'connection'],
  ] as const) {
    it(`ends the session after the grace, for a sharer ${how}: reason ${reason}, the gap open on the record`, async () => {
      const sharer = await relay.t.connect(demo.contosoSharer);
      const created = valueOf(await request(relay.helper, 'session:create', {}));
      const sessionId = created.sessionId;
      valueOf(await request(sharer, 'session:join', { code: created.code }));
      valueOf(await request(sharer, 'session:consent', { sessionId, allow: true }));
      const away = next(relay.helper, 'session:peer', (p) => p.sessionId === sessionId, 1000);
      const ended = next(relay.helper, 'session:ended', (e) => e.sessionId === sessionId, 10_000);
      go(sharer);
      const status = await away;
      const told = await ended;
      assert.deepEqual(whyEnded(told), { sessionId, by: 'sharer', reason });
      assert.ok(Date.parse(told.at!) >= Date.parse(status.graceEndsAt!) - 50, 'ended before the grace was over');
      assert.ok(told.sharingSince, 'it had been shared');
      const report = await reportOf(relay.t, sessionId);
      assert.deepEqual(report.gaps?.map((g) => [g.role, g.reason, g.to]), [['sharer', gapReason, null]]);
      assert.deepEqual([report.endedBy, report.endReason, report.outcome], ['sharer', reason, 'completed']);
    });
  }

  it('ends a waiting code\'s session when its helper does not come back', async () => {
    const own = await relay.t.connect(demo.contosoHelper);
    const created = valueOf(await request(own, 'session:create', {}));
    own.disconnect();
    const sharer = await relay.t.connect(demo.contosoSharer);
    // The session is over once the helper's grace is: the code no longer opens it.
    await waitFor(async () => (await relay.t.relay.reports.list(demoTenants.contoso.id, {})).items.some((r) => r.sessionId === created.sessionId), 5000, 'the session never ended');
    assert.equal(errorOf(await request(sharer, 'session:join', { code: created.code })), 'code-used');
    const report = await reportOf(relay.t, created.sessionId);
    assert.deepEqual([report.endedBy, report.endReason, report.gaps], ['helper', 'left', undefined]);
    sharer.disconnect();
  });

  it('keeps the report chain intact with gaps and pauses in it', async () => {
    assert.equal((await relay.t.relay.reports.verify()).intact, true);
  });
});

/** A helper and a sharer connected to `t`, in a session the sharer joined. */
async function joinedOn(t: TestRelay): Promise<{ helper: ClientSocket; sharer: ClientSocket; sessionId: string }> {
  const helper = await t.connect(demo.contosoHelper);
  const sharer = await t.connect(demo.contosoSharer);
  const created = valueOf(await request(helper, 'session:create', {}));
  valueOf(await request(sharer, 'session:join', { code: created.code }));
  return { helper, sharer, sessionId: created.sessionId };
}

describe('a resume whose socket goes before its answer', () => {
  it('leaves the member away again, so the session still ends if it does not come back', async () => {
    // Held at the resume's first read, before the socket is attached: gone by the time it would be.
    const gate = gatedStore('get');
    const t = await startTestRelay({ RH_RECONNECT_GRACE_MS: '30000' }, { store: gate.store });
    try {
      const { helper, sharer, sessionId } = await joinedOn(t);
      const seen = peerLog(helper);
      const firstAway = next(helper, 'session:peer', (p) => !p.present);
      sharer.disconnect();
      await firstAway;

      const again = await t.connect(demo.contosoSharer);
      const server = t.relay.io.of('/').sockets.get(again.id ?? '');
      assert.ok(server, 'the relay does not know the socket');
      const held = gate.arm();
      again.emit('session:resume', { sessionId, afterSeq: 0 }, () => undefined);
      await held.reached;
      const gone = new Promise<void>((resolve) => server.once('disconnect', () => resolve()));
      const awayAgain = next(helper, 'session:peer', (p) => !p.present);
      again.disconnect();
      await gone;
      held.release();
      assert.equal((await awayAgain).away, 'connection');
      assert.deepEqual(seen.map((p) => p.present), [false, true, false]);
    } finally {
      await t.stop();
    }
  });
});

describe('a resume while the other side speaks', () => {
  it('gets a message sent between its read of the chat and its answer, once', async () => {
    // Held with the chat read and the answer not given: the helper speaks right then. The resumed socket
    // was put in the session's rooms before that read, so the message reaches it as it is sent.
    const gate = gatedStore('chatAfter', 'after');
    const t = await startTestRelay({ RH_RECONNECT_GRACE_MS: '30000' }, { store: gate.store });
    try {
      const { helper, sharer, sessionId } = await joinedOn(t);
      valueOf(await request(helper, 'chat:send', { sessionId, clientId: randomUUID(), text: 'before the reload' }));
      const away = next(helper, 'session:peer', (p) => !p.present);
      sharer.disconnect();
      await away;

      const again = await t.connect(demo.contosoSharer);
      const received: ChatMessage[] = [];
      again.on('chat:message', (m) => received.push(m));
      const held = gate.arm();
      const resumed = request(again, 'session:resume', { sessionId, afterSeq: 0 });
      await held.reached;
      const meanwhile = valueOf(await request(helper, 'chat:send', { sessionId, clientId: randomUUID(), text: 'while you were reading' }));
      held.release();
      const answer = valueOf(await resumed);
      assert.deepEqual(answer.messages.map((m) => m.text), ['before the reload'], 'the chat as it was read');
      await waitFor(() => received.length > 0, 5000, 'the message sent during the resume never reached the resumed page');
      assert.deepEqual(received.map((m) => [m.seq, m.text]), [[meanwhile.seq, 'while you were reading']]);
    } finally {
      await t.stop();
    }
  });
});

describe('a resume while the session ends', () => {
  it('is answered with the end, not with the session as it was when the resume began', async () => {
    // Held with the resume's first read done: the helper ends the session right then.
    const gate = gatedStore('get', 'after');
    const t = await startTestRelay({ RH_RECONNECT_GRACE_MS: '30000' }, { store: gate.store });
    try {
      const { helper, sharer, sessionId } = await joinedOn(t);
      const away = next(helper, 'session:peer', (p) => !p.present);
      sharer.disconnect();
      await away;
      const again = await t.connect(demo.contosoSharer);
      const held = gate.arm();
      const resumed = request(again, 'session:resume', { sessionId, afterSeq: 0 });
      await held.reached;
      valueOf(await request(helper, 'session:end', { sessionId }));
      held.release();
      assert.equal(valueOf(await resumed).state, 'ended', 'the resumed page was told the session goes on');
    } finally {
      await t.stop();
    }
  });
});

describe('a relay without a reconnect grace (RH_RECONNECT_GRACE_MS=0)', () => {
  it('ends the session at once when a member goes, reason left, as before', async () => {
    const t = await startTestRelay({ RH_RECONNECT_GRACE_MS: '0' });
    try {
      const { helper, sharer, sessionId } = await joinedOn(t);
      const seen = peerLog(helper);
      const ended = next(helper, 'session:ended', (e) => e.sessionId === sessionId, 2000);
      sharer.io.engine.close();
      assert.deepEqual(whyEnded(await ended), { sessionId, by: 'sharer', reason: 'left' });
      assert.deepEqual(seen, []);
    } finally {
      await t.stop();
    }
  });
});

describe('a refused code', () => {
  it('says how many more tries are left, down to rate-limited', async () => {
    const t = await startTestRelay({ RH_JOIN_FAILURES_PER_USER: '3', RH_JOIN_FAILURES_PER_ADDRESS: '100' });
    try {
      const sharer = await t.connect(demo.contosoSharer);
      const left = [];
      for (let i = 0; i < 3; i++) {
        const r = await request(sharer, 'session:join', { code: 'zzzzzzzz' });
        assert.equal(errorOf(r), 'code-invalid');
        left.push(r.ok ? undefined : r.error.attemptsLeft);
      }
      assert.deepEqual(left, [2, 1, 0]);
      const limited = await request(sharer, 'session:join', { code: 'zzzzzzzz' });
      assert.equal(errorOf(limited), 'rate-limited');
    } finally {
      await t.stop();
    }
  });

  it('counts the tighter of the per-user and per-address limits', async () => {
    const t = await startTestRelay({ RH_JOIN_FAILURES_PER_USER: '10', RH_JOIN_FAILURES_PER_ADDRESS: '2' });
    try {
      const sharer = await t.connect(demo.contosoSharer);
      const r = await request(sharer, 'session:join', { code: 'zzzzzzzz' });
      assert.deepEqual(r.ok ? 'ok' : [r.error.code, r.error.attemptsLeft], ['code-invalid', 1]);
      // A used code counts the same way, and says so.
      const helper = await t.connect(demo.contosoHelper);
      const other = await t.connect(demo.contosoAdmin);
      const created = valueOf(await request(helper, 'session:create', {}));
      valueOf(await request(other, 'session:join', { code: created.code }));
      const used = await request(sharer, 'session:join', { code: created.code });
      assert.deepEqual(used.ok ? 'ok' : [used.error.code, used.error.attemptsLeft], ['code-used', 0]);
      assert.equal(errorOf(await request(sharer, 'session:join', { code: created.code })), 'rate-limited');
    } finally {
      await t.stop();
    }
  });
});
