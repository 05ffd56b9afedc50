// The sharer's screen as the helper sees it. Muted and inline so autoplay is allowed everywhere.
import { LitElement, css, html } from 'lit';
import { msg, updateWhenLocaleChanges } from '@lit/localize';

export class SharedScreen extends LitElement {
  static override properties = { stream: { attribute: false } };
  declare stream: MediaStream | null;

  static override styles = css`
    :host { display: block; }
    video { inline-size: 100%; max-block-size: 80vh; background: #111; border-radius: 6px; display: block; }
  `;

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.stream = null;
  }

  override render() {
    return html`<video aria-label=${msg('Shared screen')} autoplay muted playsinline></video>`;
  }

  protected override updated(): void {
    const video = this.renderRoot.querySelector('video');
    if (video && video.srcObject !== this.stream) {
      video.srcObject = this.stream;
      // autoplay covers the usual case; play() covers a stream set after the element was shown.
      if (this.stream) void video.play().catch(() => undefined);
    }
  }

  /** The <video> itself, e.g. to watch its frames. */
  get video(): HTMLVideoElement | null {
    return this.renderRoot.querySelector('video');
  }
}

if (!customElements.get('rh-shared-screen')) customElements.define('rh-shared-screen', SharedScreen);

declare global {
  interface HTMLElementTagNameMap {
    'rh-shared-screen': SharedScreen;
  }
}
