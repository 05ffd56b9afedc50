// Gives an embedded tenant an administrator: `npm run tenant:admin -- --tenant globex --email
// admin@globex.example --name "Ada Lovelace"`. Makes the user a Remote Help Administrator (or finds
// them), and prints a one-time link, valid 24 hours, where they choose their own password: no password
// is ever made up, printed or sent. Reads the same configuration as the relay (RH_CONFIG, RH_DATA_DIR…),
// so it works on a fresh install before the relay's first start, and beside a running relay.
import { randomBytes, randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, publicUrlOf } from '#relay/config.js';
import { initialsAvatar } from '#relay/directory/avatar.js';
import { applyConfiguredTenants, ConfiguredTenantsError } from '#relay/directory/configured-tenants.js';
import { createDirectory, type DirectoryStore } from '#relay/directory/index.js';

const adminRole = 'Remote Help Administrator';
const linkLifetimeMs = 24 * 60 * 60 * 1000;
const usage = 'Usage: npm run tenant:admin -- --tenant ID --email ADDRESS --name "FULL NAME" [--job-title TITLE]';

/** A reason to stop, said to the operator on stderr with exit code 2 once everything is closed. */
class Refusal extends Error {}

interface Request {
  tenantId: string;
  email: string;
  name: string;
  jobTitle: string | undefined;
}

function readArgs(): Request {
  let values;
  try {
    values = parseArgs({ options: { tenant: { type: 'string' }, email: { type: 'string' }, name: { type: 'string' }, 'job-title': { type: 'string' } } }).values;
  } catch (e) {
    throw new Refusal(`${(e as Error).message}\n${usage}`);
  }
  const { tenant, email, name } = values;
  if (!tenant || !email || !name?.trim()) throw new Refusal(usage);
  if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) throw new Refusal(`--email: "${email}" is not an email address`);
  return { tenantId: tenant, email, name: name.trim(), jobTitle: values['job-title'] };
}

async function makeAdmin(directory: DirectoryStore, req: Request, publicUrl: string): Promise<string[]> {
  const tenant = directory.tenant(req.tenantId);
  if (!tenant) throw new Refusal(`--tenant: there is no tenant "${req.tenantId}" (there are: ${directory.tenants().map((t) => t.id).join(', ') || 'none'})`);
  const domain = req.email.split('@')[1]!.toLowerCase();
  if (!tenant.verifiedDomains.includes(domain)) {
    throw new Refusal(`--email: ${req.email} is not at one of ${tenant.name}'s verified domains (${tenant.verifiedDomains.join(', ')})`);
  }
  const existing = directory.userByUpn(req.email);
  if (existing && existing.tenantId !== tenant.id) throw new Refusal(`--email: ${req.email} belongs to another tenant`);
  const oid = existing?.oid ?? randomUUID();
  await directory.upsertUser({
    oid,
    tenantId: tenant.id,
    upn: existing?.upn ?? req.email,
    name: existing?.name ?? req.name,
    jobTitle: existing?.jobTitle ?? req.jobTitle ?? '',
    company: existing?.company ?? tenant.name,
    photoUrl: existing?.photoUrl ?? initialsAvatar(req.name),
    roles: [...new Set([...(existing?.roles ?? []), adminRole])],
    groups: existing?.groups ?? [],
    // Kept for an existing user; a new one has a password nobody knows until the link sets theirs.
    password: randomBytes(32).toString('base64url'),
  });
  const token = directory.createPasswordLink(tenant.id, oid, Date.now(), linkLifetimeMs);
  return [
    `${existing ? 'Now' : 'Added as'} ${adminRole} of ${tenant.name}: ${existing?.name ?? req.name} <${req.email}>`,
    'Send them this link to choose their password (it works once, for 24 hours; an earlier link stops working):',
    `  ${publicUrl}/auth/set-password?t=${token}`,
  ];
}

async function main(): Promise<void> {
  const req = readArgs();
  let config;
  try {
    config = loadConfig(process.env);
  } catch (e) {
    throw e instanceof ConfigError ? new Refusal(e.message) : e;
  }
  const configured = config.tenants?.find((t) => t.id === req.tenantId);
  if (configured && configured.identity.type !== 'embedded') {
    throw new Refusal(`--tenant: ${req.tenantId} signs in with ${configured.identity.type}, where its own administrators are managed`);
  }
  const directory = createDirectory({ dataDir: config.dataDir });
  try {
    try {
      if (config.tenants) applyConfiguredTenants(directory, config.tenants);
    } catch (e) {
      throw e instanceof ConfiguredTenantsError ? new Refusal(e.message) : e;
    }
    const lines = await makeAdmin(directory, req, publicUrlOf(config, config.port));
    for (const line of lines) console.log(line);
  } finally {
    directory.close();
  }
}

main().catch((e: unknown) => {
  if (!(e instanceof Refusal)) throw e;
  console.error(e.message);
  process.exitCode = 2;
});
