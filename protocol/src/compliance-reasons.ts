// Why a device is not compliant, as the relay words it. The reasons are kept and synced as these English
// sentences (the directory, the console's inventory and the reports hold them as written), so each is
// made here from its values, and read back here into its kind and values: the pages then show it in the
// reader's language. A reason that is none of these (another source's words) is shown as it is.

export type ComplianceReason =
  | { kind: 'os-below-minimum'; version: string; minimum: string }
  | { kind: 'disk-encryption-off' }
  | { kind: 'firewall-off' }
  | { kind: 'check-in-too-old'; days: number; limit: number }
  | { kind: 'never-checked-in'; limit: number }
  | { kind: 'imported' }
  | { kind: 'intune-grace-period'; until: string }
  | { kind: 'intune-grace-period-open' }
  | { kind: 'intune-noncompliant' }
  | { kind: 'intune-conflict' }
  | { kind: 'intune-error' }
  | { kind: 'configuration-manager' }
  | { kind: 'intune-other-state'; state: string };

/** The sentence a reason is kept as. */
export function complianceReasonText(r: ComplianceReason): string {
  switch (r.kind) {
    case 'os-below-minimum': return `OS version ${r.version} is below the minimum ${r.minimum}`;
    case 'disk-encryption-off': return 'Disk encryption is off';
    case 'firewall-off': return 'Firewall is off';
    case 'check-in-too-old': return `Last check-in was ${r.days} days ago (limit ${r.limit})`;
    case 'never-checked-in': return `Last check-in was never days ago (limit ${r.limit})`;
    case 'imported': return 'Imported: no compliance data';
    case 'intune-grace-period': return `In grace period until ${r.until} UTC`;
    case 'intune-grace-period-open': return 'In grace period';
    case 'intune-noncompliant': return 'Intune reports the device as not compliant';
    case 'intune-conflict': return 'Intune reports a compliance conflict (policies disagree)';
    case 'intune-error': return 'Intune reports a compliance error';
    case 'configuration-manager': return 'Compliance is evaluated by Configuration Manager, not Intune';
    case 'intune-other-state': return `Intune reports the compliance state "${r.state}"`;
  }
}

/** Every check-in reason starts so (the relay replaces them when it recomputes a device's age). */
export const checkInReasonPrefix = 'Last check-in was ';

const patterns: readonly [RegExp, (m: RegExpExecArray) => ComplianceReason][] = [
  [/^OS version (.*) is below the minimum (.*)$/, (m) => ({ kind: 'os-below-minimum', version: m[1] ?? '', minimum: m[2] ?? '' })],
  [/^Disk encryption is off$/, () => ({ kind: 'disk-encryption-off' })],
  [/^Firewall is off$/, () => ({ kind: 'firewall-off' })],
  [/^Last check-in was (\d+) days ago \(limit (\d+)\)$/, (m) => ({ kind: 'check-in-too-old', days: Number(m[1]), limit: Number(m[2]) })],
  [/^Last check-in was never days ago \(limit (\d+)\)$/, (m) => ({ kind: 'never-checked-in', limit: Number(m[1]) })],
  [/^Imported: no compliance data$/, () => ({ kind: 'imported' })],
  [/^In grace period until (.+) UTC$/, (m) => ({ kind: 'intune-grace-period', until: m[1] ?? '' })],
  [/^In grace period$/, () => ({ kind: 'intune-grace-period-open' })],
  [/^Intune reports the device as not compliant$/, () => ({ kind: 'intune-noncompliant' })],
  [/^Intune reports a compliance conflict \(policies disagree\)$/, () => ({ kind: 'intune-conflict' })],
  [/^Intune reports a compliance error$/, () => ({ kind: 'intune-error' })],
  [/^Compliance is evaluated by Configuration Manager, not Intune$/, () => ({ kind: 'configuration-manager' })],
  [/^Intune reports the compliance state "(.*)"$/, (m) => ({ kind: 'intune-other-state', state: m[1] ?? '' })],
];

/** A kept sentence read back into its reason; undefined for words from elsewhere. */
export function parseComplianceReason(text: string): ComplianceReason | undefined {
  for (const [pattern, read] of patterns) {
    const m = pattern.exec(text);
    if (m) return read(m);
  }
  return undefined;
}
