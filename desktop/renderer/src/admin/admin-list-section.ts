// What a section listing the tenant's items (roles, rules) shares: New, Edit and Delete with one
// editor open at a time, Delete asked first, a notice of what was just done, and a reload after
// every change. A section says what it loads, how its table and editor look, and its own words.
import { html, nothing, type PropertyDeclarations, type TemplateResult } from 'lit';
import { msg, str } from '@lit/localize';
import type { Ack } from '#protocol';
import type { AdminCaller } from './admin-call.js';
import { AdminSection } from './admin-section.js';
import type { ConfirmDialog } from './confirm-dialog.js';
import './confirm-dialog.js';

export abstract class AdminListSection<T extends { name: string }> extends AdminSection {
  static override properties: PropertyDeclarations = {
    items: { state: true },
    editing: { state: true },
    notice: { state: true },
  };
  declare items: T[] | undefined;
  /** The editor's item (undefined for a new one); null while no editor is open. */
  declare editing: { item: T | undefined } | null;
  declare notice: string;

  constructor() {
    super();
    this.editing = null;
    this.notice = '';
  }

  /** The list, plus whatever the editor needs beside it (kept by the section itself). */
  protected abstract fetchItems(client: AdminCaller): Promise<Ack<T[]>>;
  protected abstract renderEditor(item: T | undefined): TemplateResult;
  protected abstract renderTable(items: T[]): TemplateResult;

  protected override async load(): Promise<void> {
    this.loading = true;
    this.error = undefined;
    const res = await this.fetchItems(this.client!);
    this.loading = false;
    if (res.ok) this.items = res.value;
    else this.error = res.error;
  }

  protected edit(item: T | undefined): void {
    this.notice = '';
    this.editing = { item };
  }

  protected async saved(notice: string): Promise<void> {
    this.editing = null;
    // Reload first: the status line then announces what the list already shows.
    await this.load();
    this.notice = notice;
  }

  protected async deleteAfterConfirm(
    question: string, confirmLabel: string, remove: (client: AdminCaller) => Promise<Ack<unknown>>, deleted: string,
  ): Promise<void> {
    const dialog = this.renderRoot.querySelector<ConfirmDialog>('rh-confirm-dialog');
    if (!dialog || !(await dialog.ask(question, confirmLabel))) return;
    this.error = undefined;
    this.notice = '';
    const res = await remove(this.client!);
    if (!res.ok) {
      this.error = res.error;
      return;
    }
    await this.load();
    this.notice = deleted;
  }

  protected renderSection(heading: string, newLabel: string): TemplateResult {
    return html`<h2>${heading}</h2>
      <rh-policy-refusal .error=${this.error} ?hidden=${!this.error}></rh-policy-refusal>
      <p role="status" class="status" dir="auto">${this.notice}</p>
      ${this.loading && !this.items ? html`<p role="status">${msg('Loading…')}</p>` : nothing}
      ${this.editing
        ? this.renderEditor(this.editing.item)
        : html`<div class="actions"><button class="primary" ?disabled=${!this.items}
            @click=${() => this.edit(undefined)}>${newLabel}</button></div>`}
      ${this.items ? this.renderTable(this.items) : nothing}
      <rh-confirm-dialog></rh-confirm-dialog>`;
  }

  /** Edit and Delete of one row; no Delete where `onDelete` is absent. */
  protected renderRowActions(item: T, onDelete: (() => void) | undefined): TemplateResult {
    return html`<td><div class="actions">
      <button aria-label=${msg(str`Edit ${item.name}`)} @click=${() => this.edit(item)}>${msg('Edit')}</button>
      ${onDelete
        ? html`<button class="danger" aria-label=${msg(str`Delete ${item.name}`)} @click=${onDelete}>${msg('Delete')}</button>`
        : nothing}
    </div></td>`;
  }
}
