// Tenant administration > Assignments: find users and give or take their roles. Roles travel in the
// sign-in token, so an assignment counts from the user's next sign-in; the page says so.
import { LitElement, html, nothing } from 'lit';
import { msg, str, updateWhenLocaleChanges } from '@lit/localize';
import { live } from 'lit/directives/live.js';
import type { DirectoryUserView, RoleDefinition, WireError } from '#protocol';
import { baseStyles } from '#ui/shared-styles.js';
import { consoleStyles } from '../console-styles.js';
import '#ui/policy-refusal.js';
import { adminCall, type AdminCaller } from './admin-call.js';
import { adminStyles } from './admin-styles.js';

export class AdminAssignments extends LitElement {
  static override properties = {
    client: { attribute: false },
    users: { state: true },
    roles: { state: true },
    search: { state: true },
    loading: { state: true },
    pending: { state: true },
    notice: { state: true },
    error: { state: true },
  };
  declare client: AdminCaller | undefined;
  declare users: DirectoryUserView[] | undefined;
  declare roles: RoleDefinition[];
  declare search: string;
  declare loading: boolean;
  /** The roles being saved for one user: shown as chosen while the relay answers. */
  declare pending: { userId: string; roles: string[] } | undefined;
  declare notice: string;
  declare error: WireError | undefined;
  private searchTimer: ReturnType<typeof setTimeout> | undefined;
  /** Answers for an older search are dropped. */
  private generation = 0;

  static override styles = [baseStyles, consoleStyles, adminStyles];

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.roles = [];
    this.search = '';
    this.loading = false;
    this.notice = '';
  }

  protected override willUpdate(changed: Map<PropertyKey, unknown>): void {
    if (changed.has('client') && this.client) {
      void this.loadRoles();
      void this.loadUsers();
    }
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.searchTimer);
  }

  private async loadRoles(): Promise<void> {
    const res = await adminCall(this.client!, 'listRoles', {});
    if (res.ok) this.roles = res.value;
    else this.error = res.error;
  }

  private async loadUsers(): Promise<void> {
    const generation = ++this.generation;
    this.loading = true;
    const res = await adminCall(this.client!, 'listUsers', { search: this.search });
    if (generation !== this.generation) return;
    this.loading = false;
    if (res.ok) this.users = res.value;
    else this.error = res.error;
  }

  private onSearch(value: string): void {
    this.search = value;
    clearTimeout(this.searchTimer);
    this.searchTimer = setTimeout(() => void this.loadUsers(), 200);
  }

  private async toggle(user: DirectoryUserView, role: string, on: boolean): Promise<void> {
    const roles = on ? [...new Set([...user.roles, role])] : user.roles.filter((r) => r !== role);
    this.pending = { userId: user.userId, roles };
    this.error = undefined;
    this.notice = '';
    const res = await adminCall(this.client!, 'assignRoles', { userId: user.userId, roles });
    this.pending = undefined;
    if (!res.ok) {
      this.error = res.error;
      this.requestUpdate(); // live() puts the checkbox back to what the relay holds
      return;
    }
    this.users = this.users?.map((u) => (u.userId === user.userId ? res.value : u));
    this.notice = msg(str`Roles of ${user.name} saved. They apply at ${user.name}'s next sign-in.`);
  }

  override render() {
    return html`<h2>${msg('Assignments')}</h2>
      <p class="hint">${msg('A role assignment applies at the user’s next sign-in.')}</p>
      <rh-policy-refusal .error=${this.error} ?hidden=${!this.error}></rh-policy-refusal>
      <p role="status" class="status" dir="auto">${this.notice}</p>
      <div class="field">
        <label for="user-search">${msg('Search users')}</label>
        <input id="user-search" type="search" dir="auto" .value=${this.search}
          @input=${(e: Event) => this.onSearch((e.target as HTMLInputElement).value)} />
      </div>
      ${this.loading ? html`<p role="status">${msg('Loading…')}</p>` : nothing}
      ${this.users ? this.renderTable(this.users) : nothing}`;
  }

  private renderTable(users: DirectoryUserView[]) {
    return html`<div class="scroll" tabindex="0" role="group" aria-labelledby="assignments-caption"><table>
      <caption id="assignments-caption">${msg('Users')}</caption>
      <thead><tr>
        <th scope="col">${msg('Name')}</th>
        <th scope="col">${msg('Email')}</th>
        <th scope="col">${msg('Groups')}</th>
        <th scope="col">${msg('Roles')}</th>
      </tr></thead>
      <tbody>
        ${users.length === 0 ? html`<tr><td colspan="4" class="empty"><strong>${msg('No users match.')}</strong>${msg('Change the search, or add users under Users.')}</td></tr>` : nothing}
        ${users.map((u) => this.renderUser(u))}
      </tbody>
    </table></div>`;
  }

  private renderUser(u: DirectoryUserView) {
    const busy = this.pending?.userId === u.userId;
    const roles = busy ? this.pending!.roles : u.roles;
    return html`<tr>
          <th scope="row" dir="auto">${u.name}</th>
          <td dir="auto">${u.upn}</td>
          <td dir="auto">${u.groups.join(', ')}</td>
          <td><div class="choices" role="group" aria-label=${msg(str`Roles of ${u.name}`)}>
            ${this.roles.map((r) => html`<label class="check">
              <input type="checkbox" ?disabled=${busy} .checked=${live(roles.includes(r.name))}
                aria-label=${msg(str`${r.name} for ${u.name}`)}
                @change=${(e: Event) => void this.toggle(u, r.name, (e.target as HTMLInputElement).checked)} />
              <span dir="auto" aria-hidden="true">${r.name}</span>
            </label>`)}
          </div></td>
        </tr>`;
  }
}

if (!customElements.get('rh-admin-assignments')) customElements.define('rh-admin-assignments', AdminAssignments);

declare global {
  interface HTMLElementTagNameMap {
    'rh-admin-assignments': AdminAssignments;
  }
}
