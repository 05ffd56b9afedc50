// The page where a user whom an administrator requires to use an authenticator app adds one: a QR code of
// the otpauth:// address (drawn here as SVG by `qrcode`, shown as a data: image the provider pages' CSP
// allows, with a text alternative), the same key as text for typing by hand, and the first code to prove
// the app holds it. Plain HTML like the other provider pages: no script, keyboard and screen reader first.
import { str } from '@lit/localize';
import QRCode from 'qrcode';
import { errorBox, escapeHtml, page, type PageContext } from './html.js';
import { totpUri } from './totp.js';

export interface EnrolPageOptions {
  action: string;
  orgName: string;
  email: string;
  secretBase32: string;
  error?: string;
}

/** How the app lists the account: the product and the organization, then the user. */
export const totpIssuer = (orgName: string): string => `Remote Help (${orgName})`;

export async function totpEnrolForm(pc: PageContext, opts: EnrolPageOptions): Promise<string> {
  const { t } = pc;
  const uri = totpUri(opts.secretBase32, totpIssuer(opts.orgName), opts.email);
  const svg = await QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  const qr = `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
  // Groups of four are easier to read out and type; apps ignore the spaces.
  const grouped = opts.secretBase32.replace(/(.{4})(?=.)/g, '$1 ');
  const described = opts.error ? 'form-error code-help' : 'code-help';
  const issuer = totpIssuer(opts.orgName);
  return page(pc, t(str`Set up your authenticator app – ${opts.orgName}`), `
<h1>${escapeHtml(t('Set up your authenticator app'))}</h1><p class="rh-hint"><span dir="auto">${escapeHtml(opts.email)}</span></p>
${errorBox(opts.error)}
<p>${escapeHtml(t('Your organization requires a verification code from an authenticator app each time you sign in.'))}</p>
<ol>
  <li>${escapeHtml(t('In your authenticator app, add an account and scan this QR code.'))}</li>
  <li>${escapeHtml(t('Enter the 6-digit code the app then shows.'))}</li>
</ol>
<img src="${qr}" width="200" height="200" alt="${escapeHtml(t(str`QR code that adds ${opts.email} at ${issuer} to an authenticator app`))}">
<p id="setup-key-help">${escapeHtml(t('Cannot scan? Enter this setup key in the app instead:'))}</p>
<p><code id="setup-key" aria-describedby="setup-key-help" dir="ltr" style="font-size:1.1rem;letter-spacing:.05em">${escapeHtml(grouped)}</code></p>
<form method="post" action="${escapeHtml(opts.action)}">
  <div class="rh-field"><label for="code">${escapeHtml(t('Verification code'))}</label>
  <input id="code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9 ]{6,7}" maxlength="7" required autofocus dir="ltr" aria-describedby="${described}">
  <p id="code-help" class="rh-hint">${escapeHtml(t('The code proves the app is set up; your sign-in completes once it is right.'))}</p></div>
  <div class="rh-actions">
  <button type="submit" class="primary">${escapeHtml(t('Verify'))}</button>
  <button type="submit" name="cancel" value="yes" formnovalidate>${escapeHtml(t('Cancel'))}</button>
  </div>
</form>`);
}
