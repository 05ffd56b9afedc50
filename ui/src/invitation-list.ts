// The invited colleague's side (issue 13, point 5): the invitations open for the signed-in person, where
// a helper looks first (the console's devices, /rhh's start). Those that came before the page are asked
// for (session:invitations, again after every reconnect); new ones are pushed (session:invitation) and
// said in a polite live region. Decline is answered here; Accept is the page's to do (it opens the
// session view, which answers the invitation once it listens to the session).
// `compact`: the same invitations while the person is in a session view already (their own session, or
// another colleague's): a small notice, each with Accept, Decline and Dismiss (hidden here until the
// start view, where it stays listed while open). A page shows one live session view at a time (one
// picture, one chat, one remembered session per tab), so Accept while `sessionLive()` first asks, in the
// notice, to end the session they are in; the page then ends it and opens the invitation's.
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
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

/** @fires rh-accept-invitation (detail: Invitation; with `sessionLive`, only once the person agreed to end
 * the session they are in) */
export class InvitationList extends LitElement {
  static override properties = {
    link: { attribute: false },
    compact: { type: Boolean, reflect: true },
    sessionLive: { attribute: false },
    excluding: { attribute: false },
    invitations: { state: true },
    dismissed: { state: true },
    confirming: { state: true },
    busy: { state: true },
    error: { state: true },
    announcement: { state: true },
  };
  declare link: SessionLink | undefined;
  /** Shown inside a session view: a notice, not the start view's list. */
  declare compact: boolean;
  /** Whether the page's session view holds a live session now (asked at Accept); absent: the page
   * asks itself before it leaves one (the console's leave dialog). */
  declare sessionLive: (() => boolean) | undefined;
  /** The invitation this view is answering (its Accept is on its way): not offered again in the notice. */
  declare excluding: string | undefined;
  /** Invitations dismissed from the notice, by session (still open at the relay). */
  declare dismissed: ReadonlySet<string>;
  /** The invitation whose Accept waits for the person to agree to end their session. */
  declare confirming: string | undefined;
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
      aside.notice {
        display: grid; gap: var(--rh-space-1, 0.25rem); margin-block-end: var(--rh-space-3, 0.75rem);
        padding: var(--rh-space-2, 0.5rem) var(--rh-space-3, 0.75rem);
        border-inline-start: 4px solid var(--rh-color-accent); background: var(--rh-color-surface, Canvas);
      }
      aside.notice p { margin: 0; }
      aside.notice .what { font-weight: var(--rh-weight-strong, 600); }
      aside.notice .details { color: var(--rh-color-text-muted); overflow-wrap: anywhere; }
      aside.notice .actions { display: flex; flex-wrap: wrap; gap: var(--rh-space-2, 0.5rem); }
      @media (forced-colors: active) { li.card, aside.notice { border-inline-start-color: CanvasText; } }
    `,
  ];

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.invitations = [];
    this.announcement = '';
    this.compact = false;
    this.dismissed = new Set();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.listen();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.stopListening();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    // The invitation this view was answering is answered (the relay does not tell the answering
    // connection that it closed): it goes when the view moves on to another session.
    const answered = changed.get('excluding');
    if (answered !== undefined && answered !== this.excluding) this.invitations = this.invitations.filter((i) => i.sessionId !== answered);
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
    // Invited again (after a withdrawal): a new question, shown even if the last one was dismissed.
    if (!known && this.dismissed.has(i.sessionId)) this.dismissed = new Set([...this.dismissed].filter((id) => id !== i.sessionId));
    if (!known) this.announce([i]);
  }

  private announce(list: Invitation[]): void {
    this.announcement = list.map(invitationText).join('. ');
  }

  private async accept(i: Invitation): Promise<void> {
    if (this.compact && this.confirming !== i.sessionId && this.sessionLive?.()) {
      this.confirming = i.sessionId;
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('.confirm button')?.focus();
      return;
    }
    this.confirming = undefined;
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

  /** Hidden from the notice; the focus goes to what is left of it, or back to the page's main. */
  private async dismiss(i: Invitation): Promise<void> {
    this.dismissed = new Set([...this.dismissed, i.sessionId]);
    if (this.confirming === i.sessionId) this.confirming = undefined;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('aside button')?.focus();
  }

  override render() {
    const live = html`<div class="visually-hidden" role="status" aria-live="polite">${this.announcement}</div>`;
    if (this.compact) return this.renderNotice(live);
    if (this.invitations.length === 0) return live;
    return html`${live}<section aria-labelledby="invitations-heading">
      <h2 id="invitations-heading">${msg('Invitations to help')}</h2>
      <ul>${repeat(this.invitations, (i) => i.sessionId, (i) => this.renderInvitation(i))}</ul>
    </section>`;
  }

  private renderNotice(live: unknown) {
    const shown = this.invitations.filter((i) => !this.dismissed.has(i.sessionId) && i.sessionId !== this.excluding);
    return html`${live}${repeat(shown, (i) => i.sessionId, (i) => {
      const id = `notice-${i.sessionId}`;
      const busy = this.busy !== undefined;
      return html`<aside class="notice" aria-labelledby=${id}>
        <p id=${id} class="what" dir="auto">${invitationText(i)}</p>
        ${i.deviceName || i.reason
          ? html`<p class="details" dir="auto">${[i.deviceName, i.reason].filter((x) => x).join(' · ')}</p>` : nothing}
        ${this.error?.sessionId === i.sessionId ? html`<p class="error" role="alert">${this.error.text}</p>` : nothing}
        ${this.confirming === i.sessionId
          ? html`<div class="confirm">
              <p>${msg('Accepting ends the session you are in now.')}</p>
              <div class="actions">
                <button type="button" class="primary" @click=${() => void this.accept(i)}>${msg('End this session and accept')}</button>
                <button type="button" @click=${() => (this.confirming = undefined)}>${msg('Cancel')}</button>
              </div>
            </div>`
          : html`<div class="actions">
              <button type="button" class="primary" ?disabled=${busy} @click=${() => void this.accept(i)}>${msg('Accept')}</button>
              <button type="button" ?disabled=${busy} @click=${() => void this.decline(i)}>${msg('Decline')}</button>
              <button type="button" aria-label=${msg(str`Dismiss: ${invitationText(i)}`)} @click=${() => void this.dismiss(i)}>${msg('Dismiss')}</button>
            </div>`}
      </aside>`;
    })}`;
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
        <button type="button" class="primary" ?disabled=${this.busy !== undefined} @click=${() => void this.accept(i)}>${msg('Accept')}</button>
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
