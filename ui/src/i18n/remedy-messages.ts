// What a person can do about a refusal by policy, as an instruction. A Record over the remedies:
// a new remedy in protocol/src/policy.ts without a sentence here does not compile.
import { msg } from '@lit/localize';
import type { ErrorCode } from '#protocol/errors.js';
import type { PolicyRefusal } from '#protocol/policy.js';

export type Remedy = PolicyRefusal['remedy'];

const remedies: Record<Remedy, () => string> = {
  'sign-in-with-mfa': () => msg('Sign in again with multi-factor authentication.'),
  'use-compliant-device': () => msg('Use a compliant device.'),
  'ask-admin': () => msg('Ask your administrator.'),
  'await-device-approval': () => msg('This device waits for an administrator’s approval. Ask your administrator to approve it.'),
};

export function remedyMessage(remedy: Remedy): string {
  return remedies[remedy]();
}

/** The remedy a refusal code implies when the relay sent no PolicyRefusal with it. */
export function defaultRemedy(code: ErrorCode): Remedy | undefined {
  switch (code) {
    case 'mfa-required':
      return 'sign-in-with-mfa';
    case 'compliant-device-required':
      return 'use-compliant-device';
    case 'policy-blocked':
      return 'ask-admin';
    default:
      return undefined;
  }
}
