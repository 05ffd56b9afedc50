// db:copy-to-postgres: a one-node installation made by the relay's own code (the demo's tenants, a device
// imported, a role changed, reports with a retention run's tombstones, a device key, an authenticator
// app, the provider's secrets) copied into a throw-away PostgreSQL; the relay's stores opened there answer
// as the SQLite ones did, and the command refuses a database that is not empty.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { openPgKeyStore, openSqliteKeyStore } from '#relay/device-trust/index.js';
import { createDirectory, createPgDirectory, demoTenants, demoUsers, seedDemoTenants } from '#relay/directory/index.js';
import { loadPgIdentitySecrets, openPgMfaStore, openSqliteMfaStore, totpCode } from '#relay/identity/index.js';
import { loadIdentitySecrets } from '#relay/identity/secrets.js';
import { createPgReportLog, createReportLog } from '#relay/reports/index.js';
import { createPgPool } from '#relay/sql/kept-db.js';
import { report } from '../fixtures/reports.js';
import { startPostgresServer, type PostgresServer } from '../support/postgres-server.js';

const run = promisify(execFile);
const contoso = demoTenants.contoso.id;
const totpSecret = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

/** Runs the npm script's file as an operator would; answers its exit code and output. */
async function copyCommand(dataDir: string, url: string): Promise<{ code: number; out: string }> {
  try {
    const { stdout, stderr } = await run('npx', ['tsx', 'scripts/copy-to-postgres.ts', '--data-dir', dataDir, '--database', url]);
    return { code: 0, out: stdout + stderr };
  } catch (e) {
    const f = e as { code: number; stdout: string; stderr: string };
    return { code: f.code, out: f.stdout + f.stderr };
  }
}

describe('db:copy-to-postgres', function () {
  this.timeout(120_000);
  let server: PostgresServer;
  let dataDir: string;
  const helper = demoUsers.contosoHelper;
  before(async () => {
    server = await startPostgresServer();
    dataDir = await mkdtemp(join(tmpdir(), 'rh-copy-'));
    // The installation, made by the relay's own code.
    const directory = createDirectory({ dataDir });
    await seedDemoTenants(directory);
    const some = (await directory.devicesChangedSince(contoso, undefined, 1)).devices[0]!;
    await directory.upsertDevices([{ ...some, id: 'imported-1', name: 'Imported laptop', updatedAt: new Date().toISOString() }]);
    const roles = await directory.setUserRoles(contoso, helper.oid, ['Remote Help Administrator']);
    assert.ok(roles.ok);
    directory.close();
    const reports = createReportLog({ dataDir });
    await reports.append(report({ sessionId: 'old-1', tenantId: contoso, createdAt: '2025-01-01T10:00:00.000Z' }));
    await reports.append(report({ sessionId: 'old-2', tenantId: contoso, createdAt: '2025-01-02T10:00:00.000Z' }));
    await reports.append(report({ sessionId: 'new-1', tenantId: contoso }));
    assert.equal(await reports.applyRetention(contoso, '2025-06-01'), 2);
    await reports.append(report({ sessionId: 'new-2', tenantId: contoso }));
    await reports.close();
    const keys = openSqliteKeyStore(dataDir);
    await keys.put({
      deviceId: 'enrolled-1', tenantId: contoso, userId: helper.oid, thumbprint: 'thumb-1',
      publicJwk: { kty: 'EC', crv: 'P-256', x: 'x', y: 'y' },
      properties: { platform: 'Windows', osVersion: '10.0.26100', diskEncryption: true, firewall: true },
      enrolledAt: '2026-01-01T00:00:00.000Z', lastCheckIn: '2026-01-02T00:00:00.000Z',
    });
    await keys.close();
    const mfa = openSqliteMfaStore(dataDir);
    await mfa.setTotp(contoso, helper.oid, totpSecret);
    await mfa.close();
    await loadIdentitySecrets(dataDir, [contoso, demoTenants.fabrikam.id]);
  });
  after(async () => {
    await server?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('copies every store, prints the counts and an intact chain, and the stores on PostgreSQL answer the same', async () => {
    const url = await server.createDatabase('copy_target');
    const { code, out } = await copyCommand(dataDir, url);
    assert.equal(code, 0, out);
    assert.match(out, /directory\.devices\s+\d+ rows/);
    assert.match(out, /reports\.reports\s+4 rows/);
    assert.match(out, /reports\.retention_runs\s+1 rows/);
    assert.match(out, /device-trust\.device_keys\s+1 rows/);
    assert.match(out, /mfa\.totp\s+1 rows/);
    assert.match(out, /Report chain intact: 4 records/);
    assert.match(out, /The copy matches the original\./);
    assert.doesNotMatch(out, /DIFFERS/);

    // As the relay makes it (bigints read as numbers).
    const pool = createPgPool(url, 4);
    try {
      // Reports: the same list, the same chain (same head), tombstones included.
      const sqliteReports = createReportLog({ dataDir });
      const pgReports = await createPgReportLog({ pool });
      assert.deepEqual(await pgReports.list(contoso, { limit: 50 }), await sqliteReports.list(contoso, { limit: 50 }));
      const [vs, vp] = await Promise.all([sqliteReports.verify(), pgReports.verify()]);
      assert.equal(vp.intact, true);
      assert.equal(vp.headHash, vs.headHash);
      assert.deepEqual(vp.removed, vs.removed);
      // A new record extends the copied chain: the guards are back on and the seq goes on.
      const next = await pgReports.append(report({ sessionId: 'after-copy', tenantId: contoso }));
      assert.equal(next.seq, 5);
      assert.equal(next.prevHash, vs.headHash);
      await sqliteReports.close();
      await pgReports.close();
      // The device key, the authenticator app (its code accepted), the provider's secrets.
      const keys = await openPgKeyStore(pool);
      assert.equal((await keys.byThumbprint(contoso, 'thumb-1'))?.deviceId, 'enrolled-1');
      const mfa = await openPgMfaStore(pool);
      assert.equal(await mfa.hasTotp(contoso, helper.oid), true);
      assert.equal(await mfa.checkTotp(contoso, helper.oid, totpCode(totpSecret, Date.now()), Date.now()), 'ok');
      assert.deepEqual(await loadPgIdentitySecrets(pool, [contoso]), await loadIdentitySecrets(dataDir, [contoso]));
      // The directory, through the relay's own PostgreSQL directory.
      const sqliteDirectory = createDirectory({ dataDir });
      try {
        const pgDirectory = await createPgDirectory({ pool });
        assert.deepEqual(await pgDirectory.tenant(contoso), await sqliteDirectory.tenant(contoso));
        assert.deepEqual(await pgDirectory.users(contoso, ''), await sqliteDirectory.users(contoso, ''));
        assert.deepEqual(await pgDirectory.roles(contoso), await sqliteDirectory.roles(contoso));
        assert.deepEqual(await pgDirectory.devicesChangedSince(contoso, undefined, 1000), await sqliteDirectory.devicesChangedSince(contoso, undefined, 1000));
        // The change numbers go on from where SQLite left them: a console's cursor stays valid.
        await pgDirectory.upsertDevices([{ ...(await pgDirectory.device(contoso, 'imported-1'))!, name: 'Renamed laptop' }]);
        const after = (await pgDirectory.devicesChangedSince(contoso, (await sqliteDirectory.devicesChangedSince(contoso, undefined, 1000)).last, 1000)).devices;
        assert.deepEqual(after.map((d) => d.name), ['Renamed laptop']);
        pgDirectory.close();
        const roles = await pool.query<{ roles: string }>('SELECT roles FROM users WHERE oid = $1', [helper.oid]);
        assert.deepEqual(JSON.parse(roles.rows[0]!.roles), ['Remote Help Administrator']);
      } finally {
        sqliteDirectory.close();
      }
    } finally {
      await pool.end();
    }
  });

  it('refuses a database that is not empty, and changes nothing there', async () => {
    const url = await server.createDatabase('copy_not_empty');
    const pool = new pg.Pool({ connectionString: url });
    await pool.query('CREATE TABLE mine (x int)');
    const { code, out } = await copyCommand(dataDir, url);
    assert.equal(code, 2, out);
    assert.match(out, /the PostgreSQL database is not empty \(1 tables\)/);
    const tables = await pool.query("SELECT 1 FROM information_schema.tables WHERE table_schema = 'public'");
    assert.equal(tables.rowCount, 1);
    await pool.end();
  });
});
