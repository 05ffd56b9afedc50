// Display helpers shared by the console's views: all text through msg(), every date, time, count and
// duration through Intl in the page's language (<html lang>), one cached formatter of each kind.
import { msg } from '@lit/localize';
import type { ComplianceState, Device, DeviceOwnership, DeviceSource, EnrollmentFilter } from '#protocol';

function pageLocale(): string | undefined {
  return document.documentElement.lang || undefined;
}

/** One formatter per (kind, locale): a locale switch re-renders with new ones. */
const cache = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat>();
function cached<F extends Intl.DateTimeFormat | Intl.NumberFormat>(kind: string, make: (locale: string | undefined) => F): F {
  const locale = pageLocale();
  const key = `${kind}|${locale ?? ''}`;
  let f = cache.get(key) as F | undefined;
  if (!f) {
    f = make(locale);
    cache.set(key, f);
  }
  return f;
}

/** The one date-and-time format of the console (lists, device view, reports). '' for none. */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return cached('time', (l) => new Intl.DateTimeFormat(l, { dateStyle: 'medium', timeStyle: 'short' })).format(d);
}

/** A whole number with the locale's grouping: 10,000 in English. */
export function formatCount(n: number): string {
  return cached('count', (l) => new Intl.NumberFormat(l, { maximumFractionDigits: 0 })).format(n);
}

type DurationUnit = 'hour' | 'minute' | 'second';
function unit(n: number, u: DurationUnit): string {
  return cached(`unit-${u}`, (l) => new Intl.NumberFormat(l, { style: 'unit', unit: u, unitDisplay: 'short' })).format(n);
}

/** How long something lasted, to the two largest units: "1 hr 5 min", "4 min 12 sec", "12 sec". */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h > 0) return m > 0 ? `${unit(h, 'hour')} ${unit(m, 'minute')}` : unit(h, 'hour');
  if (m > 0) return s > 0 ? `${unit(m, 'minute')} ${unit(s, 'second')}` : unit(m, 'minute');
  return unit(s, 'second');
}

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
