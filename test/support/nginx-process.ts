// Debian's nginx (installed by `npm run setup -- --test`) as a process a test starts and stops by its PID:
// its own configuration, pid, logs and temporary files in one temp folder, nothing of the machine's nginx.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from './wait.js';

export const nginxBinary = '/usr/sbin/nginx';

export interface NginxProcess {
  /** Its folder: nginx.conf, nginx.pid, error.log and whatever the configuration writes there. */
  readonly dir: string;
  /** A file of its folder as text ('' while there is none). */
  read(file: string): string;
  stop(): Promise<void>;
}

/**
 * Writes the configuration that `conf(dir)` makes into a fresh folder, starts nginx on it in the
 * foreground, and resolves once `port` on 127.0.0.1 accepts connections.
 */
export async function startNginx(conf: (dir: string) => string, port: number, folderPrefix = 'rh-nginx-'): Promise<NginxProcess> {
  const dir = mkdtempSync(join(tmpdir(), folderPrefix));
  // Run as root, nginx's workers drop to `nobody`: they must reach the temporary-file folders made in here.
  chmodSync(dir, 0o755);
  const file = join(dir, 'nginx.conf');
  writeFileSync(file, conf(dir));
  // -e: the startup error log too, before the configuration's is read (else /var/log/nginx).
  const child: ChildProcess = spawn(nginxBinary, ['-p', dir, '-c', file, '-e', join(dir, 'error.log')], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const read = (name: string): string => {
    try {
      return readFileSync(join(dir, name), 'utf8');
    } catch {
      return '';
    }
  };
  try {
    await waitFor(async () => {
      if (child.exitCode !== null) throw new Error(`nginx exited (${child.exitCode}): ${output}${read('error.log')}`);
      return accepts(port);
    }, 10_000, 'nginx never listened');
  } catch (error) {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    dir,
    read,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const gone = once(child, 'exit');
        child.kill('SIGTERM'); // nginx's fast shutdown: the master ends its workers and exits
        await gone;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}
