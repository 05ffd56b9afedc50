import assert from 'node:assert/strict';
import type { Device } from '#protocol';
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

  const get = async (token: string, since?: string) => {
    const res = await httpsRequest(`${host.baseUrl}/api/devices${since ? `?since=${encodeURIComponent(since)}` : ''}`, host.ca, {
      headers: { authorization: `Bearer ${token}` },
    });
    return { status: res.status, body: JSON.parse(res.body) as { devices: Device[]; cursor: string | null } };
  };

  it('returns only the caller\'s tenant, oldest change first', async () => {
    const contoso = await get(contosoToken);
    assert.equal(contoso.status, 200);
    const expected = demoDevices.filter((d) => d.tenantId === demoTenants.contoso.id);
    assert.deepEqual(contoso.body.devices.map((d) => d.name), expected.map((d) => d.name));
    assert.ok(contoso.body.devices.every((d) => d.tenantId === demoTenants.contoso.id));
    assert.ok(contoso.body.devices.some((d) => d.compliance === 'noncompliant' && d.complianceReasons.includes('Disk encryption is off')));
    assert.equal(contoso.body.cursor, `${expected.at(-1)!.updatedAt}|${expected.at(-1)!.id}`);

    const fabrikam = await get(fabrikamToken);
    assert.ok(fabrikam.body.devices.length >= 2);
    assert.ok(fabrikam.body.devices.every((d) => d.tenantId === demoTenants.fabrikam.id));
  });

  it('honours since: only later changes, and an empty page keeps the cursor', async () => {
    const all = (await get(contosoToken)).body.devices;
    const since = all[4]!.updatedAt;
    const later = await get(contosoToken, since);
    assert.deepEqual(later.body.devices.map((d) => d.id), all.slice(5).map((d) => d.id));
    const none = await get(contosoToken, later.body.cursor!);
    assert.deepEqual(none.body, { devices: [], cursor: later.body.cursor });
  });

  it('sees a device change after the cursor', async () => {
    const { cursor } = (await get(contosoToken)).body;
    const changed = { ...demoDevices[1]!, compliance: 'compliant' as const, complianceReasons: [], updatedAt: new Date(Date.parse(cursor!.split('|')[0]!) + 1000).toISOString() };
    host.directory.upsertDevice(changed);
    const delta = await get(contosoToken, cursor!);
    assert.deepEqual(delta.body.devices, [changed]);
  });

  it('pages through many devices sharing one updatedAt without skipping or repeating any', async () => {
    const at = new Date(Date.parse('2030-01-01T00:00:00Z')).toISOString();
    const bulk = Array.from({ length: 1200 }, (_, i) => ({
      ...demoDevices[0]!, id: `bulk-${String(i).padStart(4, '0')}`, name: `BULK-${i}`, updatedAt: at,
    }));
    for (const d of bulk) host.directory.upsertDevice(d);
    const seen: string[] = [];
    let cursor: string | undefined = at.replace('2030', '2029');
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
    for (let i = 0; i < 600; i++) host.directory.upsertDevice({ ...demoDevices[4]!, id: `srv-${String(i).padStart(4, '0')}`, name: `SRV-${i}`, updatedAt: at });
    host.directory.upsertDevice({ ...demoDevices[0]!, id: 'fin-late', name: 'FIN-LATE', updatedAt: '2031-01-02T00:00:00.000Z' });
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

  it('refuses a malformed since', async () => {
    const bad = await get(contosoToken, 'yesterday');
    assert.equal(bad.status, 400);
  });
});
