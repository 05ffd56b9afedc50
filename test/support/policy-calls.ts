// What policy tests do against the live relay: admin API calls over HTTPS with a real token, device
// enrollment with a real non-extractable-style WebCrypto key, device proofs over the real socket, and
// fresh sign-ins (a role assignment reaches the next token, never an old one).
import { webcrypto } from 'node:crypto';
import type { Ack, AdminMethod, CaRule, DeviceProof, DeviceProperties, SessionReport } from '#protocol';
import { adminPath } from '#protocol';
import { demoPassword } from '#relay/directory/index.js';
import { httpsRequest } from './https-fetch.js';
import { connected, request, valueOf, type ClientSocket, type TestRelay } from './relay.js';
import { signInForToken, type SignInOptions } from './sign-in.js';

export async function adminCall<T = unknown>(
  t: TestRelay, token: string | undefined, method: AdminMethod | string, args: unknown = {}, headers: Record<string, string> = {},
): Promise<{ status: number; ack: Ack<T> }> {
  const res = await httpsRequest(`${t.url}${adminPath(method as AdminMethod)}`, t.caPem, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    body: JSON.stringify(args),
  });
  return { status: res.status, ack: JSON.parse(res.body) as Ack<T> };
}

/** A token from a sign-in made now (the roles claim as the directory says today). */
export function freshToken(t: TestRelay, email: string, opts: SignInOptions = {}): Promise<string> {
  return signInForToken(t.url, email, demoPassword, t.caPem, opts);
}

/** A socket for a token, optionally claiming a browser's User-Agent. */
export async function connectWith(t: TestRelay, token: string, userAgent?: string): Promise<ClientSocket> {
  return connected(t.socket({ token }, userAgent ? { headers: { 'user-agent': userAgent } } : {}));
}

export interface EnrolledDevice {
  deviceId: string;
  privateKey: webcrypto.CryptoKey;
}

/** Enrolls a browser-like device for the token's user through POST /api/enroll. */
export async function enroll(t: TestRelay, token: string, name: string, properties: DeviceProperties): Promise<EnrolledDevice> {
  const pair = await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify']);
  const jwk = await webcrypto.subtle.exportKey('jwk', pair.publicKey);
  const res = await httpsRequest(`${t.url}/api/enroll`, t.caPem, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ name, publicKeyJwk: { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y }, properties }),
  });
  if (res.status !== 200) throw new Error(`enroll answered ${res.status}: ${res.body}`);
  const ack = JSON.parse(res.body) as Ack<{ device: { id: string } }>;
  return { deviceId: valueOf(ack).device.id, privateKey: pair.privateKey };
}

/** What the sharer page does before join: ask for a challenge, sign it with the device key. */
export async function proofFor(s: ClientSocket, device: EnrolledDevice): Promise<DeviceProof> {
  const { challenge } = valueOf(await request(s, 'device:challenge', {}));
  const signature = await webcrypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, device.privateKey, new TextEncoder().encode(challenge));
  return { deviceId: device.deviceId, challenge, signature: Buffer.from(signature).toString('base64url') };
}

export const goodWindows: DeviceProperties = { platform: 'Windows', osVersion: '10.0.26100', diskEncryption: true, firewall: true };
export const badWindows: DeviceProperties = { platform: 'Windows', osVersion: '10.0.26100', diskEncryption: false, firewall: true };

let ruleSeq = 0;
export function caRule(over: Partial<CaRule> & Pick<CaRule, 'conditions' | 'grant'>): CaRule {
  const n = ++ruleSeq;
  return { id: `test-rule-${n}`, name: `Test rule ${n}`, enabled: true, mode: 'enforce', appliesTo: 'both', ...over };
}

/** Reports of the admin's tenant, newest matching first as the log lists them. */
export async function reportsOf(t: TestRelay, adminToken: string, query: Record<string, unknown> = {}): Promise<SessionReport[]> {
  const { ack } = await adminCall<{ items: SessionReport[] }>(t, adminToken, 'listReports', { limit: 500, ...query });
  return valueOf(ack).items;
}

export const errorCode = (ack: Ack<unknown>): string => (ack.ok ? 'ok' : ack.error.code);
