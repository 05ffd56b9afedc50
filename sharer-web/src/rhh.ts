// /rhh — the web helper page (composition root): help someone whose device is not enrolled.
import { html } from 'lit';
import { keyed } from 'lit/directives/keyed.js';
import { msg } from '@lit/localize';
import '#ui/helper-session.js';
import { liveSessionOf } from '#ui/live-session.js';
import { startWebApp } from './web-app.js';

const main = document.querySelector('main');
if (main) {
  void startWebApp({
    main,
    title: () => msg('Remote Help — help someone'),
    isLive: () => liveSessionOf('helper') !== undefined,
    intro: () => html`<h1>${msg('Help someone')}</h1>
      <p>${msg('Help a person in your organization whose device is not in Remote Help: get a security code, give it to them, and see their screen once they allow it.')}</p>`,
    signedIn: ({ link, show }) => {
      // Each "Get security code" mounts a fresh element and has it create its own session and code;
      // a page reloaded in the middle of a session mounts one that resumes it.
      let resumeFrom = liveSessionOf('helper');
      let sessionNo = resumeFrom ? 1 : 0;
      const start = (): void => {
        sessionNo++;
        resumeFrom = undefined;
        view();
        void main.querySelector('rh-helper-session')?.start();
      };
      const view = (): void => {
        show(html`<h1>${msg('Help someone')}</h1>
          ${sessionNo === 0
            ? html`<p>${msg('Get a security code, then give it to the person you are helping.')}</p>
                <button class="primary" @click=${start}>${msg('Get security code')}</button>`
            : keyed(
                sessionNo,
                html`<rh-helper-session
                  .link=${link}
                  .resumeFrom=${resumeFrom}
                  remember
                  @rh-new-session=${start}
                ></rh-helper-session>`,
              )}`);
      };
      view();
    },
  });
}
