// Gives an embedded tenant an administrator: `npm run tenant:admin -- --tenant globex --email
// admin@globex.example --name "Ada Lovelace"`. Makes the user a Remote Help Administrator (or finds
// them), and prints a one-time link, valid 24 hours, where they choose their own password: no password
// is ever made up, printed or sent. Reads the same configuration as the relay (RH_CONFIG, RH_DATA_DIR…),
// so it works on a fresh install before the relay's first start, and beside a running relay.
import { randomBytes, randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '#relay/config.js';
import { initialsAvatar } from '#relay/directory/avatar.js';
import { applyConfiguredTenants, ConfiguredTenantsError } from '#relay/directory/configured-tenants.js';
import { createDirectory } from '#relay/directory/index.js';

const adminRole = 'Remote Help Administrator';
const linkLifetimeMs = 24 * 60 * 60 * 1000;

function stop(message: string): never {
  console.error(message);
  process.exit(2);
}

const usage = 'Usage: npm run tenant:admin -- --tenant ID --email ADDRESS --name "FULL NAME" [--job-title TITLE]';
let args;
try {
  args = parseArgs({ options: { tenant: { type: 'string' }, email: { type: 'string' }, name: { type: 'string' }, 'job-title': { type: 'string' } } }).values;
} catch (e) {
  stop(`${(e as Error).message}\n${usage}`);
}
const { tenant: tenantId, email, name } = args;
if (!tenantId || !email || !name?.trim()) stop(usage);
if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) stop(`--email: "${email}" is not an email address`);

let config;
try {
  config = loadConfig(process.env);
} catch (e) {
  if (e instanceof ConfigError) stop(e.message);
  throw e;
}
const directory = createDirectory({ dataDir: config.dataDir });
try {
  try {
    if (config.tenants) applyConfiguredTenants(directory, config.tenants);
  } catch (e) {
    if (e instanceof ConfiguredTenantsError) stop(e.message);
    throw e;
  }
  const tenant = directory.tenant(tenantId) ?? stop(`--tenant: there is no tenant "${tenantId}" (there are: ${directory.tenants().map((t) => t.id).join(', ') || 'none'})`);
  const domain = email.split('@')[1]!.toLowerCase();
  if (!tenant.verifiedDomains.includes(domain)) {
    stop(`--email: ${email} is not at one of ${tenant.name}'s verified domains (${tenant.verifiedDomains.join(', ')})`);
  }
  const existing = directory.userByUpn(email);
  if (existing && existing.tenantId !== tenant.id) stop(`--email: ${email} belongs to another tenant`);
  const oid = existing?.oid ?? randomUUID();
  await directory.upsertUser({
    oid,
    tenantId: tenant.id,
    upn: existing?.upn ?? email,
    name: existing?.name ?? name.trim(),
    jobTitle: existing?.jobTitle ?? args['job-title'] ?? '',
    company: existing?.company ?? tenant.name,
    photoUrl: existing?.photoUrl ?? initialsAvatar(name.trim()),
    roles: [...new Set([...(existing?.roles ?? []), adminRole])],
    groups: existing?.groups ?? [],
    // Kept for an existing user; a new one has a password nobody knows until the link sets theirs.
    password: randomBytes(32).toString('base64url'),
  });
  const token = directory.createPasswordLink(tenant.id, oid, Date.now(), linkLifetimeMs);
  const base = config.publicUrl ?? `https://${config.host}:${config.port}`;
  console.log(`${existing ? 'Now' : 'Added as'} ${adminRole} of ${tenant.name}: ${existing?.name ?? name.trim()} <${email}>`);
  console.log('Send them this link to choose their password (it works once, for 24 hours):');
  console.log(`  ${base}/auth/set-password?t=${token}`);
} finally {
  directory.close();
}
