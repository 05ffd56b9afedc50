// A SCIM import of 10,000 users (issue 7, "Measure"), as Entra's provisioning service makes one: for
// each user a GET by `userName eq "…"` (nobody yet), then a POST /Users in Entra's body shape, over
// HTTPS with connections kept alive. Once one request at a time, once with a few in flight (Entra runs
// several in parallel); each into a new relay, whose directory.db is then measured with the WAL
// checkpointed into it.
// Standalone: tsx bench/scim-import.ts [--users=N] (prints the table, writes bench/results/scim-import.json).
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { demoTenants } from '#relay/directory/index.js';
import { startTestRelay } from '#test/support/relay.js';
import { eqFilter, scimClient } from '#test/support/scim-client.js';
import { measure, table, writeResult, type BenchResult, type Measure } from './stats.js';

const defaultUsers = 10_000;
const concurrency = 4;
const token = 'bench-scim-token-0123456789abcdef0123456789abcdef';
const tenantId = demoTenants.contoso.id;
const enterprise = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

function entraUser(i: number) {
  const upn = `user${String(i).padStart(5, '0')}@contoso.example`;
  return {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', enterprise],
    externalId: `ext-${i}`,
    userName: upn,
    active: true,
    displayName: `Imported User ${i}`,
    title: i % 3 === 0 ? 'Nurse' : 'Engineer',
    emails: [{ primary: true, type: 'work', value: upn }],
    name: { formatted: `Imported User ${i}`, familyName: `User ${i}`, givenName: 'Imported' },
    [enterprise]: { department: `Department ${i % 40}`, organization: 'Contoso Ltd.', employeeNumber: String(100000 + i) },
    meta: { resourceType: 'User' },
  };
}

interface Run { totalMs: number; post: number[]; lookup: number[]; dbBytes: number }

async function importInto(users: number, parallel: number): Promise<Run> {
  const relay = await startTestRelay({}, { scimTokens: { [tenantId]: token } });
  const scim = scimClient(relay.url, relay.caPem, token);
  const post: number[] = [];
  const lookup: number[] = [];
  try {
    let nextUser = 0;
    const worker = async () => {
      for (let i = nextUser++; i < users; i = nextUser++) {
        const body = entraUser(i);
        let t = performance.now();
        const found = await scim.get(`/Users${eqFilter('userName', body.userName)}`);
        lookup.push(performance.now() - t);
        if (found.status !== 200 || found.json.totalResults !== 0) throw new Error(`lookup of ${body.userName}: ${found.status} ${found.text}`);
        t = performance.now();
        const created = await scim.post('/Users', body);
        post.push(performance.now() - t);
        if (created.status !== 201) throw new Error(`POST ${body.userName}: ${created.status} ${created.text}`);
      }
    };
    const started = performance.now();
    await Promise.all(Array.from({ length: parallel }, worker));
    const totalMs = performance.now() - started;
    const count = (await relay.directory.scimUsers(tenantId, undefined, { offset: 0, limit: 0 })).total;
    if (count < users) throw new Error(`only ${count} users in the directory after the import`);
    // The file as it would be copied or backed up: the WAL written back into it.
    const file = join(relay.dataDir, 'directory.db');
    const db = new Database(file);
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    return { totalMs, post, lookup, dbBytes: statSync(file).size };
  } finally {
    scim.close();
    await relay.stop();
  }
}

const round = (samples: number[]) => samples.map((s) => Math.round(s * 100) / 100);

export async function scimImport(users = defaultUsers): Promise<BenchResult> {
  const sequential = await importInto(users, 1);
  const parallel = await importInto(users, concurrency);
  const perSecond = (r: Run) => Math.round(users / (r.totalMs / 1000));
  const measures: Measure[] = [
    measure(`import ${users} users, 1 at a time (total)`, [Math.round(sequential.totalMs)]),
    measure('POST /Users, 1 at a time', round(sequential.post)),
    measure('GET /Users?filter=userName eq, 1 at a time', round(sequential.lookup)),
    measure(`import ${users} users, ${concurrency} in flight (total)`, [Math.round(parallel.totalMs)]),
    measure(`POST /Users, ${concurrency} in flight`, round(parallel.post)),
    measure(`GET /Users?filter=userName eq, ${concurrency} in flight`, round(parallel.lookup)),
  ];
  const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
  return {
    name: 'scim-import',
    description: `SCIM import of ${users} users as Entra sends it (GET by userName, then POST), over HTTPS`,
    measures,
    notes: [
      `1 at a time: ${perSecond(sequential)} users/s (each user is a lookup and a create, 2 requests); ${concurrency} in flight: ${perSecond(parallel)} users/s`,
      `directory.db after the import, WAL checkpointed: ${mib(sequential.dbBytes)} (${sequential.dbBytes} bytes; ${Math.round(sequential.dbBytes / users)} bytes per user, the demo tenants' rows included)`,
      'the relay and the client in one process on this machine, keep-alive HTTPS connections; a new relay (new data folder) per import',
    ],
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const users = Number(process.argv.find((a) => a.startsWith('--users='))?.slice('--users='.length) ?? defaultUsers);
  const result = await scimImport(users);
  console.log(`  → ${writeResult(result)}`);
  console.log(`\n${table([result])}`);
  for (const note of result.notes) console.log(`  ${note}`);
}
