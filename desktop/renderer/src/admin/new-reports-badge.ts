// The number of reported sessions no administrator has reviewed yet, beside Reports in the console's
// navigation: a sharer pressed Report ("I didn't expect this"), and someone should look. Shown only
// when there is one or more; read again whenever the console's view changes, when a report is marked
// reviewed, and every minute. The relay answers it to the tenant's administrators only: anyone else
// gets nothing to show.
import { LitElement, css, html, nothing } from 'lit';
import { msg, str, updateWhenLocaleChanges } from '@lit/localize';
import { baseStyles } from '#ui/shared-styles.js';
import { adminCall, type AdminCaller } from './admin-call.js';

/** Fired (bubbling, composed) by the reports section when the count may have changed. */
export const reportsReviewedEvent = 'rh-reports-reviewed';
const refreshMs = 60_000;

export class NewReportsBadge extends LitElement {
  static override properties = {
    client: { attribute: false },
    view: { attribute: false },
    count: { state: true },
  };
  declare client: AdminCaller | undefined;
  /** Any value naming the console's current view: a change reads the count again. */
  declare view: string | undefined;
  declare count: number;
  private timer: ReturnType<typeof setInterval> | undefined;
  private generation = 0;

  static override styles = [
    baseStyles,
    css`
      :host { display: inline; }
      .badge {
        display: inline-block; min-inline-size: 1.5em; padding-inline: 0.4em; margin-inline-start: 0.4em;
        border-radius: 999px; text-align: center; font-weight: var(--rh-weight-strong, 600);
        background: var(--rh-color-danger, #b00020); color: var(--rh-color-on-danger, #fff);
        font-variant-numeric: tabular-nums;
      }
    `,
  ];

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.count = 0;
  }

  private readonly onReviewed = (): void => void this.load();

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener(reportsReviewedEvent, this.onReviewed);
    this.timer = setInterval(() => void this.load(), refreshMs);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener(reportsReviewedEvent, this.onReviewed);
    clearInterval(this.timer);
  }

  protected override willUpdate(changed: Map<PropertyKey, unknown>): void {
    if ((changed.has('client') || changed.has('view')) && this.client) void this.load();
  }

  async load(): Promise<void> {
    if (!this.client) return;
    const generation = ++this.generation;
    const res = await adminCall(this.client, 'countNewReports', {});
    if (generation !== this.generation) return;
    // A refusal (no longer an administrator) or a relay out of reach shows nothing rather than a stale count.
    this.count = res.ok ? res.value.count : 0;
  }

  override render() {
    if (this.count <= 0) return nothing;
    const label = this.count === 1 ? msg('1 new report') : msg(str`${this.count} new reports`);
    // The number is what the eye sees; the words are what a screen reader says as part of the link.
    return html`<span class="badge"><span aria-hidden="true">${this.count}</span><span class="visually-hidden">${label}</span></span>`;
  }
}

if (!customElements.get('rh-new-reports-badge')) customElements.define('rh-new-reports-badge', NewReportsBadge);

declare global {
  interface HTMLElementTagNameMap {
    'rh-new-reports-badge': NewReportsBadge;
  }
}
