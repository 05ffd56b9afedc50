// The one formatter of dates, times, durations and numbers (issue 10): everything through Intl, in the
// page's language (<html lang>, set by localization.ts), one cached Intl object of each kind per locale.
// Swedish sees "14:05", Japanese "2026/11/30 14:05", English "Nov 30, 2026, 2:05 PM".

function pageLocale(): string | undefined {
  return globalThis.document?.documentElement.lang || undefined;
}

type Formatter = Intl.DateTimeFormat | Intl.NumberFormat | Intl.ListFormat;
const cache = new Map<string, Formatter>();
function cached<F extends Formatter>(kind: string, locale: string | undefined, make: (locale: string | undefined) => F): F {
  const key = `${kind}|${locale ?? ''}`;
  let f = cache.get(key) as F | undefined;
  if (!f) {
    f = make(locale);
    cache.set(key, f);
  }
  return f;
}

function dateOf(value: string | number | Date): Date | undefined {
  const d = value instanceof Date ? value : new Date(value);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/** A date and time (lists, device view, reports). '' for none; an unreadable value as it came. */
export function formatDateTime(value: string | null | undefined, locale = pageLocale()): string {
  if (!value) return '';
  const d = dateOf(value);
  if (!d) return value;
  return cached('datetime', locale, (l) => new Intl.DateTimeFormat(l, { dateStyle: 'medium', timeStyle: 'short' })).format(d);
}

/** A time of day, hours and minutes (chat messages, "ended at", "waits until"). */
export function formatTimeOfDay(value: string | number | Date, locale = pageLocale()): string {
  const d = dateOf(value);
  if (!d) return '';
  return cached('time', locale, (l) => new Intl.DateTimeFormat(l, { hour: 'numeric', minute: '2-digit' })).format(d);
}

/** A whole number with the locale's grouping: 10,000 in English, 10 000 in Swedish. */
export function formatCount(n: number, locale = pageLocale()): string {
  return cached('count', locale, (l) => new Intl.NumberFormat(l, { maximumFractionDigits: 0 })).format(n);
}

type DurationUnit = 'hour' | 'minute' | 'second';

/** How long something lasted, in whole seconds, to the two largest units, zero parts left out:
 * "1 hr 5 min", "12 min 5 sec", "40 sec" in English. */
export function formatDuration(ms: number, locale = pageLocale()): string {
  const total = Math.max(0, Math.round(ms / 1000));
  const parts: Array<[number, DurationUnit]> = [
    [Math.floor(total / 3600), 'hour'],
    [Math.floor((total % 3600) / 60), 'minute'],
    [total % 60, 'second'],
  ];
  const shown = parts.filter(([n]) => n > 0).slice(0, 2);
  const words = (shown.length ? shown : [[0, 'second'] as [number, DurationUnit]]).map(([n, unit]) =>
    cached(`unit-${unit}`, locale, (l) => new Intl.NumberFormat(l, { style: 'unit', unit, unitDisplay: 'short' })).format(n));
  return cached('units', locale, (l) => new Intl.ListFormat(l, { type: 'unit', style: 'narrow' })).format(words);
}
