// The relay with its kept data in PostgreSQL (RH_DATABASE_URL, DESIGN §12): people sign in, a session is
// created, joined and ended, its report is listed through the admin API, and the data folder holds none
// of the SQLite files of the kept data. A database that cannot be reached stops the start, saying which
// (without its password).
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { SessionReport } from '#protocol';
import { demoDevices } from '#relay/directory/index.js';
import { freePort } from '../../support/redis-server.js';
import { adminCall } from '../../support/policy-calls.js';
import { startPostgresServer, type PostgresServer } from '../../support/postgres-server.js';
import { exited, startRelayMain } from '../../support/relay-process.js';
import { demo, next, request, startTestRelay, valueOf, type TestRelay } from '../../support/relay.js';

describe('the relay on PostgreSQL', function () {
  this.timeout(90_000);
  let server: PostgresServer;
  before(async () => {
    server = await startPostgresServer();
  });
  after(() => server?.stop());

  it('signs people in, runs a session, lists its report, and keeps nothing in the data folder', async () => {
    const url = await server.createDatabase('relay_on_pg');
    let t: TestRelay | undefined;
    try {
      t = await startTestRelay({ RH_DATABASE_URL: url });
      const helper = await t.connect(demo.contosoHelper);
      const sharer = await t.connect(demo.contosoSharer);
      const device = demoDevices.find((d) => d.name === 'CONTOSO-LT-0142')!;
      const sharing = valueOf(await request(helper, 'session:create', { deviceId: device.id }));
      valueOf(await request(sharer, 'session:join', { code: sharing.code }));
      valueOf(await request(sharer, 'session:consent', { sessionId: sharing.sessionId, allow: true }));
      const ended = next(sharer, 'session:ended', (e) => e.sessionId === sharing.sessionId);
      valueOf(await request(helper, 'session:end', { sessionId: sharing.sessionId }));
      await ended;

      const admin = await t.token(demo.contosoAdmin);
      const page = valueOf((await adminCall<{ items: SessionReport[]; total: number }>(t, admin, 'listReports', {})).ack);
      const listed = page.items.find((r) => r.sessionId === sharing.sessionId);
      assert.equal(listed?.outcome, 'completed');
      assert.equal((await t.relay.reports.verify()).intact, true);
      for (const file of ['directory.db', 'reports.db', 'device-trust.db', join('identity', 'mfa.db'), join('identity', 'secrets.json')]) {
        assert.equal(existsSync(join(t.dataDir, file)), false, `${file} is not in the data folder`);
      }
    } finally {
      await t?.stop();
    }
  });

  it('does not start when the database cannot be reached, and names it without its password', async () => {
    const port = await freePort();
    const { code, stderr } = await exited(startRelayMain({ RH_DATABASE_URL: `postgres://relay:s3cret@127.0.0.1:${port}/remote_help` }));
    assert.equal(code, 2, stderr);
    assert.match(stderr, new RegExp(`database: cannot connect to postgres://relay:\\*\\*\\*@127\\.0\\.0\\.1:${port}/remote_help`));
    assert.doesNotMatch(stderr, /s3cret/);
  });
});
