// /rhh when the relay will not let this person help (told by session:precheck before Get security code,
// or by session:create): no Try again that would answer the same, but what can work instead — another
// account, and for someone without a helper role, the sharer page, since they may be the one who needs
// help.
import { html, nothing, type TemplateResult } from 'lit';
import { msg } from '@lit/localize';
import type { WireError } from '#protocol/ack.js';
import { mayNeedHelpInstead } from '#ui/create-refusal.js';
import '#ui/policy-refusal.js';

/** The ways on, under a refusal shown elsewhere (the helper session's own alert). */
export function refusedAlternatives(error: Pick<WireError, 'code'>, signInAgain: () => void): TemplateResult {
  return html`${error.code === 'unenrolled-not-allowed'
      ? html`<p>${msg('You can still help people on enrolled devices: start from the device in the Remote Help console.')}</p>`
      : nothing}
    <p class="alternatives rh-actions">
      <button type="button" @click=${signInAgain}>${msg('Sign in with another account')}</button>
      ${mayNeedHelpInstead(error.code)
        ? html`<a class="button primary" href="/rh">${msg('Share your screen instead')}</a>`
        : nothing}
    </p>`;
}

/** The whole refused view: why (the rule and its remedy, where policy refused) and the ways on. */
export function refusedView(error: WireError, signInAgain: () => void): TemplateResult {
  return html`<section class="rh-card wide rh-start">
    <rh-policy-refusal .error=${error}></rh-policy-refusal>
    ${mayNeedHelpInstead(error.code)
      ? html`<p>${msg('If you need help yourself, share your screen with a helper of your organization instead.')}</p>`
      : nothing}
    ${refusedAlternatives(error, signInAgain)}
  </section>`;
}
