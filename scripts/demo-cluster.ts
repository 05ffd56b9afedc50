// `npm run demo:cluster`: several nodes on one machine, as DESIGN §12 lays them out — Redis, PostgreSQL
// and two relay nodes (relay/src/main.ts, the embedded demo) sharing both (the kept data and the
// provider's keys are in PostgreSQL), and one relay data folder for the local CA. Each node answers at
// its own HTTPS address and is its own public URL, so a person can open the web helper on node A and
// the sharer page on node B and watch them meet through Redis. In production the nodes share one
// public URL behind a load balancer.
//
// Everything runs as a child of this process, its data under RH_DATA_DIR/cluster (default
// ./data/cluster), kept across runs. Ctrl-C stops the nodes first (they drain), then Redis and
// PostgreSQL. Env: RH_DATA_DIR; RH_PORT (node A, default 8443) and RH_PORT_B (node B, default
// RH_PORT + 1), 0 for a free port; a default port another program holds is replaced by a free one.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, createWriteStream, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { demoPassword, demoUsers } from '#relay/directory/demo-data.js';
import { readyLine, stopChild } from './services/child-process.js';
import { freePort, portIsFree } from './services/free-port.js';
import { postgresAccount, startKeptPostgres } from './services/postgres.js';
import { startKeptRedis } from './services/redis.js';
import { tightenTree } from '#relay/sqlite/private-files.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function fatal(message: string): never {
  console.error(`demo:cluster: ${message}`);
  process.exit(1);
}

// ---- where and on which ports --------------------------------------------------------------------
const dataDir = resolve(process.env['RH_DATA_DIR']?.trim() || join(root, 'data'));
const clusterDir = join(dataDir, 'cluster');
const relayDataDir = join(clusterDir, 'relay');
const logDir = join(clusterDir, 'logs');

async function nodePort(variable: string, fallback: number): Promise<number> {
  const text = process.env[variable]?.trim();
  const port = text ? Number(text) : fallback;
  if (!Number.isInteger(port) || port < 0 || port > 65535) fatal(`${variable} must be a port number from 0 to 65535, got "${text}"`);
  if (port === 0) return freePort();
  if (await portIsFree(port)) return port;
  if (text) fatal(`port ${port} (${variable}) is already in use: stop what uses it, or choose another`);
  const free = await freePort();
  console.log(`Port ${port} is in use; using ${free} instead.`);
  return free;
}

const portA = await nodePort('RH_PORT', 8443);
let portB = await nodePort('RH_PORT_B', Math.min(portA + 1, 65535));
// Two free ports drawn one after the other may be the same one (neither was held in between).
while (portB === portA) portB = await freePort();

// ---- the data folder: owner-only ----------------------------------------------------------------
// Files this process and its nodes make are their owner's alone, beside the explicit modes below.
process.umask(0o077);
const account = await postgresAccount();
mkdirSync(clusterDir, { recursive: true, mode: 0o700 });
if (account.switched) {
  // Run as root, PostgreSQL runs as `postgres` and must pass through this folder to its own: the
  // postgres group may enter it (not list it), nobody else.
  chownSync(clusterDir, 0, account.gid);
  chmodSync(clusterDir, 0o710);
  const reachable = await promisify(execFile)('test', ['-x', clusterDir], { uid: account.uid, gid: account.gid }).then(() => true, () => false);
  if (!reachable) fatal(`the postgres user cannot reach ${clusterDir}: let others pass through its parent folders (chmod o+x), or set RH_DATA_DIR to a folder it can reach`);
} else {
  chmodSync(clusterDir, 0o700);
}
mkdirSync(relayDataDir, { recursive: true, mode: 0o700 });
mkdirSync(logDir, { recursive: true, mode: 0o700 });
// An earlier run's logs and relay data, left readable: tightened (the relay nodes tighten their own
// folder again at start; PostgreSQL's and Redis's folders are theirs to keep).
const tightened = [...tightenTree(relayDataDir), ...tightenTree(logDir)];
if (tightened.length > 0) console.log(`demo cluster: ${tightened.length} paths under ${clusterDir} were readable by others: tightened to owner-only`);

/** Redis's and PostgreSQL's passwords: made on the first run, kept beside their data. */
function secrets(): { redisPassword: string; postgresPassword: string } {
  const file = join(clusterDir, 'secrets.json');
  if (!existsSync(file)) {
    const made = { redisPassword: randomBytes(24).toString('hex'), postgresPassword: randomBytes(24).toString('hex') };
    writeFileSync(file, JSON.stringify(made, null, 2), { mode: 0o600 });
  }
  chmodSync(file, 0o600);
  return JSON.parse(readFileSync(file, 'utf8')) as { redisPassword: string; postgresPassword: string };
}
const { redisPassword, postgresPassword } = secrets();
const logFile = (name: string) => createWriteStream(join(logDir, name), { flags: 'a', mode: 0o600 });

// ---- stopping: nodes first, then the services they use -------------------------------------------
const nodes: ChildProcess[] = [];
const services: { child: ChildProcess; signal: NodeJS.Signals }[] = [];
let stopping = false;

async function stopAll(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    // SIGTERM drains a node: its clients are told to go, its requests finish; it exits within 10 s.
    await Promise.all(nodes.map((n) => stopChild(n, 'SIGTERM', 15_000)));
    await Promise.all(services.map((s) => stopChild(s.child, s.signal, 30_000)));
    process.exit(code);
  }
  return new Promise<never>(() => undefined); // the first stop exits
}
// `on`, not `once`: a Ctrl-C comes twice (from the terminal, and relayed by tsx's parent process), and
// a second must not end this process while it stops the others.
process.on('SIGINT', () => { if (!stopping) console.log('\nStopping the nodes, then Redis and PostgreSQL…'); void stopAll(0); });
process.on('SIGTERM', () => void stopAll(0));

/** A child that goes while everything runs takes the demo down with it, saying where its log is. */
function watch(child: ChildProcess, what: string, log: string): void {
  child.once('exit', (code, signal) => {
    if (stopping) return;
    console.error(`demo:cluster: ${what} stopped (${signal ?? `exit code ${code}`}); its log: ${join(logDir, log)}`);
    void stopAll(1);
  });
}

/** One step of the start: a failure stops what already runs and says why. */
async function step<T>(what: string, start: () => Promise<T>): Promise<T> {
  if (stopping) return new Promise<never>(() => undefined);
  try {
    return await start();
  } catch (e) {
    console.error(`demo:cluster: ${what}: ${(e as Error).message}`);
    return stopAll(1);
  }
}

// ---- Redis and PostgreSQL ------------------------------------------------------------------------
const redis = await step('Redis did not start', async () => {
  const r = await startKeptRedis({ dir: join(clusterDir, 'redis'), port: await freePort(), password: redisPassword, log: logFile('redis.log') });
  services.push({ child: r.child, signal: 'SIGTERM' });
  watch(r.child, 'Redis', 'redis.log');
  return r;
});
const postgres = await step('PostgreSQL did not start', async () => {
  const log = logFile('postgres.log');
  const started = await startKeptPostgres({ dir: join(clusterDir, 'postgres'), port: await freePort(), password: postgresPassword, database: 'remote_help', log });
  // SIGINT: PostgreSQL's fast shutdown (SIGTERM would wait for every client to leave).
  services.push({ child: started.child, signal: 'SIGINT' });
  watch(started.child, 'PostgreSQL', 'postgres.log');
  return started;
});

// ---- the nodes -----------------------------------------------------------------------------------
const tlsCa = join(relayDataDir, 'tls', 'ca.pem');

async function startNode(name: string, port: number): Promise<string> {
  const publicUrl = `https://localhost:${port}`;
  const logName = `node-${name.toLowerCase()}.log`;
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'relay', 'src', 'main.ts')], {
    cwd: root,
    env: {
      ...process.env,
      // The embedded demo: a configuration file in the shell's environment is not for it.
      RH_CONFIG: '',
      RH_PORT: String(port),
      RH_HOST: 'localhost',
      RH_PUBLIC_URL: publicUrl,
      RH_DATA_DIR: relayDataDir,
      RH_WEB_DIST: join(root, 'dist', 'web'),
      RH_REDIS_URL: redis.url,
      RH_DATABASE_URL: postgres.url,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group: a Ctrl-C at the terminal reaches this process, which drains the nodes.
    detached: true,
  });
  nodes.push(child);
  await readyLine(child, /^Web helper: \S+$/m, logFile(logName), `node ${name}`);
  watch(child, `node ${name}`, logName);
  return publicUrl;
}

// One after the other: the first makes the local CA (in the shared folder), the provider's keys and the
// demo tenants (in PostgreSQL); the second finds them.
const urlA = await step('node A did not start', () => startNode('A', portA));
const urlB = await step('node B did not start', () => startNode('B', portB));

console.log(`Redis: 127.0.0.1:${new URL(redis.url).port} (data in ${join(clusterDir, 'redis')})`);
console.log(`PostgreSQL: 127.0.0.1:${new URL(postgres.url).port}, database remote_help (data in ${join(clusterDir, 'postgres')})`);
console.log(`Node A web helper: ${urlA}/rhh`);
console.log(`Node A sharer page: ${urlA}/rh`);
console.log(`Node B web helper: ${urlB}/rhh`);
console.log(`Node B sharer page: ${urlB}/rh`);
console.log(`Open the web helper on node A and the sharer page on node B: they meet through Redis.`);
console.log(`Demo users (password ${demoPassword}):`);
for (const u of Object.values(demoUsers)) {
  console.log(`  ${u.upn.padEnd(36)} ${u.name}, ${u.jobTitle}${u.roles.length ? ` — ${u.roles.join(', ')}` : ''}`);
}
console.log(`Your browser will warn about the certificate: it is signed by the local CA in ${tlsCa}.`);
console.log(`Data: ${clusterDir} (kept across runs). Logs: ${logDir}. Press Ctrl-C to stop.`);
