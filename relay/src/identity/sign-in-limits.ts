// Limits on guessing at the provider's sign-in page. A wrong password costs the relay a scrypt hash
// (~60 ms) and brings an attacker closer to the password; a wrong verification code closer to the
// second factor. So failures are counted per account (the email as typed, whether or not it exists:
// the limit must not tell), per client address, and wrong codes per user across interactions (typing
// the password again must not reset them). Counts live in mfa.db, so a restart does not reset them.
// A limited attempt is refused before the password is hashed. A password attempt counts as failed from
// the moment it starts (the hash takes a while): guesses sent in parallel all see each other.
import type { MfaStore } from './mfa-store.js';

export interface SignInLimits {
  /** Wrong passwords for one email within the window; then that email is refused until they age out. */
  passwordsPerAccount: number;
  /** Wrong passwords from one client address within the window (any emails). */
  passwordsPerAddress: number;
  /** Wrong verification codes for one user within the window. */
  codesPerUser: number;
  windowMs: number;
}

export const defaultSignInLimits: SignInLimits = {
  passwordsPerAccount: 10,
  passwordsPerAddress: 50,
  codesPerUser: 10,
  windowMs: 15 * 60_000,
};

export const limitMessages = {
  account: 'Too many failed sign-ins for this account. Try again later.',
  address: 'Too many failed sign-ins from your network. Try again later.',
  code: 'Too many wrong codes. Try again later.',
} as const;

export type PasswordLimit = 'account' | 'address';

export interface SignInThrottle {
  /** Which limit, if any, refuses a password attempt for this email from this address now. */
  passwordLimited(email: string, address: string): PasswordLimit | undefined;
  /** Counts a password attempt as failed now; `passwordRight` takes that back and clears the account's count. */
  passwordAttempt(email: string, address: string): { passwordRight(): void };
  codeLimited(tenantId: string, userId: string): boolean;
  codeFailed(tenantId: string, userId: string): void;
  codeAccepted(tenantId: string, userId: string): void;
}

type FailureStore = Pick<MfaStore, 'countFailures' | 'addFailure' | 'removeFailure' | 'clearFailures'>;

export function createSignInThrottle(store: FailureStore, limits: SignInLimits, now: () => number): SignInThrottle {
  // An email longer than any real one is cut: the key stays small whatever is posted.
  const account = (email: string): string => `pwd:${email.trim().toLowerCase().slice(0, 320)}`;
  const address = (addr: string): string => `addr:${addr.slice(0, 100)}`;
  const code = (tenantId: string, userId: string): string => `totp:${tenantId}:${userId}`;
  const reached = (subject: string, max: number): boolean => store.countFailures(subject, now() - limits.windowMs) >= max;
  const add = (subject: string): number => {
    const at = now();
    store.addFailure(subject, at, at - limits.windowMs);
    return at;
  };
  return {
    passwordLimited(email, addr) {
      if (reached(address(addr), limits.passwordsPerAddress)) return 'address';
      if (reached(account(email), limits.passwordsPerAccount)) return 'account';
      return undefined;
    },
    passwordAttempt(email, addr) {
      add(account(email));
      const at = add(address(addr));
      return {
        passwordRight() {
          store.clearFailures(account(email));
          store.removeFailure(address(addr), at);
        },
      };
    },
    codeLimited: (tenantId, userId) => reached(code(tenantId, userId), limits.codesPerUser),
    codeFailed: (tenantId, userId) => void add(code(tenantId, userId)),
    codeAccepted: (tenantId, userId) => store.clearFailures(code(tenantId, userId)),
  };
}
