import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createReportLog } from '#relay/reports/index.js';
import { dropGuards, openRaw, report } from '../../fixtures/reports.js';

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
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rh-reports-cmd-'));
    const log = createReportLog({ dataDir: dir, clock: { now: () => Date.parse('2026-06-01T08:00:00Z') } });
    for (let i = 1; i <= 5; i++) log.append(report({ createdAt: `2026-0${i}-01T10:00:00.000Z` }));
    log.applyRetention('contoso', '2026-03-01');
    log.close();
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('says the chain is intact, with what retention removed, and exits 0', async () => {
    const { code, out } = await verifyCommand(['--data-dir', dir]);
    assert.equal(code, 0, out);
    assert.match(out, /^Report chain intact: 5 records$/m);
    assert.match(out, /2 records removed by retention on 2026-06-01/);
  });

  it('takes the folder from RH_DATA_DIR as the relay does', async () => {
    const { code, out } = await verifyCommand([], { RH_DATA_DIR: dir });
    assert.equal(code, 0, out);
    assert.match(out, /^Report chain intact: 5 records$/m);
  });

  it('names the first altered record and exits 1', async () => {
    const raw = openRaw(dir);
    dropGuards(raw);
    raw.prepare("UPDATE reports SET body = replace(body, '\"completed\"', '\"denied\"') WHERE seq = 4").run();
    raw.close();
    const { code, out } = await verifyCommand([`--data-dir=${dir}`]);
    assert.equal(code, 1, out);
    assert.match(out, /^Report chain BROKEN at record 4: record 4 was edited: its hash does not match its content$/m);
  });

  it('exits 1 when there is no report log where it looks', async () => {
    const { code, out } = await verifyCommand(['--data-dir', join(dir, 'missing')]);
    assert.equal(code, 1);
    assert.match(out, /No report log at .*missing/);
  });
});
