// Past capacity (socket/overload.ts) a node refuses new work, and a sign-in is the start of new work:
// the password form is refused before its password is hashed (scrypt takes one of the two cores the
// loop and the threadpool share), and the email step before a provider is asked. The answer is the
// same form again, with what was typed (but the password) and why, as `503` with `Retry-After` and the
// stable code `overloaded` (counted as an HTTP refusal, ops/ops-routes.ts). A sign-in already past its
// password (the verification code, the provider's answer) goes on: refusing it would waste it.
import type Koa from 'koa';
import { refusePage } from '../http/answer.js';
import type { Msg } from './page-locale.js';

/** What a person is asked to wait, in seconds: the sockets' first retry is sooner, a form is typed again. */
export const busyRetryAfterSeconds = 5;

/** Marks the answer refused `overloaded` and returns the sentence the form shows. */
export function refuseBusy(ctx: Koa.Context, t: Msg): string {
  refusePage(ctx, 'overloaded');
  ctx.set('Retry-After', String(busyRetryAfterSeconds));
  return t('Remote Help is very busy right now, so this sign-in was not checked. Wait a moment, then try again.');
}
