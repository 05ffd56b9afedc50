// The page-level views both web pages share: unsupported browser, sign-in, who is signed in.
import { html, nothing, type TemplateResult } from 'lit';
import { msg, str } from '@lit/localize';
import type { WebSessionInfo } from '#protocol/identity.js';
import { errorMessage } from '#ui/i18n/error-messages.js';
import type { BrowserCheck } from './browser-check.js';
import '#ui/language-picker.js';

export function unsupportedView(check: Exclude<BrowserCheck, { supported: true }>): TemplateResult {
  const detail =
    check.reason === 'no-screen-sharing'
      ? msg('This browser cannot share a screen. Phones and tablets cannot share their screen from a browser.')
      : msg(str`This browser is too old to share a screen (${check.browser} ${check.version}; at least ${check.minimum} is needed).`);
  return html`<section class="notice" role="alert">
    <h2>${msg('This browser is not supported')}</h2>
    <p>${detail}</p>
    <p>${msg('Open this page on a computer in a recent Chrome, Edge, Firefox or Safari (16.4.1 or later).')}</p>
  </section>`;
}

/** The product's name at the top of every page, and the organization once known. */
export function productBar(organization?: string): TemplateResult {
  return html`<div class="product-bar"><p class="product"><span class="product-name">${msg('Remote Help')}</span>${organization
    ? html`<span class="organization" dir="auto">${organization}</span>`
    : nothing}</p><rh-language-picker></rh-language-picker></div>`;
}

/** Signed out: what this page is for and what happens next (the page's `intro`), then Sign in. */
export function signInView(href: string, intro?: TemplateResult): TemplateResult {
  return html`${productBar()}${intro ?? nothing}<section>
    <p>${msg('Sign in with your work account to continue.')}</p>
    <a class="button primary" href=${href}>${msg('Sign in')}</a>
  </section>`;
}

export function accountBar(me: WebSessionInfo, onSignOut: () => void): TemplateResult {
  const who = me.name ? `${me.name} (${me.upn ?? ''})` : (me.upn ?? '');
  return html`${productBar(me.tenantName)}<div class="account">
    <span dir="auto">${msg(str`Signed in as ${who}`)}</span>
    <button @click=${onSignOut}>${msg('Sign out')}</button>
  </div>`;
}

export function serviceErrorView(retry: () => void, signInHref?: string): TemplateResult {
  return html`<section>
    <p class="error" role="alert">${errorMessage(signInHref ? 'unauthenticated' : 'relay-unreachable')}</p>
    ${signInHref
      ? html`<a class="button primary" href=${signInHref}>${msg('Sign in')}</a>`
      : html`<button @click=${retry}>${msg('Try again')}</button>`}
  </section>`;
}

export function loadingView(): TemplateResult {
  return html`<p role="status">${msg('Loading…')}</p>${nothing}`;
}
