// What concurrency must not break: the join and create limits under a burst of simultaneous attempts,
// the record of a cross-tenant attempt, and chat racing the end of its session.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Ack, DeviceProof, TrustInfo } from '#protocol';
import { fail, ok } from '#protocol';
import type { DeviceTrust } from '#relay/ports.js';
import { rateLimitBucket as addressBucket } from '#relay/net/client-address.js';
import { liveBackends } from '../../support/live-backends.js';
import {
  closeFixtureReports, compliantDevice, contoso, fabrikam, fabrikamSharer, helper, serviceOn, sharer, stranger, value,
} from '../../fixtures/session-directory.js';
import type { serviceUnderTest } from '../../fixtures/session-directory.js';

after(closeFixtureReports);

const here = { address: '127.0.0.1' };
const outcome = (ack: Ack<unknown>) => (ack.ok ? 'ok' : ack.error.code);
function tally(acks: Ack<unknown>[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const a of acks) counts[outcome(a)] = (counts[outcome(a)] ?? 0) + 1;
  return counts;
}

for (const backend of liveBackends()) {
  // The same behaviour with the live state in memory (one node) and in Redis (several nodes).
  const service = serviceOn(backend);
  describe(`live state ${backend.name}`, () => {
    before(() => backend.start());
    after(() => backend.stop());

    describe('session service: limits under concurrency', () => {
      it('lets only the per-user limit of 50 simultaneous wrong codes through; the rest are rate-limited', async () => {
        const t = await service();
        const results = await Promise.all(Array.from({ length: 50 }, (_, i) => t.sessions.join(sharer, `wrong${String(i).padStart(3, '0')}`, here)));
        assert.deepEqual(tally(results), { 'code-invalid': 5, 'rate-limited': 45 });
        // The right code is refused too now: the limit holds, whatever arrived at once.
        const created = value(await t.sessions.create(helper, {}));
        assert.equal(outcome(await t.sessions.join(sharer, created.code, here)), 'rate-limited');
      });

      it('holds the per-address limit across 50 simultaneous users behind one address', async () => {
        const t = await service();
        const nat = { address: '192.0.2.7' };
        const results = await Promise.all(Array.from({ length: 50 }, (_, i) => t.sessions.join({ ...stranger, userId: `user-${i}` }, 'notacode', nat)));
        assert.deepEqual(tally(results), { 'code-invalid': 20, 'rate-limited': 30 });
      });

      it('counts an IPv6 client by its /64 and an IPv4-mapped address as the IPv4 one', async () => {
        const t = await service();
        const guess = (i: number, address: string) => t.sessions.join({ ...stranger, userId: `user-${i}` }, 'notacode', { address });
        // 20 different addresses of one /64: one client, one limit.
        for (let i = 0; i < 20; i++) assert.equal(outcome(await guess(i, `2001:db8:1:2::${(i + 1).toString(16)}`)), 'code-invalid');
        assert.equal(outcome(await guess(20, '2001:db8:1:2:ffff::1')), 'rate-limited');
        assert.equal(outcome(await guess(21, '2001:db8:1:3::1')), 'code-invalid');
        for (let i = 0; i < 20; i++) await guess(100 + i, '198.51.100.4');
        assert.equal(outcome(await guess(200, '::ffff:198.51.100.4')), 'rate-limited');
        assert.equal(addressBucket('::1'), '0:0:0:0::/64');
        assert.equal(addressBucket('fe80::1%eth0'), 'fe80:0:0:0::/64');
      });

      it('takes a successful join back: a right code after a few failures works, and only failures use up the limit', async () => {
        const t = await service();
        for (let i = 0; i < 3; i++) assert.equal(outcome(await t.sessions.join(sharer, `wrong00${i}`, here)), 'code-invalid');
        const first = value(await t.sessions.create(helper, {}));
        value(await t.sessions.join(sharer, first.code, here));
        // 3 failures so far, the join not among them: two more wrong codes are still answered as such.
        for (let i = 3; i < 5; i++) assert.equal(outcome(await t.sessions.join(sharer, `wrong00${i}`, here)), 'code-invalid');
        assert.equal(outcome(await t.sessions.join(sharer, 'wrong005', here)), 'rate-limited');
      });

      it('lets only the per-user create limit of 50 simultaneous creates through', async () => {
        const t = await service();
        const results = await Promise.all(Array.from({ length: 50 }, () => t.sessions.create(helper, {})));
        assert.deepEqual(tally(results), { ok: 30, 'rate-limited': 20 });
      });
    });

    describe('session service: a sharer of another tenant', () => {
      it('is told what a code nobody has gets, while the record under the code\'s tenant says another organization tried; and counted', async () => {
        const t = await service();
        const created = value(await t.sessions.create(helper, {}));
        const refused = await t.sessions.join(fabrikamSharer, created.code, here);
        // The person cannot tell another organization's live code from a code that does not exist.
        const nobody = await t.sessions.join(fabrikamSharer, created.code === 'zzzzzzzz' ? 'yyyyyyyy' : 'zzzzzzzz', { address: '10.0.0.8' });
        assert.deepEqual(refused.ok ? refused : { ...refused.error, attemptsLeft: undefined }, nobody.ok ? nobody : { ...nobody.error, attemptsLeft: undefined });
        assert.equal(outcome(refused), 'code-invalid');
        assert.ok(t.log.lines.some((l) => l.includes('join refused') && l.includes('"reason":"tenant-mismatch"')), 'the log keeps the difference');

        const [report, ...more] = (await t.reports.list(contoso.id, { outcome: 'refused' })).items;
        assert.equal(more.length, 0);
        assert.equal(report?.sessionId, created.sessionId);
        assert.deepEqual(report?.sharer, { userId: fabrikamSharer.userId, upn: fabrikamSharer.upn, name: fabrikamSharer.name });
        assert.equal(report?.helper, null);
        assert.equal(report?.device, null);
        assert.deepEqual(report?.policy, { step: 'join', refusal: { code: 'tenant-mismatch' }, reportOnly: [] });
        // Nothing about Contoso's session lands in Fabrikam's reports.
        assert.equal((await t.reports.list(fabrikam.id, {})).total, 0);

        // The code is still open for its own tenant, and the attempts count against the one who tries.
        for (let i = 0; i < 3; i++) assert.equal(outcome(await t.sessions.join(fabrikamSharer, created.code, here)), 'code-invalid');
        assert.equal(outcome(await t.sessions.join(fabrikamSharer, created.code, here)), 'rate-limited');
        value(await t.sessions.join(sharer, created.code, { address: '10.0.0.9' }));
      });

      it('is told what a code nobody has gets for another organization\'s used, expired or ended code too, which its own organization is told as such', async () => {
        const t = await service();
        const errorOf = (ack: Ack<unknown>) => (ack.ok ? ack : { ...ack.error, attemptsLeft: undefined });
        const nobody = errorOf(await t.sessions.join(fabrikamSharer, 'zzzzzzzz', { address: '10.0.0.8' }));
        const used = value(await t.sessions.create(helper, {}));
        value(await t.sessions.join(sharer, used.code, here));
        const ended = value(await t.sessions.create(helper, {}));
        value(await t.sessions.end(helper, ended.sessionId));
        const foreign = async (what: string, created: { code: string }) =>
          assert.deepEqual(errorOf(await t.sessions.join(fabrikamSharer, created.code, { address: '10.0.1.1' })), nobody, `another organization's ${what} code`);
        await foreign('used', used);
        await foreign('ended', ended);
        // The same codes, to someone of their own organization, say what became of them.
        assert.equal(outcome(await t.sessions.join(stranger, used.code, here)), 'code-used');
        assert.equal(outcome(await t.sessions.join(stranger, ended.code, here)), 'code-used');
        const expired = value(await t.sessions.create(helper, {}));
        t.clock.advance(11 * 60_000);
        await foreign('expired', expired);
        assert.equal(outcome(await t.sessions.join(sharer, expired.code, here)), 'code-expired');
        // Each foreign try is on the record of the code's organization, as a live code's is.
        const mismatches = (await t.reports.list(contoso.id, { outcome: 'refused' })).items.filter((r) => r.policy.refusal?.code === 'tenant-mismatch');
        assert.deepEqual(mismatches.map((r) => r.sessionId).sort(), [used.sessionId, ended.sessionId, expired.sessionId].sort());
      });
    });

    describe('session service: chat and the end', () => {
      async function joined(opts: Parameters<typeof serviceUnderTest>[0] = {}) {
        const t = await service(opts);
        const created = value(await t.sessions.create(helper, {}));
        value(await t.sessions.join(sharer, created.code, here));
        return { ...t, sessionId: created.sessionId };
      }

      it('never stores or sends a message that races the end: refused session-ended, nothing after session:ended', async () => {
        const t = await joined();
        const [, chat] = await Promise.all([
          t.sessions.end(helper, t.sessionId),
          t.sessions.chat(sharer, { sessionId: t.sessionId, clientId: randomUUID(), text: 'too late' }),
        ]);
        const events = t.notifier.sent.filter((s) => s.role === 'helper').map((s) => s.event);
        const endedAt = events.indexOf('session:ended');
        assert.ok(endedAt >= 0);
        assert.ok(!events.slice(endedAt).includes('chat:message'), `chat:message after session:ended: ${events.join(', ')}`);
        // Which wins is the store's to decide (over Redis the message may be stored just before the end):
        // either it made it before the end, or it is refused and sent to nobody.
        if (outcome(chat) !== 'ok') {
          assert.equal(outcome(chat), 'session-ended');
          assert.ok(!events.includes('chat:message'));
        }
        assert.deepEqual((await t.store.chatAfter(t.sessionId, 0)).messages, [], 'nothing kept after the end');
      });

      it('caps one session\'s chat: past the maximum rate-limited, a resend of a stored message still answered', async () => {
        const t = await joined({ chatMessagesMax: 3 });
        const ids = [randomUUID(), randomUUID(), randomUUID()];
        for (const [i, clientId] of ids.entries()) value(await t.sessions.chat(helper, { sessionId: t.sessionId, clientId, text: `m${i}` }));
        assert.equal(outcome(await t.sessions.chat(sharer, { sessionId: t.sessionId, clientId: randomUUID(), text: 'one more' })), 'rate-limited');
        assert.equal(value(await t.sessions.chat(helper, { sessionId: t.sessionId, clientId: ids[1]!, text: 'm1' })).seq, 2);
        assert.equal(t.notifier.to('sharer', 'chat:message').length, 3);
      });
    });

    describe('session service: device compliance at join', () => {
      // The device proved by the sharer's browser; the proof itself is checked by device trust (tested there).
      const provesCompliantDevice: DeviceTrust = {
        challenge: () => Promise.resolve('challenge'),
        verifyProof: (_user, proof: DeviceProof) => Promise.resolve(proof.deviceId === compliantDevice.id ? ok({ deviceId: proof.deviceId }) : fail('device-proof-invalid', 'no')),
      };
      const proof: DeviceProof = { deviceId: compliantDevice.id, challenge: 'challenge', signature: 'sig' };
      const policy = { minOsVersion: {}, requireDiskEncryption: true, requireFirewall: true, maxCheckInAgeDays: 90 };

      it('judges the check-in age with today\'s policy at the time of the join, for the warning and for conditional access', async () => {
        // compliantDevice last checked in on 2026-01-01; the clock starts on 2026-03-01 (59 days later).
        const requireCompliant = { id: 'r1', name: 'Compliant devices only', enabled: true, mode: 'enforce' as const, appliesTo: 'sharer' as const, conditions: {}, grant: 'require-compliant-device' as const };
        const t = await service({ deviceTrust: provesCompliantDevice, compliancePolicy: policy, rules: [requireCompliant] });
        const early = value(await t.sessions.create(helper, {}));
        const lastTrust = () => t.notifier.to('helper', 'session:trust').at(-1)?.payload as TrustInfo;
        value(await t.sessions.join(sharer, early.code, here, proof));
        assert.equal(lastTrust().sessionId, early.sessionId);
        assert.deepEqual(lastTrust().warnings, []);

        t.clock.advance(32 * 86_400_000); // 91 days since the last check-in: past the limit of 90
        const late = value(await t.sessions.create(helper, {}));
        const refused = await t.sessions.join(sharer, late.code, here, proof);
        assert.equal(outcome(refused), 'compliant-device-required');

        t.policy.setRules([]);
        const warned = value(await t.sessions.create(helper, {}));
        value(await t.sessions.join(sharer, warned.code, here, proof));
        assert.equal(lastTrust().sessionId, warned.sessionId);
        assert.deepEqual(lastTrust().warnings, [{ kind: 'noncompliant', reasons: ['Last check-in was 91 days ago (limit 90)'] }]);
      });
    });
  });
}
