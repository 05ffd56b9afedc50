// /rh — the sharer page (composition root).
import { html } from 'lit';
import { msg } from '@lit/localize';
import { liveSessionOf } from '#ui/live-session.js';
import '#ui/sharer-session.js';
import { checkThisBrowser } from './browser-check.js';
import { unsupportedView } from './page-views.js';
import { startWebApp } from './web-app.js';

const main = document.querySelector('main');
if (main) {
  void startWebApp({
    main,
    title: () => msg('Remote Help — share your screen'),
    precheck: () => {
      const check = checkThisBrowser(window);
      return check.supported ? null : unsupportedView(check);
    },
    isLive: () => liveSessionOf('sharer') !== undefined,
    signedIn: ({ link, show }) => {
      const passcode = new URLSearchParams(location.search).get('passcode') ?? '';
      // Reloaded in the middle of a session: back into it, not asked for a code again.
      const live = liveSessionOf('sharer');
      show(html`<h1>${msg('Share your screen with a helper')}</h1>
        <rh-sharer-session .link=${link} .code=${passcode} .resumeFrom=${live}></rh-sharer-session>`);
    },
  });
}
