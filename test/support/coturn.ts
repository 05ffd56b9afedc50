// A real TURN server (Debian's coturn, installed by `npm run setup -- --test`) for the tests of the
// firewall path: its own process on loopback ports, checking the TURN REST API credentials the relay
// makes (use-auth-secret), stopped by its PID. Its log lines are kept: what a test asserts it did
// (allocations by which username, 401 for credentials it refused) is read there.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const turnserverBinary = '/usr/bin/turnserver';

export interface CoturnOptions {
  /** The shared secret (the relay's RH_TURN_SECRET, or another one to see refusals). */
  secret: string;
  /** Plain TURN over UDP (turn:127.0.0.1:PORT?transport=udp). */
  udpPort: number;
  /** TURN over TLS on TCP (turns:127.0.0.1:PORT?transport=tcp), with this certificate. */
  tlsPort: number;
  certFile: string;
  keyFile: string;
  /** Which client listeners to open: a network that lets only TLS on a 443-style port through is
   * one with `udp: false`; `tcp`: plain TURN over TCP on the UDP listener's port
   * (turn:127.0.0.1:PORT?transport=tcp), closed unless asked for. */
  listeners: { udp: boolean; tcp?: boolean; tls: boolean };
}

export interface Coturn {
  /** Every line it logged so far. */
  readonly log: string[];
  stop(): Promise<void>;
}

export async function startCoturn(opts: CoturnOptions): Promise<Coturn> {
  if (!existsSync(turnserverBinary)) throw new Error(`${turnserverBinary} is missing: run npm run setup -- --test (Debian's coturn)`);
  // Its own user database file: coturn opens one even with a static secret, and must not touch the system's.
  const dir = mkdtempSync(join(tmpdir(), 'rh-coturn-'));
  const args = [
    '-n', '--verbose', '--no-cli', '--log-file=stdout', '--simple-log', '--no-software-attribute',
    '--listening-ip=127.0.0.1', '--relay-ip=127.0.0.1',
    // Both browsers of a test relay through this one server on 127.0.0.1: peers on the loopback must
    // be allowed (never in production).
    '--allow-loopback-peers',
    '--use-auth-secret', `--static-auth-secret=${opts.secret}`, '--realm=remote-help.test',
    `--listening-port=${opts.udpPort}`, `--tls-listening-port=${opts.tlsPort}`,
    `--cert=${opts.certFile}`, `--pkey=${opts.keyFile}`,
    `--userdb=${join(dir, 'turndb')}`, `--pidfile=${join(dir, 'turnserver.pid')}`,
    '--no-dtls',
    ...(opts.listeners.udp ? [] : ['--no-udp']),
    ...(opts.listeners.tcp ? [] : ['--no-tcp']),
    ...(opts.listeners.tls ? [] : ['--no-tls']),
  ];
  const child = spawn(turnserverBinary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const log: string[] = [];
  let partial = '';
  const ready = new Promise<boolean>((resolve) => {
    const read = (d: Buffer) => {
      const lines = (partial + d.toString()).split('\n');
      partial = lines.pop() ?? '';
      log.push(...lines);
      // The listeners are opened before this line (checked with coturn 4.6.1).
      if (lines.some((l) => /Total General servers/.test(l))) resolve(true);
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    child.once('exit', () => resolve(false));
    child.once('error', () => resolve(false));
  });
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      const gone = once(child, 'exit');
      child.kill('SIGTERM');
      await gone;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  const started = await ready;
  clearTimeout(timer);
  const bindFailed = log.some((l) => /Cannot bind|Address already in use/i.test(l));
  if (!started || bindFailed) {
    await stop();
    throw new Error(`turnserver did not start: ${log.slice(-30).join('\n')}`);
  }
  return { log, stop };
}
