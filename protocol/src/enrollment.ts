// Device enrollment (DESIGN §6, device trust): the /enroll page registers this browser's device key
// with the relay. POST /api/enroll and POST /api/devices/{id}/report, JSON in, Ack JSON out.
import { z } from 'zod';
import type { Device } from './models.js';
import { deviceProperties } from './policy.js';

const b64urlCoordinate = z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'a P-256 coordinate is 32 bytes, base64url');

/** The public half of an ECDSA P-256 key as WebCrypto exports it. Strict: a private part (`d`) is refused. */
export const ecPublicJwk = z.strictObject({
  kty: z.literal('EC'),
  crv: z.literal('P-256'),
  x: b64urlCoordinate,
  y: b64urlCoordinate,
  ext: z.boolean().optional(),
  key_ops: z.array(z.string().max(20)).max(8).optional(),
  alg: z.literal('ES256').optional(),
});
export type EcPublicJwk = z.infer<typeof ecPublicJwk>;

export const enrollRequest = z.strictObject({
  name: z.string().trim().min(1).max(100),
  publicKeyJwk: ecPublicJwk,
  properties: deviceProperties,
});
export type EnrollRequest = z.infer<typeof enrollRequest>;

/** A device's check-in with fresh properties (an agent would send these; the page can too). */
export const deviceReportRequest = z.strictObject({ properties: deviceProperties });
export type DeviceReportRequest = z.infer<typeof deviceReportRequest>;

/** The answer to enroll and report: the device as the directory (and so the helper) now sees it. */
export interface EnrollResult {
  device: Device;
}
