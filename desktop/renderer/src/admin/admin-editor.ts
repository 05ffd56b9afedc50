// What the role and rule editors share: a draft edited in place, saved whole (name trimmed) through
// the admin API, the refusal shown when the relay says no, and Save / Cancel at the bottom.
import { LitElement, html, type PropertyDeclarations, type TemplateResult } from 'lit';
import { msg, updateWhenLocaleChanges } from '@lit/localize';
import type { Ack, WireError } from '#protocol';
import { baseStyles } from '#ui/shared-styles.js';
import { consoleStyles } from '../console-styles.js';
import '#ui/policy-refusal.js';
import type { AdminCaller } from './admin-call.js';
import { adminStyles } from './admin-styles.js';

/** @fires rh-cancel */
export abstract class AdminEditor<T extends { name: string }> extends LitElement {
  static override properties: PropertyDeclarations = {
    client: { attribute: false },
    draft: { state: true },
    saving: { state: true },
    error: { state: true },
  };
  declare client: AdminCaller | undefined;
  declare draft: T;
  declare saving: boolean;
  declare error: WireError | undefined;

  static override styles = [baseStyles, consoleStyles, adminStyles];

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.saving = false;
  }

  /** Sends the draft; once the relay has stored it, fires `savedEvent` with what it stored. */
  protected async saveDraft(save: (client: AdminCaller, item: T) => Promise<Ack<T>>, savedEvent: 'rh-role-saved' | 'rh-rule-saved'): Promise<void> {
    this.saving = true;
    this.error = undefined;
    const res = await save(this.client!, { ...this.draft, name: this.draft.name.trim() });
    this.saving = false;
    if (!res.ok) {
      this.error = res.error;
      return;
    }
    this.dispatchEvent(new CustomEvent(savedEvent, { detail: res.value, bubbles: true, composed: true }));
  }

  protected renderActions(saveLabel: string): TemplateResult {
    return html`<div class="actions">
      <button class="primary" type="submit" ?disabled=${this.saving}>${saveLabel}</button>
      <button type="button" @click=${() => this.dispatchEvent(new CustomEvent('rh-cancel'))}>${msg('Cancel')}</button>
      <span role="status">${this.saving ? msg('Saving…') : ''}</span>
    </div>`;
  }
}

declare global {
  interface HTMLElementEventMap {
    'rh-cancel': CustomEvent<void>;
  }
}
