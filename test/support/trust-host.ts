// A small HTTPS host for device trust: the embedded identity (real sign-in, real tokens) plus
// createDeviceTrust's routes, on port 0 with a real directory and device-trust.db in a temp folder.
// The clock is the test's, so a challenge can be aged past its two minutes without waiting.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { webcrypto } from 'node:crypto';
import Koa from 'koa';
import type { CompliancePolicy, EcPublicJwk } from '#protocol';
import { createDeviceTrust, enrollRoutes, type DeviceTrustPart } from '#relay/device-trust/index.js';
import { createDirectory, demoPassword, seedDemoTenants, type DirectoryStore } from '#relay/directory/index.js';
import { createIdentity, type Identity } from '#relay/identity/index.js';
import { defaultCompliancePolicy } from '#relay/policy/compliance.js';
import { systemClock, type AuthUser, type Log } from '#relay/ports.js';
import type { KeptStores } from '#relay/start-relay.js';
import { ensureLocalCertificate } from '#relay/tls/local-ca.js';
import { httpsRequest } from './https-fetch.js';
import { signInForToken } from './sign-in.js';

export interface TrustHost {
  baseUrl: string;
  ca: string;
  directory: DirectoryStore;
  trust: DeviceTrustPart;
  /** Per-tenant switches the test turns. */
  allowEnrollment: Map<string, boolean>;
  policies: Map<string, CompliancePolicy>;
  /** Moves the relay's clock forward. */
  advance(ms: number): void;
  logs: string[];
  token(email: string): Promise<string>;
  user(email: string): Promise<AuthUser>;
  post(path: string, token: string, body: unknown): Promise<{ status: number; json: unknown }>;
  get(path: string, token: string): Promise<{ status: number; json: unknown }>;
  close(): Promise<void>;
}

/** `kept`: the stores outside the data folder (PostgreSQL); absent, device-trust.db and the identity's files there. */
export async function startTrustHost(opts: { kept?: KeptStores | undefined } = {}): Promise<TrustHost> {
  const dir = await mkdtemp(join(tmpdir(), 'rh-trust-'));
  const logs: string[] = [];
  const log: Log = {
    info: (msg, fields) => logs.push(JSON.stringify({ msg, ...fields })),
    warn: (msg, fields) => logs.push(JSON.stringify({ msg, ...fields })),
    error: (msg, fields) => logs.push(JSON.stringify({ msg, ...fields })),
  };
  const directory = createDirectory({ dataDir: dir });
  await seedDemoTenants(directory);
  const cert = await ensureLocalCertificate(dir, []);
  let offset = 0;
  const clock = { now: () => Date.now() + offset };
  const allowEnrollment = new Map<string, boolean>();
  const policies = new Map<string, CompliancePolicy>();
  // Bound first: the public URL (and so the identity) is known once the server listens on its port.
  const server: Server = createServer({ key: cert.key, cert: cert.cert });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseUrl = `https://localhost:${(server.address() as AddressInfo).port}`;
  const identity: Identity = await createIdentity({
    publicUrl: baseUrl, dataDir: dir, directory, log, clock: systemClock, caCertPath: cert.caCertPath, kept: opts.kept,
  });
  const trust = createDeviceTrust({
    dataDir: dir, directory, clock, log,
    compliancePolicy: async (t) => policies.get(t) ?? defaultCompliancePolicy,
    settings: async (t) => ({ allowEnrollment: allowEnrollment.get(t) ?? true }),
    ...(opts.kept ? { keys: opts.kept.deviceKeys } : {}),
  });
  const app = new Koa();
  app.silent = true;
  app.use(enrollRoutes({ enrollment: trust, auth: identity }));
  app.use(identity.routes);
  server.on('request', app.callback());
  const ca = await readFile(cert.caCertPath, 'utf8');
  const tokens = new Map<string, Promise<string>>();
  const token = (email: string): Promise<string> => {
    if (!tokens.has(email)) tokens.set(email, signInForToken(baseUrl, email, demoPassword, ca));
    return tokens.get(email)!;
  };
  return {
    baseUrl, ca, directory, trust, allowEnrollment, policies, logs, token,
    advance: (ms) => void (offset += ms),
    async user(email) {
      const verified = await identity.verifyAccessToken(await token(email));
      if (!verified.ok) throw new Error(verified.error.message);
      return verified.value;
    },
    async post(path, bearer, body) {
      const res = await httpsRequest(`${baseUrl}${path}`, ca, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${bearer}` },
        body: JSON.stringify(body),
      });
      return { status: res.status, json: JSON.parse(res.body) as unknown };
    },
    async get(path, bearer) {
      const res = await httpsRequest(`${baseUrl}${path}`, ca, { method: 'GET', headers: { authorization: `Bearer ${bearer}` } });
      return { status: res.status, json: JSON.parse(res.body) as unknown };
    },
    async close() {
      await identity.close();
      await trust.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      directory.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A device key as the enrollment page makes it: P-256, private half not extractable. */
export async function newDeviceKey(): Promise<{ keys: webcrypto.CryptoKeyPair; publicJwk: EcPublicJwk }> {
  const keys = await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify']);
  const publicJwk = (await webcrypto.subtle.exportKey('jwk', keys.publicKey)) as EcPublicJwk;
  return { keys, publicJwk };
}

/** The proof's signature: ECDSA P-256 / SHA-256 over the UTF-8 challenge, P1363, base64url. */
export async function sign(keys: webcrypto.CryptoKeyPair, challenge: string): Promise<string> {
  const sig = await webcrypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, keys.privateKey, new TextEncoder().encode(challenge));
  return Buffer.from(sig).toString('base64url');
}
