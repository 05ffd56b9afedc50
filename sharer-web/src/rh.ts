// /rh — the sharer page (composition root).
import { html } from 'lit';
import { msg } from '@lit/localize';
import { normalizeSecurityCode } from '#protocol/relay-events.js';
import { forgetLiveSession, liveSessionOf } from '#ui/live-session.js';
import '#ui/sharer-session.js';
import { checkThisBrowser } from './browser-check.js';
import './past-sessions.js';
import { unsupportedView } from './page-views.js';
import { startWebApp } from './web-app.js';

const main = document.querySelector('main');
if (main) {
  void startWebApp({
    main,
    title: () => msg('Remote Help — share your screen'),
    heading: () => msg('Share your screen with IT support'),
    precheck: () => {
      const check = checkThisBrowser(window);
      return check.supported ? null : unsupportedView(check);
    },
    isLive: () => liveSessionOf('sharer') !== undefined,
    intro: () => html`<h1>${msg('Share your screen with IT support')}</h1>
      <p>${msg('Someone from your organization\'s IT support can see your screen to help you, once you allow it. What happens next:')}</p>
      <ol class="rh-steps">
        <li>${msg('Sign in with your work account.')}</li>
        <li>${msg('Enter the security code your helper gave you (it is filled in if you opened their link).')}</li>
        <li>${msg('You see who is asking, with their name, job and organization, and choose Allow or Deny.')}</li>
        <li>${msg('If you allow, you choose the screen or window to share. The helper can only look; you can pause or end at any time.')}</li>
      </ol>`,
    signedIn: ({ me, link, show }) => {
      const passcode = new URLSearchParams(location.search).get('passcode') ?? '';
      // Reloaded in the middle of a session: back into it, not asked for a code again. A link with
      // another code is another session: the old one is left to its grace.
      let live = liveSessionOf('sharer');
      if (live && passcode && live.code !== normalizeSecurityCode(passcode)) {
        forgetLiveSession('sharer');
        live = undefined;
      }
      show(() => html`<h1>${msg('Share your screen with IT support')}</h1>
        <rh-sharer-session .link=${link} .code=${passcode} .resumeFrom=${live} .look=${me.look}></rh-sharer-session>
        <rh-past-sessions></rh-past-sessions>`);
    },
  });
}
