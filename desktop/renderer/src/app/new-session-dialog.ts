// "New remote assistance session": pick the kind of session (Remote help is the one there is), Continue.
// Opening it asks the relay (session:precheck) whether a session for this device would be refused for a
// reason that does not depend on the moment — no role, the device outside the role's scope, the tenant's
// settings, a conditional-access rule — so the helper learns it here, with the rule and what to do,
// instead of Continue.
import { LitElement, css, html, nothing } from 'lit';
import { msg, updateWhenLocaleChanges } from '@lit/localize';
import { reasonMaxLength, sessionReason, type WireError } from '#protocol';
import { canRetryCreate } from '#ui/create-refusal.js';
import { reasonProblemText } from '#ui/started-from-text.js';
import '#ui/policy-refusal.js';
import { baseStyles } from '#ui/shared-styles.js';
import { consoleStyles } from '../console-styles.js';
import type { DesktopClient } from '../api-client.js';

/** @fires rh-continue (detail: { kind: 'remote-help', reason? }) @fires rh-cancel @fires rh-back (refused: back to the devices) */
export class NewSessionDialog extends LitElement {
  static override properties = {
    kind: { state: true },
    refused: { state: true },
    reasonRefused: { state: true },
    client: { attribute: false },
    deviceId: { attribute: false },
  };
  declare kind: 'remote-help' | undefined;
  /** The refusal the precheck answered: shown instead of Continue. */
  declare refused: WireError | undefined;
  /** The typed reason would be refused by the relay: said at the field, Continue waits. */
  declare reasonRefused: boolean;
  /** Where the precheck goes (the desktop API's relay method); without it Continue goes straight on. */
  declare client: DesktopClient | undefined;
  declare deviceId: string | undefined;
  private checking: Promise<void> | undefined;

  static override styles = [
    baseStyles,
    consoleStyles,
    css`
      dialog { max-inline-size: 28em; }
      fieldset { border: none; padding: 0; margin: 0 0 1em; display: grid; gap: 0.5em; }
      legend { font-weight: 600; margin-block-end: 0.5em; }
      .option { display: flex; gap: 0.5em; align-items: start; }
      .hint { color: var(--rh-color-text-muted); font-size: var(--rh-text-sm); }
      .actions { display: flex; gap: 0.75em; justify-content: end; }
      .refused { margin-block-end: 0.5em; }
      .field { display: grid; gap: 0.25em; margin-block-end: 1em; }
      .field label { font-weight: 600; }
    `,
  ];

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.kind = 'remote-help';
    this.reasonRefused = false;
  }

  private get dialog(): HTMLDialogElement | null {
    return this.renderRoot.querySelector('dialog');
  }

  async show(): Promise<void> {
    await this.updateComplete;
    this.kind = 'remote-help';
    this.refused = undefined;
    this.reasonRefused = false;
    const reason = this.renderRoot.querySelector<HTMLInputElement>('#reason');
    if (reason) reason.value = '';
    this.checking = this.precheck();
    this.dialog?.showModal();
  }

  /** A refusal that would answer the same on Continue is kept; one of the moment (the relay
   * unreachable) decides nothing, and Continue's create answers for itself. */
  private async precheck(): Promise<void> {
    if (!this.client) return;
    const res = await this.client.relay({ event: 'session:precheck', req: this.deviceId !== undefined ? { deviceId: this.deviceId } : {} });
    if (!res.ok && !canRetryCreate(res.error.code)) this.refused = res.error;
  }

  close(): void {
    this.dialog?.close();
  }

  /** The device view's own way back (rh-back, composed, reaches the console). */
  private backToDevices(): void {
    this.close();
    this.dispatchEvent(new CustomEvent('rh-back', { bubbles: true, composed: true }));
  }

  private async continue(): Promise<void> {
    if (!this.kind) return;
    await this.checking;
    if (this.refused) return;
    // Trimmed here too so an all-space reason is none; the relay checks it again (session-purpose.ts).
    const field = this.renderRoot.querySelector<HTMLInputElement>('#reason');
    const reason = field?.value.trim() ?? '';
    this.reasonRefused = !sessionReason.safeParse(reason).success;
    if (this.reasonRefused) {
      field?.focus();
      return;
    }
    this.close();
    this.dispatchEvent(new CustomEvent('rh-continue', { detail: { kind: this.kind, ...(reason ? { reason } : {}) }, bubbles: true, composed: true }));
  }

  override render() {
    return html`<dialog aria-labelledby="title" @close=${() => this.dispatchEvent(new CustomEvent('rh-cancel'))}>
      <h2 id="title">${msg('New remote assistance session')}</h2>
      <fieldset>
        <legend>${msg('Choose the kind of session')}</legend>
        <label class="option">
          <input type="radio" name="kind" value="remote-help" .checked=${this.kind === 'remote-help'}
            aria-labelledby="remote-help-name" aria-describedby="remote-help-hint"
            @change=${() => (this.kind = 'remote-help')} />
          <span>
            <span id="remote-help-name">${msg('Remote help')}</span>
            <span class="hint" id="remote-help-hint">${msg('See the screen of the person you help, after they allow it.')}</span>
          </span>
        </label>
      </fieldset>
      ${this.refused
        ? nothing
        : html`<div class="field"><label for="reason">${msg('Reason or ticket number')}</label>
            <input id="reason" name="reason" maxlength=${reasonMaxLength} dir="auto" autocomplete="off"
              aria-invalid=${this.reasonRefused ? 'true' : 'false'} aria-describedby=${this.reasonRefused ? 'reason-error reason-hint' : 'reason-hint'}
              @keydown=${(e: KeyboardEvent) => { if (e.key === 'Enter') void this.continue(); }} />
            ${this.reasonRefused ? html`<span class="error" id="reason-error" role="alert">${reasonProblemText()}</span>` : nothing}
            <span class="hint" id="reason-hint">${msg('Optional. The person you help sees it before they allow you to see their screen.')}</span></div>`}
      ${this.refused
        ? html`<rh-policy-refusal class="refused" .error=${this.refused}></rh-policy-refusal>
            <p class="hint">${msg('Remote help cannot start on this device for you. Go back to the devices, or sign in with another account.')}</p>`
        : nothing}
      <div class="actions">
        <button @click=${() => this.close()}>${this.refused ? msg('Close') : msg('Cancel')}</button>
        ${this.refused
          ? html`<button class="primary" @click=${() => this.backToDevices()}>${msg('Back to devices')}</button>`
          : html`<button class="primary" ?disabled=${!this.kind} @click=${() => void this.continue()}>${msg('Continue')}</button>`}
      </div>
    </dialog>`;
  }
}

if (!customElements.get('rh-new-session-dialog')) customElements.define('rh-new-session-dialog', NewSessionDialog);

declare global {
  interface HTMLElementTagNameMap {
    'rh-new-session-dialog': NewSessionDialog;
  }
  interface HTMLElementEventMap {
    'rh-continue': CustomEvent<{ kind: 'remote-help'; reason?: string }>;
  }
}
