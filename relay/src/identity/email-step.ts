// The web sign-in's first page: "Email" + "Next" (home-realm discovery). For an email whose domain no
// organization has verified, the page also asks for the "Organization": the relay never says whether
// such an address has an account, so the user names the organization and its provider checks the rest.
import { str } from '@lit/localize';
import { errorBox, escapeHtml, page, type PageContext } from './html.js';

export interface EmailStepOptions {
  action: string;
  returnTo: string;
  email: string;
  /** Shown (with this value) when defined: the user must name the organization to sign in to. */
  organization?: string;
  error?: string;
}

export function emailStepForm(pc: PageContext, opts: EmailStepOptions): string {
  const { t } = pc;
  const described = opts.error ? ' aria-describedby="form-error"' : '';
  const organization = opts.organization === undefined ? '' : `
  <div class="rh-field"><label for="organization">${escapeHtml(t('Organization'))}</label>
  <input id="organization" name="organization" type="text" autocomplete="organization" dir="auto" aria-describedby="organization-help" value="${escapeHtml(opts.organization)}"${opts.error ? ' autofocus' : ''}>
  <p id="organization-help" class="rh-hint">${escapeHtml(t('The domain of the organization you work for, for example contoso.example.'))}</p></div>`;
  return page(pc, t(str`Sign in – ${pc.look?.name ?? 'Remote Help'}`), `
<h1>${escapeHtml(t('Sign in'))}</h1>
${errorBox(opts.error)}
<form method="post" action="${escapeHtml(opts.action)}">
  <input type="hidden" name="returnTo" value="${escapeHtml(opts.returnTo)}">
  <div class="rh-field"><label for="email">${escapeHtml(t('Email'))}</label>
  <input id="email" name="email" type="email" autocomplete="username" required dir="auto" value="${escapeHtml(opts.email)}"${described}${opts.organization !== undefined && opts.error ? '' : ' autofocus'}></div>${organization}
  <div class="rh-actions"><button type="submit" class="primary">${escapeHtml(t('Next'))}</button></div>
</form>`);
}
