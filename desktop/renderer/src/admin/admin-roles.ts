// Tenant administration > Roles: the tenant's role definitions (built-in ones marked and not
// deletable), with create, edit and delete. Assignment to users is its own section.
import { LitElement, html, nothing } from 'lit';
import { msg, str, updateWhenLocaleChanges } from '@lit/localize';
import type { RoleDefinition, WireError } from '../../../../protocol/src/index.js';
import { permissionLabel } from '../../../../ui/src/i18n/permission-labels.js';
import { baseStyles } from '../../../../ui/src/shared-styles.js';
import '../../../../ui/src/policy-refusal.js';
import { adminCall, type AdminCaller } from './admin-call.js';
import { adminStyles } from './admin-styles.js';
import type { ConfirmDialog } from './confirm-dialog.js';
import { groupsText } from './scope-text.js';
import type { Groups } from './role-editor.js';
import './confirm-dialog.js';
import './role-editor.js';

type Editing = { role: RoleDefinition | undefined } | null;

export class AdminRoles extends LitElement {
  static override properties = {
    client: { attribute: false },
    roles: { state: true },
    groups: { state: true },
    loading: { state: true },
    editing: { state: true },
    notice: { state: true },
    error: { state: true },
  };
  declare client: AdminCaller | undefined;
  declare roles: RoleDefinition[] | undefined;
  declare groups: Groups;
  declare loading: boolean;
  declare editing: Editing;
  declare notice: string;
  declare error: WireError | undefined;

  static override styles = [baseStyles, adminStyles];

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.groups = { deviceGroups: [], userGroups: [] };
    this.loading = false;
    this.editing = null;
    this.notice = '';
  }

  protected override willUpdate(changed: Map<PropertyKey, unknown>): void {
    if (changed.has('client') && this.client) void this.load();
  }

  private async load(): Promise<void> {
    const client = this.client!;
    this.loading = true;
    this.error = undefined;
    const [roles, groups] = await Promise.all([adminCall(client, 'listRoles', {}), adminCall(client, 'listGroups', {})]);
    this.loading = false;
    if (roles.ok) this.roles = roles.value;
    else this.error = roles.error;
    if (groups.ok) this.groups = groups.value;
    else this.error ??= groups.error;
  }

  private async deleteRole(role: RoleDefinition): Promise<void> {
    const dialog = this.renderRoot.querySelector<ConfirmDialog>('rh-confirm-dialog');
    if (!dialog || !(await dialog.ask(msg(str`Delete the role “${role.name}”? Users who have it lose what it allows at their next sign-in.`), msg('Delete role')))) return;
    this.error = undefined;
    this.notice = '';
    const res = await adminCall(this.client!, 'deleteRole', { id: role.id });
    if (!res.ok) {
      this.error = res.error;
      return;
    }
    this.notice = msg(str`Role “${role.name}” deleted.`);
    await this.load();
  }

  private async saved(role: RoleDefinition): Promise<void> {
    this.editing = null;
    this.notice = msg(str`Role “${role.name}” saved. It applies from the next session.`);
    await this.load();
  }

  override render() {
    return html`<h2>${msg('Roles')}</h2>
      <rh-policy-refusal .error=${this.error} ?hidden=${!this.error}></rh-policy-refusal>
      <p role="status" class="status" dir="auto">${this.notice}</p>
      ${this.loading && !this.roles ? html`<p role="status">${msg('Loading…')}</p>` : nothing}
      ${this.editing
        ? html`<rh-role-editor .client=${this.client} .definition=${this.editing.role} .groups=${this.groups}
            @rh-role-saved=${(e: CustomEvent<RoleDefinition>) => void this.saved(e.detail)}
            @rh-cancel=${() => (this.editing = null)}></rh-role-editor>`
        : html`<div class="actions"><button class="primary" ?disabled=${!this.roles}
            @click=${() => { this.notice = ''; this.editing = { role: undefined }; }}>${msg('New role')}</button></div>`}
      ${this.roles ? this.renderTable(this.roles) : nothing}
      <rh-confirm-dialog></rh-confirm-dialog>`;
  }

  private renderTable(roles: RoleDefinition[]) {
    return html`<div class="scroll"><table>
      <caption>${msg('Roles of your organization')}</caption>
      <thead><tr>
        <th scope="col">${msg('Name')}</th>
        <th scope="col">${msg('Permissions')}</th>
        <th scope="col">${msg('Device groups')}</th>
        <th scope="col">${msg('User groups')}</th>
        <th scope="col">${msg('Actions')}</th>
      </tr></thead>
      <tbody>
        ${roles.map((r) => html`<tr>
          <th scope="row">
            <span dir="auto">${r.name}</span>${r.builtIn ? html`<span class="badge">${msg('Built-in')}</span>` : nothing}
            ${r.description ? html`<div class="hint" dir="auto">${r.description}</div>` : nothing}
          </th>
          <td>${r.permissions.length ? r.permissions.map(permissionLabel).join(', ') : msg('None')}</td>
          <td dir="auto">${groupsText(r.scope.deviceGroups, msg('All device groups'))}</td>
          <td dir="auto">${groupsText(r.scope.userGroups, msg('All user groups'))}</td>
          <td><div class="actions">
            <button aria-label=${msg(str`Edit ${r.name}`)} @click=${() => { this.notice = ''; this.editing = { role: r }; }}>${msg('Edit')}</button>
            ${r.builtIn
              ? nothing
              : html`<button class="danger" aria-label=${msg(str`Delete ${r.name}`)} @click=${() => void this.deleteRole(r)}>${msg('Delete')}</button>`}
          </div></td>
        </tr>`)}
      </tbody>
    </table></div>`;
  }
}

if (!customElements.get('rh-admin-roles')) customElements.define('rh-admin-roles', AdminRoles);

declare global {
  interface HTMLElementTagNameMap {
    'rh-admin-roles': AdminRoles;
  }
}
