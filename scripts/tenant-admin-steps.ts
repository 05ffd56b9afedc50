// What the tenant commands (tenant:admin, tenant:create) share: making someone a Remote Help Administrator
// of an embedded tenant with a one-time link to choose their password, and how a command refuses (a
// message on stderr, exit code 2, everything closed first).
import { randomBytes, randomUUID } from 'node:crypto';
import { ConfigError, loadConfig, type Config } from '#relay/config.js';
import { openKeptDirectory } from '#relay/kept-data.js';
import { DatabaseUnavailableError } from '#relay/pg/connect.js';
import { initialsAvatar } from '#relay/directory/avatar.js';
import type { DirectoryStore } from '#relay/directory/index.js';

export const adminRole = 'Remote Help Administrator';
const linkLifetimeMs = 24 * 60 * 60 * 1000;

/** A reason to stop, said to the operator on stderr with exit code 2 once everything is closed. */
export class Refusal extends Error {}

export interface AdminRequest {
  tenantId: string;
  email: string;
  name: string;
  jobTitle: string | undefined;
}

export const looksLikeEmail = (value: string): boolean => /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(value);

/** The relay's own configuration; a bad one is a refusal that names the key. */
export function loadConfigOrRefuse(env: Record<string, string | undefined>): Config {
  try {
    return loadConfig(env);
  } catch (e) {
    throw e instanceof ConfigError ? new Refusal(e.message) : e;
  }
}

/** The directory where the relay keeps it (the data folder, or RH_DATABASE_URL / `database`); a database
 * that does not answer is a refusal naming it without its password. */
export async function openDirectoryOrRefuse(config: Config): Promise<{ directory: DirectoryStore; close(): Promise<void> }> {
  try {
    return await openKeptDirectory(config);
  } catch (e) {
    throw e instanceof DatabaseUnavailableError ? new Refusal(e.message) : e;
  }
}

/** Makes (or finds) the user, gives them the administrator role and a new one-time link; answers the lines to print. */
export async function makeAdmin(directory: DirectoryStore, req: AdminRequest, publicUrl: string): Promise<string[]> {
  const tenant = await directory.tenant(req.tenantId);
  if (!tenant) throw new Refusal(`--tenant: there is no tenant "${req.tenantId}" (there are: ${(await directory.tenants()).map((t) => t.id).join(', ') || 'none'})`);
  const domain = req.email.split('@')[1]!.toLowerCase();
  if (!tenant.verifiedDomains.includes(domain)) {
    throw new Refusal(`--email: ${req.email} is not at one of ${tenant.name}'s verified domains (${tenant.verifiedDomains.join(', ')})`);
  }
  const existing = await directory.userByUpn(req.email);
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
  const token = await directory.createPasswordLink(tenant.id, oid, Date.now(), linkLifetimeMs);
  return [
    `${existing ? 'Now' : 'Added as'} ${adminRole} of ${tenant.name}: ${existing?.name ?? req.name} <${req.email}>`,
    'Send them this link to choose their password (it works once, for 24 hours; an earlier link stops working):',
    `  ${publicUrl}/auth/set-password?t=${token}`,
  ];
}

/** Runs a command: a Refusal is said on stderr with exit code 2; anything else is a bug and throws. */
export function runCommand(main: () => Promise<void>): void {
  main().catch((e: unknown) => {
    if (!(e instanceof Refusal)) throw e;
    console.error(e.message);
    process.exitCode = 2;
  });
}
