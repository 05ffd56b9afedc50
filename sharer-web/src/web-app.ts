// What both pages do before their own view: localize, ask who is signed in, and open the socket.
import { render, type TemplateResult } from 'lit';
import { io, type Socket } from 'socket.io-client';
import type { WebSessionInfo } from '#protocol/identity.js';
import type { SessionLink } from '#protocol/session-link.js';
import { setUpLocalization } from '#ui/i18n/localization.js';
import { fetchSession, signInUrl, signOut } from './auth.js';
import { applyAccent } from '#ui/organization-accent.js';
import { connectionRefusedView, headerOf, loadingView, pageHeader, serviceErrorView, signInView } from './page-views.js';
import { createSocketLink } from './socket-link.js';
import { createBusyNotice } from './busy-notice.js';
import { handshakeRetry, resumingAuthKey } from '#protocol/overload-retry.js';

export interface SignedInPage {
  me: WebSessionInfo;
  link: SessionLink;
  /** Renders the page's own view in <main>, under the product header; given as a function, it is
   * rendered again when the language changes (its texts in the new language). */
  show(view: View): void;
  /** Signs out and goes to the sign-in page, back to this page afterwards ("Sign in with another account"). */
  signInAgain(): Promise<void>;
}

export type View = TemplateResult | (() => TemplateResult);

export const ackTimeoutMs = 15_000;

export async function startWebApp(opts: {
  main: HTMLElement;
  title: () => string;
  /** The page's top-level heading, for the views that have no other (a service error). */
  heading: () => string;
  /** Runs before sign-in; a template here is shown instead of everything else. */
  precheck?: () => TemplateResult | null;
  signedIn: (page: SignedInPage) => void;
  /** Signed out: the page's heading, what it is for and what happens next. */
  intro?: () => TemplateResult;
  /** A session is live in this tab: closing or reloading it asks first (`beforeunload`). */
  isLive?: () => boolean;
}): Promise<void> {
  await setUpLocalization(document, navigator.languages);
  const header = headerOf(opts.main);
  let renderHeader = (): void => void render(pageHeader(), header);
  renderHeader();
  document.title = opts.title();
  let lastView: (() => TemplateResult) | undefined;
  const show = (view: View): void => {
    lastView = typeof view === 'function' ? view : undefined;
    render(typeof view === 'function' ? view() : view, opts.main);
  };
  // The language picker changes the language in place: the title, the header and the page's view
  // follow (components follow by themselves).
  addEventListener('lit-localize-status', (e) => {
    if (e.detail.status !== 'ready') return;
    document.title = opts.title();
    renderHeader();
    if (lastView) render(lastView(), opts.main);
  });
  const precheck = opts.precheck;
  const blocked = precheck?.();
  if (precheck && blocked) {
    show(() => precheck() ?? blocked);
    return;
  }

  const load = async (): Promise<void> => {
    show(loadingView());
    const me = await fetchSession();
    if (!me) return show(() => serviceErrorView(() => void load(), undefined, opts.heading()));
    applyAccent(document.documentElement, me.look?.accentColor);
    if (!me.signedIn) return show(() => signInView(signInUrl(location), opts.intro?.()));

    // Back within a couple of seconds of the network: retries no more than 2 s apart, and at once when
    // the browser says it is online again.
    // At each (re)connect, whether the tab holds a live session: a relay at capacity lets its member
    // back in (relay/src/socket/resume-allowance.ts) where it refuses anyone new.
    const socket: Socket = io({
      transports: ['websocket'], withCredentials: true, reconnectionDelay: 500, reconnectionDelayMax: 2000,
      auth: (cb) => cb({ [resumingAuthKey]: opts.isLive?.() ?? false }),
    });
    addEventListener('online', () => {
      if (socket.connected) return;
      socket.disconnect();
      socket.connect();
    });
    // A relay at capacity: the person is told, and the page asks again by itself, waiting longer each time.
    const busy = createBusyNotice(opts.main);
    const retry = handshakeRetry(socket, { onWait: () => busy.show() });
    socket.on('connect', () => {
      retry.connected();
      busy.hide();
    });
    const link = createSocketLink(socket, { ackTimeoutMs, onOverloaded: () => busy.show(), onOverloadOver: () => busy.hide() });
    const onSignOut = async (): Promise<void> => {
      socket.disconnect();
      await signOut();
      location.reload();
    };
    // Closing, reloading or leaving a tab with a live session asks first; the browser shows its own
    // question (the text is not ours to choose).
    addEventListener('beforeunload', (e) => {
      if (opts.isLive?.()) e.preventDefault();
    });
    // Closing the tab, reloading it or navigating away: say goodbye on the socket itself, so the relay
    // tells the other side at once that this person left the page; the session then waits out its
    // reconnect grace for this tab to come back (a reload does, from the tab's storage).
    addEventListener('pagehide', () => socket.disconnect());
    // Back from the back/forward cache with a closed socket: start over cleanly.
    addEventListener('pageshow', (e) => {
      if (e.persisted) location.reload();
    });
    socket.on('connect_error', (err: Error & { data?: { code?: string } }) => {
      if (retry.refused(err)) return;
      // The relay refuses the handshake when the session cookie is no longer valid (signed out, expired,
      // or forgotten by a relay that restarted without shared state): its code says so, whatever the
      // message ("Not signed in."). Anything else (the relay away for a moment) is retried.
      if (err.data?.code === 'unauthenticated' || /unauth/i.test(err.message)) {
        socket.disconnect();
        show(() => serviceErrorView(() => undefined, signInUrl(location), opts.heading()));
      } else if (err.data?.code === 'too-many-connections') {
        // A refusal by the relay's middleware: socket.io does not retry it on its own, and nor does
        // this page until the person has closed another tab and asks.
        show(() => connectionRefusedView('too-many-connections', () => location.reload(), opts.heading()));
      }
    });
    renderHeader = () => void render(pageHeader(me, () => void onSignOut()), header);
    renderHeader();
    opts.signedIn({
      me,
      link,
      show,
      signInAgain: async () => {
        socket.disconnect();
        await signOut();
        location.assign(signInUrl(location));
      },
    });
  };
  await load();
}
