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
  /** What a relay must do to try to grind codes now that the answering side commits first: it answers
   * this member's commit with the commit to a certificate of its own, made before it saw anything, and puts
   * that certificate's fingerprint in every description it forwards from them. The sharer's check passes;
   * the two codes differ, since the relay chose before the sharer's fingerprint was known. */
  substituteCertificateOf?: SessionRole;
  /** The relay answers this member's every session:ice with `internal`, as a relay whose TURN secret or
   * ICE configuration is broken would: its page must make no connection (fail closed) and say so. */
  refuseIceTo?: SessionRole;
}

/** The fingerprint of the relay's own certificate (substituteCertificateOf), and the commit to it. */
const relayFingerprint = `sha-256 ${(createHash('sha256').update('the relay in between').digest('hex').toUpperCase().match(/../g) ?? []).join(':')}`;
const relayCommit = createHash('sha256').update(relayFingerprint).digest('base64url');

const fingerprintLine = /^(a=fingerprint:[A-Za-z0-9-]+[ \t]+)([0-9A-Fa-f]{2}(?::[0-9A-Fa-f]{2})+)/gm;

/** `signal` as the faulty relay forwards it from `from`. */
export function withFaults(signal: Signal, from: SessionRole, faults: RelayFaults | undefined): Signal {
  if (faults?.substituteCertificateOf === from) {
    if ('commit' in signal) return { commit: relayCommit };
    if ('description' in signal) {
      const hex = relayFingerprint.slice('sha-256 '.length);
      return { description: { ...signal.description, sdp: signal.description.sdp.replace(fingerprintLine, (_line, head: string) => `${head}${hex}`) } };
    }
    return signal;
  }
  if (!faults?.tamperFingerprintOf || faults.tamperFingerprintOf !== from || !('description' in signal)) return signal;
  const sdp = signal.description.sdp.replace(fingerprintLine, (_line, head: string, hex: string) => {
    const other = createHash('sha256').update(`tampered ${hex}`).digest('hex').toUpperCase().match(/../g) ?? [];
    return `${head}${other.join(':')}`;
  });
  return { description: { ...signal.description, sdp } };
}
