// The receipt of a session as lines of text in the page's language: what the sharer sees beside
// "Session ended" and what the saved file says are made here once, so the two cannot differ.
import { msg, str } from '@lit/localize';
import type { SessionReceipt } from '#protocol/receipt.js';

/** One labelled entry of the receipt; `values` are shown one per line. */
export interface ReceiptLine {
  key: 'helper' | 'colleagues' | 'handed-over' | 'shared' | 'pauses' | 'report';
  label: string;
  values: string[];
}

/** A date and a time to the second, in the page's language and the browser's time zone: a receipt is
 * read later, maybe on another day, and a pause of a few seconds must still show. */
export function receiptTime(iso: string, locale = globalThis.document?.documentElement.lang || undefined): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'medium' }).format(d);
}

export function receiptLines(r: SessionReceipt, locale?: string): ReceiptLine[] {
  const t = (iso: string) => receiptTime(iso, locale);
  const shared = r.sharingSince
    ? msg(str`From ${t(r.sharingSince)} to ${t(r.endedAt)}`)
    : msg('The screen was not shared');
  const pauses = r.pauses.length === 0
    ? [msg('None')]
    : r.pauses.map((p) => (p.to ? msg(str`From ${t(p.from)} to ${t(p.to)}`) : msg(str`From ${t(p.from)} until the end`)));
  // A second helper (issue 13, point 5): each colleague the sharer allowed, from when to when, and the
  // helper the session was handed over to. Absent when there was none, as on the receipts before.
  const colleagues: ReceiptLine[] = r.colleagues?.length
    ? [{
        key: 'colleagues',
        label: msg('Also saw your screen'),
        values: r.colleagues.map((c) => (c.to
          ? msg(str`${c.name} (${c.upn}), from ${t(c.from)} to ${t(c.to)}`)
          : msg(str`${c.name} (${c.upn}), from ${t(c.from)} until the end`))),
      }]
    : [];
  const handedOver: ReceiptLine[] = r.handedOverTo
    ? [{ key: 'handed-over', label: msg('Session handed over to'), values: [r.handedOverTo.name, r.handedOverTo.upn] }]
    : [];
  return [
    // Nobody saw anything of a screen that was never shared: then it is only who asked.
    { key: 'helper', label: r.sharingSince ? msg('Who saw your screen') : msg('Helper'), values: [r.helper.name, r.helper.upn] },
    ...colleagues,
    ...handedOver,
    { key: 'shared', label: msg('Screen shared'), values: [shared] },
    { key: 'pauses', label: msg('Pauses'), values: pauses },
    { key: 'report', label: msg('Report ID'), values: [r.reportId ?? msg('Not recorded')] },
  ];
}

export const receiptTitle = (): string => msg('Receipt for your Remote Help session');

/** Why the report ID is worth keeping. */
export const receiptNote = (): string =>
  msg('Your organization can find this session in its reports by the report ID.');
