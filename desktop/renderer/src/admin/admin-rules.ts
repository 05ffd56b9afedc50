// Tenant administration > Conditional access: the rules (name, state, mode, grant), with create,
// edit and delete. The relay evaluates them at create (helpers) and join (sharers).
import { html, nothing } from 'lit';
import { msg, str } from '@lit/localize';
import type { CaRule } from '#protocol';
import { adminCall, type AdminCaller } from './admin-call.js';
import { AdminListSection } from './admin-list-section.js';
import { appliesToLabel, modeLabel, ruleGrantText } from './rule-text.js';
import './rule-editor.js';

export class AdminRules extends AdminListSection<CaRule> {
  static override properties = {
    roleNames: { state: true },
    userGroups: { state: true },
  };
  declare roleNames: string[];
  declare userGroups: string[];

  constructor() {
    super();
    this.roleNames = [];
    this.userGroups = [];
  }

  protected override async fetchItems(client: AdminCaller) {
    const [rules, roles, groups] = await Promise.all([
      adminCall(client, 'listRules', {}), adminCall(client, 'listRoles', {}), adminCall(client, 'listGroups', {}),
    ]);
    if (roles.ok) this.roleNames = roles.value.map((r) => r.name);
    if (groups.ok) this.userGroups = groups.value.userGroups;
    return rules;
  }

  private deleteRule(rule: CaRule): Promise<void> {
    return this.deleteAfterConfirm(
      msg(str`Delete the rule “${rule.name}”?`), msg('Delete rule'),
      (client) => adminCall(client, 'deleteRule', { id: rule.id }), msg(str`Rule “${rule.name}” deleted.`),
    );
  }

  override render() {
    return this.renderSection(msg('Conditional access'), msg('New rule'));
  }

  protected override renderEditor(rule: CaRule | undefined) {
    return html`<rh-rule-editor .client=${this.client} .rule=${rule} .roleNames=${this.roleNames} .userGroups=${this.userGroups}
      @rh-rule-saved=${(e: CustomEvent<CaRule>) => void this.saved(msg(str`Rule “${e.detail.name}” saved. It applies from the next session.`))}
      @rh-cancel=${() => (this.editing = null)}></rh-rule-editor>`;
  }

  protected override renderTable(rules: CaRule[]) {
    return html`<div class="scroll" tabindex="0" role="group" aria-labelledby="rules-caption"><table>
      <caption id="rules-caption">${msg('Conditional access rules')}</caption>
      <thead><tr>
        <th scope="col">${msg('Name')}</th>
        <th scope="col">${msg('State')}</th>
        <th scope="col">${msg('Mode')}</th>
        <th scope="col">${msg('Applies to')}</th>
        <th scope="col">${msg('Grant')}</th>
        <th scope="col">${msg('Actions')}</th>
      </tr></thead>
      <tbody>
        ${rules.length === 0 ? html`<tr><td colspan="6" class="empty"><strong>${msg('No rules yet.')}</strong>${msg('Choose New rule to require multi-factor authentication or a compliant device, or to block sessions.')}</td></tr>` : nothing}
        ${rules.map((r) => html`<tr>
          <th scope="row" dir="auto">${r.name}</th>
          <td>${r.enabled ? msg('Enabled') : msg('Disabled')}</td>
          <td>${modeLabel(r.mode)}</td>
          <td>${appliesToLabel(r.appliesTo)}</td>
          <td>${ruleGrantText(r)}</td>
          ${this.renderRowActions(r, () => void this.deleteRule(r))}
        </tr>`)}
      </tbody>
    </table></div>`;
  }
}

if (!customElements.get('rh-admin-rules')) customElements.define('rh-admin-rules', AdminRules);

declare global {
  interface HTMLElementTagNameMap {
    'rh-admin-rules': AdminRules;
  }
}
