// Tenant administration > Roles: the tenant's role definitions (built-in ones marked and not
// deletable), with create, edit and delete. Assignment to users is its own section.
import { html, nothing } from 'lit';
import { msg, str } from '@lit/localize';
import type { RoleDefinition } from '#protocol';
import { permissionLabel } from '#ui/i18n/permission-labels.js';
import { adminCall, type AdminCaller } from './admin-call.js';
import { AdminListSection } from './admin-list-section.js';
import { groupsText } from './scope-text.js';
import type { Groups } from './role-editor.js';
import './role-editor.js';

export class AdminRoles extends AdminListSection<RoleDefinition> {
  static override properties = {
    groups: { state: true },
  };
  declare groups: Groups;

  constructor() {
    super();
    this.groups = { deviceGroups: [], userGroups: [] };
  }

  protected override async fetchItems(client: AdminCaller) {
    const [roles, groups] = await Promise.all([adminCall(client, 'listRoles', {}), adminCall(client, 'listGroups', {})]);
    if (groups.ok) this.groups = groups.value;
    else this.error = groups.error; // load() shows the roles' own failure over it
    return roles;
  }

  private deleteRole(role: RoleDefinition): Promise<void> {
    return this.deleteAfterConfirm(
      msg(str`Delete the role “${role.name}”? Users who have it lose what it allows at their next sign-in.`), msg('Delete role'),
      (client) => adminCall(client, 'deleteRole', { id: role.id }), msg(str`Role “${role.name}” deleted.`),
    );
  }

  override render() {
    return this.renderSection(msg('Roles'), msg('New role'));
  }

  protected override renderEditor(role: RoleDefinition | undefined) {
    return html`<rh-role-editor .client=${this.client} .definition=${role} .groups=${this.groups}
      @rh-role-saved=${(e: CustomEvent<RoleDefinition>) => void this.saved(msg(str`Role “${e.detail.name}” saved. It applies from the next session.`))}
      @rh-cancel=${() => (this.editing = null)}></rh-role-editor>`;
  }

  protected override renderTable(roles: RoleDefinition[]) {
    return html`<div class="scroll" tabindex="0" role="group" aria-labelledby="roles-caption"><table>
      <caption id="roles-caption">${msg('Roles of your organization')}</caption>
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
          ${this.renderRowActions(r, r.builtIn ? undefined : () => void this.deleteRole(r))}
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
