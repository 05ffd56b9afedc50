// Who is on the other end: photo, name, job title, company, and the domain with a clear badge
// saying whether it is one of the tenant's verified domains.
import { LitElement, css, html, nothing } from 'lit';
import { msg, str, updateWhenLocaleChanges } from '@lit/localize';
import type { PersonProfile } from '#protocol/models.js';
import { baseStyles } from './shared-styles.js';

export class PersonCard extends LitElement {
  static override properties = { person: { attribute: false }, compact: { type: Boolean, reflect: true } };
  declare person: PersonProfile | undefined;
  /** A small card (photo, name, job, domain badge) to keep in view beside a live session. */
  declare compact: boolean;

  static override styles = [
    baseStyles,
    css`
      :host { display: block; }
      .person { display: flex; gap: var(--rh-space-4, 1rem); align-items: center; }
      img { inline-size: 72px; block-size: 72px; border-radius: 50%; object-fit: cover; flex: none; }
      .name { font-size: var(--rh-text-lg, 1.25rem); font-weight: var(--rh-weight-strong, 600); margin: 0; }
      p { margin-block: 0.15em; margin-inline: 0; }
      .job, .company { color: var(--rh-color-text-muted); }
      .badge {
        display: inline-block; font-size: var(--rh-text-sm, 0.875rem); padding-block: 0.1em; padding-inline: 0.6em;
        border-radius: 999px; margin-inline-start: var(--rh-space-2, 0.5rem); border: 1px solid;
      }
      .verified { color: var(--rh-color-success); background: var(--rh-color-success-subtle); }
      .unverified { color: var(--rh-color-danger); background: var(--rh-color-danger-subtle); }
      .incomplete { font-size: var(--rh-text-sm, 0.875rem); color: var(--rh-color-warning); }
      /* An email domain is Latin script, left to right, inside any sentence. */
      .domain-name { unicode-bidi: isolate; }
      :host([compact]) img { inline-size: 40px; block-size: 40px; }
      :host([compact]) .name { font-size: 1em; }
      :host([compact]) .company, :host([compact]) .incomplete { display: none; }
      :host([compact]) .person { gap: 0.6em; }
    `,
  ];

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.compact = false;
  }

  override render() {
    const p = this.person;
    if (!p) return nothing;
    return html`
      <div class="person">
        ${p.photoUrl ? html`<img src=${p.photoUrl} alt=${msg(str`Photo of ${p.name}`)} />` : nothing}
        <div>
          <p class="name" dir="auto">${p.name}</p>
          <p class="job" dir="auto">${p.jobTitle}</p>
          <p class="company" dir="auto">${p.company}</p>
          <p class="domain">
            <span class="domain-name" dir="ltr">${p.domain}</span>
            ${p.domainVerified
              ? html`<span class="badge verified">${msg('Verified domain')}</span>`
              : html`<span class="badge unverified">${msg('Unverified domain')}</span>`}
          </p>
          ${p.incomplete
            ? html`<p class="incomplete">${msg("Profile incomplete: the organization's directory did not answer in time, so the job title, company or photo may be missing.")}</p>`
            : nothing}
        </div>
      </div>
    `;
  }
}

if (!customElements.get('rh-person-card')) customElements.define('rh-person-card', PersonCard);

declare global {
  interface HTMLElementTagNameMap {
    'rh-person-card': PersonCard;
  }
}
