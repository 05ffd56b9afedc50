// A device's compliance as it stands at join. The directory holds what was evaluated at enrollment,
// at the last report or at the last policy change; of the compliance rules only the check-in age moves
// by itself as time passes, so a device that stopped checking in would stay "compliant" there forever.
// At join that rule is evaluated again with today's policy and the current time; the other reasons
// (OS version, disk encryption, firewall) are kept as stored: they change only with a report or a
// policy change, and both re-evaluate the device already.
import { checkInReasonPrefix, type CompliancePolicy, type Device } from '#protocol';
import { evaluateCompliance } from '../policy/compliance.js';

/** How evaluateCompliance words its check-in reason: the stored one is replaced by today's. */
const checkInReason = checkInReasonPrefix;

export function complianceAtJoin(device: Device, policy: CompliancePolicy, now: number): Device {
  if (!device.enrolled) return device;
  const ageOnly: CompliancePolicy = { minOsVersion: {}, requireDiskEncryption: false, requireFirewall: false, maxCheckInAgeDays: policy.maxCheckInAgeDays };
  const neutral = { platform: device.platform, osVersion: device.osVersion, diskEncryption: true, firewall: true };
  const age = evaluateCompliance(ageOnly, neutral, device.lastCheckIn, now).reasons;
  const kept = device.complianceReasons.filter((r) => !r.startsWith(checkInReason));
  const reasons = [...kept, ...age];
  // Noncompliant only for an old check-in that is no longer too old (the limit was raised): compliant now.
  const staleAgeOnly = device.compliance === 'noncompliant' && kept.length === 0 && device.complianceReasons.length > 0;
  const compliance = age.length > 0 ? 'noncompliant' : staleAgeOnly ? 'compliant' : device.compliance;
  return { ...device, compliance, complianceReasons: reasons };
}
