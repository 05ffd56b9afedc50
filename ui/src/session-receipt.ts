// The sharer's receipt beside "Session ended": who could see the screen (the helper, each colleague the
// sharer allowed too, and whom the session was handed over to: receipt-lines.ts), from when to when, the
// pauses and the report's id, with Save receipt (a self-contained HTML file, receipt-file.ts).
import { LitElement, css, html } from 'lit';
import { msg, updateWhenLocaleChanges } from '@lit/localize';
import type { SessionReceipt as Receipt } from '#protocol/receipt.js';
import { receiptFile } from './receipt-file.js';
import { receiptLines, receiptNote } from './receipt-lines.js';
import { baseStyles } from './shared-styles.js';

export class SessionReceipt extends LitElement {
  static override properties = { receipt: { attribute: false } };
  declare receipt: Receipt | undefined;

  static override styles = [
    baseStyles,
    css`
      :host { display: block; margin-block-start: var(--rh-space-4, 1rem); }
      h3 { margin-block: 0 var(--rh-space-2, 0.5rem); font-size: var(--rh-text-md, 1.1rem); }
      dl { margin: 0; }
      dt { font-weight: 600; margin-block-start: var(--rh-space-2, 0.5rem); }
      dd { margin: 0; }
      .id { font-family: var(--rh-font-mono, ui-monospace, monospace); overflow-wrap: anywhere; }
      .note { color: var(--rh-color-text-muted); margin-block: var(--rh-space-2, 0.5rem); }
    `,
  ];

  constructor() {
    super();
    updateWhenLocaleChanges(this);
  }

  override render() {
    const r = this.receipt;
    if (!r) return html``;
    return html`<section aria-labelledby="receipt-heading">
      <h3 id="receipt-heading">${msg('Receipt')}</h3>
      <dl>
        ${receiptLines(r).map((l) => html`<dt>${l.label}</dt>
          ${l.values.map((v) => html`<dd class=${l.key === 'report' ? 'id' : ''} data-line=${l.key} dir="auto">${v}</dd>`)}`)}
      </dl>
      <p class="note">${receiptNote()}</p>
      <button type="button" @click=${this.save}>${msg('Save receipt')}</button>
    </section>`;
  }

  /** A download through a Blob and a[download]: nothing leaves the browser, and no server keeps a copy. */
  private readonly save = (): void => {
    const r = this.receipt;
    if (!r) return;
    const root = document.documentElement;
    const file = receiptFile(r, { lang: root.lang, dir: root.dir === 'rtl' ? 'rtl' : 'ltr' });
    const url = URL.createObjectURL(new Blob([file.html], { type: 'text/html;charset=utf-8' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = file.name;
    a.hidden = true;
    document.body.append(a);
    a.click();
    a.remove();
    // Let the download take the URL before letting it go.
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  };
}

if (!customElements.get('rh-session-receipt')) customElements.define('rh-session-receipt', SessionReceipt);

declare global {
  interface HTMLElementTagNameMap {
    'rh-session-receipt': SessionReceipt;
  }
}
