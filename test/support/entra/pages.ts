// The pages a browser sees of the stand-in: the sign-in page (email and password on one page, with
// labels, as tests and screen readers find them), an error page for a request that cannot be sent
// back to the app, and the form_post answer — Entra's own shape: a hidden form posted by script, with
// a Submit button for a browser without script.
import { escapeHtml } from '../stand-in-https.js';

export function signInPage(opts: { action: string; loginHint?: string; error?: string }): string {
  const alert = opts.error ? `<p role="alert" id="error">${escapeHtml(opts.error)}</p>` : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Sign in to your account</title></head>
<body><main>
<h1>Sign in</h1>
${alert}
<form method="post" action="${escapeHtml(opts.action)}">
<label for="email">Email</label>
<input id="email" name="email" type="email" autocomplete="username" required value="${escapeHtml(opts.loginHint ?? '')}"${opts.error ? ' aria-describedby="error"' : ''}>
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">Sign in</button>
</form>
</main></body></html>`;
}

export function errorPage(message: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Sign in to your account</title></head>
<body><main><h1>Sorry, but we’re having trouble signing you in.</h1>
<p role="alert">${escapeHtml(message)}</p></main></body></html>`;
}

export function formPostPage(redirectUri: string, fields: Record<string, string>): string {
  const inputs = Object.entries(fields)
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}" />`)
    .join('');
  return `<html><head><title>Working...</title></head><body><form method="POST" name="hiddenform" action="${escapeHtml(redirectUri)}">${inputs}<noscript><p>Script is disabled. Click Submit to continue.</p><input type="submit" value="Submit" /></noscript></form><script language="javascript">document.forms[0].submit();</script></body></html>`;
}

export function signedOutPage(): string {
  return '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sign out</title></head><body><main><h1>You signed out of your account</h1></main></body></html>';
}
