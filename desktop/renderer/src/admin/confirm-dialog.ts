// A modal question with two answers, keyboard first: the dialog takes focus, Escape cancels.
// ask() resolves true only when the person chose the confirming button.
import { LitElement, css, html } from 'lit';
import { msg, updateWhenLocaleChanges } from '@lit/localize';
import { baseStyles } from '#ui/shared-styles.js';
import { consoleStyles } from '../console-styles.js';

export class ConfirmDialog extends LitElement {
  static override properties = { question: { state: true }, confirmLabel: { state: true } };
  declare question: string;
  declare confirmLabel: string;
  private answer: ((yes: boolean) => void) | undefined;

  static override styles = [
    baseStyles,
    consoleStyles,
    css`
      dialog { max-inline-size: 28em; }
      .actions { display: flex; gap: 0.75em; justify-content: end; }
      p { margin-block-start: 0; }
    `,
  ];

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.question = '';
    this.confirmLabel = '';
  }

  async ask(question: string, confirmLabel: string): Promise<boolean> {
    this.answer?.(false);
    this.question = question;
    this.confirmLabel = confirmLabel;
    await this.updateComplete;
    const dialog = this.renderRoot.querySelector('dialog');
    if (!dialog) return false;
    dialog.showModal();
    return new Promise((resolve) => (this.answer = resolve));
  }

  private done(yes: boolean): void {
    const answer = this.answer;
    this.answer = undefined;
    this.renderRoot.querySelector('dialog')?.close();
    answer?.(yes);
  }

  override render() {
    return html`<dialog aria-labelledby="q" @close=${() => this.done(false)}>
      <p id="q" dir="auto">${this.question}</p>
      <div class="actions">
        <button autofocus @click=${() => this.done(false)}>${msg('Cancel')}</button>
        <button class="danger" @click=${() => this.done(true)}>${this.confirmLabel}</button>
      </div>
    </dialog>`;
  }
}

if (!customElements.get('rh-confirm-dialog')) customElements.define('rh-confirm-dialog', ConfirmDialog);

declare global {
  interface HTMLElementTagNameMap {
    'rh-confirm-dialog': ConfirmDialog;
  }
}
