// The Reason column of Tenant administration > Reports: what the helper said the session was for, and
// where it was started from. Records written before these were kept have neither: the cell is empty.
import { html, nothing } from 'lit';
import { msg, str } from '@lit/localize';
import type { SessionReport } from '#protocol';
import { startedFromText } from '#ui/started-from-text.js';

export function purposeCell(r: Pick<SessionReport, 'reason' | 'origin'>) {
  if (r.reason === undefined && !r.origin) return nothing;
  return html`${r.reason !== undefined ? html`<span class="reason" dir="auto">${r.reason}</span>` : nothing}${r.reason !== undefined && r.origin ? html`<br />` : nothing}${r.origin
    ? html`<span class="origin">${msg(str`Started from: ${startedFromText(r.origin)}`)}</span>`
    : nothing}`;
}
