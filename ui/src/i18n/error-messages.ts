// A user-facing message for every error code. A Record over ErrorCode: a new code in
// protocol/src/errors.ts without a message here does not compile.
import { msg } from '@lit/localize';
import type { ErrorCode } from '#protocol/errors.js';

const messages: Record<ErrorCode, () => string> = {
  'validation': () => msg('Something in the request was not valid. Check it and try again.'),
  'payload-too-large': () => msg('That was too large to send. Try something shorter.'),
  'unknown-event': () => msg('The relay did not understand the request. Reload the page and try again.'),
  'unauthenticated': () => msg('You are not signed in, or your sign-in has expired. Sign in again.'),
  'forbidden': () => msg('You do not have permission to do that. Ask your administrator for the right role.'),
  'not-found': () => msg('That session no longer exists.'),
  'wrong-state': () => msg('That cannot be done at this point of the session.'),
  'code-invalid': () => msg('That security code is not valid. Check it and try again.'),
  'code-expired': () => msg('That security code has expired. Ask your helper for a new one.'),
  'code-used': () => msg('That security code has already been used. Ask your helper for a new one.'),
  'rate-limited': () => msg('Too many attempts. Wait a few minutes and try again.'),
  'tenant-mismatch': () => msg('You can only share your screen with a helper from your own organization.'),
  'unenrolled-not-allowed': () =>
    msg('Your organization does not allow remote help for devices that are not enrolled.'),
  'remote-help-disabled': () => msg('Remote help is turned off for your organization.'),
  'chat-disabled': () => msg('Chat is turned off for your organization.'),
  'session-ended': () => msg('The session has already ended.'),
  'permission-missing': () =>
    msg('Your role does not allow you to give remote help. Ask your administrator for a remote help role.'),
  'out-of-scope': () => msg('Your role does not cover this device or this person. Ask your administrator to widen its scope.'),
  'policy-blocked': () => msg('A conditional access rule of your organization blocks this session.'),
  'mfa-required': () => msg('Your organization requires multi-factor authentication for this session.'),
  'compliant-device-required': () => msg('Your organization requires a compliant device for this session.'),
  'device-proof-invalid': () => msg('This device could not prove that it is enrolled. Enroll it again or ask your administrator.'),
  'enrollment-disabled': () => msg('Your organization does not allow enrolling devices here.'),
  'device-name-taken': () => msg('Another device in your organization already has this name. Choose a different name.'),
  'admin-only': () => msg('Only a Remote Help Administrator can do that.'),
  'conflict': () => msg('That cannot be changed: it conflicts with something that exists. Reload and try again.'),
  'sign-in-failed': () => msg('Sign-in failed. Try again.'),
  'identity-provider-unavailable': () => msg("Your organization's sign-in service cannot be reached right now. Try again in a few minutes, or tell your administrator."),
  'unknown-issuer': () => msg('This sign-in comes from an organization that is not set up here. Sign in with your work account.'),
  'account-disabled': () => msg('Your account has been disabled by your organization. Ask your administrator.'),
  'sign-in-cancelled': () => msg('Sign-in was cancelled.'),
  'relay-unreachable': () => msg('Cannot reach the Remote Help service. Check your connection and try again.'),
  'overloaded': () => msg('The Remote Help service is very busy right now. It will try again in a moment.'),
  'too-many-connections': () => msg('Too many Remote Help pages or windows are open for your account or network. Close the ones you do not need and try again.'),
  'too-many-sessions': () => msg('You already have as many open sessions as allowed. End one and try again.'),
  'ice-unavailable': () => msg('The screen could not be connected: the Remote Help service did not send the settings your organization requires for it. Try again in a moment, or end the session and start a new one.'),
  'internal': () => msg('Something went wrong on our side. Try again.'),
};

/** The sentence for `code`. A code this build does not know (a newer relay's, or anything else off the
 * wire, where types check nothing) reads as `internal`: never a bare code on the screen, never a throw. */
export function errorMessage(code: ErrorCode): string {
  return Object.hasOwn(messages, code) ? messages[code]() : messages.internal();
}
