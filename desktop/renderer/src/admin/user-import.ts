// Import users from a CSV file (upn,name,jobTitle,company,roles; roles separated by ';'). The relay
// checks every row and takes the file whole or not at all: a refused file lists its problems by line,
// an accepted one says how many users were added and updated, and offers the new users' one-time
// set-password links as a CSV file to hand over. @fires rh-users-imported
import { html, nothing } from 'lit';
import { msg, str } from '@lit/localize';
import { userImportColumns, userImportLimits, type UserImportResult } from '#protocol';
import { adminCall, type AdminCaller } from './admin-call.js';
import { CsvImportBase } from './csv-import-base.js';
import { downloadText } from './download.js';

export class UserImport extends CsvImportBase<UserImportResult> {
  protected readonly maxBytes = userImportLimits.maxBytes;

  protected send(client: AdminCaller, csv: string) {
    return adminCall(client, 'importUsers', { csv });
  }

  protected imported(result: UserImportResult): void {
    this.dispatchEvent(new CustomEvent<UserImportResult>('rh-users-imported', { detail: result, bubbles: true, composed: true }));
  }

  override render() {
    const megabytes = userImportLimits.maxBytes / (1024 * 1024);
    return this.renderImport({
      id: 'csv',
      label: msg('Import users (CSV)'),
      hint: msg(str`Columns: ${userImportColumns.join(',')}. Separate several roles with “;”. Up to ${userImportLimits.maxRows} users and ${megabytes} MB per file; a file with any problem imports nothing.`),
      busy: msg('Importing users'),
    }, (r) => (r.links.length ? html`<div class="actions">
        <button @click=${() => downloadText(document, r.linksCsv.filename, r.linksCsv.csv)}>${msg('Download set-password links (CSV)')}</button>
        <span class="hint">${msg('Each new user chooses their password at their own link; give each link only to its person.')}</span>
      </div>` : nothing));
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
