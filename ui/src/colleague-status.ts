// Where the invited colleague stands, as the helper sees it (issue 13, point 5): the state in words,
// and what the helper can do about it now — Withdraw (invited or asking), Remove colleague (allowed),
// Hand over (allowed and there), the last one asked again in the page before it is sent.
import { LitElement, css, html, nothing } from 'lit';
import { msg, str, updateWhenLocaleChanges } from '@lit/localize';
import type { ColleagueStatus } from '#protocol/colleague.js';
import { baseStyles } from './shared-styles.js';

/** The colleague's standing in one sentence; `sharerName` is the person whose screen it is. */
export function colleagueStatusText(s: ColleagueStatus, sharerName: string): string {
  const name = s.colleague.name;
  switch (s.state) {
    case 'invited':
      return msg(str`Invited: waiting for ${name} to accept`);
    case 'asking':
      return msg(str`${name} accepted: waiting for ${sharerName} to allow them`);
    case 'allowed':
      return msg(str`${name} sees the screen`);
    case 'denied':
      return msg(str`${sharerName} refused ${name}`);
    case 'declined':
      return msg(str`${name} declined`);
    case 'withdrawn':
      // Closed by the directory, not by the helper: say so, or the helper wonders who withdrew it.
      return s.closedBecause === 'account-disabled'
        ? msg(str`The invitation to ${name} closed: their account was disabled`)
        : msg(str`${name} is no longer in the session`);
    case 'left':
      return msg(str`${name} left`);
    case 'handed-over':
      return msg(str`You handed the session over to ${name}.`);
  }
}

/** "Away" is said only of a colleague who is in the session (accepted, allowed). */
export function colleagueAwayText(s: ColleagueStatus): string {
  return s.present === false && (s.state === 'asking' || s.state === 'allowed')
    ? msg(str`${s.colleague.name} is away: the session waits for them to come back.`)
    : '';
}

/** @fires rh-withdraw-colleague (Withdraw or Remove colleague) @fires rh-hand-over (confirmed in the page) */
export class ColleagueStatusView extends LitElement {
  static override properties = {
    status: { attribute: false },
    sharerName: { attribute: false },
    busy: { type: Boolean },
    confirming: { state: true },
  };
  declare status: ColleagueStatus | undefined;
  declare sharerName: string;
  /** A request about the colleague is on its way: the buttons wait for its answer. */
  declare busy: boolean;
  /** Hand over was pressed once: the page asks before the helper leaves. */
  declare confirming: boolean;

  static override styles = [
    baseStyles,
    css`
      :host { display: block; }
      p { margin: 0; }
      .status { font-weight: var(--rh-weight-strong, 600); }
      .away { color: var(--rh-color-text-muted); }
      .confirm {
        display: grid; gap: var(--rh-space-2, 0.5rem); margin-block-start: var(--rh-space-2, 0.5rem);
        border-inline-start: 4px solid var(--rh-color-warning); padding-inline-start: var(--rh-space-3, 0.75rem);
      }
      @media (forced-colors: active) { .confirm { border-inline-start-color: CanvasText; } }
    `,
  ];

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.sharerName = '';
    this.busy = false;
    this.confirming = false;
  }

  protected override willUpdate(): void {
    // Hand over is only for an allowed colleague who is there: a change takes the question away.
    if (this.confirming && !this.canHandOver) this.confirming = false;
  }

  private get canHandOver(): boolean {
    return this.status?.state === 'allowed' && this.status.present !== false;
  }

  private fire(type: 'rh-withdraw-colleague' | 'rh-hand-over'): void {
    this.dispatchEvent(new CustomEvent(type, { detail: { sessionId: this.status?.sessionId }, bubbles: true, composed: true }));
  }

  private async askHandOver(): Promise<void> {
    this.confirming = true;
    await this.updateComplete;
    // On the harmless answer first, as the console's leave dialog does.
    this.renderRoot.querySelector<HTMLButtonElement>('.confirm button.cancel')?.focus();
  }

  private async cancelHandOver(): Promise<void> {
    this.confirming = false;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLButtonElement>('button.hand-over')?.focus();
  }

  override render() {
    const s = this.status;
    if (!s) return nothing;
    const away = colleagueAwayText(s);
    return html`<p class="status" dir="auto">${colleagueStatusText(s, this.sharerName)}</p>
      ${away ? html`<p class="away" dir="auto">${away}</p>` : nothing}
      ${this.renderActions(s)}`;
  }

  private renderActions(s: ColleagueStatus) {
    if (s.state === 'invited' || s.state === 'asking') {
      return html`<div class="actions">
        <button type="button" ?disabled=${this.busy} @click=${() => this.fire('rh-withdraw-colleague')}>${msg('Withdraw')}</button>
      </div>`;
    }
    if (s.state !== 'allowed') return nothing;
    if (this.confirming) {
      return html`<div class="confirm" role="group" aria-labelledby="hand-over-question">
        <p id="hand-over-question" dir="auto">${msg(str`You leave the session and ${s.colleague.name} goes on helping.`)}</p>
        <div class="actions">
          <button type="button" class="primary" ?disabled=${this.busy} @click=${() => this.fire('rh-hand-over')}>${msg('Hand over')}</button>
          <button type="button" class="cancel" @click=${() => void this.cancelHandOver()}>${msg('Cancel')}</button>
        </div>
      </div>`;
    }
    return html`<div class="actions">
      ${this.canHandOver
        ? html`<button type="button" class="hand-over" ?disabled=${this.busy} @click=${() => void this.askHandOver()}>${msg('Hand over')}</button>`
        : nothing}
      <button type="button" class="danger" ?disabled=${this.busy} @click=${() => this.fire('rh-withdraw-colleague')}>${msg('Remove colleague')}</button>
    </div>`;
  }
}

if (!customElements.get('rh-colleague-status')) customElements.define('rh-colleague-status', ColleagueStatusView);

declare global {
  interface HTMLElementTagNameMap {
    'rh-colleague-status': ColleagueStatusView;
  }
  interface HTMLElementEventMap {
    'rh-withdraw-colleague': CustomEvent<{ sessionId: string | undefined }>;
    'rh-hand-over': CustomEvent<{ sessionId: string | undefined }>;
  }
}
