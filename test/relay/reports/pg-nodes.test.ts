// Several relay nodes on one PostgreSQL: each node has its own pool and its own store, and what they
// append together must still be one chain; their migrations at start must run once.
import assert from 'node:assert/strict';
import pg from 'pg';
import { createPgReportLog, type ReportStore } from '#relay/reports/index.js';
import { report } from '../../fixtures/reports.js';
import { startPostgresServer, type PostgresServer } from '../../support/postgres-server.js';

describe('session reports on PostgreSQL, several nodes', () => {
  let server: PostgresServer;
  const pools: pg.Pool[] = [];
  before(async () => {
    server = await startPostgresServer();
  });
  after(() => server.stop());
  afterEach(async () => {
    for (const pool of pools.splice(0)) await pool.end();
  });

  let n = 0;
  /** A new database, and `count` nodes' pools on it. */
  const nodes = async (count: number): Promise<pg.Pool[]> => {
    const url = await server.createDatabase(`nodes_${++n}`);
    const made = Array.from({ length: count }, () => new pg.Pool({ connectionString: url, max: 4 }));
    pools.push(...made);
    return made;
  };

  it('two nodes appending 200 records each at the same time make one intact chain of 400', async () => {
    const [a, b] = await nodes(2);
    const [logA, logB] = await Promise.all([createPgReportLog({ pool: a! }), createPgReportLog({ pool: b! })]);
    // Each node appends as sessions end: several at once (its pool has 4 connections), never in bulk.
    const appendFrom = (log: ReportStore, node: string) => Promise.all(Array.from({ length: 200 }, (_, i) =>
      log.append(report({ sessionId: `${node}-${i}`, tenantId: i % 2 ? 'contoso' : 'fabrikam' }))));
    const [fromA, fromB] = await Promise.all([appendFrom(logA, 'a'), appendFrom(logB, 'b')]);

    const seqs = [...fromA, ...fromB].map((r) => r.seq).sort((x, y) => x - y);
    assert.deepEqual(seqs, Array.from({ length: 400 }, (_, i) => i + 1), 'every record got its own place, none twice');
    const bySeq = new Map([...fromA, ...fromB].map((r) => [r.seq, r]));
    for (let s = 2; s <= 400; s++) assert.equal(bySeq.get(s)!.prevHash, bySeq.get(s - 1)!.hash, `record ${s} links to record ${s - 1}`);
    // Both nodes see the same chain, intact, with the same head.
    const [va, vb] = await Promise.all([logA.verify(), logB.verify()]);
    assert.equal(va.message, 'Report chain intact: 400 records');
    assert.deepEqual(vb, va);
    assert.equal(va.headHash, bySeq.get(400)!.hash);
    assert.equal((await logB.list('contoso', { limit: 500 })).total, 200);
  });

  it('appends and a retention run from two nodes at once: the run removes what it counted, the chain stays whole', async () => {
    const [a, b] = await nodes(2);
    const clock = { now: () => Date.parse('2026-06-15T12:00:00Z') };
    const logA = await createPgReportLog({ pool: a!, clock });
    const logB = await createPgReportLog({ pool: b!, clock });
    await logA.appendMany(Array.from({ length: 100 }, (_, i) => report({ sessionId: `old-${i}`, createdAt: '2026-01-01T10:00:00.000Z' })));
    const [, removedA, removedB] = await Promise.all([
      Promise.all(Array.from({ length: 50 }, (_, i) => logB.append(report({ sessionId: `new-${i}`, createdAt: '2026-06-15T11:00:00.000Z' })))),
      logA.applyRetention('contoso', '2026-03-01'),
      logB.applyRetention('contoso', '2026-03-01'),
    ]);
    assert.deepEqual([removedA, removedB].sort((x, y) => x - y), [0, 100], 'one run removed them, the other found nothing left');
    const v = await logA.verify();
    assert.equal(v.intact, true, v.message);
    assert.equal(v.checked, 150);
    assert.deepEqual(v.removed.map((r) => r.count), [100]);
    assert.equal((await logB.retentionRuns()).length, 1);
  });

  it('three nodes starting at once on an empty database create the schema once', async () => {
    const started = await nodes(3);
    const logs = await Promise.all(started.map((pool) => createPgReportLog({ pool })));
    const { rows } = await started[0]!.query<{ part: string; version: number }>('SELECT part, version FROM schema_migrations ORDER BY version');
    // Version 2: reviews of reported sessions; 3: the sharer's own past sessions' index (issue 13).
    assert.deepEqual(rows, [1, 2, 3].map((version) => ({ part: 'reports', version })));
    // And they work together on it at once.
    await Promise.all(logs.map((log, i) => log.append(report({ sessionId: `n${i}` }))));
    assert.equal((await logs[2]!.verify()).message, 'Report chain intact: 3 records');
    // A node restarting later applies nothing again.
    await createPgReportLog({ pool: started[1]! });
    assert.equal((await started[0]!.query('SELECT 1 FROM schema_migrations')).rowCount, 3);
  });

  it('verify walks the chain page by page: the same answer across page ends, and a gap in a later page is named', async () => {
    const [pool] = await nodes(1);
    const log = await createPgReportLog({ pool: pool!, verifyPageSize: 7 });
    await log.appendMany(Array.from({ length: 49 }, (_, i) => report({ sessionId: `s${i}` }))); // 7 full pages
    assert.equal((await log.verify()).message, 'Report chain intact: 49 records');
    await log.append(report({ sessionId: 's49' }));
    const whole = await log.verify();
    assert.equal(whole.message, 'Report chain intact: 50 records');
    assert.equal(whole.headHash, (await log.list('contoso', { limit: 1 })).items[0]!.hash);
    await pool!.query('DROP TRIGGER reports_no_delete ON reports');
    await pool!.query('DELETE FROM reports WHERE seq = 23');
    const broken = await log.verify();
    assert.equal(broken.message, 'Report chain BROKEN at record 23: record 23 was deleted: the chain jumps from record 22 to record 24');
    assert.equal(broken.checked, 23);
  });

  it('refuses a database whose report schema is newer than this relay knows', async () => {
    const [pool] = await nodes(1);
    await createPgReportLog({ pool: pool! });
    await pool!.query("INSERT INTO schema_migrations (part, version) VALUES ('reports', 99)");
    await assert.rejects(createPgReportLog({ pool: pool! }), /reports schema in PostgreSQL has version 99, newer than this relay knows \(3\)/);
  });
});
