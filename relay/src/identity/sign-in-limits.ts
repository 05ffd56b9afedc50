// Limits on guessing at the provider's sign-in page. A wrong password costs the relay a scrypt hash
// (~60 ms) and brings an attacker closer to the password; a wrong verification code closer to the
// second factor. So failures are counted per account (the email as typed, whether or not it exists:
// the limit must not tell), per client address, and wrong codes per user across interactions (typing
// the password again must not reset them). Counts are kept by a WindowCounter (a SQLite file in the
// identity folder by default, so a restart does not reset them). A limited attempt is refused before the
// password is hashed. A password attempt counts as failed from the moment it starts (the hash takes a
// while), checked and counted in one step: guesses sent in parallel all see each other.
import type { WindowCounter } from '../ports.js';
import { englishMsg, type Msg } from './page-locale.js';

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

/** What a limited person is told, in the page's language. */
export const limitTexts = (t: Msg): Record<PasswordLimit | 'code', string> => ({
  account: t('Too many failed sign-ins for this account. Try again later.'),
  address: t('Too many failed sign-ins from your network. Try again later.'),
  code: t('Too many wrong codes. Try again later.'),
});
/** The same in English. */
export const limitMessages = limitTexts(englishMsg);

export type PasswordLimit = 'account' | 'address';

export type PasswordAttempt =
  | { limited: PasswordLimit }
  /** Counted as failed; `passwordRight` takes that back and clears the account's count. */
  | { limited: undefined; passwordRight(): Promise<void> };

export interface SignInThrottle {
  /** Refuses a password attempt for this email from this address when a limit is reached, or counts it as failed. */
  passwordAttempt(email: string, address: string): Promise<PasswordAttempt>;
  codeLimited(tenantId: string, userId: string): Promise<boolean>;
  codeFailed(tenantId: string, userId: string): Promise<void>;
  codeAccepted(tenantId: string, userId: string): Promise<void>;
}

export function createSignInThrottle(counter: WindowCounter, limits: SignInLimits, now: () => number): SignInThrottle {
  // An email longer than any real one is cut: the key stays small whatever is posted.
  const account = (email: string): string => `pwd:${email.trim().toLowerCase().slice(0, 320)}`;
  const address = (addr: string): string => `addr:${addr.slice(0, 100)}`;
  const code = (tenantId: string, userId: string): string => `totp:${tenantId}:${userId}`;
  return {
    async passwordAttempt(email, addr) {
      const counted = await counter.hit([
        { key: address(addr), limit: limits.passwordsPerAddress },
        { key: account(email), limit: limits.passwordsPerAccount },
      ], limits.windowMs, now());
      if (!counted.allowed) return { limited: counted.key === address(addr) ? 'address' : 'account' };
      return {
        limited: undefined,
        async passwordRight() {
          await counter.refund(counted.ticket);
          await counter.clear(account(email));
        },
      };
    },
    codeLimited: async (tenantId, userId) => (await counter.count(code(tenantId, userId), limits.windowMs, now())) >= limits.codesPerUser,
    codeFailed: async (tenantId, userId) => void (await counter.hit([{ key: code(tenantId, userId), limit: Infinity }], limits.windowMs, now())),
    codeAccepted: (tenantId, userId) => counter.clear(code(tenantId, userId)),
  };
}
