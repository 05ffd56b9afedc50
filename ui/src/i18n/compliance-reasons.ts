// A device's compliance reason in the reader's language. The relay keeps reasons as English sentences
// (protocol/src/compliance-reasons.ts); each one it makes is read back into its kind and values and said
// here; a reason from elsewhere (none of those) is shown as it was written.
import { msg, str } from '@lit/localize';
import { parseComplianceReason } from '#protocol/compliance-reasons.js';
import { formatCount, formatDateTime } from './format.js';

export function complianceReasonMessage(text: string): string {
  const r = parseComplianceReason(text);
  if (!r) return text;
  switch (r.kind) {
    case 'os-below-minimum': return msg(str`OS version ${r.version} is below the minimum ${r.minimum}`);
    case 'disk-encryption-off': return msg('Disk encryption is off');
    case 'firewall-off': return msg('Firewall is off');
    case 'check-in-too-old': return msg(str`Last check-in was ${formatCount(r.days)} days ago (limit ${formatCount(r.limit)})`);
    case 'never-checked-in': return msg(str`Never checked in (limit ${formatCount(r.limit)} days)`);
    case 'imported': return msg('Imported: no compliance data');
    case 'intune-grace-period': return msg(str`In grace period until ${formatDateTime(`${r.until.replace(' ', 'T')}Z`)}`);
    case 'intune-grace-period-open': return msg('In grace period');
    case 'intune-noncompliant': return msg('Intune reports the device as not compliant');
    case 'intune-conflict': return msg('Intune reports a compliance conflict (policies disagree)');
    case 'intune-error': return msg('Intune reports a compliance error');
    case 'configuration-manager': return msg('Compliance is evaluated by Configuration Manager, not Intune');
    case 'intune-other-state': return msg(str`Intune reports the compliance state "${r.state}"`);
  }
}
