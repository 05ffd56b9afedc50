// An error as a person reads it: the sentence for its code and, for a refusal by policy, which rule
// refused and what would satisfy it. Every ack failure in a session view goes through this element.
import { LitElement, css, html, nothing } from 'lit';
import { msg, str, updateWhenLocaleChanges } from '@lit/localize';
import type { WireError } from '#protocol/ack.js';
import { errorMessage } from './i18n/error-messages.js';
import { defaultRemedy, remedyMessage } from './i18n/remedy-messages.js';
import { baseStyles } from './shared-styles.js';

export class PolicyRefusal extends LitElement {
  static override properties = { error: { attribute: false } };
  /** Nothing is shown while unset. */
  declare error: Pick<WireError, 'code' | 'policy' | 'requestId'> | undefined;

  static override styles = [
    baseStyles,
    css`
      :host { display: block; }
      :host([hidden]) { display: none; }
      .error p { margin: 0; }
      .error p + p { margin-block-start: 0.35em; }
      .rule { font-weight: 600; }
      /* Something to quote to an administrator, apart from the sentences above. */
      .reference { font-size: 0.85em; }
    `,
  ];

  constructor() {
    super();
    updateWhenLocaleChanges(this);
  }

  override render() {
    const e = this.error;
    if (!e) return nothing;
    const ruleName = e.policy?.ruleName;
    const remedy = e.policy?.remedy ?? defaultRemedy(e.code);
    return html`<div class="error" role="alert">
      <p class="message">${errorMessage(e.code)}</p>
      ${ruleName ? html`<p class="rule" dir="auto">${msg(str`Blocked by the rule “${ruleName}”`)}</p>` : nothing}
      ${remedy ? html`<p class="remedy">${remedyMessage(remedy)}</p>` : nothing}
      ${e.requestId ? html`<p class="reference">${msg(str`Request ID: ${e.requestId}`)}</p>` : nothing}
    </div>`;
  }
}

if (!customElements.get('rh-policy-refusal')) customElements.define('rh-policy-refusal', PolicyRefusal);

declare global {
  interface HTMLElementTagNameMap {
    'rh-policy-refusal': PolicyRefusal;
  }
}
