// npm run demo:devices, run as a person runs it: a demo tenant gets a large, realistic inventory, unique
// names, every platform and compliance state; bad counts and an organization's data folder are refused.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDirectory, demoTenants } from '#relay/directory/index.js';
import { exited, spawnTsx } from '#test/support/relay-process.js';

const demoDevicesCommand = (env: Record<string, string>, ...args: string[]) => exited(spawnTsx('scripts/demo-devices.ts', args, env));

describe('npm run demo:devices', function () {
  this.timeout(60_000);
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rh-demo-devices-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('fills the demo tenant with realistic devices, each name once, and again gives the same ones', async () => {
    const env = { RH_DATA_DIR: join(dir, 'relay') };
    const made = await demoDevicesCommand(env, '--count', '3000');
    assert.equal(made.code, 0, made.stderr);
    assert.match(made.stdout, /3,000 of 3,000 devices \(100 %\)/);
    assert.match(made.stdout, /Contoso now has 3,000 demo devices/);
    const again = await demoDevicesCommand(env, '--count', '3000');
    assert.equal(again.code, 0, again.stderr);

    const directory = createDirectory({ dataDir: join(dir, 'relay') });
    try {
      const devices = (await directory.devicesChangedSince(demoTenants.contoso.id, undefined, 10_000)).devices.filter((d) => d.id.includes('-demo-'));
      assert.equal(devices.length, 3000, 'the same devices again, not 6,000');
      assert.equal(new Set(devices.map((d) => d.name.toLowerCase())).size, 3000, 'names are unique in the tenant');
      assert.deepEqual([...new Set(devices.map((d) => d.platform))].sort(), ['Android', 'Linux', 'Windows', 'iOS', 'macOS']);
      const states = new Map<string, number>();
      for (const d of devices) states.set(d.compliance, (states.get(d.compliance) ?? 0) + 1);
      assert.ok((states.get('compliant') ?? 0) > 2000 && (states.get('noncompliant') ?? 0) > 200 && (states.get('unknown') ?? 0) > 50, JSON.stringify([...states]));
      // Imported (approved) and self-reported enrollments, a few waiting for approval; serials on imported ones.
      const sources = new Map<string, number>();
      for (const d of devices) sources.set(`${d.managedBy}:${d.approved}`, (sources.get(`${d.managedBy}:${d.approved}`) ?? 0) + 1);
      assert.ok((sources.get('import:true') ?? 0) > 2000 && (sources.get('enrollment:true') ?? 0) > 100 && (sources.get('enrollment:false') ?? 0) > 30, JSON.stringify([...sources]));
      assert.ok(devices.filter((d) => d.managedBy === 'import').every((d) => /^[A-Z0-9]{10}$/.test(d.serialNumber) && d.manufacturer !== ''));
      assert.ok(devices.some((d) => d.ownership === 'personal') && devices.some((d) => d.ownership === 'company'));
      assert.ok(devices.filter((d) => d.compliance === 'noncompliant').every((d) => d.complianceReasons.length > 0), 'a noncompliant device says why');
      // The tenant's own people (the contractor's address is at a partner's domain) and made-up colleagues.
      assert.ok(devices.every((d) => /@contoso(-partner)?\.example$/.test(d.primaryUser)));
      assert.equal((await directory.devicesChangedSince(demoTenants.fabrikam.id, undefined, 10_000)).devices.filter((d) => d.id.includes('-demo-')).length, 0);
    } finally {
      directory.close();
    }
  });

  it('refuses a bad count, and an organization\'s configuration', async () => {
    const zero = await demoDevicesCommand({ RH_DATA_DIR: join(dir, 'relay') }, '--count', '0');
    assert.equal(zero.code, 2);
    assert.match(zero.stderr, /--count: a whole number from 1 to 1000000/);
    const file = join(dir, 'relay.yaml');
    writeFileSync(file, 'trustProxy: true\npublicUrl: https://help.example.com\ntenants: [{ id: globex, name: Globex, verifiedDomains: [globex.example], identity: { type: embedded } }]\n');
    const org = await demoDevicesCommand({ RH_CONFIG: file }, '--count', '10');
    assert.equal(org.code, 2);
    assert.match(org.stderr, /the data folder is an organization's/);
  });
});
