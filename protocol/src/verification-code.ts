// The Verification code: six digits both trust screens show, which the two people compare aloud.
//
// Why it proves something: at join, before consent, the sharer's page opens the peer connection (one
// negotiated data channel, no media). Each browser made its own DTLS certificate and states its
// fingerprint in its SDP (`a=fingerprint:sha-256 AB:CD:…`); DTLS then refuses a peer whose certificate
// does not match the fingerprint it was told. A relay (or anyone between the two pages and the relay)
// that wanted to see the screen would have to put its own fingerprint into the descriptions it forwards,
// so each side would see a different "other" fingerprint — and compute a different code.
//
// Derivation (v1), the same in both pages, from what each reads of its own localDescription and of its
// remoteDescription:
//   input  = UTF-8 of "remote-help verification code v1\n" + sessionId + "\n" + helperFingerprint + "\n"
//            + sharerFingerprint, each fingerprint written "sha-256 AB:CD:…" (algorithm lower-case, hex
//            upper-case with colons, as fingerprintOf() gives it)
//   digest = SHA-256(input)
//   code   = (first 4 bytes of digest, big-endian, unsigned) mod 1 000 000, zero-padded to 6 digits,
//            shown as "123 456"
// Six digits: a 1 in 10^6 chance to match by luck. The session id binds the code to this session only.
// Known limit of v1 (README, Security): nothing commits a side before the other's fingerprint is seen,
// so a relay in between could grind certificates of its own until both codes agree (~10^6 tries). v2
// will have the helper send its fingerprint's hash before the sharer's offer (a hash commitment).
//
// Isomorphic: globalThis.crypto.subtle exists in Node 20 and in every supported browser (secure context).

/** The label before the inputs: a new derivation gets a new version, never a silent change. */
export const verificationCodeLabel = 'remote-help verification code v1';

/** "sha-256 AB:CD:…" as read from an SDP; undefined when the SDP states none (then there is no code). */
export type Fingerprint = string;

const fingerprintLine = /^a=fingerprint:([A-Za-z0-9-]+)[ \t]+([0-9A-Fa-f]{2}(?::[0-9A-Fa-f]{2})+)[ \t]*$/;

/**
 * The DTLS certificate fingerprint an SDP states: at session level (before the first `m=` line), or
 * else in the first media section. Written with the algorithm lower-case and the hex upper-case, so
 * both pages read the same text from the same certificate whatever the browser wrote.
 */
export function fingerprintOf(sdp: string | undefined | null): Fingerprint | undefined {
  if (typeof sdp !== 'string') return undefined;
  let section = 0; // 0: session level, 1: the first media section
  for (const raw of sdp.split(/\r?\n/)) {
    const line = raw.trim();
    if (line.startsWith('m=')) {
      section++;
      if (section > 1) return undefined;
      continue;
    }
    const m = fingerprintLine.exec(line);
    if (m?.[1] && m[2]) return `${m[1].toLowerCase()} ${m[2].toUpperCase()}`;
  }
  return undefined;
}

interface Digest {
  digest(algorithm: 'SHA-256', data: Uint8Array): Promise<ArrayBuffer>;
}
type Encoder = new () => { encode(text: string): Uint8Array };

/** The code as digits ("042917"), from the two fingerprints of this session's connection. */
export async function verificationDigits(sessionId: string, helperFingerprint: Fingerprint, sharerFingerprint: Fingerprint): Promise<string> {
  const g = globalThis as unknown as { crypto?: { subtle?: Digest }; TextEncoder?: Encoder };
  const subtle = g.crypto?.subtle;
  if (!subtle || !g.TextEncoder) throw new Error('no WebCrypto here: the verification code needs crypto.subtle');
  const input = new g.TextEncoder().encode(`${verificationCodeLabel}\n${sessionId}\n${helperFingerprint}\n${sharerFingerprint}`);
  const digest = new DataView(await subtle.digest('SHA-256', input));
  return String(digest.getUint32(0, false) % 1_000_000).padStart(6, '0');
}

/** "042917" → "042 917": two groups of three are easier to read aloud and to compare. */
export function groupVerificationCode(digits: string): string {
  return `${digits.slice(0, 3)} ${digits.slice(3)}`;
}

/** The code both screens show ("042 917"). */
export async function verificationCode(sessionId: string, helperFingerprint: Fingerprint, sharerFingerprint: Fingerprint): Promise<string> {
  return groupVerificationCode(await verificationDigits(sessionId, helperFingerprint, sharerFingerprint));
}

/** The code of a connection from its two descriptions, as one side sees them; undefined while either
 * is not set or states no fingerprint. `role`: whose page this is (its own description is `local`). */
export async function verificationCodeOf(
  sessionId: string,
  role: 'helper' | 'sharer',
  local: string | undefined | null,
  remote: string | undefined | null,
): Promise<string | undefined> {
  const mine = fingerprintOf(local);
  const theirs = fingerprintOf(remote);
  if (!mine || !theirs) return undefined;
  return role === 'helper' ? verificationCode(sessionId, mine, theirs) : verificationCode(sessionId, theirs, mine);
}
