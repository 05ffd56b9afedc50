// Two relays writing one directory at once: on PostgreSQL two nodes, each with its own pool. SQLite is
// one node (DESIGN §12): there the two are one process's concurrent requests, since two connections in
// one thread would wait for each other's write lock by blocking the very thread that must release it. Every check-then-write keeps its promise across them: no change is lost,
// change numbers only grow, and the last administrator stays.
import assert from 'node:assert/strict';
import type { Device, RoleDefinition } from '#protocol';
import { DeviceNameTakenError } from '#relay/directory/device-tables.js';
import { demoDevices, demoTenants, demoUsers, lastAdministrator, seedDemoTenants, type DirectoryStore } from '#relay/directory/index.js';
import { forEachDirectoryBackend, freshDirectoryPlace } from '../../support/directory-backends.js';

const contoso = demoTenants.contoso.id;
const base = demoDevices.find((d) => d.tenantId === contoso)!;
const device = (id: string, name: string, extra: Partial<Device> = {}): Device => ({ ...base, id, name, updatedAt: '2030-01-01T00:00:00.000Z', ...extra });
const customRole = (id: string, name: string): RoleDefinition => ({
  id, name, description: '', permissions: ['view-screen'], scope: { deviceGroups: ['*'], userGroups: ['*'] }, builtIn: false, admin: false,
});

describe('two relays on one directory', () => forEachDirectoryBackend((backend) => {
  const place = freshDirectoryPlace(backend);
  let a: DirectoryStore;
  let b: DirectoryStore;
  beforeEach(async () => {
    a = await place().open();
    await seedDemoTenants(a);
    b = backend.name === 'PostgreSQL' ? await place().open() : a;
  });

  it('keeps one of two roles given one name at once, and both of two differently named', async () => {
    const same = await Promise.all([a.saveRole(contoso, customRole('n-1', 'Night shift')), b.saveRole(contoso, customRole('n-2', 'NIGHT SHIFT'))]);
    assert.deepEqual(same.map((r) => (r.ok ? 'ok' : r.error.code)).sort(), ['conflict', 'ok']);
    const both = await Promise.all([a.saveRole(contoso, customRole('d-1', 'Day shift')), b.saveRole(contoso, customRole('w-1', 'Weekend'))]);
    assert.ok(both.every((r) => r.ok));
    const names = (await a.roles(contoso)).map((r) => r.name.toLowerCase());
    assert.equal(names.filter((n) => n === 'night shift').length, 1);
    assert.ok(names.includes('day shift') && names.includes('weekend'));
  });

  it('never lets two disablings on two nodes take the last two administrators', async () => {
    const second = demoUsers.contosoHelper;
    await a.setUserRoles(contoso, second.oid, ['Remote Help Administrator']);
    const answers = await Promise.all([
      a.setUserActive(contoso, demoUsers.contosoAdmin.oid, false, { keepAnAdmin: true }),
      b.setUserActive(contoso, second.oid, false, { keepAnAdmin: true }),
    ]);
    assert.deepEqual(answers.map((r) => (r.ok ? 'ok' : r.error.message)).sort(), ['ok', lastAdministrator].sort());
    const admins = (await b.users(contoso, '')).filter((u) => u.active && u.roles.includes('Remote Help Administrator'));
    assert.equal(admins.length, 1);
  });

  it('keeps every member that PATCHes on two nodes add to one group at once', async () => {
    const made = await a.createScimGroup(contoso, { displayName: 'Ward 7', externalId: null, members: [] }, Date.now());
    assert.ok(made.ok);
    const add = (store: DirectoryStore, oid: string) => store.updateScimGroup(contoso, made.value.id, (g) => ({
      ok: true as const, value: { displayName: g.displayName, externalId: g.externalId, members: [...(g.members ?? []).map((m) => m.oid), oid] },
    }), Date.now());
    const people = [demoUsers.contosoHelper, demoUsers.contosoSharer, demoUsers.contosoAdmin, demoUsers.contosoFinanceHelper, demoUsers.contosoContractor];
    const answers = await Promise.all(people.map((p, i) => add(i % 2 ? b : a, p.oid)));
    assert.ok(answers.every((r) => r.ok));
    const group = await b.scimGroup(contoso, made.value.id, true);
    assert.deepEqual(group?.members?.map((m) => m.oid).sort(), people.map((p) => p.oid).sort());
    for (const p of people) assert.ok((await a.userGroups(contoso, p.oid)).includes('Ward 7'), p.upn);
  });

  it('keeps both attributes that PATCHes of one user on two nodes change at once', async () => {
    const made = await a.createScimUser(contoso, {
      upn: 'nurse@contoso.example', name: 'Nurse', jobTitle: '', company: '', photoUrl: '', externalId: null, attributes: {}, active: true,
    }, Date.now());
    assert.ok(made.ok);
    const edit = (store: DirectoryStore, change: { jobTitle?: string; company?: string }) => store.updateScimUser(contoso, made.value.oid, (u) => ({
      ok: true as const,
      value: { upn: u.upn, name: u.name, jobTitle: u.jobTitle, company: u.company, photoUrl: u.photoUrl, externalId: u.externalId, attributes: u.attributes ?? {}, ...change },
    }), Date.now());
    const answers = await Promise.all([edit(a, { jobTitle: 'Ward nurse' }), edit(b, { company: 'Contoso Care' })]);
    assert.ok(answers.every((r) => r.ok));
    const user = await a.user(contoso, made.value.oid);
    assert.deepEqual([user?.jobTitle, user?.company], ['Ward nurse', 'Contoso Care']);
  });

  it('numbers device writes from two nodes strictly increasing, so a console misses none', async () => {
    const start = (await a.devicesChangedSince(contoso, undefined, 100_000)).last;
    const writes = Array.from({ length: 30 }, (_, i) => (i % 2 ? b : a).upsertDevice(device(`race-${i}`, `Race ${i}`)));
    // A console reading meanwhile: its cursor never passes a change that is not yet visible.
    const seen = new Set<string>();
    let cursor = start;
    const follow = async () => {
      const page = await b.devicesChangedSince(contoso, cursor, 1000);
      for (const d of page.devices) seen.add(d.id);
      cursor = page.last ?? cursor;
    };
    await Promise.all([...writes, follow(), follow()]);
    await follow();
    assert.equal(seen.size, 30);
    const all = await a.devicesChangedSince(contoso, start, 1000);
    assert.equal(all.devices.length, 30);
    // One change a page: each number is greater than the one before, and every device has its own.
    const seqs: number[] = [];
    for (let at = start; ;) {
      const page = await a.devicesChangedSince(contoso, at, 1);
      if (!page.last) break;
      seqs.push(page.last.seq);
      at = page.last;
    }
    assert.equal(seqs.length, 30);
    assert.ok(seqs.every((s, i) => i === 0 || s > seqs[i - 1]!));
    assert.equal(await a.countChangesSince(contoso, start), 30);
  });

  it('keeps an approval and an update of one device made on two nodes at once, and gives one name once', async () => {
    await a.upsertDevice(device('pending-1', 'Kiosk', { managedBy: 'enrollment', approved: false }));
    await Promise.all([
      a.approveDevice(contoso, 'pending-1', '2030-01-02T00:00:00.000Z'),
      b.updateDevice(contoso, 'pending-1', (d) => ({ ...d!, osVersion: '99', updatedAt: '2030-01-03T00:00:00.000Z' })),
    ]);
    const after = await a.device(contoso, 'pending-1');
    assert.deepEqual([after?.approved, after?.osVersion], [true, '99']);
    const claims = await Promise.allSettled([a.upsertDevice(device('x-1', 'Front desk')), b.upsertDevice(device('x-2', 'FRONT DESK'))]);
    assert.deepEqual(claims.map((c) => c.status).sort(), ['fulfilled', 'rejected']);
    const refused = claims.find((c) => c.status === 'rejected');
    assert.ok(refused?.status === 'rejected' && refused.reason instanceof DeviceNameTakenError);
  });

  it('adds a configured tenant once when two nodes seed it at once, with its built-in roles', async () => {
    const tenant = { id: 'northwind', name: 'Northwind', verifiedDomains: ['northwind.example'], settings: (await a.tenant(contoso))!.settings };
    const added = await Promise.all([a.addTenantIfMissing(tenant), b.addTenantIfMissing(tenant)]);
    assert.deepEqual(added.sort(), [false, true]);
    assert.equal((await b.roles('northwind')).length, 2);
  });

  it('reads the rules revision from the database: a rule saved on one node is seen on the other', async () => {
    const before = await b.rulesRevision(contoso);
    await a.saveRule(contoso, { id: 'r', name: 'R', enabled: true, mode: 'enforce', appliesTo: 'both', conditions: {}, grant: 'block' });
    assert.equal(await b.rulesRevision(contoso), before + 1);
  });
}));
