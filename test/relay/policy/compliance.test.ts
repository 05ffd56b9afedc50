// Compliance from a device's reported properties: pure, so plain calls with a fixed time.
import assert from 'node:assert/strict';
import { compareVersions, defaultCompliancePolicy, evaluateCompliance } from '#relay/policy/compliance.js';

const now = Date.parse('2026-03-01T12:00:00Z');
const checkedIn = '2026-03-01T11:00:00Z';
const healthy = { diskEncryption: true, firewall: true };

describe('compliance evaluation', () => {
  it('holds a platform to its minimum OS version whatever the case it is reported in', () => {
    for (const platform of ['Windows', 'windows', 'WINDOWS', ' windows ']) {
      const result = evaluateCompliance(defaultCompliancePolicy, { platform, osVersion: '10.0.19041', ...healthy }, checkedIn, now);
      assert.equal(result.compliance, 'noncompliant', platform);
      assert.deepEqual(result.reasons, ['OS version 10.0.19041 is below the minimum 10.0.22631'], platform);
    }
    const mac = evaluateCompliance(defaultCompliancePolicy, { platform: 'MACOS', osVersion: '13.6', ...healthy }, checkedIn, now);
    assert.deepEqual(mac.reasons, ['OS version 13.6 is below the minimum 14.0']);
  });

  it('passes a recent, encrypted, firewalled device at or above the minimum', () => {
    const result = evaluateCompliance(defaultCompliancePolicy, { platform: 'windows', osVersion: '10.0.26100', ...healthy }, checkedIn, now);
    assert.deepEqual(result, { compliance: 'compliant', reasons: [] });
  });

  it('names every failed condition, including an old check-in', () => {
    const result = evaluateCompliance(
      defaultCompliancePolicy,
      { platform: 'Linux', osVersion: '6.8', diskEncryption: false, firewall: false },
      '2026-01-01T00:00:00Z',
      now,
    );
    assert.deepEqual(result.reasons, ['Disk encryption is off', 'Firewall is off', 'Last check-in was 59 days ago (limit 30)']);
  });

  it('compares dotted versions numerically', () => {
    assert.equal(compareVersions('10.0.9', '10.0.10'), -1);
    assert.equal(compareVersions('14.0', '14'), 0);
    assert.equal(compareVersions('6.10', '6.9'), 1);
  });
});
