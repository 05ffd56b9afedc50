// Tenant administration: one section at a time (chosen in the console's navigation). Each section
// loads its own data through the admin API; the relay checks the admin role on every call, so a
// non-admin who reaches this view sees "admin-only" in each section, not data.
import { LitElement, css, html } from 'lit';
import { msg, updateWhenLocaleChanges } from '@lit/localize';
import { baseStyles } from '#ui/shared-styles.js';
import { consoleStyles } from '../console-styles.js';
import type { AdminCaller } from './admin-call.js';
import { sectionLabel, type AdminSection } from './admin-sections.js';
import './admin-assignments.js';
import './admin-compliance.js';
import './admin-devices.js';
import './admin-reports.js';
import './admin-roles.js';
import './admin-rules.js';
import './admin-settings.js';
import './admin-users.js';

export class AdminView extends LitElement {
  static override properties = {
    client: { attribute: false },
    section: { attribute: false },
  };
  declare client: AdminCaller | undefined;
  declare section: AdminSection;

  static override styles = [
    baseStyles,
    consoleStyles,
    css`
      :host { display: grid; gap: 1em; }
      h1 { margin: 0; font-size: 1.4em; }
    `,
  ];

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.section = 'settings';
  }

  override render() {
    return html`<h1>${msg('Tenant administration')}</h1>
      <section aria-label=${sectionLabel(this.section)}>${this.renderSection()}</section>`;
  }

  private renderSection() {
    // A fresh element per visit: each section loads what the relay holds now.
    switch (this.section) {
      case 'settings':
        return html`<rh-admin-settings .client=${this.client}></rh-admin-settings>`;
      case 'users':
        return html`<rh-admin-users .client=${this.client}></rh-admin-users>`;
      case 'devices':
        return html`<rh-admin-devices .client=${this.client}></rh-admin-devices>`;
      case 'roles':
        return html`<rh-admin-roles .client=${this.client}></rh-admin-roles>`;
      case 'assignments':
        return html`<rh-admin-assignments .client=${this.client}></rh-admin-assignments>`;
      case 'rules':
        return html`<rh-admin-rules .client=${this.client}></rh-admin-rules>`;
      case 'compliance':
        return html`<rh-admin-compliance .client=${this.client}></rh-admin-compliance>`;
      case 'reports':
        return html`<rh-admin-reports .client=${this.client}></rh-admin-reports>`;
    }
  }
}

if (!customElements.get('rh-admin-view')) customElements.define('rh-admin-view', AdminView);

declare global {
  interface HTMLElementTagNameMap {
    'rh-admin-view': AdminView;
  }
}
