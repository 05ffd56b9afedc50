import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dropGuards, report } from '../../fixtures/reports.js';
import { forEachReportBackend, postgresReports, sqliteReports, type ReportPlace } from '../../support/report-backends.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** Runs `tsx scripts/verify-reports.ts` as an operator would, and answers what they would see. */
function verifyCommand(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; out: string }> {
  return new Promise((done, failed) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/verify-reports.ts', ...args], {
      cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', failed);
    child.on('close', (code) => done({ code, out }));
  });
}

describe('the report-chain verify command', () => {
  forEachReportBackend((backend) => {
    let place: ReportPlace;
    beforeEach(async () => {
      place = await backend.fresh();
      const log = await place.open({ now: () => Date.parse('2026-06-01T08:00:00Z') });
      for (let i = 1; i <= 5; i++) await log.append(report({ createdAt: `2026-0${i}-01T10:00:00.000Z` }));
      await log.applyRetention('contoso', '2026-03-01');
      await log.close();
    });
    afterEach(() => place.remove());

    it('says the chain is intact, with what retention removed, and exits 0', async () => {
      const { code, out } = await verifyCommand(place.verifyArgs);
      assert.equal(code, 0, out);
      assert.match(out, /^Report chain intact: 5 records$/m);
      assert.match(out, /2 records removed by retention on 2026-06-01/);
    });

    it('names the first altered record and exits 1', async () => {
      const raw = await place.raw();
      await dropGuards(raw);
      await raw.run("UPDATE reports SET body = replace(body, '\"completed\"', '\"denied\"') WHERE seq = 4");
      await raw.close();
      const { code, out } = await verifyCommand(place.verifyArgs);
      assert.equal(code, 1, out);
      assert.match(out, /^Report chain BROKEN at record 4: record 4 was edited: its hash does not match its content$/m);
    });
  });

  describe('where it looks (SQLite)', () => {
    let place: ReportPlace;
    let dir: string;
    beforeEach(async () => {
      place = await sqliteReports().fresh();
      dir = place.verifyArgs[1]!;
      const log = await place.open();
      await log.append(report());
      await log.close();
    });
    afterEach(() => place.remove());

    it('takes the folder from RH_DATA_DIR as the relay does', async () => {
      const { code, out } = await verifyCommand([], { RH_DATA_DIR: dir });
      assert.equal(code, 0, out);
      assert.match(out, /^Report chain intact: 1 records$/m);
    });

    it('takes the folder in the --data-dir=DIR form too', async () => {
      const { code, out } = await verifyCommand([`--data-dir=${dir}`]);
      assert.equal(code, 0, out);
    });

    it('exits 1 when there is no report log where it looks', async () => {
      const { code, out } = await verifyCommand(['--data-dir', join(dir, 'missing')]);
      assert.equal(code, 1);
      assert.match(out, /No report log at .*missing/);
    });
  });

  describe('what it refuses (PostgreSQL)', () => {
    it('exits 1, without creating tables, when the database has no report log or cannot be reached', async () => {
      const backend = postgresReports();
      await backend.start();
      try {
        const empty = await backend.fresh();
        const url = empty.verifyArgs[0]!.slice('--database='.length);
        const first = await verifyCommand(['--database', url]);
        assert.equal(first.code, 1, first.out);
        assert.match(first.out, /No report log in postgres:\/\/.*: it has no reports table/);
        const raw = await empty.raw();
        assert.equal((await raw.get<{ t: string | null }>("SELECT to_regclass('reports')::text AS t"))!.t, null);
        await raw.close();
        const port = Number(new URL(url).port);
        const closed = await verifyCommand([`--database=postgres://nobody:secret@127.0.0.1:${port === 1 ? 2 : 1}/x`]);
        assert.equal(closed.code, 1, closed.out);
        assert.match(closed.out, /cannot reach it/);
        assert.doesNotMatch(closed.out, /secret/, 'the password is never printed');
      } finally {
        await backend.stop();
      }
    });

    it('a usage error exits 2', async () => {
      const { code, out } = await verifyCommand(['--database=mysql://x']);
      assert.equal(code, 2);
      assert.match(out, /--database is "sqlite" or a postgres:\/\/ URL/);
    });
  });
});
