// Time-based one-time passwords (RFC 6238: HMAC-SHA1, 6 digits, 30 s) through the `otpauth` library,
// as every authenticator app computes them. One code is accepted one step early or late (clock drift).
import { Secret, TOTP } from 'otpauth';

const period = 30;

/** The time step a moment falls in. */
export function totpStep(now: number): number {
  return TOTP.counter({ period, timestamp: now });
}

/** The step the code belongs to (within ±1 of now), or null when it matches none. */
export function matchTotp(secretBase32: string, code: string, now: number): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const delta = TOTP.validate({ token: code, secret: Secret.fromBase32(secretBase32), period, timestamp: now, window: 1 });
  return delta === null ? null : totpStep(now) + delta;
}

/** The code an authenticator app shows at `at` (tests and the demo use it). */
export function totpCode(secretBase32: string, at: number): string {
  return TOTP.generate({ secret: Secret.fromBase32(secretBase32), period, timestamp: at });
}

export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

/** otpauth:// URI an authenticator app reads from a QR code. */
export function totpUri(secretBase32: string, issuer: string, account: string): string {
  return new TOTP({ issuer, label: account, secret: Secret.fromBase32(secretBase32), period }).toString();
}
