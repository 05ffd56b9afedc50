// Create or edit one conditional-access rule: its conditions (all present ones must match), the
// grant (block, require MFA, require a compliant device, by default an approved one), the mode (on or
// report-only), and whether it is enabled. IP ranges are checked here, one CIDR per line, before
// anything is sent.
import { html, nothing } from 'lit';
import { msg, str } from '@lit/localize';
import type { CaGrant, CaRule } from '#protocol';
import { adminCall } from './admin-call.js';
import { AdminEditor } from './admin-editor.js';
import { invalidCidrs, lines } from './cidr.js';
import { appliesToLabel, grantLabel, knownPlatforms, modeLabel } from './rule-text.js';

type Conditions = CaRule['conditions'];
type Tri = 'any' | 'yes' | 'no';
const grants: CaGrant[] = ['block', 'require-mfa', 'require-compliant-device'];

function blankRule(): CaRule {
  return { id: crypto.randomUUID(), name: '', enabled: true, mode: 'enforce', appliesTo: 'both', conditions: {}, grant: 'block' };
}
const triOf = (v: boolean | undefined): Tri => (v === undefined ? 'any' : v ? 'yes' : 'no');
const boolOf = (t: string): boolean | undefined => (t === 'any' ? undefined : t === 'yes');
/** An empty list means "no condition", so it is left out rather than sent as []. */
function listOrNone(list: string[]): string[] | undefined {
  return list.length ? list : undefined;
}

/** @fires rh-rule-saved (detail: CaRule) @fires rh-cancel */
export class RuleEditor extends AdminEditor<CaRule> {
  static override properties = {
    rule: { attribute: false },
    roleNames: { attribute: false },
    userGroups: { attribute: false },
    usersText: { state: true },
    ipText: { state: true },
    badIps: { state: true },
  };
  /** The rule to edit; unset for a new rule. */
  declare rule: CaRule | undefined;
  declare roleNames: string[];
  declare userGroups: string[];
  declare usersText: string;
  declare ipText: string;
  declare badIps: string[];

  constructor() {
    super();
    this.roleNames = [];
    this.userGroups = [];
    this.draft = blankRule();
    this.usersText = '';
    this.ipText = '';
    this.badIps = [];
  }

  protected override willUpdate(changed: Map<PropertyKey, unknown>): void {
    if (changed.has('rule')) {
      this.draft = this.rule ? structuredClone(this.rule) : blankRule();
      this.usersText = (this.draft.conditions.users ?? []).join('\n');
      this.ipText = (this.draft.conditions.ipRanges ?? []).join('\n');
      this.badIps = [];
    }
  }

  override async firstUpdated(): Promise<void> {
    this.renderRoot.querySelector<HTMLInputElement>('#rule-name')?.focus();
  }

  private setConditions(patch: Partial<Conditions>): void {
    const conditions: Conditions = { ...this.draft.conditions, ...patch };
    for (const key of Object.keys(conditions) as (keyof Conditions)[]) if (conditions[key] === undefined) delete conditions[key];
    this.draft = { ...this.draft, conditions };
  }

  private toggleIn(key: 'groups' | 'roles' | 'platforms', value: string, on: boolean): void {
    const now = this.draft.conditions[key] ?? [];
    this.setConditions({ [key]: listOrNone(on ? [...new Set([...now, value])] : now.filter((v) => v !== value)) });
  }

  private async save(e: Event): Promise<void> {
    e.preventDefault();
    if (this.saving || !this.client) return;
    this.badIps = invalidCidrs(this.ipText);
    if (this.badIps.length) {
      this.renderRoot.querySelector<HTMLTextAreaElement>('#rule-ips')?.focus();
      return;
    }
    this.setConditions({ users: listOrNone(lines(this.usersText)), ipRanges: listOrNone(lines(this.ipText)) });
    // Said outright for a compliant-device rule (absent would mean the same); no other grant has it.
    const { approvedDevicesOnly, ...rest } = this.draft;
    this.draft = rest.grant === 'require-compliant-device' ? { ...rest, approvedDevicesOnly: approvedDevicesOnly !== false } : rest;
    await this.saveDraft((client, rule) => adminCall(client, 'saveRule', rule), 'rh-rule-saved');
  }

  private renderChecks(key: 'groups' | 'roles' | 'platforms', legend: string, options: readonly string[]) {
    const chosen = this.draft.conditions[key] ?? [];
    const all = [...new Set([...options, ...chosen])];
    return html`<fieldset>
      <legend>${legend}</legend>
      <div class="choices">
        ${all.map((o) => html`<label class="check">
          <input type="checkbox" .checked=${chosen.includes(o)}
            @change=${(e: Event) => this.toggleIn(key, o, (e.target as HTMLInputElement).checked)} />
          <span dir="auto">${o}</span>
        </label>`)}
      </div>
      ${all.length === 0 ? html`<p class="hint">${msg('None to choose from yet.')}</p>` : nothing}
      <p class="hint">${msg('None chosen: the rule does not look at this.')}</p>
    </fieldset>`;
  }

  private renderTri(id: string, label: string, value: boolean | undefined, yes: string, no: string, set: (v: boolean | undefined) => void) {
    return html`<div class="field">
      <label for=${id}>${label}</label>
      <select id=${id} .value=${triOf(value)} @change=${(e: Event) => set(boolOf((e.target as HTMLSelectElement).value))}>
        <option value="any" ?selected=${value === undefined}>${msg('Any')}</option>
        <option value="yes" ?selected=${value === true}>${yes}</option>
        <option value="no" ?selected=${value === false}>${no}</option>
      </select>
    </div>`;
  }

  override render() {
    const d = this.draft;
    const c = d.conditions;
    return html`<form @submit=${(e: Event) => void this.save(e)} aria-labelledby="rule-editor-title" novalidate>
      <h3 id="rule-editor-title">${this.rule ? msg('Edit rule') : msg('New rule')}</h3>
      <rh-policy-refusal .error=${this.error} ?hidden=${!this.error}></rh-policy-refusal>
      <div class="field">
        <label for="rule-name">${msg('Rule name')}</label>
        <input id="rule-name" type="text" dir="auto" required maxlength="200" .value=${d.name}
          @input=${(e: Event) => (this.draft = { ...this.draft, name: (e.target as HTMLInputElement).value })} />
      </div>
      <label class="check">
        <input type="checkbox" role="switch" .checked=${d.enabled}
          @change=${(e: Event) => (this.draft = { ...this.draft, enabled: (e.target as HTMLInputElement).checked })} />
        ${msg('Enabled')}
      </label>
      <div class="field">
        <label for="rule-mode">${msg('Mode')}</label>
        <select id="rule-mode" @change=${(e: Event) => (this.draft = { ...this.draft, mode: (e.target as HTMLSelectElement).value as CaRule['mode'] })}>
          ${(['enforce', 'report-only'] as const).map((m) => html`<option value=${m} ?selected=${d.mode === m}>${modeLabel(m)}</option>`)}
        </select>
        <p class="hint">${msg('Report-only rules are evaluated and recorded in the reports, never enforced.')}</p>
      </div>
      <div class="field">
        <label for="rule-applies">${msg('Applies to')}</label>
        <select id="rule-applies" @change=${(e: Event) => (this.draft = { ...this.draft, appliesTo: (e.target as HTMLSelectElement).value as CaRule['appliesTo'] })}>
          ${(['both', 'helper', 'sharer'] as const).map((a) => html`<option value=${a} ?selected=${d.appliesTo === a}>${appliesToLabel(a)}</option>`)}
        </select>
      </div>
      <fieldset>
        <legend>${msg('Conditions')}</legend>
        <p class="hint">${msg('The rule applies when every condition set here matches.')}</p>
        <div class="field">
          <label for="rule-users">${msg('Users (one email address per line)')}</label>
          <textarea id="rule-users" dir="auto" .value=${this.usersText}
            @input=${(e: Event) => (this.usersText = (e.target as HTMLTextAreaElement).value)}></textarea>
        </div>
        ${this.renderChecks('groups', msg('Groups'), this.userGroups)}
        ${this.renderChecks('roles', msg('Roles'), this.roleNames)}
        <div class="field">
          <label for="rule-ips">${msg('IP ranges (one CIDR per line)')}</label>
          <textarea id="rule-ips" dir="ltr" .value=${this.ipText} aria-invalid=${this.badIps.length ? 'true' : 'false'}
            aria-describedby="rule-ips-hint rule-ips-problem"
            @input=${(e: Event) => { this.ipText = (e.target as HTMLTextAreaElement).value; this.badIps = []; }}></textarea>
          <p class="hint" id="rule-ips-hint">${msg('For example 10.0.0.0/8 or 2001:db8::/32.')}</p>
          <p class="invalid" id="rule-ips-problem" role=${this.badIps.length ? 'alert' : nothing}>
            ${this.badIps.length ? msg(str`Not a valid IP range: ${this.badIps.join(', ')}`) : ''}
          </p>
        </div>
        ${this.renderChecks('platforms', msg('Platforms'), knownPlatforms)}
        ${this.renderTri('rule-enrolled', msg('Device enrolled'), c.deviceEnrolled, msg('Enrolled'), msg('Not enrolled'), (v) => this.setConditions({ deviceEnrolled: v }))}
        ${this.renderTri('rule-compliant', msg('Device compliant'), c.deviceCompliant, msg('Compliant'), msg('Not compliant'), (v) => this.setConditions({ deviceCompliant: v }))}
        ${this.renderTri('rule-mfa', msg('Multi-factor authentication'), c.mfa, msg('Signed in with MFA'), msg('Signed in without MFA'), (v) => this.setConditions({ mfa: v }))}
      </fieldset>
      <fieldset>
        <legend>${msg('Grant')}</legend>
        ${grants.map((g) => html`<label class="check">
          <input type="radio" name="grant" value=${g} .checked=${d.grant === g} @change=${() => (this.draft = { ...this.draft, grant: g })} />
          ${grantLabel(g)}
        </label>`)}
        ${d.grant === 'require-compliant-device'
          ? html`<label class="check">
              <input type="checkbox" .checked=${d.approvedDevicesOnly !== false} aria-describedby="rule-approved-hint"
                @change=${(e: Event) => (this.draft = { ...this.draft, approvedDevicesOnly: (e.target as HTMLInputElement).checked })} />
              ${msg('Only approved devices')}
            </label>
            <p class="hint" id="rule-approved-hint">${msg('Devices an administrator approved or imported, and Intune-managed ones. Unchecked, a browser enrolled under any name passes with the properties it reports itself.')}</p>`
          : nothing}
      </fieldset>
      ${this.renderActions(msg('Save rule'))}
    </form>`;
  }
}

if (!customElements.get('rh-rule-editor')) customElements.define('rh-rule-editor', RuleEditor);

declare global {
  interface HTMLElementTagNameMap {
    'rh-rule-editor': RuleEditor;
  }
  interface HTMLElementEventMap {
    'rh-rule-saved': CustomEvent<CaRule>;
  }
}
