// Add user, as a modal dialog over the Users section: email (the UPN, at one of the organization's
// verified domains), name, job title, company and roles. The relay makes the user without a password
// and answers a one-time link where they choose their own. @fires rh-user-added @fires rh-cancel
import { LitElement, css, html, nothing } from 'lit';
import { msg, updateWhenLocaleChanges } from '@lit/localize';
import type { DirectoryUserView, PasswordLink, RoleDefinition, WireError } from '#protocol';
import { baseStyles } from '#ui/shared-styles.js';
import { consoleStyles } from '../console-styles.js';
import '#ui/policy-refusal.js';
import { adminCall, type AdminCaller } from './admin-call.js';
import { adminStyles } from './admin-styles.js';

export interface UserAdded {
  user: DirectoryUserView;
  link: PasswordLink;
}

export class UserAddDialog extends LitElement {
  static override properties = {
    client: { attribute: false },
    roles: { attribute: false },
    saving: { state: true },
    error: { state: true },
  };
  declare client: AdminCaller | undefined;
  declare roles: RoleDefinition[];
  declare saving: boolean;
  declare error: WireError | undefined;

  static override styles = [
    baseStyles,
    consoleStyles,
    adminStyles,
    css`dialog { box-sizing: border-box; inline-size: min(36.5em, 90vw); }`,
  ];

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.roles = [];
    this.saving = false;
  }

  override firstUpdated(): void {
    // Opened as soon as it is shown: the section renders this element only while adding.
    this.renderRoot.querySelector('dialog')?.showModal();
  }

  private async save(e: Event): Promise<void> {
    e.preventDefault();
    if (this.saving || !this.client) return;
    const form = e.target as HTMLFormElement;
    const data = new FormData(form);
    const text = (name: string) => String(data.get(name) ?? '').trim();
    this.saving = true;
    this.error = undefined;
    const res = await adminCall(this.client, 'addUser', {
      upn: text('upn'), name: text('name'), jobTitle: text('jobTitle'), company: text('company'),
      roles: data.getAll('roles').map(String),
    });
    this.saving = false;
    if (!res.ok) {
      this.error = res.error;
      return;
    }
    this.renderRoot.querySelector('dialog')?.close();
    this.dispatchEvent(new CustomEvent<UserAdded>('rh-user-added', { detail: res.value, bubbles: true, composed: true }));
  }

  private cancel(): void {
    this.renderRoot.querySelector('dialog')?.close();
  }

  override render() {
    return html`<dialog aria-labelledby="add-title" @close=${() => this.dispatchEvent(new CustomEvent('rh-cancel'))}>
      <form @submit=${(e: Event) => void this.save(e)}>
        <h3 id="add-title">${msg('Add user')}</h3>
        <rh-policy-refusal .error=${this.error} ?hidden=${!this.error}></rh-policy-refusal>
        ${this.error?.message ? html`<p class="hint" id="add-error-detail" dir="auto">${this.error.message}</p>` : nothing}
        <div class="field">
          <label for="upn">${msg('Email')}</label>
          <input id="upn" name="upn" type="email" required maxlength="254" dir="ltr" autocomplete="off" autofocus aria-describedby="upn-hint" />
          <p class="hint" id="upn-hint">${msg('The address they sign in with, at one of your organization’s verified domains.')}</p>
        </div>
        <div class="field">
          <label for="name">${msg('Full name')}</label>
          <input id="name" name="name" type="text" required maxlength="200" dir="auto" autocomplete="off" />
        </div>
        <div class="field">
          <label for="job-title">${msg('Job title')}</label>
          <input id="job-title" name="jobTitle" type="text" maxlength="200" dir="auto" autocomplete="off" />
        </div>
        <div class="field">
          <label for="company">${msg('Company')}</label>
          <input id="company" name="company" type="text" maxlength="200" dir="auto" autocomplete="off" />
        </div>
        <fieldset>
          <legend>${msg('Roles')}</legend>
          <div class="choices">
            ${this.roles.map((r) => html`<label class="check"><input type="checkbox" name="roles" .value=${r.name} />
              <span dir="auto">${r.name}</span></label>`)}
          </div>
        </fieldset>
        <div class="actions">
          <button class="primary" type="submit" ?disabled=${this.saving}>${msg('Add user')}</button>
          <button type="button" @click=${() => this.cancel()}>${msg('Cancel')}</button>
          <span role="status">${this.saving ? msg('Saving…') : ''}</span>
        </div>
      </form>
    </dialog>`;
  }
}

if (!customElements.get('rh-user-add-dialog')) customElements.define('rh-user-add-dialog', UserAddDialog);

declare global {
  interface HTMLElementTagNameMap {
    'rh-user-add-dialog': UserAddDialog;
  }
  interface HTMLElementEventMap {
    'rh-user-added': CustomEvent<UserAdded>;
  }
}
