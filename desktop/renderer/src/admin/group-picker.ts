// Picks groups for a role scope: "All" (stored as '*') or any of the tenant's groups, as checkboxes
// in one fieldset, so the whole choice is one labelled group for a screen reader.
import { LitElement, html, nothing } from 'lit';
import { msg, updateWhenLocaleChanges } from '@lit/localize';
import { baseStyles } from '#ui/shared-styles.js';
import { consoleStyles } from '../console-styles.js';
import { adminStyles } from './admin-styles.js';

export const allGroups = '*';

/** @fires rh-change (detail: string[]) */
export class GroupPicker extends LitElement {
  static override properties = {
    legend: { attribute: false },
    allLabel: { attribute: false },
    groups: { attribute: false },
    value: { attribute: false },
  };
  declare legend: string;
  declare allLabel: string;
  declare groups: string[];
  declare value: string[];

  static override styles = [baseStyles, consoleStyles, adminStyles];

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.legend = '';
    this.allLabel = '';
    this.groups = [];
    this.value = [];
  }

  private set(next: string[]): void {
    this.value = next;
    this.dispatchEvent(new CustomEvent('rh-change', { detail: next }));
  }

  override render() {
    const all = this.value.includes(allGroups);
    // Groups named in the value but unknown to the directory stay visible so they can be removed.
    const names = [...new Set([...this.groups, ...this.value.filter((v) => v !== allGroups)])].sort();
    return html`<fieldset>
      <legend>${this.legend}</legend>
      <label class="check">
        <input type="checkbox" .checked=${all} @change=${(e: Event) => this.set((e.target as HTMLInputElement).checked ? [allGroups] : [])} />
        ${this.allLabel}
      </label>
      <div class="choices">
        ${names.map((g) => html`<label class="check">
          <input type="checkbox" ?disabled=${all} .checked=${!all && this.value.includes(g)}
            @change=${(e: Event) => {
              const on = (e.target as HTMLInputElement).checked;
              this.set(on ? [...this.value.filter((v) => v !== g), g] : this.value.filter((v) => v !== g));
            }} />
          <span dir="auto">${g}</span>
        </label>`)}
      </div>
      ${names.length === 0 ? html`<p class="hint">${msg('Your directory has no groups yet.')}</p>` : nothing}
    </fieldset>`;
  }
}

if (!customElements.get('rh-group-picker')) customElements.define('rh-group-picker', GroupPicker);

declare global {
  interface HTMLElementTagNameMap {
    'rh-group-picker': GroupPicker;
  }
  interface HTMLElementEventMap {
    'rh-change': CustomEvent<string[]>;
  }
}
