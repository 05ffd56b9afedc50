// What a section editing one tenant-wide object (settings, compliance policy) shares: load it, save
// the whole of it from the form, and say "Saving…" then "… saved." until the form changes again.
import { html, nothing, type PropertyDeclarations, type TemplateResult } from 'lit';
import { msg } from '@lit/localize';
import type { Ack } from '#protocol';
import type { AdminCaller } from './admin-call.js';
import { AdminSection } from './admin-section.js';

export abstract class AdminFormSection<T> extends AdminSection {
  static override properties: PropertyDeclarations = {
    value: { state: true },
    saving: { state: true },
    saved: { state: true },
  };
  declare value: T | undefined;
  declare saving: boolean;
  declare saved: boolean;

  constructor() {
    super();
    this.saving = false;
    this.saved = false;
  }

  protected abstract fetchValue(client: AdminCaller): Promise<Ack<T>>;
  protected abstract storeValue(client: AdminCaller, next: T): Promise<Ack<T>>;

  protected override async load(): Promise<void> {
    this.loading = true;
    this.error = undefined;
    const res = await this.fetchValue(this.client!);
    this.loading = false;
    if (res.ok) this.value = res.value;
    else this.error = res.error;
  }

  protected async store(next: T): Promise<void> {
    this.saving = true;
    this.saved = false;
    this.error = undefined;
    const res = await this.storeValue(this.client!, next);
    this.saving = false;
    if (res.ok) {
      this.value = res.value;
      this.saved = true;
    } else this.error = res.error;
  }

  /** Heading, refusal and loading; the form once the value is there. */
  protected renderSection(heading: string, form: (value: T) => TemplateResult): TemplateResult {
    return html`<h2>${heading}</h2>
      <rh-policy-refusal .error=${this.error} ?hidden=${!this.error}></rh-policy-refusal>
      ${this.loading ? html`<p role="status">${msg('Loading…')}</p>` : nothing}
      ${this.value ? form(this.value) : nothing}`;
  }

  protected renderSaveActions(savedText: string): TemplateResult {
    return html`<div class="actions">
      <button class="primary" type="submit" ?disabled=${this.saving}>${msg('Save')}</button>
      <span role="status">${this.saving ? msg('Saving…') : this.saved ? savedText : ''}</span>
    </div>`;
  }
}
