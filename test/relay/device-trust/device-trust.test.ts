// Device trust: a browser enrolls its non-extractable key; at join it signs a fresh relay challenge.
// Real SQLite files, real tokens from the embedded provider, real WebCrypto keys made in Node.
import assert from 'node:assert/strict';
import type { Ack, DeviceProperties, EnrollResult } from '#protocol';
import { challengeTtlMs } from '#relay/device-trust/index.js';
import { demoTenants } from '#relay/directory/index.js';
import { defaultCompliancePolicy } from '#relay/policy/compliance.js';
import { forEachStoreBackend } from '../../support/store-backends.js';
import { newDeviceKey, sign, startTrustHost, type TrustHost } from '../../support/trust-host.js';

const contoso = demoTenants.contoso.id;
const fabrikam = demoTenants.fabrikam.id;
const healthy: DeviceProperties = { platform: 'Windows', osVersion: '10.0.26100', diskEncryption: true, firewall: true };

describe('device trust', () => forEachStoreBackend((backend) => {
  let host: TrustHost;
  before(async () => {
    host = await startTrustHost({ kept: await backend.fresh() });
  });
  after(() => host.close());

  // Names are unique per tenant: each enrollment gets its own unless a test is about the name.
  let seq = 0;
  async function enroll(email: string, props: DeviceProperties = healthy, name = `Test laptop ${++seq}`) {
    const key = await newDeviceKey();
    const res = await host.post('/api/enroll', await host.token(email), { name, publicKeyJwk: key.publicJwk, properties: props });
    return { ...key, res, ack: res.json as Ack<EnrollResult> };
  }

  describe('enrollment', () => {
    it('registers the device in the directory as enrolled and compliant, for the signed-in user', async () => {
      const { res, ack } = await enroll('sharer@contoso.example', healthy, 'Amira’s laptop');
      assert.equal(res.status, 200);
      assert.ok(ack.ok);
      const stored = await host.directory.device(contoso, ack.value.device.id);
      assert.ok(stored);
      assert.equal(stored.name, 'Amira’s laptop');
      assert.equal(stored.enrolled, true);
      assert.equal(stored.compliance, 'compliant');
      assert.deepEqual(stored.complianceReasons, []);
      assert.equal(stored.platform, 'Windows');
      assert.equal(stored.osVersion, '10.0.26100');
      assert.equal(stored.primaryUser, 'sharer@contoso.example');
      // The console's delta sync sees it.
      assert.ok((await host.directory.devicesChangedSince(contoso, undefined, 100_000)).devices.some((d) => d.id === stored.id));
    });

    it('records a non-compliant device with the reasons a helper will read', async () => {
      const { ack } = await enroll('sharer@contoso.example', { platform: 'Windows', osVersion: '10.0.19041', diskEncryption: false, firewall: true });
      assert.ok(ack.ok);
      assert.equal(ack.value.device.compliance, 'noncompliant');
      assert.deepEqual((await host.directory.device(contoso, ack.value.device.id))?.complianceReasons, [
        'OS version 10.0.19041 is below the minimum 10.0.22631',
        'Disk encryption is off',
      ]);
    });

    it('updates the same device when the same browser key enrolls again', async () => {
      const first = await enroll('sharer@contoso.example');
      assert.ok(first.ack.ok);
      const again = await host.post('/api/enroll', await host.token('sharer@contoso.example'), {
        name: 'Renamed laptop', publicKeyJwk: first.publicJwk, properties: { ...healthy, firewall: false },
      });
      const ack = again.json as Ack<EnrollResult>;
      assert.ok(ack.ok);
      assert.equal(ack.value.device.id, first.ack.value.device.id);
      assert.equal(ack.value.device.name, 'Renamed laptop');
      assert.deepEqual(ack.value.device.complianceReasons, ['Firewall is off']);
    });

    it('marks a new enrollment self-reported and pending; re-enrolling the same key keeps its id and its approval', async () => {
      const first = await enroll('sharer@contoso.example');
      assert.ok(first.ack.ok);
      const id = first.ack.value.device.id;
      assert.deepEqual([first.ack.value.device.managedBy, first.ack.value.device.approved], ['enrollment', false]);
      assert.ok((await host.directory.pendingDevices(contoso)).some((d) => d.id === id), 'waits for an administrator');
      // An administrator approves it (the admin API writes the directory so).
      await host.directory.upsertDevice({ ...(await host.directory.device(contoso, id))!, approved: true });
      const again = await host.post('/api/enroll', await host.token('sharer@contoso.example'), {
        name: 'Approved, then renamed', publicKeyJwk: first.publicJwk, properties: { ...healthy, osVersion: '10.0.26200' },
      });
      const ack = again.json as Ack<EnrollResult>;
      assert.ok(ack.ok);
      assert.deepEqual([ack.value.device.id, ack.value.device.approved, ack.value.device.name], [id, true, 'Approved, then renamed']);
      assert.equal((await host.directory.device(contoso, id))?.approved, true);
      assert.ok(!(await host.directory.pendingDevices(contoso)).some((d) => d.id === id));
    });

    it('keeps names unique per tenant: another key under a taken name (any case) gets device-name-taken and registers nothing', async () => {
      const first = await enroll('sharer@contoso.example', healthy, 'Reception PC');
      assert.ok(first.ack.ok);
      const pendingBefore = (await host.directory.pendingDevices(contoso)).length;
      const second = await enroll('helper@contoso.example', healthy, 'reception pc');
      assert.equal(second.res.status, 409);
      assert.equal(!second.ack.ok && second.ack.error.code, 'device-name-taken');
      assert.equal((await host.directory.pendingDevices(contoso)).length, pendingBefore, 'no second device');
      assert.equal((await host.directory.deviceByName(contoso, 'Reception PC'))?.id, first.ack.value.device.id);
      // Its key was not kept: it proves nothing.
      const user = await host.user('helper@contoso.example');
      const challenge = await host.trust.challenge(user);
      const bogusId = first.ack.value.device.id;
      assert.equal((await host.trust.verifyProof(user, { deviceId: bogusId, challenge, signature: await sign(second.keys, challenge) })).ok, false);
      // A name an imported device has is taken too.
      const imported = await enroll('sharer@contoso.example', healthy, 'CONTOSO-LT-0142');
      assert.equal(!imported.ack.ok && imported.ack.error.code, 'device-name-taken');
      // The same device keeps its own name; another tenant may use the name.
      const same = await host.post('/api/enroll', await host.token('sharer@contoso.example'), { name: 'Reception PC', publicKeyJwk: first.publicJwk, properties: healthy });
      assert.equal(same.status, 200);
      const elsewhere = await enroll('sharer@fabrikam.example', healthy, 'Reception PC');
      assert.equal(elsewhere.res.status, 200);
    });

    it('answers the device\'s state to the person who enrolled it on GET /api/devices/:id/enrollment, and not-found once its key is forgotten', async () => {
      const { ack, keys } = await enroll('sharer@contoso.example');
      assert.ok(ack.ok);
      const id = ack.value.device.id;
      const mine = await host.get(`/api/devices/${id}/enrollment`, await host.token('sharer@contoso.example'));
      assert.equal(mine.status, 200);
      assert.equal((mine.json as Ack<EnrollResult>).ok && (mine.json as { value: EnrollResult }).value.device.approved, false);
      const foreign = await host.get(`/api/devices/${id}/enrollment`, await host.token('sharer@fabrikam.example'));
      assert.equal(foreign.status, 404);
      // A colleague in the same tenant does not read it (the row names its primary user).
      assert.equal((await host.get(`/api/devices/${id}/enrollment`, await host.token('helper@contoso.example'))).status, 404);

      assert.equal(await host.trust.forget(contoso, id), true);
      assert.equal(await host.trust.forget(contoso, id), false);
      assert.equal((await host.get(`/api/devices/${id}/enrollment`, await host.token('sharer@contoso.example'))).status, 404);
      const user = await host.user('sharer@contoso.example');
      const challenge = await host.trust.challenge(user);
      assert.equal((await host.trust.verifyProof(user, { deviceId: id, challenge, signature: await sign(keys, challenge) })).ok, false, 'a forgotten key proves nothing');
    });

    it('refuses with enrollment-disabled when the tenant does not allow enrollment', async () => {
      host.allowEnrollment.set(fabrikam, false);
      try {
        const { res, ack } = await enroll('sharer@fabrikam.example');
        assert.equal(res.status, 403);
        assert.equal(!ack.ok && ack.error.code, 'enrollment-disabled');
      } finally {
        host.allowEnrollment.delete(fabrikam);
      }
    });

    it('refuses a private key, a key on another curve and a request without a user', async () => {
      const key = await newDeviceKey();
      const token = await host.token('sharer@contoso.example');
      const withPrivate = await host.post('/api/enroll', token, { name: 'x', publicKeyJwk: { ...key.publicJwk, d: key.publicJwk.x }, properties: healthy });
      assert.equal(withPrivate.status, 400);
      assert.equal((withPrivate.json as Ack<unknown>).ok, false);
      const otherCurve = await host.post('/api/enroll', token, { name: 'x', publicKeyJwk: { ...key.publicJwk, crv: 'P-384' }, properties: healthy });
      assert.equal(otherCurve.status, 400);
      const anonymous = await host.post('/api/enroll', 'not-a-token', { name: 'x', publicKeyJwk: key.publicJwk, properties: healthy });
      assert.equal(anonymous.status, 401);
    });

    it('re-evaluates enrolled devices when the compliance policy changes', async () => {
      const { ack } = await enroll('helper@contoso.example', { platform: 'macOS', osVersion: '14.5', diskEncryption: true, firewall: true });
      assert.ok(ack.ok);
      host.policies.set(contoso, { ...defaultCompliancePolicy, minOsVersion: { ...defaultCompliancePolicy.minOsVersion, macOS: '15.0' } });
      try {
        assert.ok((await host.trust.reevaluate(contoso)) >= 1);
        const now = await host.directory.device(contoso, ack.value.device.id);
        assert.equal(now?.compliance, 'noncompliant');
        assert.deepEqual(now?.complianceReasons, ['OS version 14.5 is below the minimum 15.0']);
        assert.equal(await host.trust.reevaluate(contoso), 0, 'nothing changes twice');
      } finally {
        host.policies.delete(contoso);
        await host.trust.reevaluate(contoso);
      }
    });

    /** A report as an agent on the device sends it: a relay challenge signed by the device key. */
    async function signedReport(token: string, deviceId: string, keys: Awaited<ReturnType<typeof newDeviceKey>>['keys'], properties: DeviceProperties) {
      const issued = (await host.post('/api/devices/challenge', token, {})).json as Ack<{ challenge: string }>;
      assert.ok(issued.ok);
      const proof = { deviceId, challenge: issued.value.challenge, signature: await sign(keys, issued.value.challenge) };
      return { proof, res: await host.post(`/api/devices/${deviceId}/report`, token, { properties, proof }) };
    }

    it('takes a check-in report signed by the device key from the device\'s own user, and refuses anyone else\'s', async () => {
      const { keys, ack } = await enroll('sharer@contoso.example', { ...healthy, firewall: false });
      assert.ok(ack.ok);
      const id = ack.value.device.id;
      const mine = await signedReport(await host.token('sharer@contoso.example'), id, keys, healthy);
      assert.equal(mine.res.status, 200);
      assert.equal((await host.directory.device(contoso, id))?.compliance, 'compliant');
      const other = await signedReport(await host.token('helper@contoso.example'), id, keys, healthy);
      assert.equal(other.res.status, 404);
    });

    it('refuses a report without proof that the caller holds the device key', async () => {
      const { keys, ack } = await enroll('sharer@contoso.example', { ...healthy, firewall: false });
      assert.ok(ack.ok);
      const id = ack.value.device.id;
      const token = await host.token('sharer@contoso.example');
      // Properties alone (what a signed-in user could send from anywhere): refused, the device unchanged.
      const bare = await host.post(`/api/devices/${id}/report`, token, { properties: healthy });
      assert.equal(bare.status, 400);
      assert.equal((bare.json as Ack<unknown>).ok, false);
      // Signed by another key: refused as an invalid proof.
      const stranger = await newDeviceKey();
      const forged = await signedReport(token, id, stranger.keys, healthy);
      assert.equal(forged.res.status, 403);
      const refused = forged.res.json as Ack<unknown>;
      assert.equal(!refused.ok && refused.error.code, 'device-proof-invalid');
      // A proof is used once: replaying an accepted report's proof is refused.
      const accepted = await signedReport(token, id, keys, { ...healthy, firewall: false });
      assert.equal(accepted.res.status, 200);
      const replay = await host.post(`/api/devices/${id}/report`, token, { properties: healthy, proof: accepted.proof });
      assert.equal(replay.status, 403);
      assert.equal((await host.directory.device(contoso, id))?.compliance, 'noncompliant');
      assert.deepEqual((await host.directory.device(contoso, id))?.complianceReasons, ['Firewall is off']);
    });
  });

  describe('the proof at join', () => {
    it('verifies a signature over a fresh challenge by the enrolled key', async () => {
      const { keys, ack } = await enroll('sharer@contoso.example');
      assert.ok(ack.ok);
      const user = await host.user('sharer@contoso.example');
      const challenge = await host.trust.challenge(user);
      assert.match(challenge, /^[A-Za-z0-9_-]{43}$/);
      const result = await host.trust.verifyProof(user, { deviceId: ack.value.device.id, challenge, signature: await sign(keys, challenge) });
      assert.deepEqual(result, { ok: true, value: { deviceId: ack.value.device.id } });
    });

    it('accepts the proof from another user of the same tenant on that browser (the device is the tenant\'s)', async () => {
      const { keys, ack } = await enroll('sharer@contoso.example');
      assert.ok(ack.ok);
      const other = await host.user('admin@contoso.example');
      const challenge = await host.trust.challenge(other);
      const result = await host.trust.verifyProof(other, { deviceId: ack.value.device.id, challenge, signature: await sign(keys, challenge) });
      assert.equal(result.ok, true);
    });

    describe('refuses with device-proof-invalid', () => {
      const refused = (r: Ack<unknown>): void => {
        assert.equal(r.ok, false);
        assert.equal(!r.ok && r.error.code, 'device-proof-invalid');
      };

      it('a replayed challenge (each one works once)', async () => {
        const { keys, ack } = await enroll('sharer@contoso.example');
        assert.ok(ack.ok);
        const user = await host.user('sharer@contoso.example');
        const challenge = await host.trust.challenge(user);
        const proof = { deviceId: ack.value.device.id, challenge, signature: await sign(keys, challenge) };
        assert.equal((await host.trust.verifyProof(user, proof)).ok, true);
        refused(await host.trust.verifyProof(user, proof));
      });

      it('a challenge issued to another user', async () => {
        const { keys, ack } = await enroll('sharer@contoso.example');
        assert.ok(ack.ok);
        const challenge = await host.trust.challenge(await host.user('helper@contoso.example'));
        const user = await host.user('sharer@contoso.example');
        refused(await host.trust.verifyProof(user, { deviceId: ack.value.device.id, challenge, signature: await sign(keys, challenge) }));
      });

      it('an expired challenge (older than two minutes)', async () => {
        const { keys, ack } = await enroll('sharer@contoso.example');
        assert.ok(ack.ok);
        const user = await host.user('sharer@contoso.example');
        const challenge = await host.trust.challenge(user);
        host.advance(challengeTtlMs + 1);
        refused(await host.trust.verifyProof(user, { deviceId: ack.value.device.id, challenge, signature: await sign(keys, challenge) }));
      });

      it('a challenge the relay never issued', async () => {
        const { keys, ack } = await enroll('sharer@contoso.example');
        assert.ok(ack.ok);
        const user = await host.user('sharer@contoso.example');
        const challenge = 'A'.repeat(43);
        refused(await host.trust.verifyProof(user, { deviceId: ack.value.device.id, challenge, signature: await sign(keys, challenge) }));
      });

      it('a device key enrolled in another tenant', async () => {
        const { keys, ack } = await enroll('sharer@fabrikam.example');
        assert.ok(ack.ok);
        const user = await host.user('sharer@contoso.example');
        const challenge = await host.trust.challenge(user);
        refused(await host.trust.verifyProof(user, { deviceId: ack.value.device.id, challenge, signature: await sign(keys, challenge) }));
      });

      it('a signature by a different key than the device\'s, and the challenge is spent by the failure', async () => {
        const { keys, ack } = await enroll('sharer@contoso.example');
        assert.ok(ack.ok);
        const stranger = await newDeviceKey();
        const user = await host.user('sharer@contoso.example');
        const challenge = await host.trust.challenge(user);
        refused(await host.trust.verifyProof(user, { deviceId: ack.value.device.id, challenge, signature: await sign(stranger.keys, challenge) }));
        // Even the right device cannot use that challenge now.
        refused(await host.trust.verifyProof(user, { deviceId: ack.value.device.id, challenge, signature: await sign(keys, challenge) }));
      });

      it('malformed proofs: unknown device, DER-length signature, garbage, missing fields', async () => {
        const { keys, ack } = await enroll('sharer@contoso.example');
        assert.ok(ack.ok);
        const user = await host.user('sharer@contoso.example');
        const c1 = await host.trust.challenge(user);
        refused(await host.trust.verifyProof(user, { deviceId: 'no-such-device', challenge: c1, signature: await sign(keys, c1) }));
        const c2 = await host.trust.challenge(user);
        const der = Buffer.concat([Buffer.from([0x30, 0x44]), Buffer.from(await sign(keys, c2), 'base64url'), Buffer.from([0, 0])]).toString('base64url');
        refused(await host.trust.verifyProof(user, { deviceId: ack.value.device.id, challenge: c2, signature: der }));
        const c3 = await host.trust.challenge(user);
        refused(await host.trust.verifyProof(user, { deviceId: ack.value.device.id, challenge: c3, signature: '!!not base64url at all!!' }));
        // The malformed try spent c3: a correct signature afterwards is refused too.
        refused(await host.trust.verifyProof(user, { deviceId: ack.value.device.id, challenge: c3, signature: await sign(keys, c3) }));
        refused(await host.trust.verifyProof(user, { deviceId: ack.value.device.id } as never));
        refused(await host.trust.verifyProof(user, null as never));
      });
    });

    it('never logs a challenge or a signature', async () => {
      const { keys, ack } = await enroll('sharer@contoso.example');
      assert.ok(ack.ok);
      const user = await host.user('sharer@contoso.example');
      const challenge = await host.trust.challenge(user);
      const signature = await sign(keys, challenge);
      await host.trust.verifyProof(user, { deviceId: 'nope', challenge, signature });
      const all = host.logs.join('\n');
      assert.ok(!all.includes(challenge) && !all.includes(signature));
      assert.match(all, /device proof refused/);
    });
  });
}));
