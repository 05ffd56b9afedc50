import assert from 'node:assert/strict';
import type { Device, DeviceSession } from '#protocol';
import { demoDevices, demoPassword, demoTenants } from '#relay/directory/index.js';
import { httpsRequest } from '../../support/https-fetch.js';
import { signInForToken } from '../../support/sign-in.js';
import { startIdentityHost, type IdentityHost } from '../../support/identity-host.js';

describe('GET /api/devices', () => {
  let host: IdentityHost;
  let contosoToken: string;
  let fabrikamToken: string;
  before(async () => {
    host = await startIdentityHost();
    contosoToken = await signInForToken(host.baseUrl, 'helper@contoso.example', demoPassword, host.ca);
    fabrikamToken = await signInForToken(host.baseUrl, 'helper@fabrikam.example', demoPassword, host.ca);
  });
  after(() => host.close());

  type Body = { devices: Device[]; removed: string[]; cursor: string | null; more: boolean; expected?: number };
  const get = async (token: string, since?: string, extra = '') => {
    const params = [since ? `since=${encodeURIComponent(since)}` : '', extra].filter(Boolean).join('&');
    const res = await httpsRequest(`${host.baseUrl}/api/devices${params ? `?${params}` : ''}`, host.ca, {
      headers: { authorization: `Bearer ${token}` },
    });
    return { status: res.status, body: JSON.parse(res.body) as Body };
  };

  it('returns only the caller\'s tenant, oldest change first', async () => {
    const contoso = await get(contosoToken);
    assert.equal(contoso.status, 200);
    const expected = demoDevices.filter((d) => d.tenantId === demoTenants.contoso.id);
    assert.deepEqual(contoso.body.devices.map((d) => d.name), expected.map((d) => d.name));
    assert.ok(contoso.body.devices.every((d) => d.tenantId === demoTenants.contoso.id));
    assert.ok(contoso.body.devices.some((d) => d.compliance === 'noncompliant' && d.complianceReasons.includes('Disk encryption is off')));
    assert.match(contoso.body.cursor!, /^\d+$/);
    assert.equal(contoso.body.more, false);

    const fabrikam = await get(fabrikamToken);
    assert.ok(fabrikam.body.devices.length >= 2);
    assert.ok(fabrikam.body.devices.every((d) => d.tenantId === demoTenants.fabrikam.id));
  });

  it('honours since: only later changes, and an empty page keeps the cursor; an older relay\'s cursor starts over', async () => {
    const all = (await get(contosoToken)).body.devices;
    const first = await get(contosoToken, undefined, 'limit=5');
    const later = await get(contosoToken, first.body.cursor!);
    assert.deepEqual(later.body.devices.map((d) => d.id), all.slice(5).map((d) => d.id));
    const none = await get(contosoToken, later.body.cursor!);
    assert.deepEqual(none.body, { devices: [], removed: [], cursor: later.body.cursor, more: false });
    // An ISO date-time (with or without an id) is what a console synced by an older relay holds: a full sync.
    for (const legacy of [all[4]!.updatedAt, `${all[4]!.updatedAt}|${all[4]!.id}`]) {
      assert.deepEqual((await get(contosoToken, legacy)).body.devices.map((d) => d.id), all.map((d) => d.id));
    }
  });

  it('sees a device change after the cursor', async () => {
    const { cursor } = (await get(contosoToken)).body;
    // Written with an older time than anything the console has seen (a writer whose clock is behind): still after the cursor.
    const changed = { ...demoDevices[1]!, compliance: 'compliant' as const, complianceReasons: [], updatedAt: '2020-01-01T00:00:00.000Z' };
    await host.directory.upsertDevice(changed);
    const delta = await get(contosoToken, cursor!);
    assert.deepEqual(delta.body.devices, [changed]);
  });

  it('pages through many devices sharing one updatedAt without skipping or repeating any', async () => {
    const at = new Date(Date.parse('2030-01-01T00:00:00Z')).toISOString();
    let cursor: string | undefined = (await get(contosoToken, undefined, 'limit=5000')).body.cursor!;
    const bulk = Array.from({ length: 1200 }, (_, i) => ({
      ...demoDevices[0]!, id: `bulk-${String(i).padStart(4, '0')}`, name: `BULK-${i}`, updatedAt: at,
    }));
    for (const d of bulk) await host.directory.upsertDevice(d);
    const seen: string[] = [];
    for (let page = 0; page < 10; page++) {
      const res = await get(contosoToken, cursor);
      if (!res.body.devices.length) break;
      seen.push(...res.body.devices.map((d) => d.id));
      cursor = res.body.cursor!;
    }
    assert.deepEqual(seen, bulk.map((d) => d.id));
  });

  it('answers only someone whose role grants remote help: a sharer reads no device and no primary user', async () => {
    const sharer = await signInForToken(host.baseUrl, 'sharer@contoso.example', demoPassword, host.ca);
    const res = await httpsRequest(`${host.baseUrl}/api/devices`, host.ca, { headers: { authorization: `Bearer ${sharer}` } });
    assert.equal(res.status, 403);
    assert.equal((JSON.parse(res.body) as { error: { code: string } }).error.code, 'permission-missing');
    assert.doesNotMatch(res.body, /CONTOSO-/);
  });

  it('shows a scoped helper only the devices in their role\'s device groups, paging past the others', async () => {
    const finance = await signInForToken(host.baseUrl, 'finance.helper@contoso.example', demoPassword, host.ca);
    // A run of devices outside Finance longer than a page, then one inside: the page after them is not empty.
    const at = '2031-01-01T00:00:00.000Z';
    for (let i = 0; i < 600; i++) await host.directory.upsertDevice({ ...demoDevices[4]!, id: `srv-${String(i).padStart(4, '0')}`, name: `SRV-${i}`, updatedAt: at });
    await host.directory.upsertDevice({ ...demoDevices[0]!, id: 'fin-late', name: 'FIN-LATE', updatedAt: '2031-01-02T00:00:00.000Z' });
    const seen: Device[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 20; page++) {
      const res = await get(finance, cursor);
      assert.equal(res.status, 200);
      if (!res.body.devices.length) break;
      seen.push(...res.body.devices);
      cursor = res.body.cursor!;
    }
    assert.ok(seen.length > 0);
    assert.ok(seen.every((d) => d.groups?.includes('Finance devices')), seen.map((d) => d.name).join(', '));
    assert.ok(seen.some((d) => d.name === 'FIN-LATE'), 'a device after a page of others is still reached');
    const expected = [...demoDevices.filter((d) => d.tenantId === demoTenants.contoso.id && d.groups?.includes('Finance devices')).map((d) => d.id), 'fin-late'];
    assert.deepEqual(seen.map((d) => d.id).filter((id) => expected.includes(id)).sort(), [...new Set(expected)].sort());
  });

  it('refuses a malformed since, limit or count', async () => {
    assert.equal((await get(contosoToken, 'yesterday')).status, 400);
    assert.equal((await get(contosoToken, undefined, 'limit=0')).status, 400);
    assert.equal((await get(contosoToken, undefined, 'limit=5001')).status, 400);
    assert.equal((await get(contosoToken, undefined, 'count=yes')).status, 400);
  });

  it('pages by limit with more, and says with count=1 how many changes lie ahead', async () => {
    const first = await get(contosoToken, undefined, 'limit=2&count=1');
    assert.equal(first.body.devices.length, 2);
    assert.equal(first.body.more, true);
    const total = first.body.expected!;
    assert.ok(total > 2, String(total));
    let seen = 2;
    let cursor = first.body.cursor!;
    for (;;) {
      const page = await get(contosoToken, cursor, 'limit=1000');
      seen += page.body.devices.length + page.body.removed.length;
      cursor = page.body.cursor!;
      if (!page.body.more) break;
    }
    assert.equal(seen, total, 'every change the count promised arrives');
    assert.equal((await get(contosoToken, cursor, 'count=1')).body.expected, 0);
  });

  it('tells the console of a removed device, once, after its cursor', async () => {
    const before = (await get(contosoToken, undefined, 'limit=5000')).body.cursor!;
    await host.directory.upsertDevice({ ...demoDevices[0]!, id: 'gone-1', name: 'GONE-1', updatedAt: '2033-01-01T00:00:00.000Z' });
    const added = await get(contosoToken, before);
    assert.deepEqual(added.body.devices.map((d) => d.id), ['gone-1']);
    assert.equal(await host.directory.removeDevices(demoTenants.contoso.id, ['gone-1', 'never-was'], '2033-01-01T00:00:01.000Z'), 1);
    const delta = await get(contosoToken, added.body.cursor!);
    assert.deepEqual(delta.body.removed, ['gone-1']);
    assert.deepEqual(delta.body.devices, []);
    assert.deepEqual((await get(contosoToken, delta.body.cursor!)).body.removed, [], 'a removal is told once');
    // Another tenant's helper never hears of it.
    assert.ok(!(await get(fabrikamToken, undefined, 'limit=5000')).body.removed.includes('gone-1'));
  });

  it('turns a device that left a scoped helper\'s groups into a removal on their next delta', async () => {
    const finance = await signInForToken(host.baseUrl, 'finance.helper@contoso.example', demoPassword, host.ca);
    const at = (s: number) => new Date(Date.parse('2032-01-01T00:00:00.000Z') + s * 1000).toISOString();
    const before = (await get(contosoToken, undefined, 'limit=5000')).body.cursor!;
    await host.directory.upsertDevice({ ...demoDevices[0]!, id: 'moving', name: 'MOVING', groups: ['Finance devices'], updatedAt: at(0) });
    const seen = await get(finance, before);
    assert.deepEqual(seen.body.devices.map((d) => d.id), ['moving']);
    await host.directory.upsertDevice({ ...demoDevices[0]!, id: 'moving', name: 'MOVING', groups: ['Servers'], updatedAt: at(1) });
    const delta = await get(finance, seen.body.cursor!);
    assert.deepEqual(delta.body.devices, []);
    assert.deepEqual(delta.body.removed, ['moving']);
    // The unscoped helper still sees it, changed.
    assert.deepEqual((await get(contosoToken, seen.body.cursor!)).body.devices.map((d) => d.groups), [['Servers']]);
  });
});

describe('GET /api/devices/:id/sessions', () => {
  let host: IdentityHost;
  let helper: string;
  before(async () => {
    host = await startIdentityHost();
    helper = await signInForToken(host.baseUrl, 'helper@contoso.example', demoPassword, host.ca);
  });
  after(() => host.close());

  const sessions = async (token: string, id: string) => {
    const res = await httpsRequest(`${host.baseUrl}/api/devices/${encodeURIComponent(id)}/sessions`, host.ca, { headers: { authorization: `Bearer ${token}` } });
    return { status: res.status, body: JSON.parse(res.body) as { sessions?: DeviceSession[]; error?: { code: string } } };
  };
  const record = async (deviceId: string, minutes: number, outcome: 'completed' | 'denied' | 'reported') => {
    const device = demoDevices.find((d) => d.id === deviceId)!;
    const createdAt = new Date(Date.UTC(2026, 10, 1, 9, minutes)).toISOString();
    await host.reports.append({
      tenantId: device.tenantId, sessionId: `s-${deviceId}-${minutes}`,
      helper: { userId: 'h1', upn: 'helper@contoso.example', name: 'Hanna Helper' },
      sharer: { userId: 's1', upn: 'sharer@contoso.example', name: 'Sam Sharer' },
      device: { id: device.id, name: device.name }, permission: 'view-screen', warnings: [], outcome,
      policy: { step: null, refusal: null, reportOnly: [] }, createdAt, joinedAt: createdAt, consentAt: createdAt,
      consent: outcome === 'completed' ? 'allowed' : 'denied', endedAt: outcome === 'completed' ? new Date(Date.parse(createdAt) + 300_000).toISOString() : null,
      endedBy: outcome === 'completed' ? 'helper' : null, endReason: null,
    });
  };

  it('lists that device\'s sessions, newest first: who helped, when, the outcome', async () => {
    const finance = demoDevices.find((d) => d.tenantId === demoTenants.contoso.id && d.groups?.includes('Finance devices'))!;
    const other = demoDevices.find((d) => d.tenantId === demoTenants.contoso.id && d.id !== finance.id)!;
    await record(finance.id, 0, 'completed');
    await record(finance.id, 30, 'denied');
    await record(other.id, 10, 'completed');
    const res = await sessions(helper, finance.id);
    assert.equal(res.status, 200);
    assert.deepEqual(res.body.sessions!.map((s) => [s.sessionId, s.helperName, s.helperUpn, s.outcome]), [
      [`s-${finance.id}-30`, 'Hanna Helper', 'helper@contoso.example', 'denied'],
      [`s-${finance.id}-0`, 'Hanna Helper', 'helper@contoso.example', 'completed'],
    ]);
    assert.equal(res.body.sessions![1]!.endedAt, new Date(Date.UTC(2026, 10, 1, 9, 5)).toISOString());
  });

  it('shows a reported session to helpers as the decline it was to them', async () => {
    const device = demoDevices.find((d) => d.tenantId === demoTenants.contoso.id && d.groups?.includes('Finance devices'))!;
    await record(device.id, 45, 'reported');
    const [latest] = (await sessions(helper, device.id)).body.sessions!;
    assert.deepEqual([latest!.sessionId, latest!.outcome], [`s-${device.id}-45`, 'denied']);
  });

  it('answers not-found for another tenant\'s device or one outside the helper\'s scope, and permission-missing for a sharer', async () => {
    const fabrikamDevice = demoDevices.find((d) => d.tenantId === demoTenants.fabrikam.id)!;
    assert.equal((await sessions(helper, fabrikamDevice.id)).body.error?.code, 'not-found');
    const financeHelper = await signInForToken(host.baseUrl, 'finance.helper@contoso.example', demoPassword, host.ca);
    const server = demoDevices.find((d) => d.tenantId === demoTenants.contoso.id && !d.groups?.includes('Finance devices'))!;
    await record(server.id, 40, 'completed');
    const hidden = await sessions(financeHelper, server.id);
    assert.equal(hidden.status, 404);
    assert.equal(hidden.body.sessions, undefined);
    const sharer = await signInForToken(host.baseUrl, 'sharer@contoso.example', demoPassword, host.ca);
    const refused = await sessions(sharer, server.id);
    assert.equal(refused.status, 403);
    assert.equal(refused.body.error?.code, 'permission-missing');
  });
});
