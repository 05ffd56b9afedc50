// Where a device comes from, as a mark: Intune, Imported, or "Self-reported" (an enrolled browser's own
// word, nothing proves it), plus "Awaiting approval" while an administrator has not approved it. Shown
// wherever a device is (the list's Managed by column, the device view), so the mark is never missed.
import { LitElement, css, html, nothing } from 'lit';
import { updateWhenLocaleChanges } from '@lit/localize';
import type { DeviceSource } from '#protocol';
import { baseStyles } from '#ui/shared-styles.js';
import { consoleStyles } from '../console-styles.js';
import { approvalLabel, managedByLabel, selfReportedHint } from './format.js';

export class ManagedBy extends LitElement {
  static override properties = {
    source: {},
    approved: { type: Boolean },
    /** Also say in words what "self-reported" means (the device view; the list keeps it as a tooltip). */
    explain: { type: Boolean },
  };
  declare source: DeviceSource;
  declare approved: boolean;
  declare explain: boolean;

  static override styles = [
    baseStyles,
    consoleStyles,
    css`
      :host { display: inline-flex; flex-wrap: wrap; align-items: center; gap: 0.15em 0.4em; min-inline-size: 0; }
      .mark { white-space: nowrap; }
      .self { border: 1px solid var(--rh-color-warning); color: var(--rh-color-warning); background: var(--rh-color-warning-subtle); border-radius: 4px;
        padding-inline: 0.35em; font-size: 0.9em; font-weight: 600; }
      .pending { white-space: nowrap; font-size: 0.85em; color: var(--rh-color-warning); }
      .hint { flex-basis: 100%; font-size: 0.9em; color: var(--rh-color-text-muted); }
    `,
  ];

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.source = 'intune';
    this.approved = true;
    this.explain = false;
  }

  override render() {
    const self = this.source === 'enrollment';
    return html`<span class="mark ${self ? 'self' : ''}" title=${self ? selfReportedHint() : nothing}>${managedByLabel(this.source)}</span>${
      this.approved ? nothing : html`<span class="pending">${approvalLabel({ approved: false })}</span>`}${
      self && this.explain ? html`<span class="hint">${selfReportedHint()}</span>` : nothing}`;
  }
}

if (!customElements.get('rh-managed-by')) customElements.define('rh-managed-by', ManagedBy);

declare global {
  interface HTMLElementTagNameMap {
    'rh-managed-by': ManagedBy;
  }
}
