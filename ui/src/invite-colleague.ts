// The helper's "Invite a colleague" section (issue 13, point 5): a sign-in name and Invite while there
// is no colleague; the colleague's standing and what can be done about it (rh-colleague-status) while
// there is one. It sends the helper's requests itself; the session view owns the colleague's status
// (the relay pushes it) and hears about an answer that changed it through rh-colleague-changed.
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { msg, str, updateWhenLocaleChanges } from '@lit/localize';
import type { WireError } from '#protocol/ack.js';
import { isOpenColleague, type ColleagueStatus } from '#protocol/colleague.js';
import type { SessionLink } from '#protocol/session-link.js';
import { errorMessage } from './i18n/error-messages.js';
import { baseStyles } from './shared-styles.js';
import './colleague-status.js';

/** What a refused invitation means here (the generic sentences speak of sessions and of oneself). */
export function inviteErrorText(e: WireError, colleague: string): string {
  switch (e.code) {
    case 'not-found':
      return msg(str`Nobody in your organization can be invited as “${colleague}”. Check the sign-in name.`);
    case 'permission-missing':
      return msg(str`${colleague} has no role that lets them give remote help.`);
    case 'out-of-scope':
      return msg(str`The role of ${colleague} does not cover this device or this person.`);
    case 'validation':
      return msg('Invite a colleague: not yourself and not the person you are helping.');
    case 'rate-limited':
      return msg('This session cannot invite any more colleagues.');
    case 'wrong-state':
      return msg('A colleague can be invited once the person you are helping has joined, one colleague at a time.');
    default:
      return errorMessage(e.code);
  }
}

/** @fires rh-colleague-changed (detail: ColleagueStatus, the relay's answer to Invite) */
export class InviteColleague extends LitElement {
  static override properties = {
    link: { attribute: false },
    sessionId: { attribute: false },
    status: { attribute: false },
    sharerName: { attribute: false },
    busy: { state: true },
    error: { state: true },
  };
  declare link: SessionLink | undefined;
  declare sessionId: string | undefined;
  /** The colleague as the relay last said (an answer or a push), if one was ever invited. */
  declare status: ColleagueStatus | undefined;
  declare sharerName: string;
  declare busy: boolean;
  /** The last refused request, in words. */
  declare error: string | undefined;

  static override styles = [
    baseStyles,
    css`
      :host { display: block; }
      section { display: grid; gap: var(--rh-space-3, 0.75rem); }
      h2 { margin: 0; font-size: var(--rh-text-md, 1.1rem); }
      form { display: grid; gap: var(--rh-space-2, 0.5rem); }
      .field { display: grid; gap: var(--rh-space-1, 0.25rem); }
      .row { display: flex; flex-wrap: wrap; gap: var(--rh-space-2, 0.5rem); align-items: end; }
      .row .field { flex: 1 1 12em; min-inline-size: 0; }
      /* The field's own width, not the input's default size (about 20 characters): in the console's narrow
         side column that default ran 2 px past the window. */
      .field input { inline-size: 100%; min-inline-size: 0; box-sizing: border-box; }
      .last { margin: 0; color: var(--rh-color-text-muted); }
    `,
  ];

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.sharerName = '';
    this.busy = false;
  }

  /** The focus was on one of this section's controls before this render. */
  private hadFocus = false;

  protected override willUpdate(): void {
    this.hadFocus = this.shadowRoot?.activeElement != null;
  }

  protected override updated(changed: PropertyValues<this>): void {
    // The colleague's part ended (withdrawn, declined, refused, left): Withdraw or Remove colleague went
    // with it, and the focus with them; it goes to the field, where the next step is.
    const before = changed.get('status');
    const ended = before && isOpenColleague(before.state) && this.status && !isOpenColleague(this.status.state);
    if (ended && this.hadFocus) void this.focusFieldIfLost();
  }

  private async focusFieldIfLost(): Promise<void> {
    // The buttons are the status element's: gone once it has rendered too.
    await this.renderRoot.querySelector('rh-colleague-status')?.updateComplete;
    if (this.shadowRoot?.activeElement == null) this.field?.focus();
  }

  private get field(): HTMLInputElement | null {
    return this.renderRoot.querySelector('input');
  }

  private async invite(e: Event): Promise<void> {
    e.preventDefault();
    const link = this.link;
    const sessionId = this.sessionId;
    const field = this.field;
    const colleague = field?.value.trim() ?? '';
    if (!link || !sessionId || this.busy) return;
    if (!colleague) {
      this.error = msg("Type your colleague's sign-in name or email address.");
      field?.focus();
      return;
    }
    this.busy = true;
    this.error = undefined;
    const res = await link.request('session:invite', { sessionId, colleague });
    this.busy = false;
    if (!res.ok) {
      this.error = inviteErrorText(res.error, colleague);
      await this.updateComplete;
      this.field?.focus();
      return;
    }
    if (field) field.value = '';
    this.dispatchEvent(new CustomEvent('rh-colleague-changed', { detail: res.value, bubbles: true, composed: true }));
    // The Invite button is gone with the form: the focus goes to what replaced it.
    await this.updateComplete;
    this.renderRoot.querySelector('rh-colleague-status')?.focus();
  }

  private async send(event: 'session:withdraw-invite' | 'session:hand-over'): Promise<void> {
    const link = this.link;
    const sessionId = this.sessionId;
    if (!link || !sessionId || this.busy) return;
    this.busy = true;
    this.error = undefined;
    const res = await link.request(event, { sessionId });
    this.busy = false;
    if (!res.ok) this.error = errorMessage(res.error.code);
  }

  override render() {
    const s = this.status;
    const open = s !== undefined && isOpenColleague(s.state);
    return html`<section class="card" aria-labelledby="invite-heading">
      <h2 id="invite-heading">${msg('Invite a colleague')}</h2>
      ${s
        ? html`<rh-colleague-status tabindex="-1" class=${open ? '' : 'last'} .status=${s} .sharerName=${this.sharerName} ?busy=${this.busy}
            @rh-withdraw-colleague=${() => void this.send('session:withdraw-invite')}
            @rh-hand-over=${() => void this.send('session:hand-over')}></rh-colleague-status>`
        : nothing}
      ${open ? nothing : this.renderForm()}
      ${this.error ? html`<p class="error" role="alert" dir="auto">${this.error}</p>` : nothing}
    </section>`;
  }

  private renderForm() {
    return html`<form @submit=${(e: Event) => void this.invite(e)}>
      <p class="last">${msg('A colleague in your organization can join to see the screen too, once the person you are helping allows them.')}</p>
      <div class="row">
        <div class="field">
          <label for="colleague">${msg("Colleague's sign-in name")}</label>
          <input id="colleague" name="colleague" type="text" autocomplete="off" spellcheck="false" dir="auto" maxlength="320"
            aria-invalid=${this.error ? 'true' : 'false'} />
        </div>
        <button type="submit" ?disabled=${this.busy}>${msg('Invite')}</button>
      </div>
    </form>`;
  }
}

if (!customElements.get('rh-invite-colleague')) customElements.define('rh-invite-colleague', InviteColleague);

declare global {
  interface HTMLElementTagNameMap {
    'rh-invite-colleague': InviteColleague;
  }
  interface HTMLElementEventMap {
    'rh-colleague-changed': CustomEvent<ColleagueStatus>;
  }
}
