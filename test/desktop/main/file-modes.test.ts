// The console's data folder holds the organization's device inventory, the sign-in state and the token
// cache: no other local account may read any of it. The console host started as `npm start` starts it.
import assert from 'node:assert/strict';
import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '#desktop/main/config.js';
import { startConsole } from '#desktop/main/console-host/start-console.js';

function readableByOthers(root: string): string[] {
  const found: string[] = [];
  const walk = (path: string): void => {
    const stat = lstatSync(path);
    if ((stat.mode & 0o077) !== 0) found.push(`${path.slice(root.length) || '.'} ${(stat.mode & 0o777).toString(8)}`);
    if (stat.isDirectory()) for (const name of readdirSync(path)) walk(join(path, name));
  };
  walk(root);
  return found;
}

async function startAndStop(dataDir: string, errors: string[]): Promise<void> {
  const running = await startConsole({
    // No relay needs to answer: the inventory is opened at start, before any sign-in.
    config: loadConfig({ RH_RELAY_URL: 'https://127.0.0.1:9', RH_CONSOLE_DATA_DIR: dataDir, RH_CONSOLE_PORT: '0' }),
    staticDir: tmpdir(),
    log: { error: (msg) => void errors.push(msg) },
  });
  await running.close();
}

describe('the console\'s data folder', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'rh-console-modes-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('is made owner-only: the folder 0700, the inventory and its WAL files 0600', async () => {
    const dataDir = join(root, 'data');
    const errors: string[] = [];
    await startAndStop(dataDir, errors);
    assert.ok(readdirSync(dataDir).includes('inventory.db'));
    assert.deepEqual(readableByOthers(dataDir), []);
    assert.deepEqual(errors, []);
  });

  it('is tightened at start when an earlier version left it readable, and says so', async () => {
    const dataDir = join(root, 'data');
    mkdirSync(dataDir, { mode: 0o755 });
    chmodSync(dataDir, 0o755);
    writeFileSync(join(dataDir, 'account.json'), '{}', { mode: 0o644 });
    chmodSync(join(dataDir, 'account.json'), 0o644);
    const errors: string[] = [];
    await startAndStop(dataDir, errors);
    assert.deepEqual(readableByOthers(dataDir), []);
    assert.ok(errors.some((e) => e.includes('tightened to owner-only')), errors.join('\n'));
  });
});
