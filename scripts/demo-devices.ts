// Fills a demo tenant with a large, realistic device inventory, so the console's Devices can be seen and
// measured at an organization's size: `npm run demo:devices -- --count 100000 [--tenant contoso]`.
// Names unique per tenant, a mix of platforms and OS versions, compliance (with reasons), device groups,
// primary users (the tenant's people and made-up colleagues at its domain), check-ins over the last 30
// days. Drawn from a seeded generator: the same count gives the same names and properties; running it
// again replaces them by id and refreshes their check-ins. Only ever into the demo's data folder (RH_DATA_DIR).
import { parseArgs } from 'node:util';
import type { Device } from '#protocol';
import { assertDemoDataFolder, ConfiguredTenantsError } from '#relay/directory/configured-tenants.js';
import { demoTenants, demoUsers, seedDemoTenants } from '#relay/directory/index.js';
import { databaseUrlShown } from '#relay/pg/connect.js';
import { loadConfigOrRefuse, openDirectoryOrRefuse, Refusal, runCommand } from './tenant-admin-steps.js';
import { seeded } from './seeded-random.js';

const usage = 'Usage: npm run demo:devices -- --count N [--tenant contoso|fabrikam]';
const maxCount = 1_000_000;
const batch = 5_000;

/** One of `choices`, by weight. */
function pick<T>(random: () => number, choices: readonly (readonly [T, number])[]): T {
  const total = choices.reduce((sum, [, w]) => sum + w, 0);
  let r = random() * total;
  for (const [value, weight] of choices) if ((r -= weight) < 0) return value;
  return choices.at(-1)![0];
}

const platforms = [
  ['Windows', 58, 'LT', ['10.0.26100', '10.0.22631', '10.0.22621', '10.0.19045']],
  ['macOS', 18, 'MB', ['15.1', '14.7', '14.5', '13.6.9']],
  ['iOS', 9, 'IP', ['18.1', '17.6.1', '16.7.10']],
  ['Android', 9, 'AD', ['15', '14', '13']],
  ['Linux', 6, 'WS', ['Ubuntu 24.04', 'Ubuntu 22.04', 'Debian 12']],
] as const;
const groupsByKind: Record<string, string[]> = {
  LT: ['Corporate laptops'], MB: ['Corporate laptops'], IP: ['Mobile devices'], AD: ['Mobile devices'], WS: ['Servers'],
};
const hardware: Record<string, readonly (readonly [string, string])[]> = {
  LT: [['Lenovo', 'ThinkPad T14 Gen 5'], ['Dell', 'Latitude 7450'], ['HP', 'EliteBook 840 G11'], ['Microsoft', 'Surface Laptop 7']],
  MB: [['Apple', 'MacBook Pro (14-inch, M3)'], ['Apple', 'MacBook Air (13-inch, M2)']],
  IP: [['Apple', 'iPhone 15'], ['Apple', 'iPhone 14'], ['Apple', 'iPad Air (M2)']],
  AD: [['Samsung', 'Galaxy S24'], ['Google', 'Pixel 8'], ['Samsung', 'Galaxy Tab S9']],
  WS: [['Dell', 'PowerEdge R660'], ['HPE', 'ProLiant DL360 Gen11']],
};
const serialAlphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ0123456789';
const reasons = ['Disk encryption is off', 'Firewall is off', 'OS version is below the minimum', 'Antivirus signatures are out of date', 'Screen lock is off'];
const firstNames = ['Ada', 'Bo', 'Chen', 'Dana', 'Emil', 'Fatima', 'Goran', 'Hiro', 'Ines', 'Jonas', 'Kaveh', 'Lena', 'Mateo', 'Nia', 'Omar', 'Priya', 'Quinn', 'Rosa', 'Sven', 'Tala'];
const lastNames = ['Andersson', 'Bauer', 'Costa', 'Dubois', 'Eriksen', 'Fischer', 'Garcia', 'Haddad', 'Ivanova', 'Jensen', 'Kim', 'Larsen', 'Moreau', 'Nakamura', 'Okafor', 'Petrov'];

export function demoDevices(tenantId: string, domain: string, people: readonly string[], count: number, now: number): Device[] {
  const random = seeded(count ^ tenantId.length);
  const prefix = tenantId.slice(0, 8).toUpperCase();
  const devices: Device[] = [];
  const day = 24 * 60 * 60_000;
  for (let i = 0; i < count; i++) {
    const [platform, , kind, versions] = pick(random, platforms.map((p) => [p, p[1]] as const));
    const compliance = pick(random, [['compliant', 80], ['noncompliant', 15], ['unknown', 5]] as const);
    const complianceReasons = compliance === 'noncompliant'
      ? [reasons[Math.floor(random() * reasons.length)]!]
      : compliance === 'unknown' ? ['Device has not reported compliance yet'] : [];
    const known = random() < 0.02 && people.length > 0;
    const primaryUser = known
      ? people[Math.floor(random() * people.length)]!
      : `${firstNames[Math.floor(random() * firstNames.length)]!}.${lastNames[Math.floor(random() * lastNames.length)]!}${Math.floor(random() * 1000)}@${domain}`.toLowerCase();
    const groups = [...groupsByKind[kind]!, ...(random() < 0.12 ? ['Finance devices'] : [])];
    const [manufacturer, model] = pick(random, hardware[kind]!.map((h) => [h, 1] as const));
    // A demo tenant has no Intune: most devices came in through an administrator's import; some were
    // enrolled by their users' browsers (self-reported), a few of those still wait for approval.
    const managedBy = pick(random, [['import', 85], ['enrollment', 15]] as const);
    const approved = managedBy === 'import' || random() < 0.7;
    const ownership = pick(random, [['company', 85], ['personal', 13], ['unknown', 2]] as const);
    let serialNumber = '';
    for (let c = 0; c < 10; c++) serialNumber += serialAlphabet[Math.floor(random() * serialAlphabet.length)];
    devices.push({
      id: `${tenantId.slice(0, 8)}-demo-${String(i + 1).padStart(7, '0')}`,
      tenantId,
      // Unique per tenant: the kind and a running number.
      name: `${prefix}-${kind}-${String(i + 1).padStart(6, '0')}`,
      platform,
      osVersion: versions[Math.floor(random() * versions.length)]!,
      primaryUser,
      enrolled: true,
      compliance,
      complianceReasons,
      lastCheckIn: new Date(now - Math.floor(random() * 30 * day)).toISOString(),
      groups,
      managedBy,
      approved,
      ownership,
      serialNumber: managedBy === 'enrollment' ? '' : serialNumber,
      manufacturer: managedBy === 'enrollment' ? '' : manufacturer,
      model: managedBy === 'enrollment' ? '' : model,
      enrolledAt: new Date(now - Math.floor(random() * 365 * day)).toISOString(),
      // In creation order: the console's delta sync reads them oldest change first.
      updatedAt: new Date(now - (count - i)).toISOString(),
    });
  }
  return devices;
}

async function main(): Promise<void> {
  let values;
  try {
    values = parseArgs({ options: { count: { type: 'string' }, tenant: { type: 'string' } } }).values;
  } catch (e) {
    throw new Refusal(`${(e as Error).message}\n${usage}`);
  }
  const count = Number(values.count);
  if (!Number.isInteger(count) || count < 1 || count > maxCount) throw new Refusal(`--count: a whole number from 1 to ${maxCount}\n${usage}`);
  const tenant = Object.values(demoTenants).find((t) => t.id === (values.tenant ?? demoTenants.contoso.id));
  if (!tenant) throw new Refusal(`--tenant: one of the demo's, ${Object.values(demoTenants).map((t) => t.id).join(' or ')}`);
  const config = loadConfigOrRefuse(process.env);
  if (config.tenants) throw new Refusal('demo:devices fills the demo\'s tenants; with RH_CONFIG the data folder is an organization\'s.');
  const { directory, close } = await openDirectoryOrRefuse(config);
  try {
    try {
      await assertDemoDataFolder(directory);
    } catch (e) {
      throw e instanceof ConfiguredTenantsError ? new Refusal(e.message) : e;
    }
    await seedDemoTenants(directory);
    const people = Object.values(demoUsers).filter((u) => u.tenantId === tenant.id).map((u) => u.upn);
    const devices = demoDevices(tenant.id, tenant.verifiedDomains[0]!, people, count, Date.now());
    const started = performance.now();
    for (let done = 0; done < devices.length; done += batch) {
      await directory.upsertDevices(devices.slice(done, done + batch));
      process.stdout.write(`\r${Math.min(done + batch, count).toLocaleString('en')} of ${count.toLocaleString('en')} devices (${Math.round((Math.min(done + batch, count) / count) * 100)} %)`);
    }
    process.stdout.write('\n');
    console.log(`${tenant.name} now has ${count.toLocaleString('en')} demo devices (in ${Math.round(performance.now() - started)} ms), in ${config.databaseUrl ? databaseUrlShown(config.databaseUrl) : config.dataDir}.`);
  } finally {
    await close();
  }
}

runCommand(main);
