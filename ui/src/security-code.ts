// The code and link the helper passes to the sharer: the code in two groups of four (easier to read out),
// with a one-click copy of the code and of the link.
import { LitElement, css, html, nothing } from 'lit';
import { msg, str, updateWhenLocaleChanges } from '@lit/localize';
import { groupSecurityCode, type CreatedSession } from '#protocol/relay-events.js';
import { baseStyles } from './shared-styles.js';

export class SecurityCode extends LitElement {
  static override properties = {
    session: { attribute: false },
    announcement: { state: true },
  };
  declare session: CreatedSession | undefined;
  declare announcement: string;

  static override styles = [
    baseStyles,
    css`
      :host { display: block; }
      .code-label { display: block; font-weight: 600; }
      output {
        display: inline-block; font-family: ui-monospace, monospace; font-size: 2em;
        letter-spacing: 0.15em; margin-block: 0.2em; direction: ltr; unicode-bidi: isolate;
      }
      .link { overflow-wrap: anywhere; }
      .copy { display: flex; flex-wrap: wrap; gap: 0.5em; }
      p { margin-block: 0.4em; }
    `,
  ];

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.announcement = '';
  }

  override render() {
    const s = this.session;
    if (!s) return nothing;
    const expires = new Date(s.expiresAt).toLocaleTimeString(document.documentElement.lang || undefined, {
      hour: '2-digit',
      minute: '2-digit',
    });
    return html`
      <div>
        <span class="code-label" id="code-label">${msg('Security code')}</span>
        <output aria-labelledby="code-label">${groupSecurityCode(s.code)}</output>
      </div>
      <p>${msg(str`Valid until ${expires}. It can be used once.`)}</p>
      <p>${msg('Give the code to the person you are helping, or send them this link:')}</p>
      <p class="link"><a href=${s.link} dir="ltr">${s.link}</a></p>
      <div class="copy">
        <button @click=${() => void this.copy(s.code, msg('Code copied'))}>${msg('Copy code')}</button>
        <button @click=${() => void this.copy(s.link, msg('Link copied'))}>${msg('Copy link')}</button>
      </div>
      <span role="status" aria-live="polite">${this.announcement}</span>
    `;
  }

  private async copy(text: string, done: string): Promise<void> {
    // Clear first so the same announcement is read again on a second copy.
    this.announcement = '';
    await this.updateComplete;
    try {
      await navigator.clipboard.writeText(text);
      this.announcement = done;
    } catch {
      this.announcement = msg('Could not copy. Select the text and copy it yourself.');
    }
  }
}

if (!customElements.get('rh-security-code')) customElements.define('rh-security-code', SecurityCode);

declare global {
  interface HTMLElementTagNameMap {
    'rh-security-code': SecurityCode;
  }
}
