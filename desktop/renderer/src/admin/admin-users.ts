// Tenant administration > Users: the people of an embedded tenant, whom the relay keeps. Add one (a
// dialog), disable or enable, delete (asked first), reset a password (a one-time link to hand over,
// never a password), require an authenticator app, or import many from CSV. A tenant that signs in
// through Entra or an OpenID provider sees its users here, and the relay refuses changes with the reason.
import { html, nothing, type TemplateResult } from 'lit';
import { msg, str } from '@lit/localize';
import type { Ack, DirectoryUserView, PasswordLink, RoleDefinition } from '#protocol';
import { adminCall, type AdminCaller } from './admin-call.js';
import { AdminListSection } from './admin-list-section.js';
import './password-link-box.js';
import './user-add-dialog.js';
import './user-import.js';

export class AdminUsers extends AdminListSection<DirectoryUserView> {
  static override properties = {
    roles: { state: true },
    search: { state: true },
    link: { state: true },
    busyUser: { state: true },
  };
  declare roles: RoleDefinition[];
  declare search: string;
  /** The last one-time link made (Add user, Reset password), shown until dismissed. */
  declare link: PasswordLink | undefined;
  /** A row whose change the relay is answering: its controls wait. */
  declare busyUser: string | undefined;
  private searchTimer: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    super();
    this.roles = [];
    this.search = '';
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.searchTimer);
  }

  protected override async fetchItems(client: AdminCaller) {
    const [users, roles] = await Promise.all([adminCall(client, 'listUsers', { search: this.search }), adminCall(client, 'listRoles', {})]);
    if (roles.ok) this.roles = roles.value;
    return users;
  }

  private onSearch(value: string): void {
    this.search = value;
    clearTimeout(this.searchTimer);
    this.searchTimer = setTimeout(() => void this.load(), 200);
  }

  /** One change of one user; the list is read again after it, and `done` announced. */
  private async change(u: DirectoryUserView, run: (client: AdminCaller) => Promise<Ack<unknown>>, done: string): Promise<boolean> {
    this.busyUser = u.userId;
    this.error = undefined;
    this.notice = '';
    const res = await run(this.client!);
    this.busyUser = undefined;
    if (!res.ok) {
      this.error = res.error;
      this.requestUpdate(); // a switch goes back to what the relay holds
      return false;
    }
    await this.saved(done);
    return true;
  }

  private setActive(u: DirectoryUserView, active: boolean): Promise<boolean> {
    return this.change(u, (c) => adminCall(c, 'setUserActive', { userId: u.userId, active }),
      active ? msg(str`${u.name} can sign in again.`) : msg(str`${u.name} is disabled: their sessions have ended and they cannot sign in.`));
  }

  private requireTotp(u: DirectoryUserView, required: boolean): Promise<boolean> {
    return this.change(u, (c) => adminCall(c, 'setTotpRequired', { userId: u.userId, required }),
      required ? msg(str`${u.name} sets up an authenticator app at their next sign-in.`) : msg(str`${u.name} no longer needs an authenticator app.`));
  }

  private async resetPassword(u: DirectoryUserView): Promise<void> {
    this.busyUser = u.userId;
    this.error = undefined;
    this.notice = '';
    const res = await adminCall(this.client!, 'resetPassword', { userId: u.userId });
    this.busyUser = undefined;
    if (!res.ok) {
      this.error = res.error;
      return;
    }
    this.link = res.value;
    this.notice = msg(str`The password of ${u.name} no longer works. Give them the one-time link below.`);
  }

  private deleteUser(u: DirectoryUserView): Promise<void> {
    return this.deleteAfterConfirm(
      msg(str`Delete ${u.name} (${u.upn})? Their sessions end now, and their account cannot be restored.`), msg('Delete user'),
      (client) => adminCall(client, 'deleteUser', { userId: u.userId }), msg(str`${u.name} deleted.`),
    );
  }

  protected override renderEditor(): TemplateResult {
    return html`<rh-user-add-dialog .client=${this.client} .roles=${this.roles}
      @rh-user-added=${(e: CustomEvent<{ user: DirectoryUserView; link: PasswordLink }>) => {
        this.link = e.detail.link;
        void this.saved(msg(str`${e.detail.user.name} added. Give them the one-time link below to choose their password.`));
      }}
      @rh-cancel=${() => (this.editing = null)}></rh-user-add-dialog>`;
  }

  override render() {
    return html`${this.renderSection(msg('Users'), msg('Add user'))}
      ${this.error?.message ? html`<p class="hint" dir="auto">${this.error.message}</p>` : nothing}`;
  }

  protected override renderTable(users: DirectoryUserView[]): TemplateResult {
    return html`${this.link ? html`<rh-password-link .link=${this.link} @rh-dismiss=${() => { this.link = undefined; this.notice = ''; }}></rh-password-link>` : nothing}
      <rh-user-import .client=${this.client} @rh-users-imported=${() => void this.load()}></rh-user-import>
      <div class="field">
        <label for="user-search">${msg('Search users')}</label>
        <input id="user-search" type="search" dir="auto" .value=${this.search}
          @input=${(e: Event) => this.onSearch((e.target as HTMLInputElement).value)} />
      </div>
      <div class="scroll" tabindex="0" role="group" aria-labelledby="users-caption"><table>
        <caption id="users-caption">${msg('Users')}</caption>
        <thead><tr>
          <th scope="col">${msg('Name')}</th>
          <th scope="col">${msg('Email')}</th>
          <th scope="col">${msg('Status')}</th>
          <th scope="col">${msg('Authenticator app')}</th>
          <th scope="col">${msg('Actions')}</th>
        </tr></thead>
        <tbody>
          ${users.length === 0 ? html`<tr><td colspan="5" class="empty"><strong>${msg('No users match.')}</strong>${msg('Change the search, or add a user.')}</td></tr>` : nothing}
          ${users.map((u) => this.renderUser(u))}
        </tbody>
      </table></div>`;
  }

  private renderUser(u: DirectoryUserView): TemplateResult {
    const busy = this.busyUser === u.userId;
    const mfa = u.mfaEnrolled ? msg('Set up') : u.mfaRequired ? msg('Required, not set up yet') : msg('Not required');
    return html`<tr>
      <th scope="row" dir="auto">${u.name}${u.jobTitle ? html`<br /><span class="hint">${u.jobTitle}</span>` : nothing}</th>
      <td dir="ltr">${u.upn}</td>
      <td>${u.active ? msg('Active') : msg('Disabled')}</td>
      <td>
        <label class="check">
          <input type="checkbox" role="switch" ?disabled=${busy} .checked=${u.mfaRequired}
            aria-label=${msg(str`Require an authenticator app for ${u.name}`)}
            @change=${(e: Event) => void this.requireTotp(u, (e.target as HTMLInputElement).checked)} />
          <span aria-hidden="true">${mfa}</span>
        </label>
      </td>
      <td><div class="actions">
        <button ?disabled=${busy} aria-label=${u.active ? msg(str`Disable ${u.name}`) : msg(str`Enable ${u.name}`)}
          @click=${() => void this.setActive(u, !u.active)}>${u.active ? msg('Disable') : msg('Enable')}</button>
        <button ?disabled=${busy} aria-label=${msg(str`Reset password of ${u.name}`)}
          @click=${() => void this.resetPassword(u)}>${msg('Reset password')}</button>
        <button class="danger" ?disabled=${busy} aria-label=${msg(str`Delete ${u.name}`)}
          @click=${() => void this.deleteUser(u)}>${msg('Delete')}</button>
      </div></td>
    </tr>`;
  }
}

if (!customElements.get('rh-admin-users')) customElements.define('rh-admin-users', AdminUsers);

declare global {
  interface HTMLElementTagNameMap {
    'rh-admin-users': AdminUsers;
  }
}
