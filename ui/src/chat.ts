// The session chat: one thread, ordered by the relay's seq, each message shown as text (never as
// markup) in its own direction. Sending goes through the `send` function the session view passes in.
// Every message is named by its sender; once a colleague is in the chat (issue 13, point 5) the
// helpers' messages also say which of the two wrote them ("Helper", "Colleague"), since three people
// write in one thread and a name alone does not say who is whom.
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { msg, updateWhenLocaleChanges } from '@lit/localize';
import type { Ack } from '#protocol/ack.js';
import { limits, type ChatMessage } from '#protocol/relay-events.js';
import type { SessionRole } from '#protocol/models.js';
import { ChatThread, type ChatEntry } from './chat-thread.js';
import { errorMessage } from './i18n/error-messages.js';
import { formatTimeOfDay } from './i18n/format.js';
import { baseStyles } from './shared-styles.js';

export type ChatSender = (req: { clientId: string; text: string }) => Promise<Ack<ChatMessage>>;

export class Chat extends LitElement {
  static override properties = {
    send: { attribute: false },
    self: { attribute: false },
    disabled: { type: Boolean },
    draft: { state: true },
    revision: { state: true },
  };
  declare send: ChatSender | undefined;
  /** Which side this is, to mark own messages. */
  declare self: SessionRole | undefined;
  declare disabled: boolean;
  declare draft: string;
  /** Bumped on every thread change: the thread itself is not a reactive value. */
  declare revision: number;
  private readonly thread = new ChatThread();
  /** The roles this side had, from which seq on: a colleague the session was handed over to is the helper
   * from then on, and the former helper's messages are not theirs. */
  private readonly selves: Array<{ role: SessionRole; afterSeq: number }> = [];

  static override styles = [
    baseStyles,
    css`
      :host { display: flex; flex-direction: column; gap: var(--rh-space-2, 0.5rem); min-block-size: 12em; }
      :host([disabled]) { min-block-size: 0; }
      .log {
        flex: 1; overflow-y: auto; background: var(--rh-color-surface); border: 1px solid var(--rh-color-border-subtle);
        border-radius: var(--rh-radius-md, 8px); padding: var(--rh-space-2, 0.5rem); min-block-size: 8em; max-block-size: 24em;
      }
      .msg { margin-block-end: var(--rh-space-2, 0.5rem); padding-block: var(--rh-space-1, 0.25rem); padding-inline: var(--rh-space-2, 0.5rem); border-radius: var(--rh-radius-md, 8px); }
      /* Own messages on a tint, and named "You" or by the sender's name: not told apart by colour alone. */
      .own { background: var(--rh-color-accent-subtle); }
      .meta { font-size: var(--rh-text-sm, 0.875rem); color: var(--rh-color-text-muted); display: flex; flex-wrap: wrap; gap: var(--rh-space-2, 0.5rem); }
      .text { margin: 0; white-space: pre-wrap; overflow-wrap: anywhere; }
      .role {
        padding-inline: var(--rh-space-1, 0.25rem); border-radius: var(--rh-radius-sm, 4px);
        border: 1px solid var(--rh-color-border-subtle); font-size: var(--rh-text-sm, 0.875rem);
      }
      .pending { opacity: 0.75; }
      .failed .status { color: var(--rh-color-danger); font-weight: var(--rh-weight-strong, 600); }
      form { display: flex; gap: var(--rh-space-2, 0.5rem); }
      input { flex: 1; min-inline-size: 0; }
      .empty { margin: 0; }
      .dropped { margin: 0 0 var(--rh-space-2, 0.5rem); font-size: var(--rh-text-sm, 0.875rem); color: var(--rh-color-text-muted); font-style: italic; }
      @media (forced-colors: active) {
        .log { border-color: CanvasText; }
        .own { border-inline-start: 3px solid CanvasText; }
      }
    `,
  ];

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.disabled = false;
    this.draft = '';
    this.revision = 0;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('self')) this.noteSelf();
  }

  /** Keeps when this side's role changed: before the next message is taken in, which may come before
   * the next render. */
  private noteSelf(): void {
    if (this.self && this.selves.at(-1)?.role !== this.self) {
      this.selves.push({ role: this.self, afterSeq: this.selves.length === 0 ? 0 : this.thread.highestSeq });
    }
  }

  /** Whether this side wrote `m`: sent from here, or from the role this side had when it was sent. */
  private isOwn(m: ChatMessage): boolean {
    if (this.thread.sentHere(m.clientId)) return true;
    const self = this.selves.findLast((s) => m.seq > s.afterSeq) ?? this.selves[0];
    return self !== undefined && m.from === self.role;
  }

  /** A message from the relay (broadcast or history); duplicates by clientId are ignored. */
  receive(message: ChatMessage): void {
    this.noteSelf();
    if (this.thread.receive(message)) this.revision++;
  }

  get lastSeq(): number {
    return this.thread.lastSeq;
  }

  /** The relay no longer holds the messages below `seq` (a long chat's oldest): the thread says so. */
  olderDropped(seq: number): void {
    this.thread.dropBefore(seq);
    this.revision++;
  }

  override render() {
    const entries = this.thread.entries();
    const threeWrite = this.self === 'colleague' || entries.some((e) => e.status === 'sent' && e.message.from === 'colleague');
    // Over (disabled): the thread stays to be read, without a box nobody can type in; nothing at all
    // when nothing was said.
    if (this.disabled && entries.length === 0) return nothing;
    return html`
      <div class="log" role="log" aria-live="polite" aria-label=${msg('Chat')} tabindex="0">
        ${this.thread.olderDropped ? html`<p class="dropped">${msg('Older messages are no longer available.')}</p>` : nothing}
        ${entries.length === 0 && !this.thread.olderDropped ? html`<p class="empty">${msg('No messages yet.')}</p>` : nothing}
        ${entries.map((e) => this.renderEntry(e, threeWrite))}
      </div>
      ${this.disabled
        ? nothing
        : html`<form @submit=${this.onSubmit}>
            <input
              type="text"
              dir="auto"
              aria-label=${msg('Message')}
              maxlength=${limits.chatTextMax}
              autocomplete="off"
              .value=${this.draft}
              @input=${(e: Event) => (this.draft = (e.target as HTMLInputElement).value)}
            />
            <button type="submit">${msg('Send')}</button>
          </form>`}
    `;
  }

  private renderEntry(e: ChatEntry, threeWrite: boolean) {
    if (e.status === 'sent') {
      const m = e.message;
      const time = formatTimeOfDay(m.sentAt);
      const role = threeWrite && m.from !== 'sharer' ? (m.from === 'colleague' ? msg('Colleague') : msg('Helper')) : undefined;
      return html`<div class="msg ${this.isOwn(m) ? 'own' : ''}" data-seq=${m.seq}>
        <div class="meta"><span class="sender" dir="auto">${m.senderName}</span>${role ? html`<span class="role">${role}</span>` : nothing}<time datetime=${m.sentAt}>${time}</time></div>
        <p class="text" dir="auto">${m.text}</p>
      </div>`;
    }
    const failed = e.status === 'failed';
    return html`<div class="msg own ${e.status}">
      <div class="meta">
        <span>${msg('You')}</span>
        <span class="status">${failed ? msg('Not sent') : msg('Sending…')}</span>
      </div>
      <p class="text" dir="auto">${e.text}</p>
      ${failed
        ? html`${e.error ? html`<p class="error" role="alert">${errorMessage(e.error)}</p>` : nothing}
            <button @click=${() => void this.deliver(e.clientId)}>${msg('Retry')}</button>`
        : nothing}
    </div>`;
  }

  protected override updated(): void {
    const log = this.renderRoot.querySelector('.log');
    if (log) log.scrollTop = log.scrollHeight;
  }

  private onSubmit(e: Event): void {
    e.preventDefault();
    const text = this.draft.trim() === '' ? '' : this.draft;
    if (!text || this.disabled) return;
    const clientId = crypto.randomUUID();
    this.thread.addPending(clientId, text);
    this.draft = '';
    this.revision++;
    void this.deliver(clientId);
  }

  /** Sends (or re-sends, same clientId so the relay stores it once) a local message. */
  private async deliver(clientId: string): Promise<void> {
    const text = this.thread.textOf(clientId);
    if (text === undefined) return;
    this.thread.addPending(clientId, text);
    this.revision++;
    const res = this.send ? await this.send({ clientId, text }) : null;
    if (res?.ok) this.thread.receive(res.value);
    else this.thread.markFailed(clientId, res ? res.error.code : 'relay-unreachable');
    this.revision++;
  }
}

if (!customElements.get('rh-chat')) customElements.define('rh-chat', Chat);

declare global {
  interface HTMLElementTagNameMap {
    'rh-chat': Chat;
  }
}
