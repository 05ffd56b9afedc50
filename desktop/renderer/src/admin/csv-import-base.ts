// What the admin view's CSV imports (users, devices) share: picking a file, refusing one far too large
// before it is read, sending it whole, and showing a refusal with its problems by line or the result.
// Each import is its own element over this base; it names the call, the limits and its own texts.
import { LitElement, html, nothing, type TemplateResult } from 'lit';
import { msg, str, updateWhenLocaleChanges } from '@lit/localize';
import type { Ack, WireError } from '#protocol';
import { baseStyles } from '#ui/shared-styles.js';
import { consoleStyles } from '../console-styles.js';
import '#ui/policy-refusal.js';
import type { AdminCaller } from './admin-call.js';
import { adminStyles } from './admin-styles.js';

export interface CsvImportTexts {
  /** The file input's id (unique in the section). */
  id: string;
  label: string;
  hint: string;
  busy: string;
}

export abstract class CsvImportBase<R extends { created: number; updated: number }> extends LitElement {
  static override properties = {
    client: { attribute: false },
    busy: { state: true },
    result: { state: true },
    error: { state: true },
    fileName: { state: true },
  };
  declare client: AdminCaller | undefined;
  declare busy: boolean;
  declare result: R | undefined;
  declare error: WireError | undefined;
  /** The last file picked, shown beside the button in the console's language. */
  declare fileName: string | undefined;

  static override styles = [baseStyles, consoleStyles, adminStyles];

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.busy = false;
  }

  /** The relay's largest file, in bytes. */
  protected abstract readonly maxBytes: number;
  protected abstract send(client: AdminCaller, csv: string): Promise<Ack<R>>;
  /** Tells the section the import landed (a typed event of the element's own). */
  protected abstract imported(result: R): void;

  private async pick(input: HTMLInputElement): Promise<void> {
    const file = input.files?.[0];
    // The same file may be picked again after it is fixed.
    const done = (): void => void (input.value = '');
    if (!file || !this.client || this.busy) return done();
    this.fileName = file.name;
    this.result = undefined;
    this.error = undefined;
    // Checked here as well as at the relay: a file far too large is never read or sent.
    if (file.size > this.maxBytes) {
      const megabytes = this.maxBytes / (1024 * 1024);
      this.error = { code: 'payload-too-large', message: msg(str`${file.name} is larger than ${megabytes} MB. Split it into smaller files.`) };
      return done();
    }
    this.busy = true;
    const res = await this.send(this.client, await file.text());
    this.busy = false;
    done();
    if (!res.ok) {
      this.error = res.error;
      return;
    }
    this.result = res.value;
    this.imported(res.value);
  }

  /** The file field, the progress while the relay reads it, and the refusal or the counts. */
  protected renderImport(t: CsvImportTexts, more: (result: R) => TemplateResult | typeof nothing = () => nothing) {
    const problems = this.error?.problems ?? [];
    const r = this.result;
    const described = `${t.id}-label ${t.id}-status ${t.id}-hint`;
    // The input stays for its label and for screen readers; the keyboard's way in is the button, whose
    // words follow the console's language where the input's own "Choose File / No file chosen" would not.
    return html`<div class="field">
        <label for=${t.id} id=${`${t.id}-label`}>${t.label}</label>
        <input id=${t.id} class="visually-hidden" type="file" tabindex="-1" accept=".csv,text/csv" ?disabled=${this.busy}
          aria-describedby=${`${t.id}-status ${t.id}-hint`} @change=${(e: Event) => void this.pick(e.target as HTMLInputElement)} />
        <div class="file-pick">
          <button type="button" ?disabled=${this.busy} aria-describedby=${described}
            @click=${() => this.renderRoot.querySelector<HTMLInputElement>(`#${t.id}`)?.click()}>${msg('Choose a CSV file…')}</button>
          <span class="file-name" id=${`${t.id}-status`} dir="auto">${this.fileName ?? msg('No file chosen')}</span>
        </div>
        <p class="hint" id=${`${t.id}-hint`}>${t.hint}</p>
      </div>
      ${this.busy ? html`<progress aria-label=${t.busy}></progress><p role="status">${msg('Importing…')}</p>` : nothing}
      <rh-policy-refusal .error=${this.error} ?hidden=${!this.error}></rh-policy-refusal>
      ${this.error?.message && !problems.length ? html`<p class="hint" dir="auto">${this.error.message}</p>` : nothing}
      ${problems.length ? html`<ul aria-label=${msg('Problems in the file')}>
          ${problems.map((p) => html`<li dir="auto">${msg(str`Line ${p.line}: ${p.message}`)}</li>`)}
        </ul>` : nothing}
      ${r ? html`<p role="status" class="status">${msg(str`Imported: ${r.created} added, ${r.updated} updated.`)}</p>${more(r)}` : nothing}`;
  }
}
