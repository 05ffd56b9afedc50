// The embedded provider's secrets in PostgreSQL: nodes starting at once (each its own pool) end with the
// same signing and cookie keys, made once; a tenant added later gets its key without changing the others.
import assert from 'node:assert/strict';
import type pg from 'pg';
import { loadPgIdentitySecrets } from '#relay/identity/index.js';
import { createPgPool } from '#relay/sql/kept-db.js';
import { startPostgresServer, type PostgresServer } from '../../support/postgres-server.js';

describe('the provider secrets on PostgreSQL', function () {
  this.timeout(60_000);
  let server: PostgresServer;
  const pools: pg.Pool[] = [];
  before(async () => {
    server = await startPostgresServer();
  });
  after(async () => {
    for (const pool of pools) await pool.end();
    await server?.stop();
  });

  it('three nodes starting at once agree on one set of keys, and a new tenant only adds its own', async () => {
    const url = await server.createDatabase('secrets');
    const nodes = [1, 2, 3].map(() => createPgPool(url, 2));
    pools.push(...nodes);
    const loaded = await Promise.all(nodes.map((pool) => loadPgIdentitySecrets(pool, ['contoso', 'fabrikam'])));
    assert.deepEqual(loaded[1], loaded[0]);
    assert.deepEqual(loaded[2], loaded[0]);
    assert.equal(loaded[0]!.cookieKeys.length, 1);
    assert.ok(loaded[0]!.webClientSecret.length >= 32);
    assert.deepEqual(Object.keys(loaded[0]!.signingKeys).sort(), ['contoso', 'fabrikam']);
    assert.ok(loaded[0]!.signingKeys['contoso']!.d, 'the private key');

    const later = await loadPgIdentitySecrets(nodes[2]!, ['contoso', 'globex']);
    assert.deepEqual(later.signingKeys['contoso'], loaded[0]!.signingKeys['contoso']);
    assert.deepEqual(later.cookieKeys, loaded[0]!.cookieKeys);
    assert.ok(later.signingKeys['globex']);
    assert.deepEqual((await loadPgIdentitySecrets(nodes[0]!, ['globex'])).signingKeys['globex'], later.signingKeys['globex']);
  });
});
