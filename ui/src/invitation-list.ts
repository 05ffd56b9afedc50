// The invited colleague's side (issue 13, point 5): the invitations open for the signed-in person, where
// a helper looks first (the console's devices, /rhh's start). Those that came before the page are asked
// for (session:invitations, again after every reconnect); new ones are pushed (session:invitation) and
// said in a polite live region. Decline is answered here; Accept is the page's to do (it opens the
// session view, which answers the invitation once it listens to the session).
import { LitElement, css, html, nothing } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { msg, str, updateWhenLocaleChanges } from '@lit/localize';
import type { Invitation } from '#protocol/colleague.js';
import type { SessionLink } from '#protocol/session-link.js';
import { errorMessage } from './i18n/error-messages.js';
import { formatTimeOfDay } from './i18n/format.js';
import { baseStyles } from './shared-styles.js';
import { startedFromText } from './started-from-text.js';

export type AcceptInvitationEvent = CustomEvent<Invitation>;

/** "Hanna Helper asks you to help Sam Sharer". */
export function invitationText(i: Invitation): string {
  return msg(str`${i.from.name} asks you to help ${i.sharerName}`);
}

/** @fires rh-accept-invitation (detail: Invitation) */
export class InvitationList extends LitElement {
  static override properties = {
    link: { attribute: false },
    invitations: { state: true },
    busy: { state: true },
    error: { state: true },
    announcement: { state: true },
  };
  declare link: SessionLink | undefined;
  /** Open invitations, oldest first. */
  declare invitations: Invitation[];
  /** The invitation whose answer is on its way. */
  declare busy: string | undefined;
  /** A refused Decline, by session. */
  declare error: { sessionId: string; text: string } | undefined;
  declare announcement: string;

  private listening: SessionLink | undefined;
  private offs: Array<() => void> = [];

  static override styles = [
    baseStyles,
    css`
      :host { display: block; }
      :host([hidden]) { display: none; }
      ul { list-style: none; margin: 0; padding: 0; display: grid; gap: var(--rh-space-3, 0.75rem); }
      li.card { display: grid; gap: var(--rh-space-2, 0.5rem); border-inline-start: 4px solid var(--rh-color-accent); }
      h2 { margin: 0 0 var(--rh-space-2, 0.5rem); font-size: var(--rh-text-lg, 1.25rem); }
      h3 { margin: 0; font-size: var(--rh-text-md, 1.1rem); }
      dl { margin: 0; display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: var(--rh-space-1, 0.25rem) var(--rh-space-3, 0.75rem); }
      dt { font-weight: var(--rh-weight-strong, 600); }
      dd { margin: 0; min-inline-size: 0; overflow-wrap: anywhere; }
      .none { color: var(--rh-color-text-muted); font-style: italic; }
      @media (forced-colors: active) { li.card { border-inline-start-color: CanvasText; } }
    `,
  ];

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.invitations = [];
    this.announcement = '';
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.listen();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.stopListening();
  }

  protected override willUpdate(): void {
    if (this.link !== this.listening) {
      this.stopListening();
      this.listen();
    }
  }

  private stopListening(): void {
    this.offs.splice(0).forEach((off) => off());
    this.listening = undefined;
  }

  private listen(): void {
    const link = this.link;
    if (!link || this.listening || !this.isConnected) return;
    this.listening = link;
    this.offs.push(
      link.on('session:invitation', (i) => this.onInvitation(i)),
      // Whatever came or closed while the connection was down.
      link.on('connection', ({ connected }) => {
        if (connected) void this.refresh();
      }),
    );
    void this.refresh();
  }

  /** Asks the relay for the invitations open now (they replace what the list had). */
  async refresh(): Promise<void> {
    const link = this.link;
    if (!link) return;
    const res = await link.request('session:invitations', {});
    if (!res.ok || link !== this.link) return;
    const before = new Set(this.invitations.map((i) => i.sessionId));
    this.invitations = res.value.filter((i) => i.open);
    const fresh = this.invitations.filter((i) => !before.has(i.sessionId));
    if (fresh.length > 0) this.announce(fresh);
  }

  private onInvitation(i: Invitation): void {
    const others = this.invitations.filter((x) => x.sessionId !== i.sessionId);
    const known = others.length !== this.invitations.length;
    if (!i.open) {
      if (known) this.invitations = others;
      return;
    }
    this.invitations = [...others, i];
    if (!known) this.announce([i]);
  }

  private announce(list: Invitation[]): void {
    this.announcement = list.map(invitationText).join('. ');
  }

  private accept(i: Invitation): void {
    this.dispatchEvent(new CustomEvent('rh-accept-invitation', { detail: i, bubbles: true, composed: true }));
  }

  private async decline(i: Invitation): Promise<void> {
    const link = this.link;
    if (!link || this.busy) return;
    this.busy = i.sessionId;
    this.error = undefined;
    const res = await link.request('session:invite-answer', { sessionId: i.sessionId, accept: false });
    this.busy = undefined;
    // Closed meanwhile (withdrawn, the session ended): it goes from the list all the same.
    if (res.ok || res.error.code === 'not-found' || res.error.code === 'session-ended' || res.error.code === 'wrong-state') {
      this.invitations = this.invitations.filter((x) => x.sessionId !== i.sessionId);
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('li button')?.focus();
      return;
    }
    this.error = { sessionId: i.sessionId, text: errorMessage(res.error.code) };
  }

  override render() {
    const live = html`<div class="visually-hidden" role="status" aria-live="polite">${this.announcement}</div>`;
    if (this.invitations.length === 0) return live;
    return html`${live}<section aria-labelledby="invitations-heading">
      <h2 id="invitations-heading">${msg('Invitations to help')}</h2>
      <ul>${repeat(this.invitations, (i) => i.sessionId, (i) => this.renderInvitation(i))}</ul>
    </section>`;
  }

  private renderInvitation(i: Invitation) {
    const id = `invitation-${i.sessionId}`;
    const at = new Date(i.invitedAt);
    return html`<li class="card" aria-labelledby=${id}>
      <h3 id=${id} dir="auto">${invitationText(i)}</h3>
      <dl>
        ${i.deviceName ? html`<dt>${msg('Device')}</dt><dd dir="auto">${i.deviceName}</dd>` : nothing}
        <dt>${msg('Reason')}</dt>
        ${i.reason ? html`<dd dir="auto">${i.reason}</dd>` : html`<dd class="none">${msg('No reason given')}</dd>`}
        ${i.origin ? html`<dt>${msg('Started from')}</dt><dd>${startedFromText(i.origin)}</dd>` : nothing}
        ${isNaN(at.getTime()) ? nothing : html`<dt>${msg('Invited at')}</dt><dd>${formatTimeOfDay(at)}</dd>`}
      </dl>
      ${this.error?.sessionId === i.sessionId ? html`<p class="error" role="alert">${this.error.text}</p>` : nothing}
      <div class="actions">
        <button type="button" class="primary" ?disabled=${this.busy !== undefined} @click=${() => this.accept(i)}>${msg('Accept')}</button>
        <button type="button" ?disabled=${this.busy !== undefined} @click=${() => void this.decline(i)}>${msg('Decline')}</button>
      </div>
    </li>`;
  }
}

if (!customElements.get('rh-invitation-list')) customElements.define('rh-invitation-list', InvitationList);

declare global {
  interface HTMLElementTagNameMap {
    'rh-invitation-list': InvitationList;
  }
  interface HTMLElementEventMap {
    'rh-accept-invitation': AcceptInvitationEvent;
  }
}
