import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Ack, ChatMessage, CreatedSession, SessionEnded, TrustInfo } from '#protocol';
import { generateSecurityCode } from '#relay/sessions/security-code.js';
import { liveBackends } from '../../support/live-backends.js';
import {
  closeFixtureReports, compliantDevice, contoso, fabrikam, fabrikamHelper, fabrikamSharer, helper, noncompliantDevice, serviceOn, sharer, stranger, value,
} from '../../fixtures/session-directory.js';

after(closeFixtureReports);

const here = { address: '127.0.0.1' };

function code<T>(ack: Ack<T>): string {
  assert.equal(ack.ok, false, 'expected a refusal');
  return ack.ok ? '' : ack.error.code;
}

for (const backend of liveBackends()) {
  // The same behaviour with the live state in memory (one node) and in Redis (several nodes).
  const service = serviceOn(backend);
  describe(`live state ${backend.name}`, () => {
    before(() => backend.start());
    after(() => backend.stop());

    async function joinedSession(given?: Awaited<ReturnType<typeof service>>, deviceId?: string) {
      const t = given ?? await service();
      const created = value(await t.sessions.create(helper, deviceId ? { deviceId } : {}));
      const joined = value(await t.sessions.join(sharer, created.code, here));
      return { ...t, created, trust: joined.value };
    }
    async function sharingSession() {
      const t = await joinedSession();
      value(await t.sessions.consent(sharer, { sessionId: t.created.sessionId, allow: true }));
      return t;
    }

    describe('session service: codes', () => {
      it('draws 8 characters of [0-9a-z] and gives a link with the code', async () => {
        const { sessions } = await service();
        const created: CreatedSession = value(await sessions.create(helper, {}));
        assert.match(created.code, /^[0-9A-HJKMNP-TV-Z]{8}$/);
        assert.equal(created.link, `https://relay.test:8443/rh?passcode=${created.code}`);
        assert.equal(Date.parse(created.expiresAt) - Date.parse('2026-03-01T10:00:00Z'), 10 * 60_000);
        const many = new Set(Array.from({ length: 2000 }, () => generateSecurityCode()));
        assert.ok(many.size > 1990, 'codes repeat far too often');
        assert.ok([...many].every((c) => /^[0-9A-HJKMNP-TV-Z]{8}$/.test(c)));
      });

      it('refuses a wrong code with code-invalid', async () => {
        const { sessions } = await service();
        assert.equal(code(await sessions.join(sharer, 'zzzzzzzz', here)), 'code-invalid');
      });

      it('accepts a code once, then answers code-used', async () => {
        const t = await joinedSession();
        assert.equal(code(await t.sessions.join(stranger, t.created.code, here)), 'code-used');
      });

      it('lets exactly one of two simultaneous joins with the same code in', async () => {
        const t = await service();
        const created = value(await t.sessions.create(helper, {}));
        const results = await Promise.all([t.sessions.join(sharer, created.code, here), t.sessions.join(stranger, created.code, here)]);
        assert.deepEqual(results.map((r) => (r.ok ? 'ok' : r.error.code)).sort(), ['code-used', 'ok']);
        assert.equal(t.notifier.to('helper', 'session:trust').length, 1);
      });

      it('answers code-expired after 10 minutes and tells the waiting helper', async () => {
        const { sessions, clock, notifier } = await service();
        const created = value(await sessions.create(helper, {}));
        clock.advance(10 * 60_000 - 1);
        await sessions.sweep();
        assert.equal(notifier.to('helper', 'session:ended').length, 0);
        clock.advance(1);
        assert.equal(code(await sessions.join(sharer, created.code, here)), 'code-expired');
        await sessions.sweep();
        const [ended] = notifier.to('helper', 'session:ended');
        assert.deepEqual(ended?.payload, { sessionId: created.sessionId, by: 'relay', reason: 'expired', at: new Date(clock.now()).toISOString() } satisfies SessionEnded);
      });

      it('never writes a code to the log', async () => {
        const t = await joinedSession();
        await t.sessions.join(stranger, t.created.code, here);
        await t.sessions.join(stranger, 'abcdefgh', here);
        assert.ok(t.log.lines.length > 0);
        for (const line of t.log.lines) {
          assert.ok(!line.includes(t.created.code), `a code reached the log: ${line}`);
          assert.ok(!line.includes('abcdefgh'), `a typed code reached the log: ${line}`);
        }
      });
    });

    describe('session service: join limits and tenants', () => {
      it('limits failed joins per user: the 6th attempt is rate-limited, even with a right code', async () => {
        const t = await service();
        const created = value(await t.sessions.create(helper, {}));
        for (let i = 0; i < 5; i++) assert.equal(code(await t.sessions.join(sharer, `wrong00${i}`, here)), 'code-invalid');
        assert.equal(code(await t.sessions.join(sharer, created.code, here)), 'rate-limited');
        // Another user at another address is not affected.
        value(await t.sessions.join(stranger, created.code, { address: '10.0.0.9' }));
      });

      it('forgets failures after the window', async () => {
        const t = await service();
        for (let i = 0; i < 5; i++) await t.sessions.join(sharer, `wrong00${i}`, here);
        const created = value(await t.sessions.create(helper, {}));
        assert.equal(code(await t.sessions.join(sharer, created.code, here)), 'rate-limited');
        t.clock.advance(10 * 60_000 + 1);
        const fresh = value(await t.sessions.create(helper, {}));
        value(await t.sessions.join(sharer, fresh.code, here));
      });

      it('limits failed joins per address across users', async () => {
        const t = await service();
        const created = value(await t.sessions.create(helper, {}));
        const nat = { address: '192.0.2.7' };
        for (let i = 0; i < 20; i++) {
          const someone = { ...stranger, userId: `user-${i}` };
          assert.equal(code(await t.sessions.join(someone, 'notacode', nat)), 'code-invalid');
        }
        assert.equal(code(await t.sessions.join(sharer, created.code, nat)), 'rate-limited');
        value(await t.sessions.join(sharer, created.code, here));
      });

      it('refuses a sharer of another tenant as if the code did not exist, and the code still works for its tenant', async () => {
        const t = await service();
        const created = value(await t.sessions.create(helper, {}));
        assert.equal(code(await t.sessions.join(fabrikamSharer, created.code, here)), 'code-invalid');
        value(await t.sessions.join(sharer, created.code, here));
      });

      it('refuses the helper joining his own session', async () => {
        const t = await service();
        const created = value(await t.sessions.create(helper, {}));
        assert.equal(code(await t.sessions.join(helper, created.code, here)), 'forbidden');
      });
    });

    describe('session service: create policy', () => {
      it('refuses a creator with no role with permission-missing', async () => {
        assert.equal(code(await (await service()).sessions.create(sharer, {})), 'permission-missing');
      });
      it('refuses a device of no device in the tenant', async () => {
        const { sessions } = await service();
        assert.equal(code(await sessions.create(helper, { deviceId: 'nope' })), 'not-found');
        assert.equal(code(await sessions.create(fabrikamHelper, { deviceId: compliantDevice.id })), 'not-found');
      });
      it('refuses the unenrolled way in where the tenant forbids it', async () => {
        assert.equal(code(await (await service()).sessions.create(fabrikamHelper, {})), 'unenrolled-not-allowed');
      });
      it('limits how many sessions one helper opens per window', async () => {
        const { sessions, clock } = await service();
        for (let i = 0; i < 30; i++) value(await sessions.create(helper, {}));
        assert.equal(code(await sessions.create(helper, {})), 'rate-limited');
        clock.advance(10 * 60_000 + 1);
        value(await sessions.create(helper, {}));
      });
      it('refuses everything when remote help is off', async () => {
        const off = { ...contoso, settings: { ...contoso.settings, remoteHelpEnabled: false } };
        const { sessions } = await service({ tenants: [off, fabrikam] });
        assert.equal(code(await sessions.create(helper, {})), 'remote-help-disabled');
        assert.equal(code(await sessions.create(helper, { deviceId: compliantDevice.id })), 'remote-help-disabled');
      });
    });

    describe('session service: trust', () => {
      it('gives the sharer the helper profile and the helper the sharer profile with device warnings', async () => {
        const t = await joinedSession(undefined, noncompliantDevice.id);
        const sharerTrust: TrustInfo = t.trust;
        assert.equal(sharerTrust.role, 'sharer');
        assert.equal(sharerTrust.peer.name, 'Hanna Helper');
        assert.deepEqual(sharerTrust.warnings, []);
        const [sent] = t.notifier.to('helper', 'session:trust');
        const helperTrust = sent?.payload as TrustInfo;
        assert.equal(helperTrust.role, 'helper');
        assert.equal(helperTrust.peer.name, 'Sam Sharer');
        assert.equal(helperTrust.device?.name, 'PC-dev-bad');
        // The sharer's browser proved no device key: the helper is told it may not be that device at all.
        assert.deepEqual(helperTrust.warnings, [
          { kind: 'noncompliant', reasons: ['BitLocker off'] },
          { kind: 'unconfirmed-device', deviceName: 'PC-dev-bad', reasons: [] },
        ]);
        assert.equal(helperTrust.permission, 'view-screen');
        assert.equal(sharerTrust.permission, 'view-screen');
        assert.equal(helperTrust.chatEnabled, true);
      });
      it('warns that an unenrolled device is unenrolled, and that an unproven browser is not known to be the device', async () => {
        const unenrolled = await joinedSession();
        assert.deepEqual((unenrolled.notifier.to('helper', 'session:trust')[0]?.payload as TrustInfo).warnings, [{ kind: 'unenrolled', reasons: [] }]);
        const enrolled = await joinedSession(undefined, compliantDevice.id);
        assert.deepEqual((enrolled.notifier.to('helper', 'session:trust')[0]?.payload as TrustInfo).warnings,
          [{ kind: 'unconfirmed-device', deviceName: 'PC-dev-ok', reasons: [] }]);
      });
    });

    describe('session service: consent', () => {
      it('lets only the sharer consent, only once, only after join', async () => {
        const t = await service();
        const created = value(await t.sessions.create(helper, {}));
        assert.equal(code(await t.sessions.consent(helper, { sessionId: created.sessionId, allow: true })), 'forbidden');
        assert.equal(code(await t.sessions.consent(sharer, { sessionId: created.sessionId, allow: true })), 'forbidden');
        value(await t.sessions.join(sharer, created.code, here));
        assert.equal(code(await t.sessions.consent(helper, { sessionId: created.sessionId, allow: true })), 'forbidden');
        assert.deepEqual(value(await t.sessions.consent(sharer, { sessionId: created.sessionId, allow: true })), { sessionId: created.sessionId, state: 'sharing' });
        assert.equal(code(await t.sessions.consent(sharer, { sessionId: created.sessionId, allow: true })), 'wrong-state');
        assert.equal(t.notifier.to('helper', 'session:state').at(-1)?.payload && (t.notifier.to('helper', 'session:state').at(-1)?.payload as { state: string }).state, 'sharing');
      });
      it('ends the session for both with reason denied on Deny', async () => {
        const t = await joinedSession();
        assert.equal(value(await t.sessions.consent(sharer, { sessionId: t.created.sessionId, allow: false })).state, 'denied');
        // Denied: it never was shared, so there is no sharingSince.
        const expected: SessionEnded = { sessionId: t.created.sessionId, by: 'sharer', reason: 'denied', at: new Date(t.clock.now()).toISOString() };
        assert.deepEqual(t.notifier.to('helper', 'session:ended').map((s) => s.payload), [expected]);
        assert.deepEqual(t.notifier.to('sharer', 'session:ended').map((s) => s.payload), [expected]);
        assert.equal(code(await t.sessions.chat(helper, { sessionId: t.created.sessionId, clientId: randomUUID(), text: 'hi' })), 'session-ended');
      });
    });

    describe('session service: signals', () => {
      const offer = { description: { type: 'offer' as const, sdp: 'v=0\r\nm=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\n' } };
      const dataOnly = { description: { type: 'offer' as const, sdp: 'v=0\r\nm=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\n' } };
      const answer = { description: { type: 'answer' as const, sdp: 'v=0' } };
      it('forwards the sharer offer after allow to the helper, and the answer back', async () => {
        const t = await sharingSession();
        value(await t.sessions.signal(sharer, { sessionId: t.created.sessionId, signal: offer }));
        value(await t.sessions.signal(helper, { sessionId: t.created.sessionId, signal: answer }));
        assert.deepEqual(t.notifier.to('helper', 'signal').map((s) => s.payload), [{ sessionId: t.created.sessionId, signal: offer, from: 'sharer' }]);
        assert.deepEqual(t.notifier.to('sharer', 'signal').map((s) => s.payload), [{ sessionId: t.created.sessionId, signal: answer, from: 'helper' }]);
      });
      it('forwards the sharer\'s offer without media before allow (the Verification code needs the connection), and its answer', async () => {
        const t = await joinedSession();
        value(await t.sessions.signal(sharer, { sessionId: t.created.sessionId, signal: dataOnly }));
        value(await t.sessions.signal(helper, { sessionId: t.created.sessionId, signal: answer }));
        assert.deepEqual(t.notifier.to('helper', 'signal').map((s) => s.payload), [{ sessionId: t.created.sessionId, signal: dataOnly, from: 'sharer' }]);
        assert.deepEqual(t.notifier.to('sharer', 'signal').map((s) => s.payload), [{ sessionId: t.created.sessionId, signal: answer, from: 'helper' }]);
        assert.equal(code(await t.sessions.signal(helper, { sessionId: t.created.sessionId, signal: dataOnly })), 'forbidden', 'the helper never offers');
      });
      it('refuses an offer with media before allow, an offer from the helper, a signal before join and from outsiders', async () => {
        const t = await service();
        const created = value(await t.sessions.create(helper, {}));
        assert.equal(code(await t.sessions.signal(helper, { sessionId: created.sessionId, signal: answer })), 'wrong-state');
        value(await t.sessions.join(sharer, created.code, here));
        assert.equal(code(await t.sessions.signal(sharer, { sessionId: created.sessionId, signal: offer })), 'wrong-state');
        assert.equal(code(await t.sessions.signal(helper, { sessionId: created.sessionId, signal: offer })), 'forbidden');
        assert.equal(code(await t.sessions.signal(stranger, { sessionId: created.sessionId, signal: answer })), 'forbidden');
        assert.equal(code(await t.sessions.signal(sharer, { sessionId: 'no-such-session', signal: answer })), 'not-found');
        assert.equal(t.notifier.sent.filter((s) => s.event === 'signal').length, 0);
      });
    });

    describe('session service: chat', () => {
      it('numbers one thread 1, 2, 3 with sender name and time, each pushed to the other side only', async () => {
        const t = await joinedSession();
        const sessionId = t.created.sessionId;
        const a = value(await t.sessions.chat(helper, { sessionId, clientId: randomUUID(), text: 'Hej' }));
        const b = value(await t.sessions.chat(sharer, { sessionId, clientId: randomUUID(), text: '你好 مرحبا 👋' }));
        const c = value(await t.sessions.chat(helper, { sessionId, clientId: randomUUID(), text: '<img src=x onerror=alert(1)>' }));
        assert.deepEqual([a.seq, b.seq, c.seq], [1, 2, 3]);
        assert.deepEqual([a.from, b.from], ['helper', 'sharer']);
        assert.deepEqual([a.senderName, b.senderName], ['Hanna Helper', 'Sam Sharer']);
        assert.equal(b.text, '你好 مرحبا 👋');
        assert.equal(a.sentAt, '2026-03-01T10:00:00.000Z');
        // The sender has its message in the answer: no echo of it.
        assert.deepEqual(t.notifier.to('sharer', 'chat:message').map((s) => (s.payload as ChatMessage).seq), [1, 3]);
        assert.deepEqual(t.notifier.to('helper', 'chat:message').map((s) => (s.payload as ChatMessage).seq), [2]);
      });
      it('answers the same from the caller\'s attached role as from the session record, and refuses before a join', async () => {
        const t = await joinedSession();
        const sessionId = t.created.sessionId;
        const fast = value(await t.sessions.chat(sharer, { sessionId, clientId: randomUUID(), text: 'attached' }, 'sharer'));
        assert.deepEqual([fast.seq, fast.from, fast.senderName], [1, 'sharer', 'Sam Sharer']);
        assert.deepEqual(t.notifier.to('helper', 'chat:message').map((s) => (s.payload as ChatMessage).text), ['attached']);
        const unjoined = value(await t.sessions.create(helper, {}));
        const early = await t.sessions.chat(helper, { sessionId: unjoined.sessionId, clientId: randomUUID(), text: 'anyone?' }, 'helper');
        assert.equal(early.ok ? 'ok' : early.error.code, 'wrong-state');
      });
      it('stores a resend with the same clientId once and does not broadcast it again', async () => {
        const t = await joinedSession();
        const sessionId = t.created.sessionId;
        const clientId = randomUUID();
        const first = value(await t.sessions.chat(sharer, { sessionId, clientId, text: 'once' }));
        const again = value(await t.sessions.chat(sharer, { sessionId, clientId, text: 'once' }));
        assert.deepEqual(again, first);
        assert.equal(t.notifier.to('helper', 'chat:message').length, 1);
      });
      it('answers the messages after afterSeq on resume, with the trust shown at join', async () => {
        const t = await joinedSession();
        const sessionId = t.created.sessionId;
        for (const text of ['1', '2', '3']) value(await t.sessions.chat(helper, { sessionId, clientId: randomUUID(), text }));
        const resumed = value(await t.sessions.resume(sharer, { sessionId, afterSeq: 1 }));
        assert.equal(resumed.role, 'sharer');
        assert.equal(resumed.value.state, 'joined');
        assert.deepEqual(resumed.value.trust, t.trust);
        assert.deepEqual(resumed.value.messages.map((m) => m.text), ['2', '3']);
        assert.equal(code(await t.sessions.resume(stranger, { sessionId, afterSeq: 0 })), 'forbidden');
      });
      it('refuses chat with chat-disabled when the tenant turned it off', async () => {
        const quiet = { ...contoso, settings: { ...contoso.settings, chatEnabled: false } };
        const t = await joinedSession(await service({ tenants: [quiet, fabrikam] }));
        assert.equal(code(await t.sessions.chat(helper, { sessionId: t.created.sessionId, clientId: randomUUID(), text: 'x' })), 'chat-disabled');
      });
      it('drops the chat text when the session ends', async () => {
        const t = await joinedSession();
        const sessionId = t.created.sessionId;
        value(await t.sessions.chat(helper, { sessionId, clientId: randomUUID(), text: 'secret' }));
        value(await t.sessions.end(sharer, sessionId));
        assert.deepEqual((await t.store.chatAfter(sessionId, 0)).messages, []);
        for (const line of t.log.lines) assert.ok(!line.includes('secret'));
      });
    });

    describe('session service: end', () => {
      it('tells both sides at once who ended it', async () => {
        const t = await sharingSession();
        const sessionId = t.created.sessionId;
        const allowedAt = new Date(t.clock.now()).toISOString();
        t.clock.advance(90_000);
        value(await t.sessions.end(helper, sessionId));
        const expected: SessionEnded = { sessionId, by: 'helper', reason: 'ended', at: new Date(t.clock.now()).toISOString(), sharingSince: allowedAt };
        assert.deepEqual(t.notifier.to('sharer', 'session:ended').map((s) => s.payload), [expected]);
        assert.deepEqual(t.notifier.to('helper', 'session:ended').map((s) => s.payload), [expected]);
        assert.deepEqual(t.notifier.released, [sessionId]);
        assert.equal(code(await t.sessions.end(sharer, sessionId)), 'session-ended');
      });
      it('ends with reason left when a member vanishes, once', async () => {
        const t = await sharingSession();
        await t.sessions.leave(t.created.sessionId, 'sharer');
        await t.sessions.leave(t.created.sessionId, 'sharer');
        const now = new Date(t.clock.now()).toISOString();
        assert.deepEqual(t.notifier.to('helper', 'session:ended').map((s) => s.payload), [{ sessionId: t.created.sessionId, by: 'sharer', reason: 'left', at: now, sharingSince: now }]);
      });
      it('lets a helper end a session nobody joined; the code is then no longer valid', async () => {
        const t = await service();
        const created = value(await t.sessions.create(helper, {}));
        value(await t.sessions.end(helper, created.sessionId));
        assert.equal(code(await t.sessions.join(sharer, created.code, here)), 'code-used');
      });
    });
  });
}
