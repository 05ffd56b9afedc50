// /rhh — the web helper page (composition root): help someone whose device is not enrolled.
import { html } from 'lit';
import { keyed } from 'lit/directives/keyed.js';
import { msg } from '@lit/localize';
import type { WireError } from '#protocol/ack.js';
import { reasonMaxLength, sessionReason } from '#protocol/session-purpose.js';
import { reasonProblemText } from '#ui/started-from-text.js';
import { canRetryCreate } from '#ui/create-refusal.js';
import '#ui/helper-session.js';
import { liveSessionOf } from '#ui/live-session.js';
import { refusedAlternatives, refusedView } from './helper-refused.js';
import { startWebApp } from './web-app.js';

const main = document.querySelector('main');
if (main) {
  void startWebApp({
    main,
    title: () => msg('Remote Help — help someone'),
    heading: () => msg('Help someone'),
    isLive: () => liveSessionOf('helper') !== undefined,
    intro: () => html`<h1>${msg('Help someone')}</h1>
      <p>${msg('Help a person in your organization whose device is not in Remote Help: get a security code, give it to them, and see their screen once they allow it.')}</p>`,
    signedIn: ({ me, link, show, signInAgain }) => {
      // Each "Get security code" mounts a fresh element and has it create its own session and code;
      // a page reloaded in the middle of a session mounts one that resumes it.
      let resumeFrom = liveSessionOf('helper');
      let sessionNo = resumeFrom ? 1 : 0;
      // Before offering Get security code, ask whether it would be refused (no role, out of scope, the
      // tenant's settings, a rule): then say so now, with what can work instead. A precheck that fails
      // for the moment (the relay unreachable) decides nothing: the code is offered and create answers.
      let precheck: 'asking' | 'done' = resumeFrom ? 'done' : 'asking';
      let refused: WireError | undefined;
      /** The last refusal of a create, for the alternatives under the helper session's own alert. */
      let createRefused: WireError | undefined;
      const again = (): void => void signInAgain();
      /** Why this help is given (a ticket number…), typed before the first code: the sharer sees it on
       * the trust screen. Kept for Get a new code and for the next session started from this page. */
      let reason = '';
      /** The typed reason would be refused by the relay: said at the field, no code asked for. */
      let reasonRefused = false;
      const start = (): void => {
        const field = main.querySelector<HTMLInputElement>('#rh-reason');
        if (field) {
          reason = field.value.trim();
          reasonRefused = !sessionReason.safeParse(reason).success;
          if (reasonRefused) {
            view();
            field.focus();
            return;
          }
        }
        sessionNo++;
        resumeFrom = undefined;
        createRefused = undefined;
        view();
        void main.querySelector('rh-helper-session')?.start(reason ? { reason } : {});
      };
      const view = (): void => {
        show(() => html`<h1>${msg('Help someone')}</h1>
          ${sessionNo > 0
            ? keyed(
                sessionNo,
                html`<rh-helper-session
                  .link=${link}
                  .resumeFrom=${resumeFrom}
                  .look=${me.look}
                  remember
                  @rh-new-session=${start}
                  @rh-create-refused=${(e: CustomEvent<WireError>) => {
                    createRefused = e.detail;
                    view();
                  }}
                >${createRefused ? html`<div slot="refused">${refusedAlternatives(createRefused, again)}</div>` : ''}</rh-helper-session>`,
              )
            : precheck === 'asking'
              ? html`<p role="status">${msg('Checking that you can give remote help…')}</p>`
              : refused
                ? refusedView(refused, again)
                : html`<section class="rh-card rh-start">
                    <p>${msg('Get a security code, then give it to the person you are helping.')}</p>
                    <div class="rh-field"><label for="rh-reason">${msg('Reason or ticket number')}</label>
                      <input id="rh-reason" name="reason" maxlength=${reasonMaxLength} dir="auto" autocomplete="off" .value=${reason}
                        aria-invalid=${reasonRefused ? 'true' : 'false'} aria-describedby=${reasonRefused ? 'rh-reason-error rh-reason-hint' : 'rh-reason-hint'} /></div>
                    ${reasonRefused ? html`<p id="rh-reason-error" class="error" role="alert">${reasonProblemText()}</p>` : ''}
                    <p id="rh-reason-hint" class="rh-hint">${msg('Optional. The person you help sees it before they allow you to see their screen.')}</p>
                    <p class="rh-actions"><button type="button" class="primary" @click=${start}>${msg('Get security code')}</button></p>
                  </section>`}`);
      };
      view();
      if (precheck === 'asking') {
        void link.request('session:precheck', {}).then((res) => {
          if (!res.ok && !canRetryCreate(res.error.code)) refused = res.error;
          precheck = 'done';
          view();
        });
      }
    },
  });
}
