// Compliance and enrollment warnings for the helper. Each is an alert (inside its list item, so the
// list stays a list for a screen reader): it must be noticed, but it never blocks the session. A device
// no administrator has approved yet is one too: its name and properties are only the browser's word.
import { LitElement, css, html, nothing } from 'lit';
import { msg, str, updateWhenLocaleChanges } from '@lit/localize';
import type { SessionWarning } from '#protocol/models.js';
import type { TrustInfo } from '#protocol/relay-events.js';
import { complianceReasonMessage } from './i18n/compliance-reasons.js';
import { baseStyles } from './shared-styles.js';

export class WarningList extends LitElement {
  static override properties = { warnings: { attribute: false }, device: { attribute: false } };
  declare warnings: SessionWarning[];
  /** The device the session shows; warned about while it awaits an administrator's approval. */
  declare device: TrustInfo['device'];

  static override styles = [
    baseStyles,
    css`
      :host { display: block; }
      ul.warnings { list-style: none; margin: 0; padding: 0; display: grid; gap: 0.5em; }
      ul.warnings > li {
        background: var(--rh-color-warning-subtle); color: var(--rh-color-text); border-inline-start: 4px solid var(--rh-color-warning);
        border-radius: var(--rh-radius-sm, 4px); padding-block: var(--rh-space-2, 0.5rem); padding-inline: var(--rh-space-3, 0.75rem);
      }
      /* Not by colour alone: the stripe stays, in the system's text colour. */
      @media (forced-colors: active) {
        ul.warnings > li { border-inline-start-color: CanvasText; }
      }
      .title { font-weight: var(--rh-weight-strong, 600); margin: 0; }
      .reasons { margin-block: 0.25em 0; padding-inline-start: 1.2em; }
      .detail { margin-block: 0.25em 0; }
    `,
  ];

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.warnings = [];
  }

  override render() {
    const awaiting = this.device?.approved === false;
    if (this.warnings.length === 0 && !awaiting) return nothing;
    return html`<ul class="warnings">
      ${this.warnings.map((w) => html`<li><div role="alert">${this.renderWarning(w)}</div></li>`)}
      ${awaiting
        ? html`<li><div role="alert"><p class="title">${msg('This device awaits an administrator’s approval')}</p>
            <ul class="reasons"><li>${msg('Its name and properties are self-reported by the browser: nothing has verified them.')}</li></ul></div></li>`
        : nothing}
    </ul>`;
  }

  private renderWarning(w: SessionWarning) {
    if (w.kind === 'unconfirmed-device') {
      // The device is enrolled; what is unknown is whether the person is on it. Say exactly that, and
      // what to do about it.
      const name = w.deviceName ?? '';
      return html`<p class="title" dir="auto">${name ? msg(str`Can't confirm this is ${name}`) : msg("Can't confirm this is the device")}</p>
        <p class="detail" dir="auto">${name
          ? msg(str`The person's browser did not prove it is this device. Ask them to open the link on ${name} itself, or check who you are talking to before you continue.`)
          : msg("The person's browser did not prove it is this device. Ask them to open the link on the device itself, or check who you are talking to before you continue.")}</p>
        ${this.renderReasons(w.reasons)}`;
    }
    const title = w.kind === 'unenrolled' ? msg('This device is not enrolled') : msg('This device is not compliant');
    return html`<p class="title">${title}</p>${this.renderReasons(w.reasons)}`;
  }

  private renderReasons(reasons: string[]) {
    return reasons.length ? html`<ul class="reasons">${reasons.map((r) => html`<li dir="auto">${complianceReasonMessage(r)}</li>`)}</ul>` : nothing;
  }
}

if (!customElements.get('rh-warning-list')) customElements.define('rh-warning-list', WarningList);

declare global {
  interface HTMLElementTagNameMap {
    'rh-warning-list': WarningList;
  }
}
