// A kept redis-server (Debian's) as a child process: its snapshot in a folder of the caller's, so live
// sessions outlive a restart of everything (until they expire), a password, loopback only. The
// configuration goes in on stdin (`redis-server -`), so the password never shows in the process list.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import type { Writable } from 'node:stream';
import { readyLine } from './child-process.js';

export const redisServerBinary = '/usr/bin/redis-server';

export interface KeptRedis {
  /** redis://:password@127.0.0.1:port */
  readonly url: string;
  readonly child: ChildProcess;
}

export async function startKeptRedis(opts: { dir: string; port: number; password: string; log: Writable }): Promise<KeptRedis> {
  mkdirSync(opts.dir, { recursive: true, mode: 0o700 });
  const child = spawn(redisServerBinary, ['-'], {
    cwd: opts.dir, stdio: ['pipe', 'pipe', 'pipe'],
    // Its own process group: a Ctrl-C at the terminal reaches the caller, which stops the nodes first.
    detached: true,
  });
  // SIGTERM makes redis-server write its snapshot (the `save` points) before it exits.
  child.stdin!.end([
    `port ${opts.port}`, 'bind 127.0.0.1', 'protected-mode yes', `dir "${opts.dir.replace(/["\\]/g, '\\$&')}"`,
    'dbfilename dump.rdb', 'save 3600 1 300 100 60 10000', 'appendonly no', `requirepass "${opts.password}"`,
  ].join('\n') + '\n');
  try {
    await readyLine(child, /Ready to accept connections/, opts.log, 'Redis');
  } catch (e) {
    child.kill('SIGKILL'); // not ready in time: nothing of it stays behind
    throw e;
  }
  return { url: `redis://:${encodeURIComponent(opts.password)}@127.0.0.1:${opts.port}`, child };
}
