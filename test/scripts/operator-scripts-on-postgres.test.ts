// The operator's commands where the relay keeps its directory in PostgreSQL (RH_DATABASE_URL): tenant:create
// and tenant:admin write the tenant and its administrators there, and nothing into the data folder's
// SQLite; an unreachable database is refused with its URL shown without the password.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPgDirectory } from '#relay/directory/index.js';
import { createPgPool } from '#relay/sql/kept-db.js';
import { freePort } from '../support/redis-server.js';
import { startPostgresServer, type PostgresServer } from '../support/postgres-server.js';
import { exited, spawnTsx } from '../support/relay-process.js';

const command = (file: string, env: Record<string, string>, ...args: string[]) => exited(spawnTsx(file, args, env));

describe('tenant:create and tenant:admin on PostgreSQL', function () {
  this.timeout(90_000);
  let server: PostgresServer;
  let dir: string;
  before(async () => {
    server = await startPostgresServer();
    dir = mkdtempSync(join(tmpdir(), 'rh-scripts-pg-'));
  });
  after(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('makes the tenant and its administrators in the database', async () => {
    const url = await server.createDatabase('operator_scripts');
    const env = { RH_CONFIG: join(dir, 'relay.yaml'), RH_DATABASE_URL: url };
    const made = await command('scripts/tenant-create.ts', env, '--name', 'Globex', '--domain', 'globex.example',
      '--admin', 'admin@globex.example', '--admin-name', 'Ada Lovelace', '--trust-proxy', '--public-url', 'https://help.globex.example');
    assert.equal(made.code, 0, made.stderr);
    const added = await command('scripts/tenant-admin.ts', env, '--tenant', 'globex', '--email', 'bo@globex.example', '--name', 'Bo Ek');
    assert.equal(added.code, 0, added.stderr);
    assert.match(added.stdout, /Added as Remote Help Administrator of Globex: Bo Ek <bo@globex\.example>/);

    const pool = createPgPool(url, 2);
    try {
      const directory = await createPgDirectory({ pool });
      assert.equal((await directory.tenant('globex'))?.name, 'Globex');
      assert.deepEqual((await directory.users('globex', '')).map((u) => u.upn).sort(), ['admin@globex.example', 'bo@globex.example']);
      directory.close();
    } finally {
      await pool.end();
    }
    assert.equal(existsSync(join(dir, 'data', 'directory.db')), false, 'nothing in the data folder');
  });

  it('refuses when the database cannot be reached, naming it without its password', async () => {
    const port = await freePort();
    const env = { RH_CONFIG: join(dir, 'relay.yaml'), RH_DATABASE_URL: `postgres://relay:s3cret@127.0.0.1:${port}/rh` };
    const r = await command('scripts/tenant-admin.ts', env, '--tenant', 'globex', '--email', 'cy@globex.example', '--name', 'Cy');
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /database: cannot connect to postgres:\/\/relay:\*\*\*@127\.0\.0\.1/);
    assert.doesNotMatch(r.stderr, /s3cret/);
  });
});
