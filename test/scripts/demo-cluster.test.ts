// npm run demo:cluster, run as a person runs it: Redis, PostgreSQL and two nodes start, the four
// addresses are printed, a helper on node A and a sharer on node B meet by code and chat, and Ctrl-C
// (SIGINT) stops every process it started. A second run finds the same database, the session's
// report in it.
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { io } from 'socket.io-client';
import { demoPassword, demoUsers } from '#relay/directory/index.js';
import { createPgReportLog } from '#relay/reports/index.js';
import { postgresAccount } from '#scripts/services/postgres.js';
import { alive, descendants } from '#test/support/process-tree.js';
import { spawnTsx } from '#test/support/relay-process.js';
import { connected, demo, next, request, valueOf, whyEnded, type ClientSocket } from '#test/support/relay.js';
import { signInForToken } from '#test/support/sign-in.js';
import { waitFor } from '#test/support/wait.js';

interface Demo {
  child: ChildProcess;
  stdout(): string;
  urls: { helperA: string; sharerA: string; helperB: string; sharerB: string };
  postgresPort: number;
}

const lines = {
  helperA: /^Node A web helper: (https:\/\/localhost:\d+)\/rhh$/m,
  sharerA: /^Node A sharer page: (https:\/\/localhost:\d+)\/rh$/m,
  helperB: /^Node B web helper: (https:\/\/localhost:\d+)\/rhh$/m,
  sharerB: /^Node B sharer page: (https:\/\/localhost:\d+)\/rh$/m,
};

/** Starts the command on free ports and waits for its four lines. */
async function startDemo(dataDir: string): Promise<Demo> {
  const child = spawnTsx('scripts/demo-cluster.ts', [], { RH_DATA_DIR: dataDir, RH_PORT: '0', RH_PORT_B: '0' });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = once(child, 'exit');
  await Promise.race([
    waitFor(() => Object.values(lines).every((l) => l.test(stdout)), 90_000, 'the four addresses were not printed'),
    exited.then(([code]) => { throw new Error(`demo:cluster exited (${String(code)}): ${stdout}\n${stderr}`); }),
  ]);
  const url = (l: RegExp) => l.exec(stdout)![1]!;
  return {
    child, stdout: () => stdout,
    urls: { helperA: url(lines.helperA), sharerA: url(lines.sharerA), helperB: url(lines.helperB), sharerB: url(lines.sharerB) },
    postgresPort: Number(/^PostgreSQL: 127\.0\.0\.1:(\d+)/m.exec(stdout)![1]),
  };
}

/** A query on the demo's database as its nodes reach it (the password the first run made). */
async function withDatabase<T>(dataDir: string, run: Demo, use: (db: pg.Pool) => Promise<T>): Promise<T> {
  const { postgresPassword } = JSON.parse(readFileSync(join(dataDir, 'cluster', 'secrets.json'), 'utf8')) as { postgresPassword: string };
  const { user } = await postgresAccount();
  const pool = new pg.Pool({ connectionString: `postgres://${user}:${postgresPassword}@127.0.0.1:${run.postgresPort}/remote_help` });
  try {
    return await use(pool);
  } finally {
    await pool.end();
  }
}

/** Ctrl-C, as at the terminal: the command exits 0, and nothing it started is left. */
async function interrupt(run: Demo): Promise<void> {
  const started = descendants(run.child.pid!);
  assert.ok(started.length >= 4, `expected Redis, PostgreSQL and two nodes under the command, found ${started.length} processes`);
  const exited = once(run.child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  // Twice, as at a terminal under npm and tsx: the terminal's and the one tsx's parent relays.
  run.child.kill('SIGINT');
  run.child.kill('SIGINT');
  const [code] = await exited;
  assert.equal(code, 0, run.stdout());
  const left = started.filter(alive);
  assert.deepEqual(left, [], 'processes the demo started are still running');
}

describe('npm run demo:cluster', function () {
  this.timeout(240_000);
  let dir: string;
  let run: Demo | undefined;
  const sockets: ClientSocket[] = [];

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'rh-demo-cluster-'));
    // Run as root, PostgreSQL runs as `postgres` and must pass through this folder to its own.
    chmodSync(dir, 0o755);
  });
  after(async () => {
    for (const s of sockets) s.disconnect();
    if (run && run.child.exitCode === null && run.child.signalCode === null) {
      const gone = once(run.child, 'exit');
      run.child.kill('SIGINT');
      await gone;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('starts two nodes on Redis and PostgreSQL where a helper on A and a sharer on B meet and chat; Ctrl-C stops it all, and the database is kept', async () => {
    run = await startDemo(dir);
    const nodeA = run.urls.helperA;
    const nodeB = run.urls.helperB;
    assert.equal(run.urls.sharerA, nodeA);
    assert.equal(run.urls.sharerB, nodeB);
    assert.notEqual(nodeA, nodeB, 'each node at its own address');
    const caPem = readFileSync(join(dir, 'cluster', 'relay', 'tls', 'ca.pem'), 'utf8');

    // Each node is its own public URL: each person signs in with the provider of the node they use.
    const connect = async (url: string, email: string) => {
      const s: ClientSocket = io(url, {
        transports: ['websocket'], ca: caPem, autoConnect: false, forceNew: true, reconnection: false,
        auth: { token: await signInForToken(url, email, demoPassword, caPem) },
      });
      sockets.push(s);
      return connected(s);
    };
    const helper = await connect(nodeA, demo.contosoHelper);
    const sharer = await connect(nodeB, demo.contosoSharer);

    const created = valueOf(await request(helper, 'session:create', {}));
    const { sessionId } = created;
    assert.equal(created.link, `${nodeA}/rh?passcode=${created.code}`);
    const helperTrust = next(helper, 'session:trust', (t) => t.sessionId === sessionId, 15_000);
    const sharerTrust = valueOf(await request(sharer, 'session:join', { code: created.code }));
    assert.equal(sharerTrust.peer.name, demoUsers.contosoHelper.name);
    assert.equal((await helperTrust).peer.name, demoUsers.contosoSharer.name);
    const sharing = next(helper, 'session:state', (c) => c.sessionId === sessionId && c.state === 'sharing', 15_000);
    valueOf(await request(sharer, 'session:consent', { sessionId, allow: true }));
    await sharing;

    const toHelper = next(helper, 'chat:message', (m) => m.sessionId === sessionId, 15_000);
    valueOf(await request(sharer, 'chat:send', { sessionId, clientId: randomUUID(), text: 'Hello from node B' }));
    assert.equal((await toHelper).text, 'Hello from node B');
    const toSharer = next(sharer, 'chat:message', (m) => m.sessionId === sessionId && m.from === 'helper', 15_000);
    valueOf(await request(helper, 'chat:send', { sessionId, clientId: randomUUID(), text: 'Hello from node A' }));
    assert.equal((await toSharer).text, 'Hello from node A');

    const ended = next(sharer, 'session:ended', (e) => e.sessionId === sessionId, 15_000);
    valueOf(await request(helper, 'session:end', { sessionId }));
    assert.deepEqual(whyEnded(await ended), { sessionId, by: 'helper', reason: 'ended' });
    for (const s of sockets.splice(0)) s.disconnect();

    // Something of the first run's in its database, to be found by the second.
    await withDatabase(dir, run, (db) => db.query('CREATE TABLE first_run (at timestamptz NOT NULL DEFAULT now())'));
    await interrupt(run);

    // Again on the same folder: the same PostgreSQL cluster and database, the session's report in it.
    run = await startDemo(dir);
    const found = await withDatabase(dir, run, (db) => db.query("SELECT to_regclass('first_run') AS kept"));
    assert.equal(found.rows[0]?.kept, 'first_run', 'the first run\'s database, kept');
    const reported = await withDatabase(dir, run, async (pool) => {
      const reports = await createPgReportLog({ pool });
      try {
        return (await reports.list(demoUsers.contosoHelper.tenantId, { limit: 500 })).items.filter((r) => r.sessionId === sessionId);
      } finally {
        await reports.close();
      }
    });
    assert.equal(reported.length, 1, 'the nodes keep the reports in PostgreSQL');
    await interrupt(run);
  });
});
