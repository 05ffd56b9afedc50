// A throw-away PostgreSQL 15 cluster (Debian's `postgresql` package) for the tests and benchmarks of
// several nodes: initdb in a temp folder, one postgres on a free loopback port (its socket in that
// folder too), stopped by `pg_ctl stop -m fast` and the folder removed. initdb and postgres refuse to
// run as root, and CI runs as root: then they run as the `postgres` user, which owns the folder.
// Durability is off (no fsync, no synchronous commit) unless asked: the cluster lives as long as the test.
import { execFile } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { postgresBin } from '#scripts/services/postgres.js';
import { freePort } from './redis-server.js';

const run = promisify(execFile);

export { postgresBin };

export interface PostgresServer {
  /** postgres://… of a database made for this server's first user. */
  readonly url: string;
  readonly port: number;
  /** Makes another empty database on the same server and answers its URL. */
  createDatabase(name: string): Promise<string>;
  stop(): Promise<void>;
}

interface Runner { user: string; uid: number; gid: number; asUser: (cmd: string, args: string[]) => [string, string[]] }

async function runner(): Promise<Runner> {
  if (process.getuid?.() !== 0) {
    const user = (await run('id', ['-un'])).stdout.trim();
    return { user, uid: process.getuid!(), gid: process.getgid!(), asUser: (cmd, args) => [cmd, args] };
  }
  const [uid, gid] = await Promise.all([run('id', ['-u', 'postgres']), run('id', ['-g', 'postgres'])]);
  return {
    user: 'postgres', uid: Number(uid.stdout), gid: Number(gid.stdout),
    asUser: (cmd, args) => ['runuser', ['-u', 'postgres', '--', cmd, ...args]],
  };
}

/** Starts a cluster and answers once a database made for the test accepts connections. */
export async function startPostgresServer(opts: { database?: string; /** fsync and synchronous commit on, as in production (benchmarks). */ durable?: boolean } = {}): Promise<PostgresServer> {
  const who = await runner();
  const dir = mkdtempSync(join(tmpdir(), 'rh-pg-'));
  chownSync(dir, who.uid, who.gid);
  const data = join(dir, 'data');
  const as = (cmd: string, args: string[]) => {
    const [file, argv] = who.asUser(join(postgresBin, cmd), args);
    return run(file, argv, { cwd: dir });
  };
  try {
    await as('initdb', ['-D', data, '-A', 'trust', '-U', who.user, '--no-sync', '-E', 'UTF8', '--locale=C.UTF-8']);
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }

  let port = 0;
  for (let attempt = 0; ; attempt++) {
    port = await freePort();
    const fast = opts.durable ? '' : ' -c fsync=off -c synchronous_commit=off -c full_page_writes=off';
    const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1${fast}`;
    try {
      await as('pg_ctl', ['-D', data, '-l', join(dir, 'log'), '-o', options, '-w', 'start']);
      break;
    } catch (error) {
      // Another process took the port between the probe and the start: draw again, a few times.
      if (attempt >= 4) {
        rmSync(dir, { recursive: true, force: true });
        throw error;
      }
    }
  }

  const base = `postgres://${encodeURIComponent(who.user)}@127.0.0.1:${port}`;
  const admin = new pg.Client({ connectionString: `${base}/postgres` });
  await admin.connect();
  const createDatabase = async (name: string) => {
    await admin.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
    return `${base}/${encodeURIComponent(name)}`;
  };
  const url = await createDatabase(opts.database ?? 'remote_help_test');
  let stopped: Promise<void> | undefined;
  return {
    url, port, createDatabase,
    stop: () => (stopped ??= (async () => {
      await admin.end().catch(() => undefined);
      await as('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']).catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    })()),
  };
}
