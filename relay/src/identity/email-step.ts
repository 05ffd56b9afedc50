// The web sign-in's first page: "Email" + "Next" (home-realm discovery). For an email whose domain no
// organization has verified, the page also asks for the "Organization": the relay never says whether
// such an address has an account, so the user names the organization and its provider checks the rest.
import { errorBox, escapeHtml, page } from './html.js';

export interface EmailStepOptions {
  action: string;
  returnTo: string;
  email: string;
  /** Shown (with this value) when defined: the user must name the organization to sign in to. */
  organization?: string;
  error?: string;
}

export function emailStepForm(opts: EmailStepOptions): string {
  const described = opts.error ? ' aria-describedby="form-error"' : '';
  const organization = opts.organization === undefined ? '' : `
  <label for="organization">Organization</label>
  <input id="organization" name="organization" type="text" autocomplete="organization" dir="auto" aria-describedby="organization-help" value="${escapeHtml(opts.organization)}"${opts.error ? ' autofocus' : ''}>
  <p id="organization-help">The domain of the organization you work for, for example contoso.example.</p>`;
  return page('Sign in – Remote Help', `
<h1>Sign in</h1><p class="org">Remote Help</p>
${errorBox(opts.error)}
<form method="post" action="${escapeHtml(opts.action)}">
  <input type="hidden" name="returnTo" value="${escapeHtml(opts.returnTo)}">
  <label for="email">Email</label>
  <input id="email" name="email" type="email" autocomplete="username" required dir="auto" value="${escapeHtml(opts.email)}"${described}${opts.organization !== undefined && opts.error ? '' : ' autofocus'}>${organization}
  <button type="submit">Next</button>
</form>`);
}
