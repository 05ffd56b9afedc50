// Tenant administration > Conditional access: the rules (name, state, mode, grant), with create,
// edit and delete. The relay evaluates them at create (helpers) and join (sharers).
import { LitElement, html, nothing } from 'lit';
import { msg, str, updateWhenLocaleChanges } from '@lit/localize';
import type { CaRule, WireError } from '../../../../protocol/src/index.js';
import { baseStyles } from '../../../../ui/src/shared-styles.js';
import '../../../../ui/src/policy-refusal.js';
import { adminCall, type AdminCaller } from './admin-call.js';
import { adminStyles } from './admin-styles.js';
import type { ConfirmDialog } from './confirm-dialog.js';
import { appliesToLabel, grantLabel, modeLabel } from './rule-text.js';
import './confirm-dialog.js';
import './rule-editor.js';

export class AdminRules extends LitElement {
  static override properties = {
    client: { attribute: false },
    rules: { state: true },
    roleNames: { state: true },
    userGroups: { state: true },
    loading: { state: true },
    editing: { state: true },
    notice: { state: true },
    error: { state: true },
  };
  declare client: AdminCaller | undefined;
  declare rules: CaRule[] | undefined;
  declare roleNames: string[];
  declare userGroups: string[];
  declare loading: boolean;
  declare editing: { rule: CaRule | undefined } | null;
  declare notice: string;
  declare error: WireError | undefined;

  static override styles = [baseStyles, adminStyles];

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.roleNames = [];
    this.userGroups = [];
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
    const [rules, roles, groups] = await Promise.all([
      adminCall(client, 'listRules', {}), adminCall(client, 'listRoles', {}), adminCall(client, 'listGroups', {}),
    ]);
    this.loading = false;
    if (rules.ok) this.rules = rules.value;
    else this.error = rules.error;
    if (roles.ok) this.roleNames = roles.value.map((r) => r.name);
    if (groups.ok) this.userGroups = groups.value.userGroups;
  }

  private async deleteRule(rule: CaRule): Promise<void> {
    const dialog = this.renderRoot.querySelector<ConfirmDialog>('rh-confirm-dialog');
    if (!dialog || !(await dialog.ask(msg(str`Delete the rule “${rule.name}”?`), msg('Delete rule')))) return;
    this.error = undefined;
    this.notice = '';
    const res = await adminCall(this.client!, 'deleteRule', { id: rule.id });
    if (!res.ok) {
      this.error = res.error;
      return;
    }
    this.notice = msg(str`Rule “${rule.name}” deleted.`);
    await this.load();
  }

  private async saved(rule: CaRule): Promise<void> {
    this.editing = null;
    this.notice = msg(str`Rule “${rule.name}” saved. It applies from the next session.`);
    await this.load();
  }

  override render() {
    return html`<h2>${msg('Conditional access')}</h2>
      <rh-policy-refusal .error=${this.error} ?hidden=${!this.error}></rh-policy-refusal>
      <p role="status" class="status" dir="auto">${this.notice}</p>
      ${this.loading && !this.rules ? html`<p role="status">${msg('Loading…')}</p>` : nothing}
      ${this.editing
        ? html`<rh-rule-editor .client=${this.client} .rule=${this.editing.rule} .roleNames=${this.roleNames} .userGroups=${this.userGroups}
            @rh-rule-saved=${(e: CustomEvent<CaRule>) => void this.saved(e.detail)}
            @rh-cancel=${() => (this.editing = null)}></rh-rule-editor>`
        : html`<div class="actions"><button class="primary" ?disabled=${!this.rules}
            @click=${() => { this.notice = ''; this.editing = { rule: undefined }; }}>${msg('New rule')}</button></div>`}
      ${this.rules ? this.renderTable(this.rules) : nothing}
      <rh-confirm-dialog></rh-confirm-dialog>`;
  }

  private renderTable(rules: CaRule[]) {
    return html`<div class="scroll"><table>
      <caption>${msg('Conditional access rules')}</caption>
      <thead><tr>
        <th scope="col">${msg('Name')}</th>
        <th scope="col">${msg('State')}</th>
        <th scope="col">${msg('Mode')}</th>
        <th scope="col">${msg('Applies to')}</th>
        <th scope="col">${msg('Grant')}</th>
        <th scope="col">${msg('Actions')}</th>
      </tr></thead>
      <tbody>
        ${rules.length === 0 ? html`<tr><td colspan="6" class="empty">${msg('No rules yet.')}</td></tr>` : nothing}
        ${rules.map((r) => html`<tr>
          <th scope="row" dir="auto">${r.name}</th>
          <td>${r.enabled ? msg('Enabled') : msg('Disabled')}</td>
          <td>${modeLabel(r.mode)}</td>
          <td>${appliesToLabel(r.appliesTo)}</td>
          <td>${grantLabel(r.grant)}</td>
          <td><div class="actions">
            <button aria-label=${msg(str`Edit ${r.name}`)} @click=${() => { this.notice = ''; this.editing = { rule: r }; }}>${msg('Edit')}</button>
            <button class="danger" aria-label=${msg(str`Delete ${r.name}`)} @click=${() => void this.deleteRule(r)}>${msg('Delete')}</button>
          </div></td>
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
