// The relay's own small HTML pages (provider sign-in, sign-out, errors, web sign-in email step).
// Plain server-rendered forms: they work without script, with keyboard and screen reader. They link the
// design system's stylesheets (/assets/tokens.css, /assets/page.css, copied from ui/src/design by the
// build) and speak the request's language: every text goes through `t`, the msg of that locale
// (page-locale.ts), so `lit-localize extract` lists them in the web pages' catalogues.
import { str } from '@lit/localize';
import { onAccentColor, type OrganizationLook } from '#protocol';
import { directionOf, localeNames, pageLocales, type Msg, type PageLocale } from './page-locale.js';

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Where the language picker sends the choice (a GET form), and the state it keeps (hidden fields). */
export interface Picker {
  action: string;
  keep?: Readonly<Record<string, string>>;
}

/** What every page of one request is drawn with: its language, the organization once known, the picker's target. */
export interface PageContext {
  locale: PageLocale;
  t: Msg;
  /** The organization: its name and logo in the header, its accent colour on the page. */
  look?: OrganizationLook;
  picker: Picker;
}

/** The organization's accent on <html>, with the text colour that reads best on it. */
function accentStyle(look: OrganizationLook | undefined): string {
  if (!look || !/^#[0-9a-fA-F]{6}$/.test(look.accentColor)) return '';
  return ` style="--rh-color-accent:${look.accentColor};--rh-color-on-accent:${onAccentColor(look.accentColor)};--rh-color-focus:${look.accentColor}"`;
}

function header(pc: PageContext): string {
  const { look, t } = pc;
  const logo = look?.logo ? `<img class="rh-logo" src="${escapeHtml(look.logo)}" alt="${escapeHtml(t(str`${look.name} logo`))}">` : '';
  const organization = look ? `<span class="rh-organization">${logo}<span dir="auto">${escapeHtml(look.name)}</span></span>` : '';
  return `<header class="rh-header"><div class="rh-brand"><span class="rh-product">Remote Help</span>${organization}</div></header>`;
}

/** "Language": a GET form at the foot of the page (after the page's own form), no script. */
function languagePicker(pc: PageContext): string {
  const { t } = pc;
  const options = pageLocales.map((l) => `<option value="${l}" lang="${l}"${l === pc.locale ? ' selected' : ''}>${escapeHtml(localeNames[l])}</option>`).join('');
  const keep = Object.entries(pc.picker.keep ?? {}).filter(([name]) => name !== 'lang')
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`).join('');
  return `<footer class="rh-footer"><form class="rh-language" method="get" action="${escapeHtml(pc.picker.action)}">
<label for="rh-language">${escapeHtml(t('Language'))}</label>
<select id="rh-language" name="lang">${options}</select>${keep}
<button type="submit">${escapeHtml(t('Change language'))}</button></form></footer>`;
}

export function page(pc: PageContext, title: string, body: string): string {
  return `<!doctype html><html lang="${pc.locale}" dir="${directionOf(pc.locale)}"${accentStyle(pc.look)}><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title><link rel="stylesheet" href="/assets/tokens.css"><link rel="stylesheet" href="/assets/page.css"></head>
<body>${header(pc)}<main class="rh-main"><div class="rh-card">${body}</div></main>${languagePicker(pc)}</body></html>`;
}

export function errorBox(message: string | undefined): string {
  return message ? `<p class="error" role="alert" id="form-error">${escapeHtml(message)}</p>` : '';
}

/** Two buttons: the page's action, and Cancel (which skips the form's checks). */
function actions(pc: PageContext, submit: string): string {
  return `<div class="rh-actions">
  <button type="submit" class="primary">${escapeHtml(submit)}</button>
  <button type="submit" name="cancel" value="yes" formnovalidate>${escapeHtml(pc.t('Cancel'))}</button>
</div>`;
}

export function signInForm(pc: PageContext, opts: { action: string; orgName: string; email: string; error?: string }): string {
  const { t } = pc;
  const described = opts.error ? ' aria-describedby="form-error"' : '';
  return page(pc, t(str`Sign in – ${opts.orgName}`), `
<h1>${escapeHtml(t('Sign in'))}</h1>
${errorBox(opts.error)}
<form method="post" action="${escapeHtml(opts.action)}">
  <div class="rh-field"><label for="email">${escapeHtml(t('Email'))}</label>
  <input id="email" name="email" type="email" autocomplete="username" required dir="auto" value="${escapeHtml(opts.email)}"${described}${opts.email ? '' : ' autofocus'}></div>
  <div class="rh-field"><label for="password">${escapeHtml(t('Password'))}</label>
  <input id="password" name="password" type="password" autocomplete="current-password" required${described}${opts.email ? ' autofocus' : ''}></div>
  ${actions(pc, t('Sign in'))}
</form>`);
}

/** A page that says one thing: a heading, the message, and maybe a link onward (`extra`, already HTML). */
export function messagePage(pc: PageContext, title: string, message: string, extra = ''): string {
  return page(pc, title, `<h1>${escapeHtml(title)}</h1><p role="status">${escapeHtml(message)}</p>${extra}`);
}

/** A link onward from a message page. */
export function linkOn(href: string, text: string): string {
  return `<p><a href="${escapeHtml(href)}">${escapeHtml(text)}</a></p>`;
}

/** The second step for a user with an authenticator app: a 6-digit "Verification code". */
export function totpForm(pc: PageContext, opts: { action: string; orgName: string; email: string; error?: string }): string {
  const { t } = pc;
  const described = opts.error ? 'form-error totp-help' : 'totp-help';
  return page(pc, t(str`Verify – ${opts.orgName}`), `
<h1>${escapeHtml(t('Verify it is you'))}</h1><p class="rh-hint"><span dir="auto">${escapeHtml(opts.email)}</span></p>
${errorBox(opts.error)}
<form method="post" action="${escapeHtml(opts.action)}">
  <div class="rh-field"><label for="code">${escapeHtml(t('Verification code'))}</label>
  <input id="code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9 ]{6,7}" maxlength="7" required autofocus dir="ltr" aria-describedby="${described}">
  <p id="totp-help" class="rh-hint">${escapeHtml(t('Enter the 6-digit code from your authenticator app.'))}</p></div>
  ${actions(pc, t('Verify'))}
</form>`);
}

/** A one-time link's page: the new password twice (`minLength` characters at least). */
export function setPasswordForm(pc: PageContext, opts: { token: string; upn: string; orgName: string; minLength: number; error?: string }): string {
  const { t } = pc;
  const described = opts.error ? 'form-error password-help' : 'password-help';
  return page(pc, t(str`Choose a password – ${opts.orgName}`), `
<h1>${escapeHtml(t('Choose a password'))}</h1><p class="rh-hint"><span dir="auto">${escapeHtml(opts.upn)}</span></p>
${errorBox(opts.error)}
<form method="post" action="/auth/set-password">
  <input type="hidden" name="t" value="${escapeHtml(opts.token)}">
  <input type="hidden" name="username" autocomplete="username" value="${escapeHtml(opts.upn)}">
  <div class="rh-field"><label for="password">${escapeHtml(t('New password'))}</label>
  <input id="password" name="password" type="password" autocomplete="new-password" minlength="${opts.minLength}" required autofocus aria-describedby="${described}">
  <p id="password-help" class="rh-hint">${escapeHtml(t(str`At least ${opts.minLength} characters. A few words you will remember make a good one.`))}</p></div>
  <div class="rh-field"><label for="confirm">${escapeHtml(t('Confirm password'))}</label>
  <input id="confirm" name="confirm" type="password" autocomplete="new-password" required></div>
  <div class="rh-actions"><button type="submit" class="primary">${escapeHtml(t('Set password'))}</button></div>
</form>`);
}
