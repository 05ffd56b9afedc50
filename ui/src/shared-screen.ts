// The sharer's screen as the helper sees it. Muted and inline so autoplay is allowed everywhere.
// While the sharer is briefly gone or has paused, an overlay says so over the last frame: the video
// keeps its stream, so the picture is there again the moment frames flow.
import { LitElement, css, html, nothing } from 'lit';
import { msg, updateWhenLocaleChanges } from '@lit/localize';
import { baseStyles } from './shared-styles.js';

export type SharedScreenStatus = 'live' | 'reconnecting' | 'paused';
export type SharedScreenSize = 'fit' | 'actual';

export class SharedScreen extends LitElement {
  static override properties = {
    stream: { attribute: false },
    status: { attribute: false },
    statusText: { attribute: false },
    size: { attribute: false },
    fullscreen: { state: true },
    intrinsic: { state: true },
  };
  declare stream: MediaStream | null;
  /** 'live' shows the frames as they come; otherwise an overlay over the last frame says why not. */
  declare status: SharedScreenStatus;
  /** Shown under the overlay's heading, e.g. how long the session waits for the sharer. */
  declare statusText: string;
  /** 'fit' (default) scales the screen into the space there is; 'actual' shows it pixel for pixel. */
  declare size: SharedScreenSize;
  declare private fullscreen: boolean;
  /** The video's own pixel size, once known (for actual size). */
  declare private intrinsic: { width: number; height: number } | null;

  static override styles = [
    baseStyles,
    css`
      :host {
        display: block;
        /* Leaves room for the page's header and the session's buttons at 1366×768; a host may set it. */
        --rh-shared-screen-max-block-size: calc(100dvh - 12rem);
      }
      .screen {
        display: flex;
        flex-direction: column;
        gap: 0.4em;
      }
      .controls {
        display: flex;
        flex-wrap: wrap;
        gap: 0.4em;
        align-items: center;
      }
      .size {
        display: inline-flex;
        gap: 0.25em;
      }
      /* The chosen size: inverted, and bordered thicker (not told by colour alone). */
      button[aria-pressed='true'] {
        background: var(--rh-color-text);
        border-color: var(--rh-color-text);
        color: var(--rh-color-surface);
        box-shadow: inset 0 0 0 2px var(--rh-color-surface);
      }
      .stage {
        position: relative;
        min-block-size: 0;
      }
      .scroller {
        background: #111;
        border-radius: 6px;
        overflow: hidden;
      }
      video {
        display: block;
        background: #111;
      }
      .fit video {
        inline-size: 100%;
        max-block-size: var(--rh-shared-screen-max-block-size);
        object-fit: contain;
      }
      .actual .scroller {
        overflow: auto;
        max-block-size: var(--rh-shared-screen-max-block-size);
      }
      .actual video {
        max-inline-size: none;
        max-block-size: none;
      }
      /* Always there (a live region must exist before its text changes), empty and see-through while live. */
      .overlay-region {
        position: absolute;
        inset: 0;
        pointer-events: none;
      }
      .overlay {
        block-size: 100%;
        box-sizing: border-box;
        display: flex;
        flex-direction: column;
        align-items: center;
        justify-content: center;
        gap: 0.3em;
        padding: 1em;
        text-align: center;
        background: rgb(0 0 0 / 0.72);
        color: #fff;
        border-radius: 6px;
      }
      .overlay-heading {
        font-size: 1.4em;
        font-weight: 600;
        margin: 0;
      }
      .overlay p {
        margin: 0;
      }
      /* Full screen: the screen fills it, the controls stay on top. */
      .screen:fullscreen {
        background: #000;
        padding: 0.5em;
        box-sizing: border-box;
      }
      .screen:fullscreen button[aria-pressed='true'] {
        border-color: #fff;
      }
      .screen:fullscreen .stage {
        flex: 1;
        display: flex;
        flex-direction: column;
      }
      .screen:fullscreen .scroller {
        flex: 1;
        min-block-size: 0;
        max-block-size: none;
      }
      .screen.fit:fullscreen video {
        inline-size: 100%;
        block-size: 100%;
        max-block-size: none;
      }
      @media (forced-colors: active) {
        button[aria-pressed='true'] {
          forced-color-adjust: none;
          background: Highlight;
          color: HighlightText;
          border-color: Highlight;
          box-shadow: none;
        }
        .overlay {
          background: Canvas;
          color: CanvasText;
          border: 2px solid CanvasText;
        }
      }
    `,
  ];

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.stream = null;
    this.status = 'live';
    this.statusText = '';
    this.size = 'fit';
    this.fullscreen = false;
    this.intrinsic = null;
  }

  private readonly onFullscreenChange = (): void => {
    const root = this.renderRoot as ShadowRoot;
    this.fullscreen = root.fullscreenElement !== null && root.fullscreenElement === this.container;
  };

  override connectedCallback(): void {
    super.connectedCallback();
    // Escape (the browser's own way out) and exitFullscreen() both end up here.
    document.addEventListener('fullscreenchange', this.onFullscreenChange);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    document.removeEventListener('fullscreenchange', this.onFullscreenChange);
  }

  /** The screen has just appeared: the keyboard goes on from its first control. */
  focusOutcome(): void {
    this.renderRoot.querySelector<HTMLElement>('button')?.focus();
  }

  override render() {
    const actual = this.size === 'actual';
    const live = this.status === 'live';
    return html`<div class="screen ${actual ? 'actual' : 'fit'}">
      <div class="controls">
        <div class="size" role="group" aria-label=${msg('Screen size')}>
          <button type="button" aria-pressed=${String(!actual)} @click=${() => (this.size = 'fit')}>${msg('Fit to window')}</button>
          <button type="button" aria-pressed=${String(actual)} @click=${() => (this.size = 'actual')}>
            ${msg('Actual size (100 %)')}
          </button>
        </div>
        <button type="button" class="fullscreen" @click=${() => void this.toggleFullscreen()}>
          ${this.fullscreen ? msg('Exit full screen') : msg('Full screen')}
        </button>
      </div>
      <div class="stage">
        <div
          class="scroller"
          role=${actual ? 'region' : nothing}
          tabindex=${actual ? 0 : nothing}
          aria-label=${actual ? msg('Screen at actual size, scrollable') : nothing}
        >
          <video
            aria-label=${msg('Shared screen')}
            autoplay
            muted
            playsinline
            style=${this.videoStyle()}
            @loadedmetadata=${this.measure}
            @resize=${this.measure}
          ></video>
        </div>
        <div class="overlay-region">
          ${live
            ? nothing
            : html`<div class="overlay">
                <h2 class="overlay-heading">${this.status === 'reconnecting' ? msg('Reconnecting…') : msg('Sharing paused')}</h2>
                ${this.statusText ? html`<p dir="auto">${this.statusText}</p>` : nothing}
              </div>`}
        </div>
      </div>
    </div>`;
  }

  /** Actual size is one video pixel on one device pixel: on a high-density display the CSS size is
   * smaller than the video's pixel count, and text is as sharp as on the sharer's screen. */
  private videoStyle(): string {
    if (this.size !== 'actual' || !this.intrinsic) return '';
    const ratio = window.devicePixelRatio || 1;
    return `inline-size: ${this.intrinsic.width / ratio}px; block-size: ${this.intrinsic.height / ratio}px;`;
  }

  private readonly measure = (): void => {
    const v = this.video;
    if (v && v.videoWidth > 0 && v.videoHeight > 0) this.intrinsic = { width: v.videoWidth, height: v.videoHeight };
  };

  private async toggleFullscreen(): Promise<void> {
    const container = this.container;
    if (!container) return;
    try {
      if (this.fullscreen) await document.exitFullscreen();
      else await container.requestFullscreen({ navigationUI: 'hide' });
    } catch {
      // Refused (no user gesture, or full screen not allowed in this frame): the view stays as it is.
    }
  }

  protected override updated(): void {
    const video = this.video;
    if (video && video.srcObject !== this.stream) {
      video.srcObject = this.stream;
      // autoplay covers the usual case; play() covers a stream set after the element was shown.
      if (this.stream) void video.play().catch(() => undefined);
    }
  }

  private get container(): HTMLElement | null {
    return this.renderRoot.querySelector<HTMLElement>('.screen');
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
