// The relay's data folder holds password hashes, signing keys, the local CA's private key and the
// session reports: no other local account may read any of it. A real relay on a fresh data folder, then
// one whose folder an earlier version left world-readable.
import assert from 'node:assert/strict';
import { chmodSync, lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { startTestRelay } from '../../support/relay.js';

/** Every path under `root` (itself included) whose mode gives anything to group or others. */
function readableByOthers(root: string): string[] {
  const found: string[] = [];
  const walk = (path: string): void => {
    const stat = lstatSync(path);
    if (stat.isSymbolicLink()) return;
    if ((stat.mode & 0o077) !== 0) found.push(`${path.slice(root.length) || '.'} ${(stat.mode & 0o777).toString(8)}`);
    if (stat.isDirectory()) for (const name of readdirSync(path)) walk(join(path, name));
  };
  walk(root);
  return found;
}

describe('the relay\'s data folder', function () {
  this.timeout(60_000);

  it('is owner-only once the relay has started and signed someone in: every folder 0700, every file 0600', async () => {
    const t = await startTestRelay();
    try {
      // A sign-in and a session write to the provider's store, the sign-in limits and the reports.
      const helper = await t.connect('helper@contoso.example');
      helper.disconnect();
      const files = readdirSync(t.dataDir, { recursive: true }).map(String);
      for (const expected of ['directory.db', 'reports.db', 'device-trust.db', 'identity/secrets.json', 'identity/mfa.db', 'tls/ca.key']) {
        assert.ok(files.includes(expected), `${expected} is there (${files.join(', ')})`);
      }
      assert.ok(files.some((f) => f.endsWith('-wal')), 'the WAL files are checked too');
      assert.deepEqual(readableByOthers(t.dataDir), []);
    } finally {
      await t.stop();
    }
  });

  it('is tightened at start when an earlier version left it readable, and the log says so', async () => {
    const first = await startTestRelay();
    const dataDir = first.dataDir;
    await first.relay.close();
    // As an earlier version (umask 022) left it; the test helper's own cleanup stays with `first`.
    chmodSync(dataDir, 0o755);
    for (const file of ['directory.db', 'identity/secrets.json', 'tls/ca.key']) chmodSync(join(dataDir, file), 0o644);
    chmodSync(join(dataDir, 'identity'), 0o755);
    const again = await startTestRelay({ RH_DATA_DIR: dataDir });
    try {
      assert.deepEqual(readableByOthers(dataDir), []);
      const line = again.logLines.find((l) => l.includes('data folder tightened'));
      assert.ok(line, 'a log line says the folder was tightened');
      assert.match(line, /secrets\.json/);
    } finally {
      await again.stop();
      await first.stop();
    }
  });
});
