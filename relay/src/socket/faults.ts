// Test-only faults a relay can be started with (RelayDeps.faults): what a relay that wanted to sit
// between the two browsers would do, so the tests can show that the Verification code gives it away.
// Only test/support passes them; main.ts never does, and no configuration key or environment variable
// can set them (operator-config.ts and config.ts refuse unknown keys; test/relay/faults.test.ts).
import { createHash } from 'node:crypto';
import type { SessionRole } from '#protocol/models.js';
import type { Signal } from '#protocol/relay-events.js';

export interface RelayFaults {
  /** The relay replaces this member's DTLS fingerprint, in every description it forwards from them, with
   * another valid-looking one (the same for the same original, so renegotiations agree with it). */
  tamperFingerprintOf?: SessionRole;
}

const fingerprintLine = /^(a=fingerprint:[A-Za-z0-9-]+[ \t]+)([0-9A-Fa-f]{2}(?::[0-9A-Fa-f]{2})+)/gm;

/** `signal` as the faulty relay forwards it from `from`. */
export function withFaults(signal: Signal, from: SessionRole, faults: RelayFaults | undefined): Signal {
  if (!faults?.tamperFingerprintOf || faults.tamperFingerprintOf !== from || !('description' in signal)) return signal;
  const sdp = signal.description.sdp.replace(fingerprintLine, (_line, head: string, hex: string) => {
    const other = createHash('sha256').update(`tampered ${hex}`).digest('hex').toUpperCase().match(/../g) ?? [];
    return `${head}${other.join(':')}`;
  });
  return { description: { ...signal.description, sdp } };
}
