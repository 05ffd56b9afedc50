// The trust screen: who is asking (or who is helping), the warnings, and for the sharer the
// decision. The helper's variant has no buttons.
import { LitElement, css, html, nothing } from 'lit';
import { msg, updateWhenLocaleChanges } from '@lit/localize';
import type { PersonProfile, SessionWarning } from '#protocol/models.js';
import type { Permission } from '#protocol/policy.js';
import type { TrustInfo } from '#protocol/relay-events.js';
import { sessionLevelLabel } from './i18n/permission-labels.js';
import { baseStyles } from './shared-styles.js';
import './person-card.js';
import './warning-list.js';

export type AllowEvent = CustomEvent<{ sessionId: string | undefined }>;
export type DenyEvent = CustomEvent<{ sessionId: string | undefined }>;

/** @fires rh-allow @fires rh-deny (only when `decide` is set) */
export class TrustCard extends LitElement {
  static override properties = {
    person: { attribute: false },
    warnings: { attribute: false },
    decide: { type: Boolean },
    busy: { type: Boolean },
    sessionId: { attribute: false },
    heading: { attribute: false },
    permission: { attribute: false },
    device: { attribute: false },
  };
  declare person: PersonProfile | undefined;
  declare warnings: SessionWarning[];
  /** Show the Allow / Deny buttons (the sharer's variant). */
  declare decide: boolean;
  /** Disable the buttons while a decision is being sent. */
  declare busy: boolean;
  declare sessionId: string | undefined;
  declare heading: string | undefined;
  /** The level of help in this session; shown when set. */
  declare permission: Permission | undefined;
  /** The helper's variant: the enrolled device the sharer is on (absent for an unenrolled one); an
   * enrolled browser is marked "Self-reported", and "Awaiting approval" until an administrator approves it. */
  declare device: TrustInfo['device'];

  static override styles = [
    baseStyles,
    css`
      :host { display: block; }
      section { border: 1px solid #c8c8d0; border-radius: 10px; padding: 1em; display: grid; gap: 1em; }
      h2 { margin: 0; font-size: 1.1em; }
      .actions { display: flex; gap: 0.75em; flex-wrap: wrap; }
      .level { margin: 0; display: flex; gap: 0.5em; }
      .level dt { font-weight: 600; }
      .level dd { margin: 0; }
      .os { color: #555; margin-inline-start: 0.5em; }
      .tag {
        display: inline-block; margin-inline-start: 0.5em; padding-inline: 0.45em; border-radius: 4px;
        font-size: 0.85em; background: #ececf3; color: #33334d;
      }
      .tag.pending { background: #fff4e5; color: #5f3b00; }
    `,
  ];

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.warnings = [];
    this.decide = false;
    this.busy = false;
  }

  override render() {
    return html`<section aria-labelledby="trust-heading">
      <h2 id="trust-heading" tabindex="-1">${this.heading ?? msg('Who is on the other end')}</h2>
      <rh-person-card .person=${this.person}></rh-person-card>
      ${this.permission
        ? html`<dl class="level"><dt>${msg('Permission')}</dt><dd class="permission">${sessionLevelLabel(this.permission)}</dd></dl>`
        : nothing}
      ${this.device
        ? html`<dl class="level"><dt>${msg('Device')}</dt>
            <dd class="device"><span dir="auto">${this.device.name}</span>
              <span class="os" dir="auto">${[this.device.platform, this.device.osVersion].filter(Boolean).join(' ')}</span>
              ${this.device.selfReported ? html`<span class="tag self-reported">${msg('Self-reported')}</span>` : nothing}
              ${this.device.approved === false ? html`<span class="tag pending">${msg('Awaiting approval')}</span>` : nothing}</dd></dl>`
        : nothing}
      <rh-warning-list .warnings=${this.warnings} .device=${this.device}></rh-warning-list>
      <slot></slot>
      ${this.decide
        ? html`<div class="actions">
            <button class="primary" ?disabled=${this.busy} @click=${() => this.fire('rh-allow')}>${msg('Allow')}</button>
            <button ?disabled=${this.busy} @click=${() => this.fire('rh-deny')}>${msg('Deny')}</button>
          </div>`
        : nothing}
    </section>`;
  }

  /** Focus to the question (its heading): where the person's attention must go once it appears; the
   * screen reader then reads who is asking before the buttons. */
  focusOutcome(): void {
    this.renderRoot.querySelector<HTMLElement>('#trust-heading')?.focus();
  }

  private fire(type: 'rh-allow' | 'rh-deny'): void {
    this.dispatchEvent(new CustomEvent(type, { detail: { sessionId: this.sessionId }, bubbles: true, composed: true }));
  }
}

if (!customElements.get('rh-trust-card')) customElements.define('rh-trust-card', TrustCard);

declare global {
  interface HTMLElementTagNameMap {
    'rh-trust-card': TrustCard;
  }
  interface HTMLElementEventMap {
    'rh-allow': AllowEvent;
    'rh-deny': DenyEvent;
  }
}
