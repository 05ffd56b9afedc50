// /rhh — the web helper page (composition root): help someone whose device is not enrolled.
import { html, nothing } from 'lit';
import { keyed } from 'lit/directives/keyed.js';
import { msg } from '@lit/localize';
import '#ui/helper-session.js';
import { startWebApp } from './web-app.js';

const main = document.querySelector('main');
if (main) {
  void startWebApp({
    main,
    title: () => msg('Remote Help — help someone'),
    signedIn: ({ link, show }) => {
      // Each "Get security code" mounts a fresh element and has it create its own session and code.
      let sessionNo = 0;
      let ended = false;
      const start = (): void => {
        sessionNo++;
        ended = false;
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
                  @rh-ended=${() => {
                    ended = true;
                    view();
                  }}
                ></rh-helper-session>`,
              )}
          ${ended ? html`<p><button class="primary" @click=${start}>${msg('Get a new security code')}</button></p>` : nothing}`);
      };
      view();
    },
  });
}
