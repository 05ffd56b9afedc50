// Create or edit one role: name, description, permissions, and the scope (device groups and user
// groups). A built-in role keeps its name. Saving goes to the relay; the change counts from the
// next session on.
import { html } from 'lit';
import { msg } from '@lit/localize';
import { permissions, type Permission, type RoleDefinition } from '#protocol';
import { permissionLabel } from '#ui/i18n/permission-labels.js';
import { adminCall } from './admin-call.js';
import { AdminEditor } from './admin-editor.js';
import './group-picker.js';

export interface Groups {
  deviceGroups: string[];
  userGroups: string[];
}

function blankRole(): RoleDefinition {
  return {
    id: crypto.randomUUID(), name: '', description: '', permissions: ['view-screen'],
    scope: { deviceGroups: ['*'], userGroups: ['*'] }, builtIn: false, admin: false,
  };
}

/** @fires rh-role-saved (detail: RoleDefinition) @fires rh-cancel */
export class RoleEditor extends AdminEditor<RoleDefinition> {
  static override properties = {
    definition: { attribute: false },
    groups: { attribute: false },
  };
  /** The role to edit; unset for a new role. */
  declare definition: RoleDefinition | undefined;
  declare groups: Groups;

  constructor() {
    super();
    this.groups = { deviceGroups: [], userGroups: [] };
    this.draft = blankRole();
  }

  protected override willUpdate(changed: Map<PropertyKey, unknown>): void {
    if (changed.has('definition')) this.draft = this.definition ? structuredClone(this.definition) : blankRole();
  }

  override async firstUpdated(): Promise<void> {
    this.renderRoot.querySelector<HTMLInputElement>('#role-name')?.focus();
  }

  private togglePermission(p: Permission, on: boolean): void {
    const set = new Set(this.draft.permissions);
    if (on) set.add(p);
    else set.delete(p);
    this.draft = { ...this.draft, permissions: permissions.filter((x) => set.has(x)) };
  }

  private async save(e: Event): Promise<void> {
    e.preventDefault();
    if (this.saving || !this.client) return;
    await this.saveDraft((client, role) => adminCall(client, 'saveRole', role), 'rh-role-saved');
  }

  override render() {
    const d = this.draft;
    const title = this.definition ? msg('Edit role') : msg('New role');
    return html`<form @submit=${(e: Event) => void this.save(e)} aria-labelledby="role-editor-title">
      <h3 id="role-editor-title">${title}</h3>
      <rh-policy-refusal .error=${this.error} ?hidden=${!this.error}></rh-policy-refusal>
      <div class="field">
        <label for="role-name">${msg('Role name')}</label>
        <input id="role-name" type="text" dir="auto" required maxlength="200" .value=${d.name} ?readonly=${d.builtIn}
          aria-describedby=${d.builtIn ? 'builtin-hint' : ''}
          @input=${(e: Event) => (this.draft = { ...d, name: (e.target as HTMLInputElement).value })} />
        ${d.builtIn ? html`<p class="hint" id="builtin-hint">${msg('A built-in role keeps its name.')}</p>` : ''}
      </div>
      <div class="field">
        <label for="role-description">${msg('Description')}</label>
        <textarea id="role-description" dir="auto" maxlength="1000" .value=${d.description}
          @input=${(e: Event) => (this.draft = { ...d, description: (e.target as HTMLTextAreaElement).value })}></textarea>
      </div>
      <fieldset>
        <legend>${msg('Permissions')}</legend>
        <div class="choices">
          ${permissions.map((p) => html`<label class="check">
            <input type="checkbox" .checked=${d.permissions.includes(p)}
              @change=${(e: Event) => this.togglePermission(p, (e.target as HTMLInputElement).checked)} />
            ${permissionLabel(p)}
          </label>`)}
        </div>
      </fieldset>
      <rh-group-picker .legend=${msg('Device groups')} .allLabel=${msg('All device groups')}
        .groups=${this.groups.deviceGroups} .value=${d.scope.deviceGroups}
        @rh-change=${(e: CustomEvent<string[]>) => (this.draft = { ...this.draft, scope: { ...this.draft.scope, deviceGroups: e.detail } })}></rh-group-picker>
      <rh-group-picker .legend=${msg('User groups')} .allLabel=${msg('All user groups')}
        .groups=${this.groups.userGroups} .value=${d.scope.userGroups}
        @rh-change=${(e: CustomEvent<string[]>) => (this.draft = { ...this.draft, scope: { ...this.draft.scope, userGroups: e.detail } })}></rh-group-picker>
      ${this.renderActions(msg('Save role'))}
    </form>`;
  }
}

if (!customElements.get('rh-role-editor')) customElements.define('rh-role-editor', RoleEditor);

declare global {
  interface HTMLElementTagNameMap {
    'rh-role-editor': RoleEditor;
  }
  interface HTMLElementEventMap {
    'rh-role-saved': CustomEvent<RoleDefinition>;
  }
}
