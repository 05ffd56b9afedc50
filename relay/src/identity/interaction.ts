// The provider's own sign-in page (the "login" interaction): Email and Password, checked against this
// tenant's directory; then, for a user with an authenticator app, a "Verification code" (TOTP), after
// which the login carries amr ['pwd','mfa']. A user whom an administrator requires to use an app and who has
// none adds one first (QR code, then a first code): the secret is kept only once that code is right.
// Served inside the provider's Koa app under /{tenantId}/v2.0/.
import { str } from '@lit/localize';
import type Koa from 'koa';
import type Provider from 'oidc-provider';
import { webClientId } from '#protocol';
import type { DirectoryStore } from '../directory/index.js';
import type { Log, Tenant } from '../ports.js';
import { rateLimitBucket } from '../net/client-address.js';
import { countedWarning } from '../ops/counted-warning.js';
import { readForm } from '../http/body.js';
import { refuseBusy } from './busy-refusal.js';
import { messagePage, signInForm, totpForm } from './html.js';
import type { MfaStore } from './mfa-store.js';
import { lookOf, type ServerPages } from './server-pages.js';
import { limitTexts, type PasswordLimit, type SignInThrottle } from './sign-in-limits.js';
import { totpEnrolForm } from './totp-enrol-page.js';
import { matchTotp, newTotpSecret } from './totp.js';

/** Wrong codes allowed per password entry: then the password must be typed again. The real bound on
 * guessing is the throttle's per-user count, which typing the password again does not reset. */
const maxCodeAttempts = 5;
const pendingTtlMs = 5 * 60_000;

/** A correct password waiting for its second factor. In memory: it lives a few minutes on the node that
 * served the form, and losing it (restart) only means typing the password again. */
interface PendingMfa {
  accountId: string;
  upn: string;
  expires: number;
  attempts: number;
  /** Enrolment: the new secret the user is adding to their app, stored only once a code from it matches. */
  enrolSecret?: string;
}

export function interactionRoutes(
  provider: Provider,
  deps: {
    tenant: Tenant; directory: DirectoryStore; mfa: MfaStore; throttle: SignInThrottle; basePath: string; log: Log; now: () => number;
    pages: ServerPages;
    /** Past capacity: the password form is refused before the password is hashed (busy-refusal.ts). */
    busy?: () => boolean;
  },
): Koa.Middleware {
  const { now } = deps;
  const pending = new Map<string, PendingMfa>();
  const busyRefusals = countedWarning(deps.log, 'sign-ins refused: overloaded');

  return async (ctx, next) => {
    const match = /^\/interaction\/([\w-]+)(\/login|\/mfa)?$/.exec(ctx.path);
    if (!match) return next();
    ctx.set('Cache-Control', 'no-store');
    // The organization's look, read per request (a changed branding shows at once). A form's answer
    // (POST) offers the picker on the sign-in page's own address, where the same step shows again.
    const look = lookOf((await deps.directory.tenant(deps.tenant.id)) ?? deps.tenant);
    const orgName = look?.name ?? deps.tenant.name;
    const pc = deps.pages.context(ctx, { look, picker: { action: `${deps.basePath}/interaction/${match[1]}` } });
    const { t } = pc;
    const details = await provider.interactionDetails(ctx.req, ctx.res).catch(() => undefined);
    if (!details || details.uid !== match[1]) {
      ctx.status = 400;
      ctx.type = 'html';
      ctx.body = messagePage(pc, t('Sign-in expired'), t('This sign-in page has expired. Go back to the app and sign in again.'));
      return;
    }
    const uid = details.uid;
    for (const [k, p] of pending) if (p.expires <= now()) pending.delete(k);
    const action = `${deps.basePath}/interaction/${uid}/login`;
    const mfaAction = `${deps.basePath}/interaction/${uid}/mfa`;
    const hint = typeof details.params.login_hint === 'string' ? details.params.login_hint : '';
    const limited = (email: string, reason: PasswordLimit | 'code'): void => {
      deps.log.info('sign-in limited', { tenantId: deps.tenant.id, reason });
      ctx.status = 429;
      show(email, limitTexts(t)[reason]);
    };
    /** Why a password was refused, in the page's language (the directory's own message is English). */
    const refusal = async (code: string, email: string): Promise<string> => {
      if (code === 'tenant-mismatch') {
        const home = await deps.directory.userByUpn(email);
        const homeName = lookOf(home && (await deps.directory.tenant(home.tenantId)))?.name;
        const upn = home?.upn ?? email;
        return homeName ? t(str`${upn} belongs to ${homeName}, not to ${orgName}.`) : t(str`${upn} belongs to another organization, not to ${orgName}.`);
      }
      if (code === 'account-disabled') return t(str`${email} has been disabled by the organization.`);
      return t('The email or password is not correct.');
    };
    const show = (email: string, error?: string): void => {
      ctx.type = 'html';
      ctx.body = signInForm(pc, { action, orgName, email, ...(error ? { error } : {}) });
    };
    const showCode = async (p: PendingMfa, error?: string): Promise<void> => {
      ctx.type = 'html';
      const common = { action: mfaAction, orgName, email: p.upn, ...(error ? { error } : {}) };
      ctx.body = p.enrolSecret ? await totpEnrolForm(pc, { ...common, secretBase32: p.enrolSecret }) : totpForm(pc, common);
    };
    const finish = async (accountId: string, amr: string[]): Promise<void> => {
      pending.delete(uid);
      const redirectTo = await provider.interactionResult(
        ctx.req,
        ctx.res,
        // The web pages ask for the password at every sign-in (prompt=login) and keep their own
        // session: the provider's cookie for them lasts only as long as the browser is open.
        { login: { accountId, amr, remember: details.params.client_id !== webClientId } },
        { mergeWithLastSubmission: false },
      );
      ctx.status = 303;
      ctx.redirect(redirectTo);
    };

    /** The first code from a newly added app: right, the secret is kept (and the code used) and the
     * sign-in completes; wrong, the same QR code is shown again, up to maxCodeAttempts. */
    const enrol = async (waiting: PendingMfa, secret: string, code: string): Promise<void> => {
      if (matchTotp(secret, code.replace(/\s+/g, ''), now()) !== null) {
        await deps.mfa.setTotp(deps.tenant.id, waiting.accountId, secret);
        // Marks the code's time step used, as every later sign-in's code is.
        await deps.mfa.checkTotp(deps.tenant.id, waiting.accountId, code, now());
        deps.log.info('authenticator app enrolled', { tenantId: deps.tenant.id });
        return finish(waiting.accountId, ['pwd', 'mfa']);
      }
      waiting.attempts++;
      deps.log.info('enrolment code refused', { tenantId: deps.tenant.id, attempts: waiting.attempts });
      if (waiting.attempts >= maxCodeAttempts) {
        pending.delete(uid);
        return show(waiting.upn, t('Too many wrong verification codes. Enter your password again.'));
      }
      return showCode(waiting, t('That code is not correct. Check that the app shows the account you just added, and enter its current 6-digit code.'));
    };

    if (ctx.method === 'GET' && !match[2]) {
      const waiting = pending.get(uid);
      return waiting ? showCode(waiting) : show(hint);
    }
    if (ctx.method !== 'POST' || !match[2]) {
      ctx.status = 405;
      return;
    }
    const form = await readForm(ctx);
    if (form?.get('cancel')) {
      pending.delete(uid);
      // The app learns the user cancelled (access_denied) instead of waiting for a sign-in that never comes.
      const redirectTo = await provider.interactionResult(ctx.req, ctx.res, {
        error: 'access_denied',
        error_description: 'The sign-in was cancelled.',
      }, { mergeWithLastSubmission: false });
      ctx.status = 303;
      ctx.redirect(redirectTo);
      return;
    }

    if (match[2] === '/mfa') {
      const waiting = pending.get(uid);
      if (!waiting) return show(hint, t('Your sign-in took too long. Enter your password again.'));
      const code = form?.get('code')?.trim() ?? '';
      if (!code) return showCode(waiting, t('Enter the verification code.'));
      if (waiting.enrolSecret) return enrol(waiting, waiting.enrolSecret, code);
      if (await deps.throttle.codeLimited(deps.tenant.id, waiting.accountId)) {
        pending.delete(uid);
        return limited(waiting.upn, 'code');
      }
      // Never log the code itself: only the outcome.
      const checked = await deps.mfa.checkTotp(deps.tenant.id, waiting.accountId, code, now());
      if (checked === 'ok') {
        await deps.throttle.codeAccepted(deps.tenant.id, waiting.accountId);
        return finish(waiting.accountId, ['pwd', 'mfa']);
      }
      if (checked === 'wrong') await deps.throttle.codeFailed(deps.tenant.id, waiting.accountId);
      waiting.attempts++;
      deps.log.info('verification code refused', { tenantId: deps.tenant.id, reason: checked, attempts: waiting.attempts });
      if (waiting.attempts >= maxCodeAttempts) {
        pending.delete(uid);
        return show(waiting.upn, t('Too many wrong verification codes. Enter your password again.'));
      }
      return showCode(waiting, checked === 'used'
        ? t('That verification code has already been used. Wait for the next code and enter it.')
        : t('That verification code is not correct. Enter the current 6-digit code from your authenticator app.'));
    }

    const email = form?.get('email')?.trim() ?? '';
    const password = form?.get('password') ?? '';
    if (!email || !password) return show(email, t('Enter your email and password.'));
    if (deps.busy?.()) {
      busyRefusals({ tenantId: deps.tenant.id });
      return show(email, refuseBusy(ctx, t));
    }
    // Checked before the password is hashed: a limited client costs the relay no scrypt.
    const attempt = await deps.throttle.passwordAttempt(email, rateLimitBucket(ctx.ip));
    if (attempt.limited) return limited(email, attempt.limited);
    const checked = await deps.directory.verifyPassword(deps.tenant.id, email, password);
    // Only wrong passwords (or unknown emails) stay counted: a right one in the wrong tenant is no guess.
    if (checked.ok || checked.error.code !== 'sign-in-failed') await attempt.passwordRight();
    if (!checked.ok) {
      deps.log.info('sign-in refused', { tenantId: deps.tenant.id, reason: checked.error.code });
      return show(email, await refusal(checked.error.code, email));
    }
    if (await deps.mfa.hasTotp(deps.tenant.id, checked.value.oid)) {
      if (await deps.throttle.codeLimited(deps.tenant.id, checked.value.oid)) return limited(checked.value.upn, 'code');
      const waiting: PendingMfa = { accountId: checked.value.oid, upn: checked.value.upn, expires: now() + pendingTtlMs, attempts: 0 };
      pending.set(uid, waiting);
      return showCode(waiting);
    }
    if (await deps.mfa.totpRequired(deps.tenant.id, checked.value.oid)) {
      // A new secret per password entry: one shown on an abandoned page is never the one kept.
      const waiting: PendingMfa = {
        accountId: checked.value.oid, upn: checked.value.upn, expires: now() + pendingTtlMs, attempts: 0, enrolSecret: newTotpSecret(),
      };
      pending.set(uid, waiting);
      return showCode(waiting);
    }
    return finish(checked.value.oid, ['pwd']);
  };
}
