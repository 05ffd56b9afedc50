// The relay's own small HTML pages (provider sign-in, sign-out, errors, web sign-in email step).
// Plain server-rendered forms: they work without script, with keyboard and screen reader.

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const style = `
  body{font-family:system-ui,"Segoe UI",sans-serif;background:#f5f5f5;color:#1b1b1b;margin:0;display:grid;place-items:center;min-height:100vh}
  main{box-sizing:border-box;background:#fff;padding:2rem;border-radius:8px;box-shadow:0 2px 8px rgba(0,0,0,.15);width:min(26rem,calc(100vw - 2rem));margin:1rem 0}
  h1{font-size:1.4rem;margin:0 0 .25rem} p.org{margin:0 0 1.25rem;color:#555}
  label{display:block;margin:.75rem 0 .25rem;font-weight:600}
  input{box-sizing:border-box;width:100%;padding:.5rem;font-size:1rem;border:1px solid #767676;border-radius:4px}
  button{margin-top:1.25rem;width:100%;padding:.6rem;font-size:1rem;background:#0f6cbd;color:#fff;border:0;border-radius:4px;cursor:pointer}
  button.secondary{background:#fff;color:#0f6cbd;border:1px solid #0f6cbd;margin-top:.5rem}
  button:focus-visible,input:focus-visible{outline:3px solid #1b1b1b;outline-offset:2px}
  .error{background:#fde7e9;border-left:4px solid #c50f1f;padding:.5rem .75rem;margin:.75rem 0}`;

export function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title><style>${style}</style></head><body><main>${body}</main></body></html>`;
}

export function errorBox(message: string | undefined): string {
  return message ? `<p class="error" role="alert" id="form-error">${escapeHtml(message)}</p>` : '';
}

export function signInForm(opts: { action: string; orgName: string; email: string; error?: string }): string {
  const described = opts.error ? ' aria-describedby="form-error"' : '';
  return page(`Sign in – ${opts.orgName}`, `
<h1>Sign in</h1><p class="org">${escapeHtml(opts.orgName)}</p>
${errorBox(opts.error)}
<form method="post" action="${escapeHtml(opts.action)}">
  <label for="email">Email</label>
  <input id="email" name="email" type="email" autocomplete="username" required dir="auto" value="${escapeHtml(opts.email)}"${described}${opts.email ? '' : ' autofocus'}>
  <label for="password">Password</label>
  <input id="password" name="password" type="password" autocomplete="current-password" required${described}${opts.email ? ' autofocus' : ''}>
  <button type="submit">Sign in</button>
  <button type="submit" name="cancel" value="yes" class="secondary" formnovalidate>Cancel</button>
</form>`);
}

export function messagePage(title: string, message: string, extra = ''): string {
  return page(title, `<h1>${escapeHtml(title)}</h1><p role="status">${escapeHtml(message)}</p>${extra}`);
}

/** The second step for a user with an authenticator app: a 6-digit "Verification code". */
export function totpForm(opts: { action: string; orgName: string; email: string; error?: string }): string {
  const described = opts.error ? 'form-error totp-help' : 'totp-help';
  return page(`Verify – ${opts.orgName}`, `
<h1>Verify it is you</h1><p class="org">${escapeHtml(opts.orgName)} · <span dir="auto">${escapeHtml(opts.email)}</span></p>
${errorBox(opts.error)}
<form method="post" action="${escapeHtml(opts.action)}">
  <label for="code">Verification code</label>
  <input id="code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9 ]{6,7}" maxlength="7" required autofocus aria-describedby="${described}">
  <p id="totp-help">Enter the 6-digit code from your authenticator app.</p>
  <button type="submit">Verify</button>
  <button type="submit" name="cancel" value="yes" class="secondary" formnovalidate>Cancel</button>
</form>`);
}

/** A one-time link's page: the new password twice (`minLength` characters at least). */
export function setPasswordForm(opts: { token: string; upn: string; orgName: string; minLength: number; error?: string }): string {
  const described = opts.error ? 'form-error password-help' : 'password-help';
  return page(`Choose a password – ${opts.orgName}`, `
<h1>Choose a password</h1><p class="org">${escapeHtml(opts.orgName)} · <span dir="auto">${escapeHtml(opts.upn)}</span></p>
${errorBox(opts.error)}
<form method="post" action="/auth/set-password">
  <input type="hidden" name="t" value="${escapeHtml(opts.token)}">
  <input type="hidden" name="username" autocomplete="username" value="${escapeHtml(opts.upn)}">
  <label for="password">New password</label>
  <input id="password" name="password" type="password" autocomplete="new-password" minlength="${opts.minLength}" required autofocus aria-describedby="${described}">
  <p id="password-help">At least ${opts.minLength} characters. A few words you will remember make a good one.</p>
  <label for="confirm">Confirm password</label>
  <input id="confirm" name="confirm" type="password" autocomplete="new-password" required>
  <button type="submit">Set password</button>
</form>`);
}
