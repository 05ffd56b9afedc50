// Display helpers shared by the console's views: all text through msg(), every date, time, count and
// duration through the one Intl formatter in the page's language (<html lang>).
import { msg } from '@lit/localize';
import type { ComplianceState, Device, DeviceOwnership, DeviceSource, EnrollmentFilter } from '#protocol';

// Dates, times, counts and durations: the one formatter of every page (ui/src/i18n/format.ts).
export { formatCount, formatDateTime as formatTime, formatDuration } from '#ui/i18n/format.js';

export function complianceLabel(state: ComplianceState): string {
  switch (state) {
    case 'compliant':
      return msg('Compliant');
    case 'noncompliant':
      return msg('Not compliant');
    case 'unknown':
      return msg('Unknown');
  }
}

/** Where the inventory learned of the device. An enrolled browser's properties are its own word:
 * "Self-reported", never "Enrolled" alone, so nobody takes them for facts Intune checked. */
export function managedByLabel(source: DeviceSource): string {
  switch (source) {
    case 'intune':
      return msg('Intune');
    case 'import':
      return msg('Imported');
    case 'enrollment':
      return msg('Self-reported');
  }
}

export function selfReportedHint(): string {
  return msg('Reported by the device itself (an enrolled browser): nothing proves these properties.');
}

export function approvalLabel(d: Pick<Device, 'approved'>): string {
  return d.approved ? msg('Approved') : msg('Awaiting approval');
}

export function ownershipLabel(o: DeviceOwnership): string {
  switch (o) {
    case 'company':
      return msg('Corporate');
    case 'personal':
      return msg('Personal');
    case 'unknown':
      return msg('Unknown');
  }
}

export function enrollmentFilterLabel(f: EnrollmentFilter): string {
  switch (f) {
    case 'any':
      return msg('All');
    case 'intune':
      return msg('Intune-managed');
    case 'approved':
      return msg('Approved');
    case 'pending':
      return msg('Awaiting approval');
    case 'import':
      return msg('Imported');
  }
}

/** A hardware property, or "Unknown" when the source could not tell (a browser never can). */
export function orUnknown(value: string): string {
  return value.trim() === '' ? msg('Unknown') : value;
}
