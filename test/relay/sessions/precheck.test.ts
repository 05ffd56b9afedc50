// session:precheck over the live relay: before offering Get security code (or the console's Continue),
// the helper's client asks whether create would be refused for a reason that does not depend on the
// moment. It answers exactly create's refusal, writes no report, and is not counted against the create
// limit; a helper who may help gets null.
import assert from 'node:assert/strict';
import type { CaRule, TenantSettingsView, WireError } from '#protocol';
import { demoDevices } from '#relay/directory/index.js';
import { demo, rawRequest, request, startTestRelay, valueOf, type ClientSocket, type TestRelay } from '../../support/relay.js';
import { adminCall, caRule, errorCode, reportsOf } from '../../support/policy-calls.js';

const withoutRequestId = ({ requestId: _, ...error }: WireError) => error;
const byName = (name: string) => demoDevices.find((d) => d.name === name)!;
const financeLaptop = byName('CONTOSO-LT-0142'); // Corporate laptops + Finance devices
const server = byName('CONTOSO-WS-0203'); // Servers: outside Finance Support's scope
const financeHelper = 'finance.helper@contoso.example';

describe('session:precheck over the live relay', function () {
  this.timeout(60_000);
  let t: TestRelay;
  let admin: string;
  let helper: ClientSocket;

  const precheck = (s: ClientSocket, deviceId?: string) => request(s, 'session:precheck', deviceId ? { deviceId } : {});
  const create = (s: ClientSocket, deviceId?: string) => request(s, 'session:create', deviceId ? { deviceId } : {});
  const reportCount = async () => (await reportsOf(t, admin)).length;
  const settings = async (): Promise<TenantSettingsView> => valueOf((await adminCall<TenantSettingsView>(t, admin, 'getSettings')).ack);
  const setSettings = async (patch: Partial<TenantSettingsView>) =>
    valueOf((await adminCall(t, admin, 'updateSettings', { ...(await settings()), ...patch })).ack);

  /** The same refusal from precheck as from create, and only create's is on the record. */
  async function sameAsCreate(s: ClientSocket, code: string, deviceId?: string): Promise<void> {
    const before = await reportCount();
    const asked = await precheck(s, deviceId);
    assert.equal(errorCode(asked), code);
    assert.equal(await reportCount(), before, 'precheck wrote a report');
    const created = await create(s, deviceId);
    assert.equal(errorCode(created), code);
    // Each answer names its own request (for a person to quote).
    assert.deepEqual(asked.ok ? null : withoutRequestId(asked.error), created.ok ? null : withoutRequestId(created.error), 'precheck and create answer differently');
    assert.equal(await reportCount(), before + 1, 'create refused without a report');
  }

  before(async () => {
    // A create limit of 3: precheck asked many more times must not use it up.
    t = await startTestRelay({ RH_CREATES_PER_USER: '3' });
    admin = await t.token(demo.contosoAdmin);
    helper = await t.connect(demo.contosoHelper);
  });
  after(async () => t?.stop());

  it('answers null to a helper who may help, for a device and for the unenrolled way, and counts nothing', async () => {
    const before = await reportCount();
    for (let i = 0; i < 10; i++) {
      assert.equal(valueOf(await precheck(helper, financeLaptop.id)), null);
      assert.equal(valueOf(await precheck(helper)), null);
    }
    assert.equal(await reportCount(), before);
    // Twenty prechecks later the create limit (3) is untouched: three creates go through.
    for (let i = 0; i < 3; i++) {
      const created = valueOf(await create(helper, i === 0 ? undefined : financeLaptop.id));
      valueOf(await request(helper, 'session:end', { sessionId: created.sessionId }));
    }
  });

  it('tells a user without a remote help role permission-missing, without a report', async () => {
    const sharer = await t.connect(demo.contosoSharer);
    await sameAsCreate(sharer, 'permission-missing');
    sharer.disconnect();
  });

  it('tells a scoped helper out-of-scope for a device outside the role and for the unenrolled way', async () => {
    const fh = await t.connect(financeHelper);
    assert.equal(valueOf(await precheck(fh, financeLaptop.id)), null);
    await sameAsCreate(fh, 'out-of-scope', server.id);
    await sameAsCreate(fh, 'out-of-scope');
    fh.disconnect();
  });

  it('tells unenrolled-not-allowed where the tenant forbids unenrolled help, and still null for a device', async () => {
    const fabrikamHelper = await t.connect(demo.fabrikamHelper);
    assert.equal(errorCode(await precheck(fabrikamHelper)), 'unenrolled-not-allowed');
    fabrikamHelper.disconnect();
    await setSettings({ allowUnenrolled: false });
    try {
      const other = await t.connect(demo.contosoAdmin);
      await sameAsCreate(other, 'unenrolled-not-allowed');
      assert.equal(valueOf(await precheck(other, financeLaptop.id)), null);
      other.disconnect();
    } finally {
      await setSettings({ allowUnenrolled: true });
    }
  });

  it('tells remote-help-disabled while remote help is off', async () => {
    await setSettings({ remoteHelpEnabled: false });
    try {
      const other = await t.connect(demo.contosoAdmin);
      await sameAsCreate(other, 'remote-help-disabled', financeLaptop.id);
      other.disconnect();
    } finally {
      await setSettings({ remoteHelpEnabled: true });
    }
    assert.equal(valueOf(await precheck(helper, financeLaptop.id)), null);
  });

  it('tells a conditional-access block with the rule and its remedy', async () => {
    const rule = valueOf((await adminCall<CaRule>(t, admin, 'saveRule', caRule({ name: 'No helpers today', appliesTo: 'helper', conditions: {}, grant: 'block' }))).ack);
    try {
      const fh = await t.connect(financeHelper);
      const asked = await precheck(fh, financeLaptop.id);
      assert.equal(errorCode(asked), 'policy-blocked');
      assert.equal(asked.ok ? undefined : asked.error.policy?.ruleName, 'No helpers today');
      await sameAsCreate(fh, 'policy-blocked', financeLaptop.id);
      fh.disconnect();
    } finally {
      valueOf((await adminCall(t, admin, 'deleteRule', { id: rule.id })).ack);
    }
  });

  it('answers not-found for a device of no tenant of the helper', async () => {
    const fabrikamHelper = await t.connect(demo.fabrikamHelper);
    assert.equal(errorCode(await precheck(fabrikamHelper, financeLaptop.id)), 'not-found');
    fabrikamHelper.disconnect();
  });

  it('refuses bad input with validation', async () => {
    for (const bad of [{ deviceId: '' }, { deviceId: 42 }, { deviceId: financeLaptop.id, extra: true }, 'x', null]) {
      const res = await rawRequest(helper, 'session:precheck', bad);
      assert.equal(errorCode(res), 'validation', JSON.stringify(bad));
    }
    const tooLong = await rawRequest(helper, 'session:precheck', { deviceId: 'x'.repeat(101) });
    assert.equal(errorCode(tooLong), 'payload-too-large');
  });
});
