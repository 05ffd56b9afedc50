// The console: sign-in, then Devices > All devices > a device > a remote help session; and for
// administrators, Tenant administration. Nothing ends a live session by accident: going elsewhere,
// Sign out, or closing the window asks first (rh-leave-session-dialog; the browser's own prompt for a
// tab of the console host), and the session ends at the relay only when the person confirms.
import { LitElement, css, html, nothing } from 'lit';
import { keyed } from 'lit/directives/keyed.js';
import { msg, updateWhenLocaleChanges } from '@lit/localize';
import type {
  Account, ConsoleStatus, CreatedSession, ErrorCode, Invitation, OrganizationLook, SessionLink, TenantBranding, WireError,
} from '#protocol';
import { errorMessage } from '#ui/i18n/error-messages.js';
import { baseStyles } from '#ui/shared-styles.js';
import { consoleStyles } from '../console-styles.js';
import type { HelperSession } from '#ui/helper-session.js';
import type { DesktopClient } from '../api-client.js';
import { desktopSessionLink } from '../desktop-session-link.js';
import { canAdminister } from '../admin/admin-access.js';
import { adminSections, isAdminSection, sectionLabel, type AdminSection } from '../admin/admin-sections.js';
import '../admin/admin-view.js';
import '../admin/new-reports-badge.js';
import '#ui/helper-session.js';
import '#ui/invitation-list.js';
import '#ui/policy-refusal.js';
import './console-header.js';
import './device-list.js';
import './device-view.js';
import './inventory-notice.js';
import type { InventoryNoticeInfo } from './inventory-notice.js';
import './sign-in-screen.js';
import type { LeaveSessionDialog } from './leave-session-dialog.js';
import { deepActiveElement } from './leave-session-dialog.js';
import { liveSessionOf, type LiveSession } from '#ui/live-session.js';
import { trackSync, type SyncTracker } from './sync-tracker.js';
import { applyAccent } from '#ui/organization-accent.js';
import { lookOfAccount, lookOfBranding } from './organization-look.js';

/** A session view's session: getting its code, live (a code, until it ends), or over (ended, or no code came). */
type SessionPhase = 'creating' | 'live' | 'ended';

type View =
  | { kind: 'devices' }
  | { kind: 'device'; id: string }
  /** `key`: one per session started, so a new session gets a new <rh-helper-session>. `invitation`: the
   * session is one this person was invited to as a colleague (issue 13, point 5); `deviceId` is then ''
   * (an invitation names the device, it does not give its id). */
  | { kind: 'session'; deviceId: string; key: number; phase: SessionPhase; resumeFrom?: LiveSession; reason?: string; invitation?: Invitation }
  | { kind: 'admin'; section: AdminSection };

/** `#admin` or `#admin/reports` in the address opens Tenant administration directly. */
function adminViewFromHash(hash: string): View | undefined {
  const [first, section] = hash.replace(/^#/, '').split('/');
  if (first !== 'admin') return undefined;
  return { kind: 'admin', section: section && isAdminSection(section) ? section : 'settings' };
}

export class ConsoleApp extends LitElement {
  static override properties = {
    client: { attribute: false },
    ready: { state: true },
    account: { state: true },
    view: { state: true },
    relayConnected: { state: true },
    relayOverloaded: { state: true },
    error: { state: true },
    inventoryNotice: { state: true },
    isAdmin: { state: true },
    look: { state: true },
    navOpen: { state: true },
    acceptRefusal: { state: true },
  };
  declare client: DesktopClient | undefined;
  declare ready: boolean;
  declare account: Account | null;
  declare view: View;
  declare relayConnected: boolean;
  /** Main waits to ask the relay again after `overloaded` (at the handshake, or for a new session). */
  declare relayOverloaded: boolean;
  declare error: ErrorCode | undefined;
  /** Main moved an unusable inventory file aside at start (shown until dismissed). */
  declare inventoryNotice: InventoryNoticeInfo | undefined;
  /** Offer Tenant administration (a hint from the role definitions; the relay checks every call).
   * Undefined until the relay has been asked. */
  declare isAdmin: boolean | undefined;
  /** The organization's name, logo and accent: the account's, or the branding an administrator just saved. */
  declare look: OrganizationLook | undefined;
  /** In a narrow window (200 % zoom, a small screen) the navigation folds behind its Menu button: open. */
  declare navOpen: boolean;
  /** The relay refused this person's Accept of an invitation (an access rule): said above the invitations. */
  declare acceptRefusal: WireError | undefined;

  private link: SessionLink | undefined;
  private syncTracker: SyncTracker | undefined;
  private unsubscribe: (() => void) | undefined;
  private shell: ConsoleStatus['shell'] | undefined;
  private sessionKeys = 0;
  /** The last session end sent to the relay, until it answered. */
  private ending: Promise<void> = Promise.resolve();
  /** Device names by id, for the question before leaving a session nobody has joined yet. */
  private readonly deviceNames = new Map<string, string>();
  private readonly onBeforeUnload = (e: BeforeUnloadEvent): void => this.beforeUnload(e);
  private readonly onPageHide = (): void => this.pageHide();

  static override styles = [
    baseStyles,
    consoleStyles,
    css`
      :host { display: block; min-block-size: 100vh; background: var(--rh-color-bg); }
      .shell { display: grid; grid-template-columns: 15em minmax(0, 1fr); min-block-size: calc(100vh - 4em); }
      nav { background: var(--rh-color-surface); border-inline-end: 1px solid var(--rh-color-border-subtle); padding: var(--rh-space-4) var(--rh-space-3); }
      nav ul { list-style: none; margin: 0; padding: 0; display: grid; gap: var(--rh-space-1); }
      nav ul ul { padding-inline-start: var(--rh-space-3); margin-block-start: var(--rh-space-1); }
      nav a {
        display: block; padding: var(--rh-space-1) var(--rh-space-3); border-radius: var(--rh-radius-sm);
        color: var(--rh-color-text); text-decoration: none; border-inline-start: 4px solid transparent;
      }
      nav a:hover { background: var(--rh-color-surface-raised); }
      /* The current place: marked for screen readers (aria-current) and by sight (bar, tint, weight). */
      nav a[aria-current='page'] {
        background: var(--rh-color-selected); border-inline-start-color: var(--rh-color-accent);
        font-weight: var(--rh-weight-strong);
      }
      nav a.open { font-weight: var(--rh-weight-strong); }
      /* Only in a narrow window (below): the navigation's links behind one button, above the content. */
      .menu { display: none; }
      .menu::before { content: '\\2630' / ''; font-size: 1.25em; line-height: 1; }
      main { padding: var(--rh-space-4) var(--rh-space-5); min-inline-size: 0; }
      main:focus { outline: none; }
      main:focus-visible { outline: 3px solid var(--rh-color-focus); outline-offset: -3px; }
      .signed-out { max-inline-size: 40rem; margin-inline: auto; }
      h1 { margin-block: 0 var(--rh-space-3); font-size: var(--rh-text-xl); }
      .offline, .error { margin: 0; }
      .skip-link {
        position: absolute; inset-inline-start: var(--rh-space-2); inset-block-start: var(--rh-space-2); z-index: 1000;
        background: var(--rh-color-surface); color: var(--rh-color-accent); padding: var(--rh-space-2) var(--rh-space-4);
        border: 2px solid var(--rh-color-accent); border-radius: var(--rh-radius-md); font-weight: var(--rh-weight-strong);
        transform: translateY(-200%);
      }
      .skip-link:focus { transform: none; }
      /* 200 % zoom of a 1280 px window is 640 px: one column, the navigation folded above the content. */
      @media (max-width: 48em) {
        .shell { grid-template-columns: minmax(0, 1fr); }
        nav { border-inline-end: none; border-block-end: 1px solid var(--rh-color-border-subtle); padding-block: var(--rh-space-2); }
        .menu { display: inline-flex; }
        nav:not(.open) > ul { display: none; }
        nav.open > ul { margin-block-start: var(--rh-space-2); }
        main { padding-inline: var(--rh-space-3); }
      }
      @media (forced-colors: active) {
        /* The current place keeps a mark that is not a colour: its bar, and an underline. */
        nav a { border-inline-start-color: Canvas; }
        nav a[aria-current='page'] { border-inline-start-color: Highlight; text-decoration: underline; }
      }
    `,
  ];

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.ready = false;
    this.account = null;
    this.view = { kind: 'devices' };
    this.relayConnected = false;
    this.relayOverloaded = false;
    this.navOpen = false;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('beforeunload', this.onBeforeUnload);
    window.addEventListener('pagehide', this.onPageHide);
    void this.start();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('beforeunload', this.onBeforeUnload);
    window.removeEventListener('pagehide', this.onPageHide);
    this.unsubscribe?.();
    this.syncTracker?.close();
    this.syncTracker = undefined;
  }

  private async start(): Promise<void> {
    const client = this.client;
    if (!client) return;
    this.link = desktopSessionLink(client);
    // Before sign-in: main starts a sync as soon as someone signs in.
    this.syncTracker ??= trackSync(client);
    this.unsubscribe = client.onEvent((e) => {
      if (e.type === 'connection') this.relayConnected = e.payload.connected;
      if (e.type === 'relay:overloaded') this.relayOverloaded = e.payload.waiting;
    });
    const status = await client.getStatus();
    if (status.ok) {
      this.shell = status.value.shell;
      this.account = status.value.account;
      this.look = this.account ? lookOfAccount(this.account) : undefined;
      this.relayConnected = status.value.relayConnected;
      this.inventoryNotice = status.value.inventoryNotice;
      // A reloaded page: the last sync main finished, until the tracker sees a newer one.
      if (status.value.lastSyncedAt && !this.syncTracker.snapshot().lastSyncedAt) this.syncTracker.syncedAt(status.value.lastSyncedAt);
    } else this.error = status.error.code;
    const forced = adminViewFromHash(window.location.hash);
    if (forced) this.view = forced;
    // A page reloaded in the middle of a session (its socket stayed up in main): back into it.
    const live = this.account ? liveSessionOf('helper') : undefined;
    if (live?.deviceId && live.created) {
      this.view = { kind: 'session', deviceId: live.deviceId, key: ++this.sessionKeys, phase: 'live', resumeFrom: live };
      void this.rememberDeviceName(live.deviceId);
    } else if (live && !live.created) {
      // A session joined as a colleague, or handed over to this helper (no code, no device id).
      this.view = { kind: 'session', deviceId: '', key: ++this.sessionKeys, phase: 'live', resumeFrom: live };
    }
    this.ready = true;
    if (this.account) void this.checkAdmin(this.account);
  }

  private async checkAdmin(account: Account): Promise<void> {
    const client = this.client;
    if (!client) return;
    const isAdmin = await canAdminister(client, account);
    if (this.account === account) this.isAdmin = isAdmin;
  }

  private onSignedIn(account: Account): void {
    this.account = account;
    this.look = lookOfAccount(account);
    this.isAdmin = undefined;
    this.view = { kind: 'devices' };
    void this.checkAdmin(account);
    void this.focusNewView();
  }

  /** The last view change left a device's view (Back, or Devices in the navigation). */
  private cameFromDevice = false;

  /** A view change that took away the control the focus was on (the sign-in form, the row of the device
   * opened, Back) puts it on the new view's first control or heading, not on the page itself. */
  private async focusNewView(): Promise<void> {
    await this.updateComplete;
    const focused = deepActiveElement(document);
    if (focused && focused !== document.body && focused.checkVisibility()) return;
    // Back from a device opened from the list: the row it was opened from, else the list's heading.
    if (this.view.kind === 'devices' && this.cameFromDevice && this.renderRoot.querySelector('rh-device-list')?.focusOpenedRow()) return;
    const target = this.renderRoot.querySelector<HTMLElement & { focusOutcome?: () => Promise<void> }>(
      'rh-device-view, rh-admin-view, section:not([hidden]) > h1');
    if (target?.focusOutcome) await target.focusOutcome();
    else target?.focus();
  }

  private async signOut(): Promise<void> {
    if (!(await this.leave())) return;
    // The session's end goes over main's relay socket, which signing out closes.
    if (this.relayConnected) await this.ending;
    const res = await this.client?.signOut();
    if (res && !res.ok) {
      this.error = res.error.code;
      return;
    }
    this.account = null;
    this.look = undefined;
    this.isAdmin = undefined;
    this.view = { kind: 'devices' };
    // The next account's syncs are its own.
    this.syncTracker?.close();
    this.syncTracker = this.client ? trackSync(this.client) : undefined;
  }

  protected override updated(changed: Map<PropertyKey, unknown>): void {
    if (changed.has('look')) applyAccent(document.documentElement, this.look?.accentColor);
  }

  /** Branding an administrator saved: the header and accent change now, without a restart. */
  private brandingSaved(branding: TenantBranding): void {
    if (this.account) this.look = lookOfBranding(branding, this.account.tenantName);
  }

  /** The skip link: focus goes to the main region. A fragment link cannot reach into this shadow root, so
   * its href names this element (main.ts gives it the id `console`), which holds the main region, and the
   * click moves focus into <main> itself. */
  private skipToMain(e: Event): void {
    e.preventDefault();
    this.renderRoot.querySelector<HTMLElement>('main')?.focus();
  }

  private renderSkipLink() {
    return html`<a slot="skip" class="skip-link" href="#console" @click=${(e: Event) => this.skipToMain(e)}>${msg('Skip to main content')}</a>`;
  }

  /** A session has its code and is not over: leaving it now would end it for the other side. */
  get sessionLive(): boolean {
    return this.view.kind === 'session' && this.view.phase === 'live';
  }

  private get helperSession(): HelperSession | null {
    return this.renderRoot.querySelector('rh-helper-session');
  }

  private get leaveDialog(): LeaveSessionDialog | null {
    return this.renderRoot.querySelector('rh-leave-session-dialog');
  }

  /**
   * Before the console leaves a session view: while the session is live it asks, and the person may
   * stay (false). Leaving ends the session at the relay, which tells the other side at once. A
   * session still getting its code has nothing to ask about; if its code comes after all, it is
   * ended then (sessionCreated).
   */
  private async leave(): Promise<boolean> {
    const v = this.view;
    if (v.kind !== 'session' || v.phase === 'ended') return true;
    const session = this.helperSession;
    if (v.phase === 'live') {
      const dialog = this.leaveDialog;
      if (!dialog) return false;
      const leaving = await dialog.ask({
        person: session?.trust?.peer.name, device: this.deviceNames.get(v.deviceId), colleague: session?.member === 'colleague',
      });
      if (!leaving) return false;
    }
    // Over for this console from now (a close or Sign out that follows asks nothing more); the view
    // goes at once, and the end reaches the relay meanwhile (Sign out and a close wait for it).
    if (this.view.kind === 'session' && this.view.key === v.key) this.view = { ...this.view, phase: 'ended' };
    this.ending = session?.end() ?? Promise.resolve();
    return true;
  }

  /** A session whose element is gone or never showed (the page going, a code that came too late):
   * ended at the relay over the same link, which tells the other side. */
  private async endSession(sessionId: string | undefined): Promise<void> {
    if (sessionId) await this.link?.request('session:end', { sessionId });
  }

  private beforeUnload(e: BeforeUnloadEvent): void {
    if (!this.sessionLive) return;
    // A browser asks in its own words; Electron asks nothing and only keeps the window open, so the
    // console asks in its own dialog and closes the window itself when the person leaves.
    e.preventDefault();
    e.returnValue = '';
    if (this.shell === 'electron') void this.closeAfterAsking();
  }

  /** Electron held the window's close for the console to ask; it closes the window itself once the
   * person chose to leave and the relay has the session's end. */
  private async closeAfterAsking(): Promise<void> {
    if (!(await this.leave())) return;
    await this.ending;
    window.close();
  }

  /**
   * The page goes (the person chose to leave in the browser's prompt), but main's socket stays: the relay
   * is told this page went, so the other side sees "Reconnecting…" and the session waits for a reload
   * to resume it (the tab keeps it), or ends as "left" once the reconnect grace is over. A session still
   * getting its code has nothing to come back to: it ends.
   */
  private pageHide(): void {
    const v = this.view;
    if (v.kind !== 'session' || v.phase === 'ended') return;
    const sessionId = this.helperSession?.sessionId;
    if (v.phase === 'live' && sessionId) void this.link?.request('session:away', { sessionId });
    else void this.endSession(sessionId);
  }

  private async go(view: View, e?: Event): Promise<void> {
    e?.preventDefault();
    if (!(await this.leave())) return;
    this.navOpen = false;
    this.cameFromDevice = this.view.kind === 'device';
    this.view = view;
    if (view.kind !== 'session') return void this.focusNewView();
    this.acceptRefusal = undefined;
    await this.updateComplete;
    if (view.invitation) return void (await this.helperSession?.acceptInvitation(view.invitation));
    void this.rememberDeviceName(view.deviceId);
    await this.helperSession?.start({ deviceId: view.deviceId, ...(view.reason ? { reason: view.reason } : {}) });
  }

  /** An invitation's Accept: the colleague's session view, which answers it. */
  private acceptInvitation(invitation: Invitation): Promise<void> {
    return this.go({ kind: 'session', deviceId: '', key: ++this.sessionKeys, phase: 'live', invitation });
  }

  /** The relay refused the Accept: back to the devices, the refusal above the invitations (still open). */
  private acceptFailed(key: number, error: WireError): void {
    const v = this.view;
    if (v.kind !== 'session' || v.key !== key) return;
    this.view = { kind: 'devices' };
    this.acceptRefusal = error;
    void this.focusNewView();
  }

  /** After a session: back to its device, or to the devices for a colleague's session (no device id). */
  private backFrom(v: Extract<View, { kind: 'session' }>): Promise<void> {
    return this.go(v.deviceId ? { kind: 'device', id: v.deviceId } : { kind: 'devices' });
  }

  /** `reason`: the helper's, from the new-session dialog; a new session after this one keeps it. */
  private startSession(deviceId: string, reason?: string): Promise<void> {
    return this.go({ kind: 'session', deviceId, key: ++this.sessionKeys, phase: 'creating', ...(reason ? { reason } : {}) });
  }

  private async rememberDeviceName(id: string): Promise<void> {
    if (this.deviceNames.has(id)) return;
    const res = await this.client?.getDevice({ id });
    if (res?.ok) this.deviceNames.set(id, res.value.name);
  }

  /** Only the session of the current view changes the view. */
  private sessionPhase(key: number, phase: SessionPhase): void {
    const v = this.view;
    if (v.kind === 'session' && v.key === key) this.view = { ...v, phase };
  }

  private sessionCreated(key: number, created: CreatedSession): void {
    const v = this.view;
    if (v.kind === 'session' && v.key === key) this.view = { ...v, phase: 'live' };
    // The person left while the code was on its way: nobody will give it to anyone.
    else void this.endSession(created.sessionId);
  }

  /** Escape in the open menu folds it and gives the focus back to its button. */
  private navKeyDown(e: KeyboardEvent): void {
    const menu = this.renderRoot.querySelector<HTMLButtonElement>('button.menu');
    if (e.key !== 'Escape' || !this.navOpen || !menu?.checkVisibility()) return;
    e.preventDefault();
    this.navOpen = false;
    menu.focus();
  }

  private renderNav() {
    const onDevices = this.view.kind === 'devices' || this.view.kind === 'device';
    return html`<nav aria-label=${msg('Main')} class=${this.navOpen ? 'open' : ''} @keydown=${(e: KeyboardEvent) => this.navKeyDown(e)}>
      <button type="button" class="menu" aria-expanded=${String(this.navOpen)} aria-controls="nav-links"
        @click=${() => (this.navOpen = !this.navOpen)}>${msg('Menu')}</button>
      <ul id="nav-links">
        <li>
          <a href="#devices" aria-current=${onDevices ? 'page' : nothing}
            @click=${(e: Event) => void this.go({ kind: 'devices' }, e)}>${msg('Devices')}</a>
          <ul>
            <li><a href="#devices/all" @click=${(e: Event) => void this.go({ kind: 'devices' }, e)}>${msg('All devices')}</a></li>
          </ul>
        </li>
        ${this.isAdmin === true || this.view.kind === 'admin' ? this.renderAdminNav() : nothing}
      </ul>
    </nav>`;
  }

  private renderAdminNav() {
    const v = this.view;
    const current = v.kind === 'admin' ? v.section : undefined;
    return html`<li>
      <a href="#admin" class=${current ? 'open' : ''}
        @click=${(e: Event) => void this.go({ kind: 'admin', section: 'settings' }, e)}>${msg('Tenant administration')}</a>
      <ul>
        ${adminSections.map((section) => html`<li>
          <a href="#admin/${section}" aria-current=${current === section ? 'page' : nothing}
            @click=${(e: Event) => void this.go({ kind: 'admin', section }, e)}>${sectionLabel(section)}${section === 'reports'
              ? html`<rh-new-reports-badge .client=${this.client} .view=${`${v.kind}/${current ?? ''}`}></rh-new-reports-badge>` : nothing}</a>
        </li>`)}
      </ul>
    </li>`;
  }

  private renderMain() {
    const v = this.view;
    // The list stays in the page while a device is open, so its scroll position, rows and selection
    // survive. Main syncs the inventory at sign-in and on an interval; the list shows that progress.
    return html`
      ${v.kind === 'devices' || v.kind === 'device'
        ? html`<rh-policy-refusal .error=${this.acceptRefusal} ?hidden=${!this.acceptRefusal}></rh-policy-refusal>
            <rh-invitation-list .link=${this.link}
              @rh-accept-invitation=${(e: CustomEvent<Invitation>) => void this.acceptInvitation(e.detail)}></rh-invitation-list>`
        : nothing}
      <section ?hidden=${v.kind !== 'devices'} aria-labelledby="all-devices">
        <h1 id="all-devices" tabindex="-1">${msg('All devices')}</h1>
        <rh-device-list .client=${this.client} .tracker=${this.syncTracker}
          @rh-open-device=${(e: CustomEvent<{ id: string }>) => void this.go({ kind: 'device', id: e.detail.id })}></rh-device-list>
      </section>
      ${v.kind === 'device'
        ? html`<rh-device-view .client=${this.client} .deviceId=${v.id}
            @rh-back=${() => void this.go({ kind: 'devices' })}
            @rh-start-session=${(e: CustomEvent<{ deviceId: string; reason?: string }>) => void this.startSession(e.detail.deviceId, e.detail.reason)}
          ></rh-device-view>`
        : nothing}
      ${v.kind === 'admin'
        ? html`<rh-admin-view .client=${this.client} .section=${v.section}
            @rh-branding-saved=${(e: CustomEvent<TenantBranding>) => this.brandingSaved(e.detail)}></rh-admin-view>`
        : nothing}
      ${v.kind === 'session'
        ? html`<h1>${msg('Remote help')}</h1>
            <!-- Invitations that come while in a session: a notice here; Accept leaves this session through
              the leave dialog (one live session view at a time), Dismiss keeps it for the devices view. -->
            <rh-invitation-list compact .link=${this.link} .excluding=${v.invitation?.sessionId}
              @rh-accept-invitation=${(e: CustomEvent<Invitation>) => void this.acceptInvitation(e.detail)}></rh-invitation-list>
            ${keyed(v.key, html`<rh-helper-session .link=${this.link} remember .resumeFrom=${v.resumeFrom}
              @rh-create-failed=${() => this.sessionPhase(v.key, 'ended')}
              @rh-session-created=${(e: CustomEvent<CreatedSession>) => this.sessionCreated(v.key, e.detail)}
              @rh-accept-failed=${(e: CustomEvent<WireError>) => this.acceptFailed(v.key, e.detail)}
              @rh-ended=${() => this.sessionPhase(v.key, 'ended')}
              @rh-new-session=${() => void (v.deviceId ? this.startSession(v.deviceId, v.reason) : this.backFrom(v))}></rh-helper-session>`)}
            ${v.phase === 'ended'
              ? html`<p><button @click=${() => void this.backFrom(v)}>${v.deviceId ? msg('Back to the device') : msg('Back to devices')}</button></p>`
              : nothing}`
        : nothing}`;
  }

  private renderInventoryNotice() {
    return this.inventoryNotice
      ? html`<rh-inventory-notice .notice=${this.inventoryNotice} @rh-dismiss=${() => (this.inventoryNotice = undefined)}></rh-inventory-notice>`
      : nothing;
  }

  /** The status line of the relay connection: busy (main asks again by itself), or not connected. */
  private renderRelayStatus() {
    if (this.relayOverloaded) return html`<p class="offline notice" role="status">${errorMessage('overloaded')}</p>`;
    if (this.relayConnected) return nothing;
    return html`<p class="offline notice" role="status">${msg('Not connected to the Remote Help service. Reconnecting…')}</p>`;
  }

  override render() {
    if (!this.ready) return html`<main id="main" tabindex="-1"><p role="status">${msg('Loading…')}</p></main>`;
    if (!this.account) {
      return html`<rh-console-header>${this.renderSkipLink()}</rh-console-header>
      <main id="main" tabindex="-1" class="signed-out">
        ${this.renderInventoryNotice()}
        ${this.error ? html`<p class="error" role="alert">${errorMessage(this.error)}</p>` : nothing}
        <rh-sign-in-screen .client=${this.client} @rh-signed-in=${(e: CustomEvent<Account>) => this.onSignedIn(e.detail)}></rh-sign-in-screen>
      </main>`;
    }
    return html`<rh-console-header .account=${this.account} .look=${this.look} @rh-sign-out=${() => void this.signOut()}>${this.renderSkipLink()}</rh-console-header>
      ${this.renderRelayStatus()}
      ${this.error ? html`<p class="error" role="alert">${errorMessage(this.error)}</p>` : nothing}
      <div class="shell">
        ${this.renderNav()}
        <main id="main" tabindex="-1">${this.renderInventoryNotice()}${this.renderMain()}</main>
      </div>
      <rh-leave-session-dialog></rh-leave-session-dialog>`;
  }
}

if (!customElements.get('rh-console-app')) customElements.define('rh-console-app', ConsoleApp);

declare global {
  interface HTMLElementTagNameMap {
    'rh-console-app': ConsoleApp;
  }
}
