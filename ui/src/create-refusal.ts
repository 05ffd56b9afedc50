// Which refusals of session:create a second try can fix. Everything else (no role, out of scope, the
// tenant's settings, a conditional-access rule, a device that is gone) answers the same until someone
// changes something: those get what can work instead (another account, the sharer page, back to the
// devices), never a Try again that cannot.
import type { ErrorCode } from '#protocol/errors.js';

export const retryableCreateErrors = ['relay-unreachable', 'internal', 'rate-limited', 'identity-provider-unavailable', 'overloaded', 'too-many-connections', 'too-many-sessions'] as const satisfies readonly ErrorCode[];

export function canRetryCreate(code: ErrorCode): boolean {
  return (retryableCreateErrors as readonly ErrorCode[]).includes(code);
}

/** A refusal that tells a person without a helper role: they may be the one who needs help. */
export function mayNeedHelpInstead(code: ErrorCode): boolean {
  return code === 'permission-missing';
}
