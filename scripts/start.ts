// `npm start` on a developer's machine: the relay, then the helper console, then the lines to click.
//
// The relay runs as a CHILD process (`node --import tsx relay/src/main.ts`, with the relay's Node.js flags): main.ts is the relay's one composition
// root and exactly what a server runs, so `npm start` exercises it instead of a second wiring of the
// same parts here; its JSON log goes to a file so the lines below stay readable; and a crash of one
// side shows as such instead of taking the other down. The console host runs IN this process (it is
// the console host's composition: `startConsole`), Electron — where its binary exists — as a child.
//
// Env: RH_PORT (default 8443), RH_DATA_DIR (default ./data; the relay keeps ./data/relay, the
// console ./data/console). Ctrl-C stops everything.
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, createWriteStream, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { request } from 'node:https';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { relayNodeFlags } from '#relay/node-flags.js';
import { demoPassword, demoUsers } from '#relay/directory/demo-data.js';
import { ensurePrivateDir, privateFileMode, tightenTree } from '#relay/sqlite/private-files.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function fatal(message: string): never {
  console.error(`npm start: ${message}`);
  process.exit(1);
}

const portText = process.env.RH_PORT?.trim() || '8443';
const port = Number(portText);
if (!Number.isInteger(port) || port < 1 || port > 65535) fatal(`RH_PORT must be a port number from 1 to 65535, got "${portText}"`);
const dataDir = resolve(process.env.RH_DATA_DIR?.trim() || join(root, 'data'));
const relayDataDir = join(dataDir, 'relay');
const consoleDataDir = join(dataDir, 'console');
const caCertPath = join(relayDataDir, 'tls', 'ca.pem');
const relayUrl = `https://localhost:${port}`;
// Owner-only, both parts' data and the logs (the relay's holds password hashes and the CA's key); what
// an earlier run left readable is tightened now. The children inherit the umask.
process.umask(0o077);
ensurePrivateDir(dataDir);
mkdirSync(relayDataDir, { recursive: true, mode: 0o700 });
mkdirSync(consoleDataDir, { recursive: true, mode: 0o700 });
const tightened = tightenTree(dataDir);
if (tightened.length > 0) console.log(`npm start: ${dataDir} was readable by others: tightened to owner-only (${tightened.length} paths)`);

const children: ChildProcess[] = [];
const cleanups: (() => Promise<void>)[] = [];
let stopping = false;

async function stopAll(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    for (const c of cleanups.reverse()) await c().catch((e: unknown) => console.error(`npm start: while stopping: ${String(e)}`));
    await Promise.all(children.map((c) => stopChild(c)));
  }
  process.exit(code);
}
process.once('SIGINT', () => { console.log('\nStopping…'); void stopAll(0); });
process.once('SIGTERM', () => void stopAll(0));

/** SIGTERM, then SIGKILL if the child has not gone within 5 s. */
function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((done) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => { clearTimeout(force); done(); });
    child.kill('SIGTERM');
  });
}

// ---- relay -------------------------------------------------------------------------------------
const relayLogPath = join(dataDir, 'relay.log');
const relayLog = createWriteStream(relayLogPath, { flags: 'a', mode: privateFileMode });
// As the systemd unit runs it: node itself with the relay's flags (relay/src/node-flags.ts), tsx as a loader.
const relay = spawn(process.execPath, [...relayNodeFlags, '--import', 'tsx', join(root, 'relay', 'src', 'main.ts')], {
  cwd: root,
  // npm start is the embedded demo: a configuration file in the shell's environment is not for it.
  env: { ...process.env, RH_CONFIG: '', RH_PORT: String(port), RH_DATA_DIR: relayDataDir, RH_WEB_DIST: join(root, 'dist', 'web') },
  stdio: ['ignore', 'pipe', 'pipe'],
});
children.push(relay);
relay.stdout?.pipe(relayLog);
let relayStderr = '';
relay.stderr?.on('data', (d: Buffer) => { relayStderr += d.toString(); relayLog.write(d); });
relay.once('exit', (code, signal) => {
  if (stopping) return;
  const hint = /EADDRINUSE/.test(relayStderr) ? ` Port ${port} is already in use: stop what uses it, or choose another with RH_PORT.` : '';
  console.error(`npm start: the relay stopped (${signal ?? `exit code ${code}`}).${hint}${relayStderr ? `\n${relayStderr.trim()}` : ''}\nRelay log: ${relayLogPath}`);
  void stopAll(1);
});

/** The relay is up when it answers over HTTPS with the certificate its own local CA signed. */
function relayAnswers(): Promise<boolean> {
  if (!existsSync(caCertPath)) return Promise.resolve(false);
  return new Promise((done) => {
    const req = request(`${relayUrl}/auth/me`, { ca: readFileSync(caCertPath), timeout: 2_000 }, (res) => {
      res.resume();
      done((res.statusCode ?? 500) < 500);
    });
    req.on('error', () => done(false));
    req.on('timeout', () => { req.destroy(); done(false); });
    req.end();
  });
}

const deadline = Date.now() + 60_000;
while (!(await relayAnswers())) {
  if (stopping) await new Promise(() => undefined); // exit is under way
  if (Date.now() > deadline) {
    console.error(`npm start: the relay did not answer on ${relayUrl} within 60 s. Relay log: ${relayLogPath}`);
    await stopAll(1);
  }
  await new Promise((r) => setTimeout(r, 200));
}

// ---- console -----------------------------------------------------------------------------------
/** Where the electron package's binary would be. Not `require('electron')`: with the binary missing
 * that starts a download from outside, which on these machines fails or hangs. */
function electronBinary(): string | undefined {
  const pkg = join(root, 'node_modules', 'electron');
  const pathFile = join(pkg, 'path.txt');
  if (!existsSync(pathFile)) return undefined;
  const relative = readFileSync(pathFile, 'utf8').trim();
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  const full = override ? join(override, relative || 'electron') : join(pkg, 'dist', relative);
  try {
    accessSync(full, constants.X_OK);
    return full;
  } catch {
    return undefined;
  }
}

const consoleEnv = { ...process.env, RH_RELAY_URL: relayUrl, RH_CA_CERT: caCertPath, RH_CONSOLE_DATA_DIR: consoleDataDir };
const electron = electronBinary();
const electronMain = join(root, 'dist', 'desktop', 'electron-main.cjs');
let consoleUrl: string;
if (electron && existsSync(electronMain)) {
  console.log('Console: Electron');
  const app = spawn(electron, [root], { cwd: root, env: consoleEnv, stdio: ['ignore', 'inherit', 'inherit'] });
  children.push(app);
  // Closing the console window ends the session of work: stop the relay too.
  app.once('exit', () => { if (!stopping) void stopAll(0); });
  consoleUrl = 'the Electron window that just opened';
} else {
  console.log(electron
    ? `Console: console host (Electron app not built: ${electronMain} is missing)`
    : 'Console: console host (no Electron binary here)');
  const { loadConfig } = await import('#desktop/main/config.js');
  const { startConsole } = await import('#desktop/main/console-host/start-console.js');
  let running;
  try {
    running = await startConsole({ config: loadConfig(consoleEnv) });
  } catch (e) {
    console.error(`npm start: the console host did not start: ${(e as Error).message}`);
    await stopAll(1);
    throw e; // unreachable: stopAll exits
  }
  cleanups.push(() => running.close());
  consoleUrl = running.url;
}

console.log(`Helper console: ${consoleUrl}`);
console.log(`Web helper: ${relayUrl}/rhh`);
console.log(`Sharer page: ${relayUrl}/rh`);
console.log(`Demo users (password ${demoPassword}):`);
for (const u of Object.values(demoUsers)) {
  console.log(`  ${u.upn.padEnd(36)} ${u.name}, ${u.jobTitle}${u.roles.length ? ` — ${u.roles.join(', ')}` : ''}`);
}
console.log(`Your browser will warn about the certificate: it is signed by the local CA in ${caCertPath}.`);
console.log(`Relay log: ${relayLogPath}. Press Ctrl-C to stop.`);
