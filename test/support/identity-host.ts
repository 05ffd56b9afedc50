// A tiny HTTPS host for the identity part alone: a Koa app on port 0 with createIdentity's routes and
// the devices API (which reads the directory and the reports), a real directory file, a real report log
// and the local CA in a temp folder. (The full relay has its own test helper.)
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Koa from 'koa';
import compose from 'koa-compose';
import { createDirectory, seedDemoTenants, type DirectoryStore } from '#relay/directory/index.js';
import { createIdentity, devicesApi, type Identity, type IdentityDeps } from '#relay/identity/index.js';
import { createReportLog, type ReportStore } from '#relay/reports/index.js';
import { systemClock, type Log } from '#relay/ports.js';
import { ensureLocalCertificate } from '#relay/tls/local-ca.js';

export interface IdentityHost {
  baseUrl: string;
  ca: string;
  dataDir: string;
  directory: DirectoryStore;
  reports: ReportStore;
  identity: Identity;
  logs: { level: string; msg: string; fields?: Record<string, unknown> }[];
  /** Closes the identity and the directory and opens them again from the same data folder, behind the
   * same HTTPS listener: the URL stays, as a relay's public URL does across a restart, and no port is
   * given up that another process could take meanwhile. */
  restart(): Promise<IdentityHost>;
  close(): Promise<void>;
}

/** What a test may set on the identity: its clock (the system's by default) and the sign-in limits. */
export type IdentityHostOptions = Partial<Pick<IdentityDeps, 'clock' | 'signInLimits' | 'webSignInLimits' | 'kept'>> & {
  /** Wraps the directory the identity uses (e.g. to count password checks); the host keeps the real one. */
  wrapDirectory?: (directory: DirectoryStore) => DirectoryStore;
};

export async function startIdentityHost(dataDir?: string, port = 0, options: IdentityHostOptions = {}): Promise<IdentityHost> {
  const dir = dataDir ?? (await mkdtemp(join(tmpdir(), 'rh-identity-')));
  const logs: IdentityHost['logs'] = [];
  const log: Log = {
    info: (msg, fields) => logs.push({ level: 'info', msg, ...(fields ? { fields } : {}) }),
    warn: (msg, fields) => logs.push({ level: 'warn', msg, ...(fields ? { fields } : {}) }),
    error: (msg, fields) => logs.push({ level: 'error', msg, ...(fields ? { fields } : {}) }),
  };
  const cert = await ensureLocalCertificate(dir, []);
  // Bound first: the public URL (and so the identity) is known once the server listens on its port.
  const server: Server = createServer({ key: cert.key, cert: cert.cert });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const baseUrl = `https://localhost:${(server.address() as AddressInfo).port}`;
  const ca = await readFile(cert.caCertPath, 'utf8');
  const { wrapDirectory, clock = systemClock, ...limits } = options;
  // The listener outlives a restart; each opening of the identity puts its own routes behind it.
  let routes: Identity['routes'] | undefined;
  const app = new Koa();
  app.silent = true;
  app.use((ctx, next) => (routes ? routes(ctx, next) : next()));
  server.on('request', app.callback());

  const open = async (): Promise<IdentityHost> => {
    const directory = createDirectory({ dataDir: dir });
    await seedDemoTenants(directory);
    const identity = await createIdentity({
      publicUrl: baseUrl, dataDir: dir, directory: wrapDirectory ? wrapDirectory(directory) : directory, log, clock, caCertPath: cert.caCertPath, ...limits,
    });
    const reports = createReportLog({ dataDir: dir, clock });
    routes = compose([identity.routes, devicesApi({ directory, auth: identity, reports })]);
    return {
      baseUrl, ca, dataDir: dir, directory, reports, identity, logs,
      async restart() {
        routes = undefined;
        await identity.close();
        await reports.close();
        directory.close();
        return open();
      },
      async close() {
        await identity.close();
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await reports.close();
        directory.close();
        if (!dataDir) await rm(dir, { recursive: true, force: true });
      },
    };
  };
  return open();
}
