// "End the session with Amira Haddad?": asked before the console leaves a live session (another view,
// Sign out, closing the window). Modal; the focus goes to Stay, the harmless answer, and Escape means
// Stay too; the focus goes back where it was when the person stays.
import { LitElement, css, html } from 'lit';
import { msg, str, updateWhenLocaleChanges } from '@lit/localize';
import { baseStyles } from '#ui/shared-styles.js';
import { consoleStyles } from '../console-styles.js';

/** Whom the session is with, as far as the console knows: the person once they joined, else the device. */
export interface LeaveQuestion {
  person?: string;
  device?: string;
  /** The console is in the session as an invited colleague (issue 13, point 5): leaving takes only them
   * out; the session goes on for the others. */
  colleague?: boolean;
}

/** The focused element, through open shadow roots. */
export function deepActiveElement(doc: Document): HTMLElement | null {
  let el = doc.activeElement;
  while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
  return el instanceof HTMLElement ? el : null;
}

export class LeaveSessionDialog extends LitElement {
  static override properties = { question: { state: true } };
  declare question: LeaveQuestion;

  private answer: Promise<boolean> | undefined;
  private resolve: ((leave: boolean) => void) | undefined;
  private returnFocus: HTMLElement | null = null;

  static override styles = [
    baseStyles,
    consoleStyles,
    css`
      dialog { max-inline-size: 30em; }
      h2 { margin-block: 0 0.5em; font-size: 1.2em; }
      p { margin-block: 0 1em; }
      .actions { display: flex; flex-wrap: wrap; gap: 0.75em; justify-content: end; }
    `,
  ];

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.question = {};
  }

  private get dialog(): HTMLDialogElement | null {
    return this.renderRoot.querySelector('dialog');
  }

  /** Resolves true when the person chose to end the session and leave. Asked again while open, the
   * same answer serves both. */
  ask(question: LeaveQuestion): Promise<boolean> {
    if (this.answer) return this.answer;
    this.question = question;
    this.returnFocus = deepActiveElement(document);
    this.answer = new Promise<boolean>((resolve) => (this.resolve = resolve));
    // Open at once (the words follow with the next render): a close event still queued from the last
    // question then finds the dialog open, and is not taken for this one's answer.
    const dialog = this.dialog;
    if (dialog && !dialog.open) dialog.showModal();
    void this.updateComplete.then(() => {
      if (this.dialog && !this.dialog.open) this.dialog.showModal();
      this.renderRoot.querySelector<HTMLButtonElement>('#stay')?.focus();
    });
    return this.answer;
  }

  private done(leave: boolean): void {
    const resolve = this.resolve;
    this.resolve = undefined;
    this.answer = undefined;
    if (this.dialog?.open) this.dialog.close();
    if (!leave && this.returnFocus?.isConnected) this.returnFocus.focus();
    this.returnFocus = null;
    resolve?.(leave);
  }

  private heading(): string {
    const { person, device, colleague } = this.question;
    if (colleague) return person ? msg(str`Leave the session with ${person}?`) : msg('Leave this remote help session?');
    if (person) return msg(str`End the session with ${person}?`);
    if (device) return msg(str`End the session for ${device}?`);
    return msg('End this remote help session?');
  }

  private text(): string {
    const { person, colleague } = this.question;
    if (colleague) return msg('Leaving takes only you out of the session: it goes on for the others.');
    return person
      ? msg(str`Leaving ends the remote help session. ${person} will see that it has ended.`)
      : msg('Leaving ends the remote help session: its security code will no longer work.');
  }

  override render() {
    // Escape (cancel) is Stay; a close by other means with the question still open is Stay too.
    return html`<dialog aria-labelledby="title" aria-describedby="text"
      @cancel=${(e: Event) => { e.preventDefault(); this.done(false); }}
      @close=${() => { if (this.resolve && !this.dialog?.open) this.done(false); }}>
      <h2 id="title" dir="auto">${this.heading()}</h2>
      <p id="text" dir="auto">${this.text()}</p>
      <div class="actions">
        <button id="stay" @click=${() => this.done(false)}>${msg('Stay')}</button>
        <button class="danger" @click=${() => this.done(true)}>${this.question.colleague ? msg('Leave the session') : msg('End session and leave')}</button>
      </div>
    </dialog>`;
  }
}

if (!customElements.get('rh-leave-session-dialog')) customElements.define('rh-leave-session-dialog', LeaveSessionDialog);

declare global {
  interface HTMLElementTagNameMap {
    'rh-leave-session-dialog': LeaveSessionDialog;
  }
}
