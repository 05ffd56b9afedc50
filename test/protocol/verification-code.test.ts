// The Verification code both trust screens show: the derivation against values computed outside the
// code under test, and reading the DTLS fingerprint from the SDP shapes browsers write.
import assert from 'node:assert/strict';
import { answerKeepsCommit, commitOf, fingerprintOf, verificationCode, verificationCodeOf } from '#protocol/verification-code.js';
import { signal } from '#protocol/relay-events.js';

const longHelper = 'sha-256 4F:6C:72:3D:A0:9E:11:5B:C8:02:7D:E3:94:B1:66:0A:2C:F8:13:57:9D:E4:A6:BB:30:71:C5:08:DE:42:9F:E1';
const longSharer = 'sha-256 D2:91:0B:7E:45:AC:38:F6:12:C9:5D:E0:83:6A:2F:B7:04:99:E1:5C:7A:3B:D8:26:F0:64:1D:A9:C3:58:8E:07';

/** An SDP as Chromium writes one for a data channel only (fingerprint in the media section). */
function chromiumSdp(fingerprint: string): string {
  return [
    'v=0', 'o=- 4611731400430051336 2 IN IP4 127.0.0.1', 's=-', 't=0 0', 'a=group:BUNDLE 0', 'a=extmap-allow-mixed', 'a=msid-semantic: WMS',
    'm=application 9 UDP/DTLS/SCTP webrtc-datachannel', 'c=IN IP4 0.0.0.0', 'a=ice-ufrag:abcd', 'a=ice-pwd:aaaaaaaaaaaaaaaaaaaaaaaa',
    'a=ice-options:trickle', `a=fingerprint:${fingerprint}`, 'a=setup:actpass', 'a=mid:0', 'a=sctp-port:5000', '',
  ].join('\r\n');
}

describe('verification code (protocol)', () => {
  describe('derivation', () => {
    // Expected values from sha256sum, not from the code under test:
    //   printf 'remote-help verification code v1\n%s\n%s\n%s' SESSION HELPER_FP SHARER_FP | sha256sum | cut -c1-8
    //   then printf '%06d' $(( 0xFIRST8 % 1000000 ))
    it('gives the known codes for known inputs', async () => {
      // 04ae8f18 → 78548760 → 548760
      assert.equal(await verificationCode('s-1', 'sha-256 AA:BB:CC', 'sha-256 11:22:33'), '548 760');
      // 00d04256 (a leading zero byte) → 13648470 → 648470
      assert.equal(await verificationCode('7f0c2a8e-3b1d-4c55-9a6e-0d2f4b8c9e11', longHelper, longSharer), '648 470');
      // e772b1bc → 3883053500 (above 2^31: read unsigned) → 053500, zero-padded
      assert.equal(await verificationCode('session-19', 'sha-256 AA:BB:CC', 'sha-256 11:22:33'), '053 500');
    });

    it('changes when either fingerprint, their order or the session changes', async () => {
      const base = await verificationCode('s-1', 'sha-256 AA:BB:CC', 'sha-256 11:22:33');
      assert.notEqual(await verificationCode('s-1', 'sha-256 11:22:33', 'sha-256 AA:BB:CC'), base);
      assert.notEqual(await verificationCode('s-2', 'sha-256 AA:BB:CC', 'sha-256 11:22:33'), base);
      assert.notEqual(await verificationCode('s-1', 'sha-256 AA:BB:CD', 'sha-256 11:22:33'), base);
    });

    it('gives both pages the same code from their own and the other description', async () => {
      const helperSdp = chromiumSdp(longHelper);
      const sharerSdp = chromiumSdp(longSharer);
      const onHelper = await verificationCodeOf('s-9', 'helper', helperSdp, sharerSdp);
      const onSharer = await verificationCodeOf('s-9', 'sharer', sharerSdp, helperSdp);
      assert.match(onHelper ?? '', /^\d{3} \d{3}$/);
      assert.equal(onHelper, onSharer);
      assert.equal(onHelper, await verificationCode('s-9', longHelper, longSharer));
    });

    it('has no code while a description is missing or states no fingerprint', async () => {
      assert.equal(await verificationCodeOf('s-9', 'helper', chromiumSdp(longHelper), undefined), undefined);
      assert.equal(await verificationCodeOf('s-9', 'sharer', null, chromiumSdp(longHelper)), undefined);
      assert.equal(await verificationCodeOf('s-9', 'helper', chromiumSdp(longHelper), 'v=0\r\nm=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\n'), undefined);
    });
  });

  describe('reading the fingerprint from an SDP', () => {
    it('reads it from the first media section (Chromium)', () => {
      assert.equal(fingerprintOf(chromiumSdp(longHelper)), longHelper);
    });

    it('reads it at session level (Firefox), with LF line ends too', () => {
      const sdp = ['v=0', 'o=mozilla...THIS_IS_SDPARTA-99.0 1 0 IN IP4 0.0.0.0', 's=-', 't=0 0',
        `a=fingerprint:sha-256 ${longSharer.slice(8)}`, 'a=group:BUNDLE 0', 'm=video 9 UDP/TLS/RTP/SAVPF 120', 'a=mid:0', ''].join('\n');
      assert.equal(fingerprintOf(sdp), longSharer);
    });

    it('writes the algorithm lower-case and the hex upper-case', () => {
      assert.equal(fingerprintOf('v=0\r\na=fingerprint:SHA-256 ab:cd:0f\r\nm=application 9 x y\r\n'), 'sha-256 AB:CD:0F');
    });

    it('ignores a fingerprint that appears only in a later media section', () => {
      const sdp = 'v=0\r\nm=application 9 x y\r\na=mid:0\r\nm=video 9 x 96\r\na=fingerprint:sha-256 AB:CD\r\n';
      assert.equal(fingerprintOf(sdp), undefined);
    });

    it('has none for an SDP without one, a malformed line, or no SDP', () => {
      assert.equal(fingerprintOf('v=0\r\nm=application 9 x y\r\n'), undefined);
      assert.equal(fingerprintOf('v=0\r\na=fingerprint:sha-256 not-hex\r\n'), undefined);
      assert.equal(fingerprintOf('v=0\r\na=fingerprint:sha-256\r\n'), undefined);
      assert.equal(fingerprintOf(''), undefined);
      assert.equal(fingerprintOf(undefined), undefined);
    });
  });

  describe('commitment (the answering side commits to its fingerprint before the offer)', () => {
    // Expected values from coreutils, not from the code under test:
    //   printf %s 'sha-256 AA:BB:CC' | sha256sum | xxd -r -p | base64 | tr '+/' '-_' | tr -d '='
    it('gives the known commits for known fingerprints (base64url, no padding, 43 characters)', async () => {
      assert.equal(await commitOf('sha-256 AA:BB:CC'), 'Ucr0ORAOTaeK5PJMjzL9uzIx9jF_VSKSvs02K3szQj4');
      assert.equal(await commitOf(longHelper), 'rthj9EQJ43UOK--Vj_WKNOonobCjBTEzxbqSstG__SE');
    });

    it('accepts an answer stating the committed fingerprint, whatever case the browser wrote it in', async () => {
      const commit = await commitOf(longHelper);
      assert.equal(await answerKeepsCommit(chromiumSdp(longHelper), commit), true);
      assert.equal(await answerKeepsCommit(chromiumSdp(longHelper.toLowerCase().replace('sha-256', 'SHA-256')), commit), true);
    });

    it('refuses an answer with another fingerprint, or none (a certificate put in between)', async () => {
      const commit = await commitOf(longHelper);
      assert.equal(await answerKeepsCommit(chromiumSdp(longSharer), commit), false);
      assert.equal(await answerKeepsCommit(chromiumSdp('sha-256 AA:BB:CC').replace(/a=fingerprint:.*\r\n/, ''), commit), false);
    });

    it('travels as a signal only in its exact shape', () => {
      assert.equal(signal.safeParse({ commit: 'Ucr0ORAOTaeK5PJMjzL9uzIx9jF_VSKSvs02K3szQj4' }).success, true);
      assert.equal(signal.safeParse({ commit: 'Ucr0ORAOTaeK5PJMjzL9uzIx9jF_VSKSvs02K3szQj4=' }).success, false);
      assert.equal(signal.safeParse({ commit: 'Ucr0ORAOTaeK5PJMjzL9uzIx9jF+VSKSvs02K3szQj4' }).success, false);
      assert.equal(signal.safeParse({ commit: 'Ucr0ORAOTaeK5PJMjzL9uzIx9jF_VSKSvs02K3szQj4', extra: 1 }).success, false);
    });
  });
});
