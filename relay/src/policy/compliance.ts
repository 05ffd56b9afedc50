// Turns a device's reported properties into compliant / not compliant, with the reasons a helper reads
// on the trust screen. Pure: the policy, the properties and the time come in; nothing is looked up.
import { complianceReasonText, type ComplianceState, type CompliancePolicy, type DeviceProperties } from '#protocol';

export interface ComplianceResult {
  compliance: ComplianceState;
  reasons: string[];
}

/** Compares dotted versions numerically ("10.0.9" < "10.0.10"); non-numeric parts compare as 0. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split(/[.\s]/).map((p) => Number.parseInt(p, 10) || 0);
  const pb = b.split(/[.\s]/).map((p) => Number.parseInt(p, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  return 0;
}

/** The policy's minimum for a platform, whatever its case: a device reporting "windows" is still held
 * to the "Windows" minimum (an exact lookup would skip the version check for it). */
export function minOsVersionFor(policy: CompliancePolicy, platform: string): string | undefined {
  const wanted = platform.trim().toLowerCase();
  return Object.entries(policy.minOsVersion).find(([name]) => name.trim().toLowerCase() === wanted)?.[1];
}

export function evaluateCompliance(
  policy: CompliancePolicy,
  props: DeviceProperties,
  lastCheckIn: string,
  now: number,
): ComplianceResult {
  const reasons: string[] = [];
  const min = minOsVersionFor(policy, props.platform);
  if (min && compareVersions(props.osVersion, min) < 0) {
    reasons.push(complianceReasonText({ kind: 'os-below-minimum', version: props.osVersion, minimum: min }));
  }
  if (policy.requireDiskEncryption && !props.diskEncryption) reasons.push(complianceReasonText({ kind: 'disk-encryption-off' }));
  if (policy.requireFirewall && !props.firewall) reasons.push(complianceReasonText({ kind: 'firewall-off' }));
  if (policy.maxCheckInAgeDays > 0) {
    const ageDays = (now - Date.parse(lastCheckIn)) / 86_400_000;
    if (!(ageDays <= policy.maxCheckInAgeDays)) {
      reasons.push(complianceReasonText(Number.isFinite(ageDays)
        ? { kind: 'check-in-too-old', days: Math.floor(ageDays), limit: policy.maxCheckInAgeDays }
        : { kind: 'never-checked-in', limit: policy.maxCheckInAgeDays }));
    }
  }
  return { compliance: reasons.length ? 'noncompliant' : 'compliant', reasons };
}

export const defaultCompliancePolicy: CompliancePolicy = {
  minOsVersion: { Windows: '10.0.22631', macOS: '14.0', Linux: '6.1' },
  requireDiskEncryption: true,
  requireFirewall: true,
  maxCheckInAgeDays: 30,
};
