// The inventory's sync, as the list shows it: the Sync button; while a sync runs (started here, or by
// main at sign-in or on its interval) a progress bar, determinate when the relay said how many changes
// to expect, with "Synced 4,000 of 10,000 devices (40 %)", and Cancel sync; the last sync's time; why a
// sync failed. Holds no state of its own: the list passes main's progress in and handles the events.
import { LitElement, css, html, nothing } from 'lit';
import { msg, str, updateWhenLocaleChanges } from '@lit/localize';
import type { ErrorCode, SyncProgress } from '#protocol';
import { errorMessage } from '#ui/i18n/error-messages.js';
import { baseStyles } from '#ui/shared-styles.js';
import { consoleStyles } from '../console-styles.js';
import { formatCount, formatTime } from './format.js';

/** Whole percent done, when the relay said how many changes to expect. */
export function percentDone(p: Pick<SyncProgress, 'received' | 'expected'>): number | undefined {
  if (p.expected === null) return undefined;
  if (p.expected <= 0) return 100;
  return Math.min(100, Math.floor((p.received / p.expected) * 100));
}

export function progressText(p: Pick<SyncProgress, 'received' | 'expected'>): string {
  const percent = percentDone(p);
  if (percent !== undefined && p.expected !== null) {
    return msg(str`Synced ${formatCount(p.received)} of ${formatCount(p.expected)} devices (${formatCount(percent)} %)`);
  }
  return p.received > 0 ? msg(str`Synced ${formatCount(p.received)} devices`) : msg('Syncing devices…');
}

/** @fires rh-sync @fires rh-cancel-sync */
export class SyncStatus extends LitElement {
  static override properties = {
    progress: { attribute: false },
    lastSynced: { attribute: false },
    error: { attribute: false },
    cancelling: { type: Boolean },
    notice: { attribute: false },
  };
  /** Main's progress while a sync runs; undefined when none does. */
  declare progress: SyncProgress | undefined;
  declare lastSynced: string | undefined;
  declare error: ErrorCode | undefined;
  declare cancelling: boolean;
  /** How the last sync ended when that needs saying (cancelled). */
  declare notice: string | undefined;

  static override styles = [
    baseStyles,
    consoleStyles,
    css`
      :host { display: grid; gap: 0.4em; }
      .bar { display: flex; flex-wrap: wrap; gap: 0.5em 0.75em; align-items: center; padding-block-end: 0.5em; border-block-end: 1px solid var(--rh-color-border-subtle); }
      progress { inline-size: 12em; max-inline-size: 100%; block-size: 0.9em; }
      .text { font-variant-numeric: tabular-nums; }
      .muted { color: var(--rh-color-text-muted); }
      .error { margin: 0; }
      .notice:empty { display: none; }
    `,
  ];

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.cancelling = false;
  }

  private fire(name: 'rh-sync' | 'rh-cancel-sync'): void {
    this.dispatchEvent(new CustomEvent(name, { bubbles: true, composed: true }));
  }

  private renderProgress(p: SyncProgress) {
    const percent = percentDone(p);
    const text = progressText(p);
    return html`
      <progress aria-label=${msg('Sync progress')} max="100" value=${percent ?? nothing} aria-valuetext=${text}></progress>
      <span class="text">${text}</span>
      <button @click=${() => this.fire('rh-cancel-sync')} ?disabled=${this.cancelling}>${msg('Cancel sync')}</button>`;
  }

  override render() {
    const p = this.progress;
    const syncing = p?.state === 'syncing';
    return html`
      <div class="bar">
        <button class="primary" @click=${() => this.fire('rh-sync')} ?disabled=${syncing}>${msg('Sync')}</button>
        ${syncing
          ? this.renderProgress(p)
          : html`<span class="muted">${this.lastSynced ? msg(str`Last synced ${formatTime(this.lastSynced)}`) : ''}</span>`}
      </div>
      <span class="muted notice" role="status">${syncing ? '' : this.notice ?? ''}</span>
      ${this.error ? html`<p class="error" role="alert">${errorMessage(this.error)}</p>` : nothing}`;
  }
}

if (!customElements.get('rh-sync-status')) customElements.define('rh-sync-status', SyncStatus);

declare global {
  interface HTMLElementTagNameMap {
    'rh-sync-status': SyncStatus;
  }
  interface HTMLElementEventMap {
    'rh-sync': CustomEvent<void>;
    'rh-cancel-sync': CustomEvent<void>;
  }
}
