import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { ChatMessage, SessionEnded, TrustInfo } from '#protocol';
import { demoDevices, demoTenants, demoUsers } from '#relay/directory/index.js';
import { connected, demo, httpsGet, next, rawRequest, request, startTestRelay, valueOf, whyEnded, type ClientSocket, type TestRelay } from '../../support/relay.js';
import { webSignIn } from '../../support/sign-in.js';

const noncompliant = demoDevices.find((d) => d.tenantId === demoTenants.contoso.id && d.compliance === 'noncompliant')!;
const offer = { description: { type: 'offer' as const, sdp: 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n' } };
const answer = { description: { type: 'answer' as const, sdp: 'v=0\r\n' } };
const candidate = { candidate: { candidate: 'candidate:1 1 udp 2122260223 127.0.0.1 54321 typ host', sdpMid: '0', sdpMLineIndex: 0 } };
const texts = ['你好，我看不到打印机', 'مرحبا، شكرا لك', 'Thanks 👍🏽🎉 done', '<img src=x onerror=alert(1)>'];

describe('a session over the live relay', function () {
  let relay: TestRelay;
  let helper: ClientSocket;
  let sharer: ClientSocket;

  before(async () => {
    relay = await startTestRelay();
    [helper, sharer] = await Promise.all([relay.connect(demo.contosoHelper), relay.connect(demo.contosoSharer)]);
  });
  after(async () => relay?.stop());

  async function started(deviceId?: string) {
    const created = valueOf(await request(helper, 'session:create', deviceId ? { deviceId } : {}));
    const helperTrust = next(helper, 'session:trust', (t) => t.sessionId === created.sessionId);
    const sharerTrust = valueOf(await request(sharer, 'session:join', { code: created.code }));
    return { created, sessionId: created.sessionId, sharerTrust, helperTrust: await helperTrust };
  }

  it('serves health and the page headers', async () => {
    const health = await httpsGet(`${relay.url}/healthz`, relay.caPem);
    assert.equal(health.status, 200);
    assert.equal(health.headers['referrer-policy'], 'no-referrer');
    assert.equal(health.headers['x-content-type-options'], 'nosniff');
  });

  it('lets a web page signed in by cookie in, from its own origin only', async () => {
    const cookie = await webSignIn(relay.url, demo.contosoHelper, 'RemoteHelp!2026', relay.caPem);
    const web = await connected(relay.socket(undefined, { headers: { cookie, origin: relay.url } }));
    const created = valueOf(await request(web, 'session:create', {}));
    const trust = next(web, 'session:trust', (t) => t.sessionId === created.sessionId);
    valueOf(await request(sharer, 'session:join', { code: created.code }));
    assert.equal((await trust).peer.name, demoUsers.contosoSharer.name);
    valueOf(await request(web, 'session:end', { sessionId: created.sessionId }));
    web.disconnect();
    const foreign = await connected(relay.socket(undefined, { headers: { cookie, origin: 'https://localhost:1' } })).then(
      () => undefined, (e: Error & { data?: { code?: string } }) => e);
    assert.equal(foreign?.data?.code, 'unauthenticated');
  });

  it('carries create → join → trust → allow → signals → chat → end by the helper', async () => {
    const { created, sessionId, sharerTrust, helperTrust } = await started(noncompliant.id);
    assert.match(created.code, /^[0-9A-HJKMNP-TV-Z]{8}$/);
    assert.equal(created.link, `${relay.url}/rh?passcode=${created.code}`);

    // The sharer sees who is asking; the helper sees the sharer and the device's warnings.
    const seenBySharer: TrustInfo = sharerTrust;
    assert.equal(seenBySharer.role, 'sharer');
    assert.equal(seenBySharer.peer.name, demoUsers.contosoHelper.name);
    assert.equal(seenBySharer.peer.jobTitle, demoUsers.contosoHelper.jobTitle);
    assert.equal(seenBySharer.peer.domain, 'contoso.example');
    assert.equal(seenBySharer.peer.domainVerified, true);
    assert.equal(helperTrust.role, 'helper');
    assert.equal(helperTrust.peer.name, demoUsers.contosoSharer.name);
    assert.equal(helperTrust.device?.name, noncompliant.name);
    // The sharer's browser proved no device key: besides the device's own state, the helper is told that.
    assert.deepEqual(helperTrust.warnings, [
      { kind: 'noncompliant', reasons: noncompliant.complianceReasons },
      { kind: 'unconfirmed-device', deviceName: noncompliant.name, reasons: [] },
    ]);
    assert.equal(helperTrust.permission, 'view-screen');
    assert.equal(seenBySharer.permission, 'view-screen');

    const sharing = next(helper, 'session:state', (c) => c.sessionId === sessionId && c.state === 'sharing');
    assert.deepEqual(valueOf(await request(sharer, 'session:consent', { sessionId, allow: true })), { sessionId, state: 'sharing' });
    await sharing;

    const gotOffer = next(helper, 'signal', (m) => m.sessionId === sessionId);
    valueOf(await request(sharer, 'signal:send', { sessionId, signal: offer }));
    assert.deepEqual((await gotOffer).signal, offer);
    const gotAnswer = next(sharer, 'signal', (m) => m.sessionId === sessionId && 'description' in m.signal);
    valueOf(await request(helper, 'signal:send', { sessionId, signal: answer }));
    assert.deepEqual((await gotAnswer).signal, answer);
    const gotCandidate = next(helper, 'signal', (m) => m.sessionId === sessionId && 'candidate' in m.signal);
    valueOf(await request(sharer, 'signal:send', { sessionId, signal: candidate }));
    assert.deepEqual((await gotCandidate).signal, candidate);
    // The commit to a certificate (Verification code v2) is the helper's, to the sharer; the sharer never sends one.
    const commit = { commit: 'Ucr0ORAOTaeK5PJMjzL9uzIx9jF_VSKSvs02K3szQj4' };
    const gotCommit = next(sharer, 'signal', (m) => m.sessionId === sessionId && 'commit' in m.signal);
    valueOf(await request(helper, 'signal:send', { sessionId, signal: commit }));
    const commitSeen = await gotCommit;
    assert.deepEqual([commitSeen.signal, commitSeen.from], [commit, 'helper']);
    const sharerCommit = await request(sharer, 'signal:send', { sessionId, signal: commit });
    assert.equal(sharerCommit.ok ? 'forwarded' : sharerCommit.error.code, 'forbidden', 'the relay forwarded a commit from the sharer');
    // A connection the sharer's page could not make is said to the helper, whose page would wait for a picture;
    // the sharer's page makes the connections, so the helper's does not say it.
    const failed = { failed: 'ice-unavailable' as const };
    const gotFailed = next(helper, 'signal', (m) => m.sessionId === sessionId && 'failed' in m.signal);
    valueOf(await request(sharer, 'signal:send', { sessionId, signal: failed }));
    const failedSeen = await gotFailed;
    assert.deepEqual([failedSeen.signal, failedSeen.from], [failed, 'sharer']);
    const helperFailed = await request(helper, 'signal:send', { sessionId, signal: { failed: 'verification-mismatch' } });
    assert.equal(helperFailed.ok ? 'forwarded' : helperFailed.error.code, 'forbidden', 'the relay forwarded a failed connection from the helper');
    const madeUp = await rawRequest(sharer, 'signal:send', { sessionId, signal: { failed: 'bored' } });
    assert.equal(madeUp.ok ? 'forwarded' : madeUp.error.code, 'validation', 'the relay forwarded a reason not in the protocol');

    // Chat both ways; every text round-trips byte for byte, in one numbered thread.
    const received: { helper: ChatMessage[]; sharer: ChatMessage[] } = { helper: [], sharer: [] };
    helper.on('chat:message', (m) => m.sessionId === sessionId && received.helper.push(m));
    sharer.on('chat:message', (m) => m.sessionId === sessionId && received.sharer.push(m));
    const acks: ChatMessage[] = [];
    for (const [i, text] of texts.entries()) {
      const from = i % 2 === 0 ? sharer : helper;
      const other = i % 2 === 0 ? helper : sharer;
      const arrived = next(other, 'chat:message', (m) => m.sessionId === sessionId && m.seq === i + 1);
      acks.push(valueOf(await request(from, 'chat:send', { sessionId, clientId: randomUUID(), text })));
      assert.equal((await arrived).text, text);
    }
    assert.deepEqual(acks.map((m) => m.seq), [1, 2, 3, 4]);
    assert.deepEqual(acks.map((m) => m.text), texts);
    assert.deepEqual(acks.map((m) => m.from), ['sharer', 'helper', 'sharer', 'helper']);
    assert.equal(acks[0]?.senderName, demoUsers.contosoSharer.name);
    // Each side is pushed the other's messages, once each, and never its own: the ack carries those.
    assert.deepEqual(received.helper.map((m) => m.text), texts.filter((_, i) => i % 2 === 0));
    assert.deepEqual(received.sharer.map((m) => m.text), texts.filter((_, i) => i % 2 === 1));

    const sharerTold = next(sharer, 'session:ended', (e) => e.sessionId === sessionId);
    const helperTold = next(helper, 'session:ended', (e) => e.sessionId === sessionId);
    valueOf(await request(helper, 'session:end', { sessionId }));
    const toSharer = await sharerTold;
    const toHelper = await helperTold;
    assert.deepEqual(toHelper, toSharer, 'both sides are told the same');
    const expected: SessionEnded = { sessionId, by: 'helper', reason: 'ended', at: toHelper.at!, sharingSince: toHelper.sharingSince! };
    assert.deepEqual(toHelper, expected);
    assert.ok(Date.parse(expected.sharingSince!) <= Date.parse(expected.at!), 'sharing began before it ended');
    const late = await request(sharer, 'chat:send', { sessionId, clientId: randomUUID(), text: 'still there?' });
    assert.equal(late.ok ? 'ok' : late.error.code, 'session-ended');

    for (const line of relay.logLines) {
      assert.ok(!line.includes(created.code), 'a security code reached the log');
      for (const text of texts) assert.ok(!line.includes(text), 'chat text reached the log');
    }
  });

  it('tells the helper at once when the sharer ends it', async () => {
    const { sessionId } = await started();
    const told = next(helper, 'session:ended', (e) => e.sessionId === sessionId);
    valueOf(await request(sharer, 'session:end', { sessionId }));
    assert.deepEqual(whyEnded(await told), { sessionId, by: 'sharer', reason: 'ended' });
  });

  it('warns the helper that an unjoined-way device is not enrolled', async () => {
    const { sessionId, helperTrust } = await started();
    assert.deepEqual(helperTrust.warnings, [{ kind: 'unenrolled', reasons: [] }]);
    assert.equal(helperTrust.device, undefined);
    valueOf(await request(helper, 'session:end', { sessionId }));
  });

  it('tells the helper the request was declined on Deny', async () => {
    const { sessionId } = await started();
    const told = next(helper, 'session:ended', (e) => e.sessionId === sessionId);
    assert.deepEqual(valueOf(await request(sharer, 'session:consent', { sessionId, allow: false })), { sessionId, state: 'denied' });
    assert.deepEqual(whyEnded(await told), { sessionId, by: 'sharer', reason: 'denied' });
  });

  it('takes a code as a person reads it out: any case, spaces or dashes, O for 0, I or L for 1', async () => {
    const created = valueOf(await request(helper, 'session:create', {}));
    // Written the way someone types what they heard: lower case, grouped, a dash, look-alikes for 0 and 1.
    const spoken = `${created.code.slice(0, 4)} -${created.code.slice(4)}`.toLowerCase().replace(/0/g, 'o').replace(/1/g, 'l');
    const joined = await request(sharer, 'session:join', { code: spoken });
    assert.equal(joined.ok ? joined.value.sessionId : joined.error.code, created.sessionId);
    valueOf(await request(helper, 'session:end', { sessionId: created.sessionId }));
  });

  it('refuses a wrong code, a used code and a sharer of another tenant, each with its code', async () => {
    const wrong = await request(sharer, 'session:join', { code: 'zzzzzzzz' });
    assert.equal(wrong.ok ? 'ok' : wrong.error.code, 'code-invalid');
    const { created, sessionId } = await started();
    const used = await request(sharer, 'session:join', { code: created.code });
    assert.equal(used.ok ? 'ok' : used.error.code, 'code-used');
    valueOf(await request(helper, 'session:end', { sessionId }));

    const fabrikam = await relay.connect(demo.fabrikamSharer);
    const fresh = valueOf(await request(helper, 'session:create', {}));
    const other = await request(fabrikam, 'session:join', { code: fresh.code });
    // Another organization's code reads as no code at all (the report keeps the difference).
    assert.equal(other.ok ? 'ok' : other.error.code, 'code-invalid');
    valueOf(await request(helper, 'session:end', { sessionId: fresh.sessionId }));
    fabrikam.disconnect();
  });

  it('refuses a creator without a role, and the unenrolled way where the tenant forbids it', async () => {
    const noRole = await request(sharer, 'session:create', {});
    assert.equal(noRole.ok ? 'ok' : noRole.error.code, 'permission-missing');
    const fabrikamHelper = await relay.connect(demo.fabrikamHelper);
    const unenrolled = await request(fabrikamHelper, 'session:create', {});
    assert.equal(unenrolled.ok ? 'ok' : unenrolled.error.code, 'unenrolled-not-allowed');
    const foreignDevice = await request(fabrikamHelper, 'session:create', { deviceId: noncompliant.id });
    assert.equal(foreignDevice.ok ? 'ok' : foreignDevice.error.code, 'not-found');
    fabrikamHelper.disconnect();
  });

  it('rate-limits a user after 5 failed codes, even for a right one', async () => {
    const guesser = await relay.connect(demo.contosoAdmin); // no failed attempt before this test
    for (let i = 0; i < 5; i++) {
      const r = await request(guesser, 'session:join', { code: `0000000${i}` });
      assert.equal(r.ok ? 'ok' : r.error.code, 'code-invalid');
    }
    const created = valueOf(await request(helper, 'session:create', {}));
    const limited = await request(guesser, 'session:join', { code: created.code });
    assert.equal(limited.ok ? 'ok' : limited.error.code, 'rate-limited');
    // The code itself is untouched: its sharer still gets in.
    valueOf(await request(sharer, 'session:join', { code: created.code }));
    valueOf(await request(helper, 'session:end', { sessionId: created.sessionId }));
    guesser.disconnect();
  });

  // A socket that goes away (page closed, connection dropped), with and without a resume: presence.test.ts.

  it('resumes after a brief drop with the missed messages, no duplicates', async () => {
    // A relay of its own, whose reconnect grace is as long as any request's ceiling in these tests:
    // the sharer's resume below must arrive within it, however busy the machine.
    const graceMs = 5000;
    const own = await startTestRelay({ RH_RECONNECT_GRACE_MS: String(graceMs) });
    try {
      const helper = await own.connect(demo.contosoHelper);
      const first = await own.connect(demo.contosoSharer);
      const created = valueOf(await request(helper, 'session:create', {}));
      const sessionId = created.sessionId;
      valueOf(await request(first, 'session:join', { code: created.code }));
      const m1 = valueOf(await request(first, 'chat:send', { sessionId, clientId: randomUUID(), text: 'before the drop' }));
      assert.equal(m1.seq, 1);

      // The relay starts the old socket's grace when it sees the drop; a timer of the same length set
      // just after it fires just after it (Node runs timers of one length in the order they were set).
      const oldSocket = own.relay.io?.of('/').sockets.get(first.id ?? '');
      assert.ok(oldSocket, 'the relay does not know the sharer\'s socket');
      const graceOver = new Promise<void>((resolve) => oldSocket.once('disconnect', () => void setTimeout(resolve, graceMs)));
      first.io.engine.close();
      // While the sharer is away the helper writes twice.
      const missed = [];
      for (const text of ['are you there?', '还在吗']) missed.push(valueOf(await request(helper, 'chat:send', { sessionId, clientId: randomUUID(), text })));

      const second = await own.connect(demo.contosoSharer);
      const resumed = valueOf(await request(second, 'session:resume', { sessionId, afterSeq: 1 }));
      assert.equal(resumed.state, 'joined');
      assert.equal(resumed.trust?.peer.name, demoUsers.contosoHelper.name);
      assert.deepEqual(resumed.messages, missed);

      // A resend of a message whose ack was lost is answered with the stored one, not stored twice.
      const again = valueOf(await request(second, 'chat:send', { sessionId, clientId: m1.clientId, text: m1.text }));
      assert.deepEqual(again, m1);
      const arrived = next(helper, 'chat:message', (m) => m.sessionId === sessionId && m.text === 'back');
      const back = valueOf(await request(second, 'chat:send', { sessionId, clientId: randomUUID(), text: 'back' }));
      assert.equal(back.seq, 4);
      await arrived;

      // The old socket's grace has run out; the session must still be alive.
      await graceOver;
      const still = valueOf(await request(helper, 'chat:send', { sessionId, clientId: randomUUID(), text: 'still here' }));
      assert.equal(still.seq, 5);
      const history = valueOf(await request(second, 'session:resume', { sessionId, afterSeq: 0 }));
      assert.deepEqual(history.messages.map((m) => m.seq), [1, 2, 3, 4, 5]);
      valueOf(await request(helper, 'session:end', { sessionId }));
    } finally {
      await own.stop();
    }
  });
});
