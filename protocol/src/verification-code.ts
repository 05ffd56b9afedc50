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
//
// The commitment (v2 of the exchange; the derivation above is unchanged, so the label stays v1): six
// digits alone would not stop a relay in between that can try certificates of its own. It sees the
// sharer's fingerprint in the offer and the helper's in the answer; if it could pick the certificate it
// shows each side after seeing both real ones, it could grind (~10^6 tries, seconds) until the two codes
// agree. So the answering side (the helper, or an invited colleague on its own connection) makes its
// certificate FIRST and sends only a hash of its fingerprint, `{ commit: commitOf(fingerprint) }`, before
// the sharer will send its offer; the sharer then checks that the answer's fingerprint hashes to that
// commit (on every answer of that connection) and, if not, shows no code, warns, and sends nothing on it.
// Why grinding fails now: the relay must commit (towards the sharer) to the certificate it will show the
// sharer before the sharer reveals its fingerprint, and it must pick the certificate it shows the helper
// (in the offer) before the helper reveals its own (in the answer). Each code it could aim at therefore
// depends on a value revealed after all its choices are fixed; both codes agree with probability 10^-6
// per attempt, and a failed attempt is seen by the people (different codes, or the sharer's warning).
// The commit is the hash of the fingerprint text written as fingerprintOf() gives it:
//   commit = base64url without padding of SHA-256(UTF-8 of "sha-256 AB:CD:…")   (43 characters)
// A fingerprint is public once revealed, so a plain hash is enough: the certificate's key is fresh per
// connection (a new connection: a new certificate, a new commit) and there is nothing secret to hide.

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

/** The commit to a fingerprint: base64url (no padding) of SHA-256 of its text ("sha-256 AB:CD:…"). */
export async function commitOf(fingerprint: Fingerprint): Promise<string> {
  const g = globalThis as unknown as { crypto?: { subtle?: Digest }; TextEncoder?: Encoder };
  const subtle = g.crypto?.subtle;
  if (!subtle || !g.TextEncoder) throw new Error('no WebCrypto here: the commit needs crypto.subtle');
  const bytes = new Uint8Array(await subtle.digest('SHA-256', new g.TextEncoder().encode(fingerprint)));
  return base64url(bytes);
}

const base64urlAlphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** RFC 4648 §5 without padding; written out because neither btoa nor Buffer is in both runtimes' types. */
function base64url(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = ((bytes[i] ?? 0) << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    const chars = Math.min(4, Math.ceil(((bytes.length - i) * 8) / 6));
    for (let k = 0; k < chars; k++) out += base64urlAlphabet[(n >> (18 - 6 * k)) & 63];
  }
  return out;
}

/** Whether an answer's SDP states the fingerprint committed to: false when it states none. */
export async function answerKeepsCommit(answerSdp: string, commit: string): Promise<boolean> {
  const fingerprint = fingerprintOf(answerSdp);
  return fingerprint !== undefined && (await commitOf(fingerprint)) === commit;
}
