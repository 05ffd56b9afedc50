// Said once after start when main could not use the device inventory file (damaged, not an inventory,
// or from a newer console): it was moved aside, and the next sync fills a new one. Dismissable.
import { LitElement, css, html } from 'lit';
import { msg, str, updateWhenLocaleChanges } from '@lit/localize';
import type { ConsoleStatus } from '#protocol';
import { baseStyles } from '#ui/shared-styles.js';
import { consoleStyles } from '../console-styles.js';

export type InventoryNoticeInfo = NonNullable<ConsoleStatus['inventoryNotice']>;

function reasonText(reason: InventoryNoticeInfo['reason']): string {
  switch (reason) {
    case 'not-sqlite':
      return msg('it is not a database file');
    case 'truncated':
      return msg('it was cut short');
    case 'corrupt':
      return msg('it is damaged');
    case 'foreign':
      return msg('it is not a Remote Help device inventory');
    case 'newer':
      return msg('it was written by a newer version of the console');
  }
}

/** @fires rh-dismiss */
export class InventoryNotice extends LitElement {
  static override properties = { notice: { attribute: false } };
  declare notice: InventoryNoticeInfo | undefined;

  static override styles = [
    baseStyles,
    consoleStyles,
    css`
      :host { display: block; }
      .box { display: flex; flex-wrap: wrap; gap: 0.5em 1em; align-items: center; justify-content: space-between;
        margin: 0; padding: 0.5em 0.75em; background: var(--rh-color-warning-subtle); color: var(--rh-color-text); border-inline-start: 4px solid var(--rh-color-warning); }
      code { overflow-wrap: anywhere; }
    `,
  ];

  constructor() {
    super();
    updateWhenLocaleChanges(this);
  }

  override render() {
    const n = this.notice;
    if (!n) return html``;
    return html`<div class="box" role="alert">
      <span>
        ${msg(str`The device inventory could not be used (${reasonText(n.reason)}). It was moved to`)}
        <code dir="ltr">${n.movedTo}</code>${msg('; a new inventory is filled by the next sync.')}
      </span>
      <button @click=${() => this.dispatchEvent(new CustomEvent('rh-dismiss', { bubbles: true, composed: true }))}>${msg('Dismiss')}</button>
    </div>`;
  }
}

if (!customElements.get('rh-inventory-notice')) customElements.define('rh-inventory-notice', InventoryNotice);

declare global {
  interface HTMLElementTagNameMap {
    'rh-inventory-notice': InventoryNotice;
  }
  interface HTMLElementEventMap {
    'rh-dismiss': CustomEvent<void>;
  }
}
