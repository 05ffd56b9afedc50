// /rhh — the web helper page (composition root): help someone whose device is not enrolled.
import { html } from 'lit';
import { keyed } from 'lit/directives/keyed.js';
import { msg } from '@lit/localize';
import type { WireError } from '#protocol/ack.js';
import type { Invitation } from '#protocol/colleague.js';
import { reasonMaxLength, sessionReason } from '#protocol/session-purpose.js';
import { reasonProblemText } from '#ui/started-from-text.js';
import { canRetryCreate } from '#ui/create-refusal.js';
import '#ui/helper-session.js';
import '#ui/invitation-list.js';
import '#ui/policy-refusal.js';
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
      /** The session view is a colleague's (issue 13, point 5): mounted to answer an invitation, or reloaded. */
      let invitation: Invitation | 'reloaded' | undefined = resumeFrom?.member === 'colleague' ? 'reloaded' : undefined;
      /** The relay refused an Accept (conditional access): said above the invitations, which stay open. */
      let acceptRefused: WireError | undefined;
      /** A colleague's session view that ended: the page offers the way back to the start. */
      let colleagueEnded = false;
      const toStart = (): void => {
        sessionNo = 0;
        invitation = undefined;
        colleagueEnded = false;
        view();
      };
      /** A new session view (a new code, or an accepted invitation): what the last one said goes. */
      const freshView = (accepted: Invitation | undefined): void => {
        sessionNo++;
        resumeFrom = undefined;
        createRefused = undefined;
        acceptRefused = undefined;
        invitation = accepted;
        colleagueEnded = false;
        view();
      };
      const accept = async (i: Invitation): Promise<void> => {
        freshView(i);
        await main.querySelector('rh-helper-session')?.acceptInvitation(i);
      };
      /** Whether the session view holds a session still going (not ended, not refused). */
      const sessionLive = (): boolean => {
        const s = main.querySelector('rh-helper-session');
        return !!s?.sessionId && s.phase !== 'ended' && s.phase !== 'create-failed' && s.phase !== 'accept-failed';
      };
      /** An Accept from the notice in a session view: the session there ends first (the notice asked). */
      const acceptFromSession = async (i: Invitation): Promise<void> => {
        if (sessionLive()) await main.querySelector('rh-helper-session')?.end();
        await accept(i);
      };
      /** Where a helper looks first: the invitations open for them, whatever else the start view says. */
      const invitations = () => html`<rh-policy-refusal .error=${acceptRefused} ?hidden=${!acceptRefused}></rh-policy-refusal>
        <rh-invitation-list .link=${link} @rh-accept-invitation=${(e: CustomEvent<Invitation>) => void accept(e.detail)}></rh-invitation-list>`;
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
        freshView(undefined);
        void main.querySelector('rh-helper-session')?.start(reason ? { reason } : {});
      };
      const view = (): void => {
        show(() => html`<h1>${msg('Help someone')}</h1>
          ${sessionNo > 0
            ? keyed(
                sessionNo,
                html`<rh-invitation-list compact .link=${link} .sessionLive=${sessionLive}
                  .excluding=${invitation && invitation !== 'reloaded' ? invitation.sessionId : undefined}
                  @rh-accept-invitation=${(e: CustomEvent<Invitation>) => void acceptFromSession(e.detail)}></rh-invitation-list>
                <rh-helper-session
                  .link=${link}
                  .resumeFrom=${resumeFrom}
                  .look=${me.look}
                  remember
                  @rh-new-session=${start}
                  @rh-accept-failed=${(e: CustomEvent<WireError>) => {
                    acceptRefused = e.detail;
                    toStart();
                  }}
                  @rh-handed-over=${() => (invitation = undefined)}
                  @rh-ended=${() => {
                    if (!invitation) return;
                    colleagueEnded = true;
                    view();
                  }}
                  @rh-create-refused=${(e: CustomEvent<WireError>) => {
                    createRefused = e.detail;
                    view();
                  }}
                >${createRefused ? html`<div slot="refused">${refusedAlternatives(createRefused, again)}</div>` : ''}</rh-helper-session>
                ${colleagueEnded ? html`<p class="rh-actions"><button type="button" @click=${toStart}>${msg('Back to the start')}</button></p>` : ''}`,
              )
            : precheck === 'asking'
              ? html`${invitations()}<p role="status">${msg('Checking that you can give remote help…')}</p>`
              : refused
                ? html`${invitations()}${refusedView(refused, again)}`
                : html`${invitations()}<section class="rh-card rh-start">
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
