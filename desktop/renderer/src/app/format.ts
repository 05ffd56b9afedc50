// Display helpers shared by the console's views; all text through msg().
import { msg } from '@lit/localize';
import type { ComplianceState } from '#protocol';

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

export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(document.documentElement.lang || undefined, { dateStyle: 'medium', timeStyle: 'short' }).format(d);
}
