// The test-only fault switch (relay/src/socket/faults.ts): what it does to the descriptions the relay
// forwards, and that nothing an operator controls can turn it on.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { answerKeepsCommit, fingerprintOf } from '#protocol/verification-code.js';
import { ConfigError, loadConfig } from '#relay/config.js';
import { withFaults } from '#relay/socket/faults.js';

const sharerFp = 'sha-256 D2:91:0B:7E:45:AC:38:F6:12:C9:5D:E0:83:6A:2F:B7:04:99:E1:5C:7A:3B:D8:26:F0:64:1D:A9:C3:58:8E:07';
const offerSdp = `v=0\r\ns=-\r\nm=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\na=fingerprint:${sharerFp}\r\na=setup:actpass\r\n`;
const offer = { description: { type: 'offer' as const, sdp: offerSdp } };

describe('relay faults (tests only)', () => {
  it('with tamperFingerprintOf, replaces that member\'s fingerprint with another valid-looking one, the same each time', () => {
    const tampered = withFaults(offer, 'sharer', { tamperFingerprintOf: 'sharer' });
    assert.ok('description' in tampered);
    const seen = fingerprintOf(tampered.description.sdp);
    assert.match(seen ?? '', /^sha-256 [0-9A-F]{2}(:[0-9A-F]{2}){31}$/, 'the forwarded fingerprint still looks like a SHA-256 one');
    assert.notEqual(seen, sharerFp);
    assert.equal(tampered.description.sdp.replace(/a=fingerprint:[^\r]*/, ''), offerSdp.replace(/a=fingerprint:[^\r]*/, ''), 'only the fingerprint changed');
    const again = withFaults(offer, 'sharer', { tamperFingerprintOf: 'sharer' });
    assert.ok('description' in again);
    assert.equal(fingerprintOf(again.description.sdp), seen, 'a renegotiation carries the same forged fingerprint');
  });

  it('with substituteCertificateOf, sends the sharer a commit that the forged fingerprint in the answer keeps', async () => {
    const answer = { description: { type: 'answer' as const, sdp: offerSdp.replace('actpass', 'active') } };
    const commit = withFaults({ commit: 'rthj9EQJ43UOK--Vj_WKNOonobCjBTEzxbqSstG__SE' }, 'helper', { substituteCertificateOf: 'helper' });
    const forged = withFaults(answer, 'helper', { substituteCertificateOf: 'helper' });
    assert.ok('commit' in commit && 'description' in forged);
    assert.notEqual(fingerprintOf(forged.description.sdp), sharerFp);
    assert.equal(await answerKeepsCommit(forged.description.sdp, commit.commit), true, 'the relay\'s commit does not match the certificate it puts in the answer');
    assert.equal(withFaults(offer, 'sharer', { substituteCertificateOf: 'helper' }), offer, 'the sharer\'s offer was changed');
  });

  it('leaves the other member\'s descriptions, candidates, and everything without the switch as they were', () => {
    const candidate = { candidate: { candidate: 'candidate:1 1 udp 1 127.0.0.1 9 typ host', sdpMid: '0', sdpMLineIndex: 0, usernameFragment: null } };
    assert.equal(withFaults(offer, 'helper', { tamperFingerprintOf: 'sharer' }), offer);
    assert.equal(withFaults(candidate, 'sharer', { tamperFingerprintOf: 'sharer' }), candidate);
    assert.equal(withFaults(offer, 'sharer', {}), offer);
    assert.equal(withFaults(offer, 'sharer', undefined), offer);
  });

  it('cannot be set by the operator configuration or the environment', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rh-faults-'));
    try {
      const path = join(dir, 'relay.yaml');
      writeFileSync(path, 'publicUrl: https://help.example.com\ntrustProxy: true\nfaults: { tamperFingerprintOf: sharer }\n');
      assert.throws(() => loadConfig({ RH_CONFIG: path }), (e: unknown) => e instanceof ConfigError && /faults: unknown key/.test(e.message));
      const fromEnv = loadConfig({ RH_FAULTS: 'sharer', RH_TAMPER_FINGERPRINT_OF: 'sharer', RH_FAULTS_TAMPER_FINGERPRINT_OF: 'sharer' });
      assert.doesNotMatch(JSON.stringify(fromEnv), /fault|tamper/i, 'an environment variable reached the configuration');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is passed by no production code: main.ts gives the relay no faults, and only the socket layer reads them', () => {
    const main = readFileSync('relay/src/main.ts', 'utf8');
    assert.doesNotMatch(main, /fault/i, 'relay/src/main.ts mentions faults');
    const readers = (readdirSync('relay/src', { recursive: true }) as string[])
      .filter((f) => f.endsWith('.ts') && /\bfaults\b/.test(readFileSync(join('relay/src', f), 'utf8')))
      .sort();
    assert.deepEqual(readers, ['socket/create-socket-server.ts', 'socket/faults.ts', 'socket/session-handlers.ts', 'start-relay.ts']);
  });
});
