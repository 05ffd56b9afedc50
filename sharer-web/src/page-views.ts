// The page-level views the web pages share: the product header (product, organization, language,
// account), unsupported browser, sign-in, service errors. Styled by the design system's page base
// (ui/src/design/page.css, linked by each page).
import { html, nothing, type TemplateResult } from 'lit';
import { msg, str } from '@lit/localize';
import type { ErrorCode } from '#protocol/errors.js';
import type { WebSessionInfo } from '#protocol/identity.js';
import { errorMessage } from '#ui/i18n/error-messages.js';
import type { BrowserCheck } from './browser-check.js';
import '#ui/language-picker.js';

export function unsupportedView(check: Exclude<BrowserCheck, { supported: true }>): TemplateResult {
  const detail =
    check.reason === 'no-screen-sharing'
      ? msg('This browser cannot share a screen. Phones and tablets cannot share their screen from a browser.')
      : msg(str`This browser is too old to share a screen (${check.browser} ${check.version}; at least ${check.minimum} is needed).`);
  return html`<section class="rh-card rh-start notice" role="alert">
    <h1>${msg('This browser is not supported')}</h1>
    <p>${detail}</p>
    <p>${msg('Open this page on a computer in a recent Chrome, Edge, Firefox or Safari (16.4.1 or later).')}</p>
  </section>`;
}

/** The organization as the pages show it: the look's name (branding or tenant), else the tenant's. */
export function organizationOf(me: WebSessionInfo | undefined): { name: string; logo: string } | undefined {
  const name = me?.look?.name || me?.tenantName || '';
  const logo = me?.look?.logo ?? '';
  return name || logo ? { name, logo } : undefined;
}

/** The page's <header class="rh-header"> (made before <main> when the page has none). */
export function headerOf(main: HTMLElement): HTMLElement {
  const found = document.querySelector<HTMLElement>('header.rh-header');
  if (found) return found;
  const header = document.createElement('header');
  header.className = 'rh-header';
  main.before(header);
  return header;
}

/** The product header every page shows: the skip link, "Remote Help" and the organization (logo and
 * name, once known), the language picker, and who is signed in with Sign out. */
export function pageHeader(me?: WebSessionInfo, onSignOut?: () => void): TemplateResult {
  const org = organizationOf(me);
  return html`<a class="rh-skip-link" href="#main">${msg('Skip to main content')}</a>
    <p class="rh-brand">
      <span class="rh-product">${msg('Remote Help')}</span>
      ${org
        ? html`<span class="rh-organization">${org.logo
            ? // The name is beside it: the logo says nothing more, unless it stands alone.
              html`<img class="rh-logo" src=${org.logo} alt=${org.name ? '' : msg('Organization logo')} />`
            : nothing}${org.name ? html`<span dir="auto">${org.name}</span>` : nothing}</span>`
        : nothing}
    </p>
    <div class="rh-header-tools">
      <rh-language-picker></rh-language-picker>
      ${me?.signedIn && onSignOut ? accountView(me, onSignOut) : nothing}
    </div>`;
}

function accountView(me: WebSessionInfo, onSignOut: () => void): TemplateResult {
  const who = me.name ? `${me.name} (${me.upn ?? ''})` : (me.upn ?? '');
  return html`<div class="rh-account">
    <span class="rh-who" dir="auto">${msg(str`Signed in as ${who}`)}</span>
    <button type="button" @click=${onSignOut}>${msg('Sign out')}</button>
  </div>`;
}

/** Signed out: what this page is for and what happens next (the page's `intro`), then Sign in. */
export function signInView(href: string, intro?: TemplateResult): TemplateResult {
  return html`<section class="rh-card wide rh-start">
    ${intro ?? nothing}
    <p>${msg('Sign in with your work account to continue.')}</p>
    <p class="rh-actions"><a class="button primary" href=${href}>${msg('Sign in')}</a></p>
  </section>`;
}

export function serviceErrorView(retry: () => void, signInHref?: string, heading?: string): TemplateResult {
  return html`<section class="rh-card rh-start">
    ${heading ? html`<h1>${heading}</h1>` : nothing}
    <p class="error" role="alert">${errorMessage(signInHref ? 'unauthenticated' : 'relay-unreachable')}</p>
    <p class="rh-actions">${signInHref
      ? html`<a class="button primary" href=${signInHref}>${msg('Sign in')}</a>`
      : html`<button type="button" @click=${retry}>${msg('Try again')}</button>`}</p>
  </section>`;
}

/** The relay refused the connection for a limit (too many open at once): said so, and tried again only
 * when the person asks, after closing another tab or window. */
export function connectionRefusedView(code: ErrorCode, retry: () => void, heading?: string): TemplateResult {
  return html`<section class="rh-card rh-start">
    ${heading ? html`<h1>${heading}</h1>` : nothing}
    <p class="error" role="alert">${errorMessage(code)}</p>
    <p class="rh-actions"><button type="button" @click=${retry}>${msg('Try again')}</button></p>
  </section>`;
}

export function loadingView(): TemplateResult {
  return html`<p role="status">${msg('Loading…')}</p>`;
}
