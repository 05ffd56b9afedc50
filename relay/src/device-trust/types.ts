// What the device-trust part offers besides the join-time proof (ports.ts DeviceTrust): enrollment and
// check-ins, which its HTTP routes (enroll-routes.ts) carry.
import type { Ack, DeviceProof, DeviceProperties, EcPublicJwk, EnrollResult } from '#protocol';
import type { AuthUser } from '../ports.js';

export interface DeviceEnrollment {
  /** A fresh, single-use challenge bound to this user (as for a proof at join). */
  challenge(user: AuthUser): Promise<string>;
  enroll(user: AuthUser, req: { name: string; publicKeyJwk: EcPublicJwk; properties: DeviceProperties }): Promise<Ack<EnrollResult>>;
  /** A check-in with fresh properties, accepted only with a proof by that device's key over a challenge
   * issued to this user (as at join), and only from the user who enrolled it. */
  report(user: AuthUser, deviceId: string, properties: DeviceProperties, proof: DeviceProof): Promise<Ack<EnrollResult>>;
  /** The device as the directory holds it now (approved yet?), for a signed-in user of its tenant: the
   * /enroll page asks on a re-visit. An unknown id, or one whose key was removed, answers not-found. */
  status(user: AuthUser, deviceId: string): Promise<Ack<EnrollResult>>;
}
