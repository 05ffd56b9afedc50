// Import users from a CSV file (upn,name,jobTitle,company,roles; roles separated by ';'). The relay
// checks every row and takes the file whole or not at all: a refused file lists its problems by line,
// an accepted one says how many users were added and updated, and offers the new users' one-time
// set-password links as a CSV file to hand over. @fires rh-users-imported
import { LitElement, html, nothing } from 'lit';
import { msg, str, updateWhenLocaleChanges } from '@lit/localize';
import { userImportColumns, userImportLimits, type UserImportResult, type WireError } from '#protocol';
import { baseStyles } from '#ui/shared-styles.js';
import '#ui/policy-refusal.js';
import { adminCall, type AdminCaller } from './admin-call.js';
import { adminStyles } from './admin-styles.js';
import { downloadText } from './download.js';

export class UserImport extends LitElement {
  static override properties = {
    client: { attribute: false },
    busy: { state: true },
    result: { state: true },
    error: { state: true },
  };
  declare client: AdminCaller | undefined;
  declare busy: boolean;
  declare result: UserImportResult | undefined;
  declare error: WireError | undefined;

  static override styles = [baseStyles, adminStyles];

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.busy = false;
  }

  private async pick(input: HTMLInputElement): Promise<void> {
    const file = input.files?.[0];
    if (!file || !this.client || this.busy) return;
    this.result = undefined;
    this.error = undefined;
    // Checked here as well as at the relay: a file far too large is never read or sent.
    if (file.size > userImportLimits.maxBytes) {
      this.error = { code: 'payload-too-large', message: msg(str`${file.name} is larger than 1 MB. Split it into smaller files.`) };
      input.value = '';
      return;
    }
    this.busy = true;
    const res = await adminCall(this.client, 'importUsers', { csv: await file.text() });
    this.busy = false;
    // The same file may be picked again after it is fixed.
    input.value = '';
    if (!res.ok) {
      this.error = res.error;
      return;
    }
    this.result = res.value;
    this.dispatchEvent(new CustomEvent<UserImportResult>('rh-users-imported', { detail: res.value, bubbles: true, composed: true }));
  }

  override render() {
    const r = this.result;
    return html`<div class="field">
        <label for="csv">${msg('Import users (CSV)')}</label>
        <input id="csv" type="file" accept=".csv,text/csv" ?disabled=${this.busy} aria-describedby="csv-hint"
          @change=${(e: Event) => void this.pick(e.target as HTMLInputElement)} />
        <p class="hint" id="csv-hint">${msg(str`Columns: ${userImportColumns.join(',')}. Separate several roles with “;”. Up to ${userImportLimits.maxRows} users and 1 MB per file; a file with any problem imports nothing.`)}</p>
      </div>
      ${this.busy ? html`<progress aria-label=${msg('Importing users')}></progress><p role="status">${msg('Importing…')}</p>` : nothing}
      <rh-policy-refusal .error=${this.error} ?hidden=${!this.error}></rh-policy-refusal>
      ${this.error?.problems?.length ? html`<ul aria-label=${msg('Problems in the file')}>
          ${this.error.problems.map((p) => html`<li dir="auto">${msg(str`Line ${p.line}: ${p.message}`)}</li>`)}
        </ul>` : nothing}
      ${r ? html`<p role="status" class="status">${msg(str`Imported: ${r.created} added, ${r.updated} updated.`)}</p>
        ${r.links.length ? html`<div class="actions">
          <button @click=${() => downloadText(document, r.linksCsv.filename, r.linksCsv.csv)}>${msg('Download set-password links (CSV)')}</button>
          <span class="hint">${msg('Each new user chooses their password at their own link; give each link only to its person.')}</span>
        </div>` : nothing}` : nothing}`;
  }
}

if (!customElements.get('rh-user-import')) customElements.define('rh-user-import', UserImport);

declare global {
  interface HTMLElementTagNameMap {
    'rh-user-import': UserImport;
  }
  interface HTMLElementEventMap {
    'rh-users-imported': CustomEvent<UserImportResult>;
  }
}
