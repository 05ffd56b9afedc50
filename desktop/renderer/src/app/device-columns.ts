// The columns of Devices > All devices, in order: each one a sort key of the contract, its header text,
// its width (a minimum that keeps it readable, and its share of the rest), and its priority. As the
// list narrows, columns fold away least needed first, at the width where they stop fitting at their
// minimum; the device name and Managed by (which carries the self-reported mark) never fold, and the
// name's minimum shows a whole typical name (CONTOSO-LT-000123).
import { msg } from '@lit/localize';
import { css, unsafeCSS, type CSSResult } from 'lit';
import type { DeviceSortKey } from '#protocol';

export interface DeviceColumn {
  key: DeviceSortKey;
  label(): string;
  /** Minimum width in em of the table's font, and share of the width left over. */
  minEm: number;
  fr: number;
  /** 1 never folds; higher folds sooner. */
  priority: number;
}

export const deviceColumns: readonly DeviceColumn[] = [
  { key: 'name', label: () => msg('Device name'), minEm: 12.5, fr: 1.6, priority: 1 },
  { key: 'managedBy', label: () => msg('Managed by'), minEm: 8, fr: 0.9, priority: 1 },
  { key: 'ownership', label: () => msg('Ownership'), minEm: 6.5, fr: 0.6, priority: 7 },
  { key: 'compliance', label: () => msg('Compliance'), minEm: 8.5, fr: 0.8, priority: 2 },
  { key: 'platform', label: () => msg('OS'), minEm: 5, fr: 0.5, priority: 3 },
  { key: 'osVersion', label: () => msg('OS version'), minEm: 6.5, fr: 0.6, priority: 6 },
  { key: 'primaryUser', label: () => msg('Primary user UPN'), minEm: 9.5, fr: 1.8, priority: 4 },
  { key: 'lastCheckIn', label: () => msg('Last check-in'), minEm: 12.5, fr: 0.9, priority: 5 },
];

/** Between columns, and the row's padding plus the scroll bar's gutter (about 15 px), in em. */
export const columnGapEm = 0.6;
const rowChromeEm = 1.5 + 1.3;

const template = (cols: readonly DeviceColumn[]): string => cols.map((c) => `minmax(${c.minEm}em, ${c.fr}fr)`).join(' ');

/** The width, in em, that `cols` need at their minimum. */
export function widthNeeded(cols: readonly DeviceColumn[]): number {
  return cols.reduce((sum, c) => sum + c.minEm, 0) + columnGapEm * (cols.length - 1) + rowChromeEm;
}

/** The columns shown in a list `widthEm` wide: the most by priority that fit. */
export function columnsShown(widthEm: number): DeviceColumn[] {
  const priorities = [...new Set(deviceColumns.map((c) => c.priority))].sort((a, b) => a - b);
  let shown = deviceColumns.filter((c) => c.priority === priorities[0]);
  for (const p of priorities.slice(1)) {
    const next = deviceColumns.filter((c) => c.priority <= p);
    if (widthNeeded(next) > widthEm) break;
    shown = next;
  }
  return shown;
}

/**
 * The grid of the header and of every row, for the container named `devices` (em in a container query
 * are the container's): all columns when wide, and one query per fold point, widest first, so the
 * narrowest that applies wins.
 */
export function columnStyles(): CSSResult {
  const priorities = [...new Set(deviceColumns.map((c) => c.priority))].sort((a, b) => b - a).slice(0, -1);
  const rules = priorities.map((p) => {
    const shown = deviceColumns.filter((c) => c.priority < p);
    const hidden = deviceColumns.filter((c) => c.priority >= p);
    const below = widthNeeded(deviceColumns.filter((c) => c.priority <= p));
    return `@container devices (width < ${below.toFixed(2)}em) {
      .row { grid-template-columns: ${template(shown)}; }
      ${hidden.map((c) => `.c-${c.key}`).join(', ')} { display: none; }
    }`;
  });
  return css`
    .row { grid-template-columns: ${unsafeCSS(template(deviceColumns))}; column-gap: ${columnGapEm}em; }
    ${unsafeCSS(rules.join('\n'))}
  `;
}
