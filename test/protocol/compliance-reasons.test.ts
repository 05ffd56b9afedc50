// A device's compliance reasons are kept as English sentences (the directory, the console's inventory,
// the reports); the pages read each back to say it in the reader's language. Every kind the relay makes
// must read back as itself, and words from elsewhere must not pass for one of them.
import assert from 'node:assert/strict';
import { complianceReasonText, parseComplianceReason, type ComplianceReason } from '#protocol';
import { evaluateCompliance } from '#relay/policy/compliance.js';
import { complianceFrom } from '#relay/identity/entra/intune-devices.js';

const every: ComplianceReason[] = [
  { kind: 'os-below-minimum', version: '10.0.19041', minimum: '10.0.22631' },
  { kind: 'disk-encryption-off' },
  { kind: 'firewall-off' },
  { kind: 'check-in-too-old', days: 45, limit: 30 },
  { kind: 'never-checked-in', limit: 30 },
  { kind: 'imported' },
  { kind: 'intune-grace-period', until: '2026-12-01 08:00' },
  { kind: 'intune-grace-period-open' },
  { kind: 'intune-noncompliant' },
  { kind: 'intune-conflict' },
  { kind: 'intune-error' },
  { kind: 'configuration-manager' },
  { kind: 'intune-other-state', state: 'retired' },
];

describe('compliance reasons: kept in English, read back for the reader\'s language', () => {
  it('reads every kind back as itself', () => {
    for (const r of every) assert.deepEqual(parseComplianceReason(complianceReasonText(r)), r, complianceReasonText(r));
  });

  it('reads back what the relay\'s compliance policy and the Intune sync write', () => {
    const policy = { minOsVersion: { Windows: '10.0.22631' }, requireDiskEncryption: true, requireFirewall: true, maxCheckInAgeDays: 30 };
    const now = Date.parse('2026-11-30T12:00:00Z');
    const { reasons } = evaluateCompliance(policy, { platform: 'Windows', osVersion: '10.0.19041', diskEncryption: false, firewall: false }, '2026-10-01T12:00:00Z', now);
    assert.deepEqual(reasons.map((r) => parseComplianceReason(r)?.kind), ['os-below-minimum', 'disk-encryption-off', 'firewall-off', 'check-in-too-old']);
    const never = evaluateCompliance({ ...policy, minOsVersion: {} }, { platform: 'Windows', osVersion: '11', diskEncryption: true, firewall: true }, '', now);
    assert.deepEqual(never.reasons.map((r) => parseComplianceReason(r)), [{ kind: 'never-checked-in', limit: 30 }]);
    for (const state of ['inGracePeriod', 'noncompliant', 'conflict', 'error', 'configManager', 'somethingNew']) {
      for (const r of complianceFrom(state, '2026-12-01T08:00:00Z').reasons) assert.ok(parseComplianceReason(r), `${state}: "${r}" does not read back`);
    }
  });

  it('leaves words from elsewhere as they are', () => {
    assert.equal(parseComplianceReason('OS is out of date'), undefined);
    assert.equal(parseComplianceReason('Disk encryption is off, and more'), undefined);
    assert.equal(parseComplianceReason(''), undefined);
  });
});
