// The trust screen: who is asking (or who is helping), the warnings, and for the sharer the
// decision. The helper's variant has no buttons.
import { LitElement, css, html, nothing } from 'lit';
import { msg, updateWhenLocaleChanges } from '@lit/localize';
import type { PersonProfile, SessionWarning } from '#protocol/models.js';
import type { Permission } from '#protocol/policy.js';
import type { TrustInfo } from '#protocol/relay-events.js';
import { sessionLevelLabel } from './i18n/permission-labels.js';
import { startedFromText } from './started-from-text.js';
import { baseStyles } from './shared-styles.js';
import './person-card.js';
import './warning-list.js';

export type AllowEvent = CustomEvent<{ sessionId: string | undefined }>;
export type DenyEvent = CustomEvent<{ sessionId: string | undefined }>;

/** @fires rh-allow @fires rh-deny @fires rh-report ("I didn't expect this": declines and tells the administrators) (only when `decide` is set) */
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
    organizationName: { attribute: false },
    organizationLogo: { attribute: false },
    purpose: { attribute: false },
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
  /** The organization both people belong to, and its logo (a URL): shown at the top when given, so the
   * person sees the request comes through their own organization. */
  declare organizationName: string | undefined;
  declare organizationLogo: string | undefined;
  /** Why the session exists and where it was started from, as the relay said at join (a TrustInfo):
   * shown when set, "No reason given" when it has no reason. */
  declare purpose: Pick<TrustInfo, 'reason' | 'origin'> | undefined;

  static override styles = [
    baseStyles,
    css`
      :host { display: block; }
      section.card { display: grid; gap: var(--rh-space-4, 1rem); }
      h2 { margin: 0; font-size: var(--rh-text-lg, 1.25rem); line-height: 1.3; }
      .organization { display: flex; align-items: center; gap: var(--rh-space-2, 0.5rem); margin: 0; color: var(--rh-color-text-muted); font-weight: var(--rh-weight-strong, 600); }
      .organization img { block-size: 2rem; inline-size: auto; max-inline-size: 10rem; object-fit: contain; }
      .level { margin: 0; display: flex; flex-wrap: wrap; gap: var(--rh-space-2, 0.5rem); }
      .level dt { font-weight: var(--rh-weight-strong, 600); }
      .level dd { margin: 0; }
      .purpose { margin: 0; display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: var(--rh-space-1, 0.25rem) var(--rh-space-3, 0.75rem); }
      .purpose dt { font-weight: var(--rh-weight-strong, 600); }
      .purpose dd { margin: 0; min-inline-size: 0; }
      /* Typed by the helper: a long ticket number or a word without spaces wraps instead of widening the card. */
      .purpose .reason { overflow-wrap: anywhere; white-space: normal; }
      .purpose .none { color: var(--rh-color-text-muted); font-style: italic; }
      .os { color: var(--rh-color-text-muted); margin-inline-start: var(--rh-space-2, 0.5rem); }
      .tag {
        display: inline-block; margin-inline-start: var(--rh-space-2, 0.5rem); padding-inline: var(--rh-space-2, 0.5rem);
        border-radius: var(--rh-radius-sm, 4px); font-size: var(--rh-text-sm, 0.875rem);
        background: var(--rh-color-surface-raised); color: var(--rh-color-text); border: 1px solid var(--rh-color-border-subtle);
      }
      .tag.pending { background: var(--rh-color-warning-subtle); border-color: var(--rh-color-warning); }
      @media (forced-colors: active) {
        .tag { border-color: CanvasText; }
      }
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
    const orgName = this.organizationName ?? '';
    return html`<section class="card" aria-labelledby="trust-heading">
      ${this.organizationLogo || orgName
        ? html`<p class="organization">${this.organizationLogo
            ? html`<img src=${this.organizationLogo} alt=${orgName ? '' : msg('Organization logo')} />`
            : nothing}${orgName ? html`<span dir="auto">${orgName}</span>` : nothing}</p>`
        : nothing}
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
      ${this.purpose ? this.renderPurpose(this.purpose) : nothing}
      ${this.warnings.length > 0 || this.device?.approved === false
        ? html`<rh-warning-list .warnings=${this.warnings} .device=${this.device}></rh-warning-list>`
        : nothing}
      <slot></slot>
      ${this.decide
        ? html`<div class="actions">
            <button type="button" class="primary" ?disabled=${this.busy} @click=${() => this.fire('rh-allow')}>${msg('Allow')}</button>
            <button type="button" ?disabled=${this.busy} @click=${() => this.fire('rh-deny')}>${msg('Deny')}</button>
            <button type="button" class="report" ?disabled=${this.busy} @click=${() => this.fire('rh-report')}>${msg('Report')}</button>
          </div>`
        : nothing}
    </section>`;
  }

  /** The reason as text (Lit never reads it as HTML), in its own direction; and the origin. */
  private renderPurpose(p: Pick<TrustInfo, 'reason' | 'origin'>) {
    return html`<dl class="purpose">
      <dt>${msg('Reason')}</dt>
      ${p.reason ? html`<dd class="reason" dir="auto">${p.reason}</dd>` : html`<dd class="reason none">${msg('No reason given')}</dd>`}
      ${p.origin ? html`<dt>${msg('Started from')}</dt><dd class="origin">${startedFromText(p.origin)}</dd>` : nothing}
    </dl>`;
  }

  /** Focus to the question (its heading): where the person's attention must go once it appears; the
   * screen reader then reads who is asking before the buttons. */
  focusOutcome(): void {
    this.renderRoot.querySelector<HTMLElement>('#trust-heading')?.focus();
  }

  private fire(type: 'rh-allow' | 'rh-deny' | 'rh-report'): void {
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
    'rh-report': DenyEvent;
  }
}
