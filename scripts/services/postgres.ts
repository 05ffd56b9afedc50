// A kept PostgreSQL 15 (Debian's `postgresql-15`) as a child process, its cluster in a folder of the
// caller's: made by initdb on the first run, found again on the next (the demo's database persists).
// initdb and postgres refuse to run as root: then they run as the `postgres` user, which owns the
// folder. postgres runs directly as the child (not through pg_ctl, which would detach it), so the
// caller stops it by its PID: SIGINT is PostgreSQL's fast shutdown. Connections are TCP on loopback
// only, with a password (scram-sha-256); no Unix socket.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import { promisify } from 'node:util';
import pg from 'pg';
import { readyLine } from './child-process.js';

const run = promisify(execFile);

export const postgresBin = '/usr/lib/postgresql/15/bin';

/** Who runs PostgreSQL: this process's user, or `postgres` when this process is root. */
export interface PostgresAccount {
  user: string;
  uid: number;
  gid: number;
  /** Whether the account differs from this process's (children get uid/gid). */
  switched: boolean;
}

export async function postgresAccount(): Promise<PostgresAccount> {
  if (process.getuid?.() !== 0) return { user: userInfo().username, uid: process.getuid!(), gid: process.getgid!(), switched: false };
  const [uid, gid] = await Promise.all([run('id', ['-u', 'postgres']), run('id', ['-g', 'postgres'])]);
  return { user: 'postgres', uid: Number(uid.stdout), gid: Number(gid.stdout), switched: true };
}

export interface KeptPostgres {
  /** postgres://… of `database`, password included. */
  readonly url: string;
  readonly child: ChildProcess;
}

export interface KeptPostgresOptions {
  /** Owned by the account (made so here), 0700: the cluster is `dir/data`. */
  dir: string;
  port: number;
  password: string;
  database: string;
  /** Where the server's own output goes. */
  log: Writable;
}

export async function startKeptPostgres(opts: KeptPostgresOptions): Promise<KeptPostgres> {
  const account = await postgresAccount();
  const as = account.switched ? { uid: account.uid, gid: account.gid } : {};
  mkdirSync(opts.dir, { recursive: true, mode: 0o700 });
  if (account.switched) chownSync(opts.dir, account.uid, account.gid);
  const data = join(opts.dir, 'data');
  if (!existsSync(join(data, 'PG_VERSION'))) {
    // The superuser's password from a file only its owner reads, gone once initdb has read it.
    const pwfile = join(opts.dir, 'initdb-password');
    writeFileSync(pwfile, `${opts.password}\n`, { mode: 0o600 });
    if (account.switched) chownSync(pwfile, account.uid, account.gid);
    try {
      await run(join(postgresBin, 'initdb'), [
        '-D', data, '-U', account.user, `--pwfile=${pwfile}`, '--auth-host=scram-sha-256', '--auth-local=peer',
        '-E', 'UTF8', '--locale=C.UTF-8',
      ], { cwd: opts.dir, ...as });
    } finally {
      rmSync(pwfile, { force: true });
    }
  }
  const child = spawn(join(postgresBin, 'postgres'), [
    '-D', data, '-p', String(opts.port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=',
  ], {
    cwd: opts.dir, ...as, stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group: a Ctrl-C at the terminal reaches the caller, which stops the nodes first.
    detached: true,
  });
  try {
    await readyLine(child, /database system is ready to accept connections/, opts.log, 'PostgreSQL');
  } catch (e) {
    child.kill('SIGKILL'); // not ready in time: nothing of it stays behind
    throw e;
  }
  const base = `postgres://${encodeURIComponent(account.user)}:${encodeURIComponent(opts.password)}@127.0.0.1:${opts.port}`;
  try {
    await ensureDatabase(`${base}/postgres`, opts.database);
  } catch (e) {
    child.kill('SIGINT');
    throw e;
  }
  return { url: `${base}/${encodeURIComponent(opts.database)}`, child };
}

/** Makes `name` on the first run; a later run finds it with its data. */
async function ensureDatabase(adminUrl: string, name: string): Promise<void> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    const found = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount === 0) await admin.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
  } finally {
    await admin.end();
  }
}
