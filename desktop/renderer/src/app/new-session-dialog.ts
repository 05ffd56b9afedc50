// "New remote assistance session": pick the kind of session (Remote help is the one there is), Continue.
import { LitElement, css, html } from 'lit';
import { msg, updateWhenLocaleChanges } from '@lit/localize';
import { baseStyles } from '#ui/shared-styles.js';

/** @fires rh-continue (detail: { kind: 'remote-help' }) @fires rh-cancel */
export class NewSessionDialog extends LitElement {
  static override properties = { kind: { state: true } };
  declare kind: 'remote-help' | undefined;

  static override styles = [
    baseStyles,
    css`
      dialog { border: 1px solid #888; border-radius: 8px; padding: 1.25em; max-inline-size: 28em; }
      fieldset { border: none; padding: 0; margin: 0 0 1em; display: grid; gap: 0.5em; }
      legend { font-weight: 600; margin-block-end: 0.5em; }
      .option { display: flex; gap: 0.5em; align-items: start; }
      .hint { color: #555; font-size: 0.9em; }
      .actions { display: flex; gap: 0.75em; justify-content: end; }
    `,
  ];

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.kind = 'remote-help';
  }

  private get dialog(): HTMLDialogElement | null {
    return this.renderRoot.querySelector('dialog');
  }

  async show(): Promise<void> {
    await this.updateComplete;
    this.kind = 'remote-help';
    this.dialog?.showModal();
  }

  close(): void {
    this.dialog?.close();
  }

  private continue(): void {
    if (!this.kind) return;
    this.close();
    this.dispatchEvent(new CustomEvent('rh-continue', { detail: { kind: this.kind }, bubbles: true, composed: true }));
  }

  override render() {
    return html`<dialog aria-labelledby="title" @close=${() => this.dispatchEvent(new CustomEvent('rh-cancel'))}>
      <h2 id="title">${msg('New remote assistance session')}</h2>
      <fieldset>
        <legend>${msg('Choose the kind of session')}</legend>
        <label class="option">
          <input type="radio" name="kind" value="remote-help" .checked=${this.kind === 'remote-help'}
            @change=${() => (this.kind = 'remote-help')} />
          <span>
            ${msg('Remote help')}
            <span class="hint" id="remote-help-hint">${msg('See the screen of the person you help, after they allow it.')}</span>
          </span>
        </label>
      </fieldset>
      <div class="actions">
        <button @click=${() => this.close()}>${msg('Cancel')}</button>
        <button class="primary" ?disabled=${!this.kind} @click=${() => this.continue()}>${msg('Continue')}</button>
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
    'rh-continue': CustomEvent<{ kind: 'remote-help' }>;
  }
}
