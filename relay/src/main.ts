// The relay's composition root: read config, start the relay (startRelay binds it and builds its parts). Nothing else.
import { readFile } from 'node:fs/promises';
import { ConfigError, loadConfig } from './config.js';
import { startRelay } from './start-relay.js';
import { applyConfiguredTenants, assertDemoDataFolder, ConfiguredTenantsError } from './directory/configured-tenants.js';
import { seedDemoTenants } from './directory/index.js';
import { openKeptData, type KeptData } from './kept-data.js';
import { databaseUrlShown, DatabaseUnavailableError } from './pg/connect.js';
import { CertificateFilesError } from './tls/certificate-files.js';
import { createJsonLog } from './log.js';
import { connectRedis, RedisUnavailableError, type RedisClient } from './live/redis-client.js';
import { systemClock } from './ports.js';

/** How long a stop (SIGTERM, SIGINT) may take, draining included, before the process exits anyway. */
const stopTimeoutMs = 10_000;

async function main(): Promise<void> {
  // Whatever this process writes is its owner's alone, beside the explicit modes (sqlite/private-files.ts).
  process.umask(0o077);
  let config;
  try {
    config = loadConfig(process.env);
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message);
      process.exit(2);
    }
    throw e;
  }
  const log = createJsonLog();
  let relay;
  let redis: RedisClient | undefined;
  let data: KeptData | undefined;
  try {
    // The kept data: SQLite in the data folder, or the shared PostgreSQL (which must answer, or no start).
    data = await openKeptData({ dataDir: config.dataDir, databaseUrl: config.databaseUrl, clock: systemClock, log });
    const { directory } = data;
    // Several nodes: live state in the shared Redis; a node that cannot reach it does not start alone.
    if (config.redisUrl) redis = await connectRedis(config.redisUrl, log);
    // The organization's tenants when RH_CONFIG names them; else the embedded demo's two.
    if (config.tenants) await applyConfiguredTenants(directory, config.tenants);
    else {
      await assertDemoDataFolder(directory);
      await seedDemoTenants(directory);
    }
    relay = await startRelay({
      config, directory, log, clock: systemClock, outgoingCa: await extraCaCertificates(process.env), ...(redis ? { redis } : {}),
      ...(data.reports ? { reports: data.reports } : {}), ...(data.kept ? { kept: data.kept } : {}),
    });
  } catch (e) {
    if (e instanceof ConfiguredTenantsError || e instanceof CertificateFilesError || e instanceof RedisUnavailableError || e instanceof DatabaseUnavailableError) {
      console.error(e.message);
      await data?.close().catch(() => undefined);
      redis?.destroy();
      process.exit(2);
    }
    throw e;
  }
  const { url, caCertPath } = relay;
  const kept = data;
  // Which kept data this node serves, for an operator reading the logs of several nodes (no password).
  log.info('relay kept data', { database: config.databaseUrl ? databaseUrlShown(config.databaseUrl) : 'sqlite', dataDir: config.dataDir });
  console.log(`Relay: ${url}`);
  console.log(`Sharer page: ${url}/rh`);
  console.log(`Web helper: ${url}/rhh`);
  if (!config.tls && caCertPath) console.log(`Local CA certificate: ${caCertPath}`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info('relay stopping', { signal });
    // A stop that hangs (a request that never finishes, Redis gone) must not keep an orchestrator waiting.
    setTimeout(() => {
      log.error('relay did not stop in time; exiting anyway', { afterMs: stopTimeoutMs });
      process.exit(1);
    }, stopTimeoutMs).unref();
    await relay.close();
    // After the drain: the relay's parts write reports and keys until they are closed.
    await kept.close();
    // Last: the relay's parts (sessions, the Socket.IO adapter) write to it until they are closed.
    await redis?.close();
    process.exit(0);
  };
  // The operator renewed the certificate files: new connections get them, live sessions go on.
  if (config.tls) process.on('SIGHUP', () => void relay.reloadCertificate());
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

/** The operator's extra CAs for outgoing TLS (DESIGN §11): NODE_EXTRA_CA_CERTS, read here because Node
 * forgets it wherever a request names its own CA list. An unreadable file stops the start with its name. */
async function extraCaCertificates(env: NodeJS.ProcessEnv): Promise<string[]> {
  const file = env['NODE_EXTRA_CA_CERTS'];
  if (!file) return [];
  try {
    return [await readFile(file, 'utf8')];
  } catch (e) {
    throw new CertificateFilesError(`NODE_EXTRA_CA_CERTS: cannot read ${file}: ${(e as Error).message}`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
