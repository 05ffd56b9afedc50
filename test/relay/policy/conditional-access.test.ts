import assert from 'node:assert/strict';
import type { CaRule } from '#protocol';
import { compileRules, evaluateRules, parseRange, type CaSubject } from '#relay/policy/conditional-access.js';

const subject = (over: Partial<CaSubject> = {}): CaSubject => ({
  userId: 'u-1', upn: 'helper@contoso.example', roles: ['Help Desk Operator'], groups: ['IT'], amr: ['pwd'],
  ip: '203.0.113.7', platform: 'Windows', device: { enrolled: false, compliant: false, approved: false }, ...over,
});
let n = 0;
const rule = (over: Partial<CaRule> & Pick<CaRule, 'conditions' | 'grant'>): CaRule => ({
  id: `r${++n}`, name: `Rule ${n}`, enabled: true, mode: 'enforce', appliesTo: 'both', ...over,
});
const decide = (rules: CaRule[], s: CaSubject, step: 'create' | 'join' = 'create') => evaluateRules(compileRules(rules), step, s);
const code = (rules: CaRule[], s: CaSubject, step: 'create' | 'join' = 'create') => decide(rules, s, step).refusal?.code ?? 'allowed';

describe('conditional access', () => {
  it('blocks on a user (by UPN, any case, or id) and lets others through', () => {
    const rules = [rule({ conditions: { users: ['HELPER@contoso.example', 'u-9'] }, grant: 'block' })];
    assert.equal(code(rules, subject()), 'policy-blocked');
    assert.equal(code(rules, subject({ upn: 'x@contoso.example', userId: 'u-9' })), 'policy-blocked');
    assert.equal(code(rules, subject({ upn: 'other@contoso.example' })), 'allowed');
  });

  it('matches groups and roles (any entry of a list)', () => {
    const byGroup = [rule({ conditions: { groups: ['Finance', 'Contractors'] }, grant: 'block' })];
    assert.equal(code(byGroup, subject({ groups: ['Contractors'] })), 'policy-blocked');
    assert.equal(code(byGroup, subject({ groups: ['IT'] })), 'allowed');
    const byRole = [rule({ conditions: { roles: ['Finance Support'] }, grant: 'block' })];
    assert.equal(code(byRole, subject({ roles: ['Finance Support'] })), 'policy-blocked');
    assert.equal(code(byRole, subject()), 'allowed');
  });

  it('needs every present condition (AND)', () => {
    const rules = [rule({ conditions: { groups: ['IT'], platforms: ['macOS'] }, grant: 'block' })];
    assert.equal(code(rules, subject({ platform: 'macOS' })), 'policy-blocked');
    assert.equal(code(rules, subject({ platform: 'Windows' })), 'allowed');
    assert.equal(code(rules, subject({ platform: null })), 'allowed');
    assert.equal(code(rules, subject({ platform: 'macos', groups: ['Sales'] })), 'allowed');
  });

  it('matches IPv4 ranges, including an IPv4-mapped IPv6 address', () => {
    const rules = [rule({ conditions: { ipRanges: ['203.0.113.0/24', '10.0.0.0/8'] }, grant: 'block' })];
    assert.equal(code(rules, subject({ ip: '203.0.113.200' })), 'policy-blocked');
    assert.equal(code(rules, subject({ ip: '::ffff:10.20.30.40' })), 'policy-blocked');
    assert.equal(code(rules, subject({ ip: '198.51.100.1' })), 'allowed');
    assert.equal(code(rules, subject({ ip: '2001:db8::1' })), 'allowed');
  });

  it('matches IPv6 ranges and single addresses', () => {
    const rules = [rule({ conditions: { ipRanges: ['2001:db8:abcd::/48', '::1'] }, grant: 'block' })];
    assert.equal(code(rules, subject({ ip: '2001:db8:abcd:12::5' })), 'policy-blocked');
    assert.equal(code(rules, subject({ ip: '::1' })), 'policy-blocked');
    assert.equal(code(rules, subject({ ip: '2001:db8:abce::5' })), 'allowed');
    assert.equal(code(rules, subject({ ip: '203.0.113.7' })), 'allowed');
  });

  it('parses CIDR with node:net rules, and nothing that is not a range', () => {
    assert.deepEqual(parseRange('10.0.0.0/8'), { address: '10.0.0.0', prefix: 8, family: 'ipv4' });
    assert.deepEqual(parseRange('2001:db8::/32'), { address: '2001:db8::', prefix: 32, family: 'ipv6' });
    assert.equal(parseRange('10.0.0.0/33'), undefined);
    assert.equal(parseRange('10.0.0/8'), undefined);
    assert.equal(parseRange('2001:db8::/129'), undefined);
    assert.equal(parseRange('intranet'), undefined);
    assert.deepEqual(parseRange('::/0'), { address: '::', prefix: 0, family: 'ipv6' });
  });

  it('requires MFA: refuses a token without mfa in amr, lets one with it through', () => {
    const rules = [rule({ name: 'MFA for helpers', conditions: { roles: ['Help Desk Operator'] }, grant: 'require-mfa' })];
    const refused = decide(rules, subject());
    assert.equal(refused.refusal?.code, 'mfa-required');
    assert.deepEqual(refused.refusal?.policy, { ruleId: rules[0]!.id, ruleName: 'MFA for helpers', remedy: 'sign-in-with-mfa' });
    assert.match(refused.refusal!.message, /MFA for helpers/);
    assert.equal(code(rules, subject({ amr: ['pwd', 'mfa'] })), 'allowed');
  });

  it('conditions on MFA presence: mfa false applies only without it', () => {
    const rules = [rule({ conditions: { mfa: false, ipRanges: ['0.0.0.0/0'] }, grant: 'block' })];
    assert.equal(code(rules, subject()), 'policy-blocked');
    assert.equal(code(rules, subject({ amr: ['pwd', 'mfa'] })), 'allowed');
  });

  it('requires a compliant device: refuses unenrolled and noncompliant, allows enrolled and compliant', () => {
    const rules = [rule({ name: 'Compliant sharers', appliesTo: 'sharer', conditions: {}, grant: 'require-compliant-device' })];
    const refused = decide(rules, subject(), 'join');
    assert.equal(refused.refusal?.code, 'compliant-device-required');
    assert.equal(refused.refusal?.policy.remedy, 'use-compliant-device');
    assert.equal(code(rules, subject({ device: { enrolled: true, compliant: false, approved: true } }), 'join'), 'compliant-device-required');
    assert.equal(code(rules, subject({ device: { enrolled: true, compliant: true, approved: true } }), 'join'), 'allowed');
  });

  it('requires an approved device unless the rule says approvedDevicesOnly: false (absent = true)', () => {
    const selfReported = subject({ device: { enrolled: true, compliant: true, approved: false } });
    for (const approvedDevicesOnly of [undefined, true]) {
      const rules = [rule({ name: 'Approved devices', conditions: {}, grant: 'require-compliant-device', ...(approvedDevicesOnly === undefined ? {} : { approvedDevicesOnly }) })];
      const refused = decide(rules, selfReported, 'join');
      assert.equal(refused.refusal?.code, 'compliant-device-required');
      assert.deepEqual(refused.refusal?.policy, { ruleId: rules[0]!.id, ruleName: 'Approved devices', remedy: 'await-device-approval' });
      assert.match(refused.refusal!.message, /Approved devices.*waits for an administrator's approval/);
    }
    const lenient = [rule({ conditions: {}, grant: 'require-compliant-device', approvedDevicesOnly: false })];
    assert.equal(code(lenient, selfReported, 'join'), 'allowed');
    // Not compliant: the remedy is still a compliant device, approved or not.
    const noncompliant = decide(lenient, subject({ device: { enrolled: true, compliant: false, approved: true } }), 'join');
    assert.equal(noncompliant.refusal?.policy.remedy, 'use-compliant-device');
    // The flag means nothing to other grants.
    assert.equal(code([rule({ conditions: {}, grant: 'require-mfa', approvedDevicesOnly: true })], subject({ amr: ['mfa'] })), 'allowed');
    // Report-only: recorded, never refused.
    const reportOnly = decide([rule({ mode: 'report-only', conditions: {}, grant: 'require-compliant-device' })], selfReported, 'join');
    assert.deepEqual([reportOnly.refusal, reportOnly.reportOnly.length], [null, 1]);
  });

  it('conditions on device enrolled / compliant', () => {
    const unenrolled = [rule({ conditions: { deviceEnrolled: false }, grant: 'block' })];
    assert.equal(code(unenrolled, subject()), 'policy-blocked');
    assert.equal(code(unenrolled, subject({ device: { enrolled: true, compliant: false, approved: false } })), 'allowed');
    const noncompliant = [rule({ conditions: { deviceCompliant: false, deviceEnrolled: true }, grant: 'block' })];
    assert.equal(code(noncompliant, subject({ device: { enrolled: true, compliant: false, approved: false } })), 'policy-blocked');
    assert.equal(code(noncompliant, subject({ device: { enrolled: true, compliant: true, approved: false } })), 'allowed');
  });

  it('applies a rule only at its step: helper rules at create, sharer rules at join', () => {
    const helperOnly = [rule({ appliesTo: 'helper', conditions: {}, grant: 'block' })];
    assert.equal(code(helperOnly, subject(), 'create'), 'policy-blocked');
    assert.equal(code(helperOnly, subject(), 'join'), 'allowed');
    const sharerOnly = [rule({ appliesTo: 'sharer', conditions: {}, grant: 'block' })];
    assert.equal(code(sharerOnly, subject(), 'create'), 'allowed');
    assert.equal(code(sharerOnly, subject(), 'join'), 'policy-blocked');
  });

  it('ignores disabled rules', () => {
    assert.equal(code([rule({ enabled: false, conditions: {}, grant: 'block' })], subject()), 'allowed');
  });

  it('report-only never refuses, but lists what would have refused', () => {
    const rules = [
      rule({ id: 'ro-1', name: 'Would block', mode: 'report-only', conditions: {}, grant: 'block' }),
      rule({ id: 'ro-2', name: 'Would ask MFA', mode: 'report-only', conditions: {}, grant: 'require-mfa' }),
      rule({ id: 'ro-3', name: 'Satisfied', mode: 'report-only', conditions: {}, grant: 'require-mfa' }),
    ];
    const out = decide(rules.slice(0, 2), subject());
    assert.equal(out.refusal, null);
    assert.deepEqual(out.reportOnly, [
      { ruleId: 'ro-2', ruleName: 'Would ask MFA', grant: 'require-mfa' },
      { ruleId: 'ro-1', ruleName: 'Would block', grant: 'block' },
    ]);
    assert.deepEqual(decide([rules[2]!], subject({ amr: ['pwd', 'mfa'] })).reportOnly, []);
  });

  it('refuses with the first refusing enforced rule by name, then id, whatever the stored order', () => {
    const b = rule({ id: 'b', name: 'B rule', conditions: {}, grant: 'require-mfa' });
    const a2 = rule({ id: 'a2', name: 'A rule', conditions: {}, grant: 'block' });
    const a1 = rule({ id: 'a1', name: 'A rule', conditions: {}, grant: 'require-compliant-device' });
    for (const order of [[b, a2, a1], [a1, b, a2], [a2, a1, b]]) {
      assert.equal(decide(order, subject()).refusal?.policy.ruleId, 'a1');
    }
  });
});
