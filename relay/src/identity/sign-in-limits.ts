// Limits on guessing at the provider's sign-in page. A wrong password costs the relay a scrypt hash
// (~60 ms) and brings an attacker closer to the password; a wrong verification code closer to the
// second factor. An account is never simply locked: that would let anyone lock anyone out by typing
// wrong passwords for them. Instead wrong passwords are counted per (account, client address) pair: a
// few are free, then each further try from that address for that account waits after the last failure
// (1, 2, 4 … s, up to a cap), which a person never notices and a guesser always does; the person at
// their own address is not held up by what happens at another. Beside that, per address across all
// accounts (spraying), and per account across all addresses as a last resort against many addresses
// at once: past it, only an address that has not yet failed for the account may try (so the owner at
// a clean address still gets in, and each attacking address gets one more guess at most).
// The email is counted as typed, whether or not it exists (the limit must not tell), and wrong codes
// per user across interactions (typing the password again must not reset them). Counts are kept by a
// WindowCounter (a SQLite file in the identity folder by default, so a restart does not reset them; Redis
// with several nodes). A limited attempt is refused before the password is hashed. A password attempt
// counts as failed from the moment it starts (the hash takes a while), checked and counted in one step
// (the pair's limit is what was read, plus one): guesses sent in parallel all see each other.
import type { WindowCounter } from '../ports.js';
import { englishMsg, type Msg } from './page-locale.js';

export interface SignInLimits {
  /** Wrong passwords for one account from one address before each further try must wait. */
  freePasswordsPerPair: number;
  /** The first wait after those, doubled with each further failure, up to maxDelayMs. */
  firstDelayMs: number;
  maxDelayMs: number;
  /** Wrong passwords for one email from all addresses within the window; past it only addresses that
   * have not failed for it yet may try. */
  passwordsPerAccount: number;
  /** Wrong passwords from one client address within the window (any emails). */
  passwordsPerAddress: number;
  /** Wrong verification codes for one user within the window. */
  codesPerUser: number;
  windowMs: number;
}

export const defaultSignInLimits: SignInLimits = {
  freePasswordsPerPair: 3,
  firstDelayMs: 1000,
  maxDelayMs: 60_000,
  passwordsPerAccount: 100,
  passwordsPerAddress: 50,
  codesPerUser: 10,
  windowMs: 15 * 60_000,
};

/** How long the next try of a pair with `failures` waits after its last failure (0: none). */
export function pairDelayMs(failures: number, limits: SignInLimits): number {
  if (failures < limits.freePasswordsPerPair) return 0;
  return Math.min(limits.maxDelayMs, limits.firstDelayMs * 2 ** Math.min(30, failures - limits.freePasswordsPerPair));
}

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
  const accountOf = (email: string): string => email.trim().toLowerCase().slice(0, 320);
  const account = (email: string): string => `pwd:${accountOf(email)}`;
  const address = (addr: string): string => `addr:${addr.slice(0, 100)}`;
  const pair = (email: string, addr: string): string => `pair:${addr.slice(0, 100)}:${accountOf(email)}`;
  const code = (tenantId: string, userId: string): string => `totp:${tenantId}:${userId}`;
  const unlimited = Number.MAX_SAFE_INTEGER;
  return {
    async passwordAttempt(email, addr) {
      const at = now();
      const [failures, accountFailures] = await Promise.all([
        counter.count(pair(email, addr), limits.windowMs, at),
        counter.count(account(email), limits.windowMs, at),
      ]);
      const delay = pairDelayMs(failures, limits);
      // Still within the wait after this pair's last failure.
      if (delay > 0 && (await counter.count(pair(email, addr), delay, at)) > 0) return { limited: 'account' };
      // The account under attack from many addresses: only a clean address may try.
      if (accountFailures >= limits.passwordsPerAccount && failures > 0) return { limited: 'account' };
      const counted = await counter.hit([
        { key: address(addr), limit: limits.passwordsPerAddress },
        // Past the free tries, one at a time: of guesses sent together, the first goes on, the rest wait.
        { key: pair(email, addr), limit: Math.max(limits.freePasswordsPerPair, failures + 1) },
        { key: account(email), limit: unlimited },
      ], limits.windowMs, at);
      if (!counted.allowed) return { limited: counted.key === address(addr) ? 'address' : 'account' };
      return {
        limited: undefined,
        async passwordRight() {
          await counter.refund(counted.ticket);
          // The owner's address starts afresh; other addresses' counts (an attacker's) stay.
          await counter.clear(pair(email, addr));
        },
      };
    },
    codeLimited: async (tenantId, userId) => (await counter.count(code(tenantId, userId), limits.windowMs, now())) >= limits.codesPerUser,
    codeFailed: async (tenantId, userId) => void (await counter.hit([{ key: code(tenantId, userId), limit: Infinity }], limits.windowMs, now())),
    codeAccepted: (tenantId, userId) => counter.clear(code(tenantId, userId)),
  };
}
