// A device that stops checking in stops being compliant, without anyone re-evaluating it: the relay
// judges the proven device's check-in age at join with today's policy and its clock. Live relay, real
// enrollment and proofs; only the relay's clock is moved forward.
import assert from 'node:assert/strict';
import type { CaRule, CompliancePolicy, TrustInfo } from '#protocol';
import { demo, next, request, startTestRelay, valueOf, type ClientSocket, type TestRelay } from '../../support/relay.js';
import { adminCall, caRule, enroll, errorCode, goodWindows, proofFor } from '../../support/policy-calls.js';

const day = 86_400_000;

describe('device compliance at join', function () {
  this.timeout(60_000);
  let t: TestRelay;
  let offset = 0;
  let helper: ClientSocket;
  let sharer: ClientSocket;

  before(async () => {
    t = await startTestRelay({}, { clock: { now: () => Date.now() + offset } });
    helper = await t.connect(demo.contosoHelper);
    sharer = await t.connect(demo.contosoSharer);
  });
  after(async () => t?.stop());

  async function joinWithProof(device: Awaited<ReturnType<typeof enroll>>) {
    const created = valueOf(await request(helper, 'session:create', {}));
    const trust = next(helper, 'session:trust', (x) => x.sessionId === created.sessionId);
    const joined = await request(sharer, 'session:join', { code: created.code, proof: await proofFor(sharer, device) });
    return { created, joined, trust };
  }

  it('warns of, and refuses by a compliant-device rule, a device whose last check-in is now too old', async () => {
    const admin = await t.token(demo.contosoAdmin);
    const policy = valueOf((await adminCall<CompliancePolicy>(t, admin, 'getCompliancePolicy')).ack);
    assert.equal(policy.maxCheckInAgeDays, 30);
    const device = await enroll(t, await t.token(demo.contosoSharer), 'Sharer laptop', goodWindows);

    const fresh = await joinWithProof(device);
    valueOf(fresh.joined);
    assert.deepEqual((await fresh.trust).warnings, []);
    valueOf(await request(helper, 'session:end', { sessionId: fresh.created.sessionId }));

    offset = 31 * day;
    const stale = await joinWithProof(device);
    valueOf(stale.joined);
    const shown: TrustInfo = await stale.trust;
    assert.deepEqual(shown.warnings, [{ kind: 'noncompliant', reasons: ['Last check-in was 31 days ago (limit 30)'] }]);
    valueOf(await request(helper, 'session:end', { sessionId: stale.created.sessionId }));

    const rule = valueOf((await adminCall<CaRule>(t, admin, 'saveRule', caRule({ appliesTo: 'sharer', conditions: {}, grant: 'require-compliant-device' }))).ack);
    const refused = await joinWithProof(device);
    assert.equal(errorCode(refused.joined), 'compliant-device-required');
    valueOf((await adminCall(t, admin, 'deleteRule', { id: rule.id })).ack);
  });
});
