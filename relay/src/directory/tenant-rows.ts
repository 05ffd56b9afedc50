// A tenant's row (name, verified domains, settings as JSON text), read and written the same way by the
// directory and its policy part, on either store.
import { sql } from 'kysely';
import { noBranding } from '#protocol';
import type { Tenant, TenantSettings } from '../ports.js';
import { all, first, run, type Runner } from './kept-sql.js';

/** A new tenant: remote help on, unenrolled devices refused, chat on, enrollment on, reports kept. */
export const defaultTenantSettings: TenantSettings = {
  remoteHelpEnabled: true, allowUnenrolled: false, chatEnabled: true, allowEnrollment: true, reportRetentionDays: 0, branding: noBranding,
};

export interface TenantRow { id: string; name: string; verified_domains: string; settings: string }

export const toTenant = (r: TenantRow): Tenant => ({
  id: r.id,
  name: r.name,
  verifiedDomains: JSON.parse(r.verified_domains) as string[],
  // Settings added since the row was written take their defaults.
  settings: { ...defaultTenantSettings, ...(JSON.parse(r.settings) as Partial<TenantSettings>) },
});

export async function readTenant(db: Runner, id: string): Promise<Tenant | undefined> {
  const row = await first(db, sql<TenantRow>`SELECT * FROM tenants WHERE id = ${id}`);
  return row && toTenant(row);
}

export async function readTenants(db: Runner): Promise<Tenant[]> {
  return (await all(db, sql<TenantRow>`SELECT * FROM tenants ORDER BY name`)).map(toTenant);
}

const domainsText = (domains: readonly string[]) => JSON.stringify(domains.map((d) => d.toLowerCase()));

export async function writeTenant(db: Runner, t: Tenant): Promise<void> {
  await run(db, sql`INSERT INTO tenants (id, name, verified_domains, settings)
    VALUES (${t.id}, ${t.name}, ${domainsText(t.verifiedDomains)}, ${JSON.stringify(t.settings)})
    ON CONFLICT (id) DO UPDATE SET name = excluded.name, verified_domains = excluded.verified_domains, settings = excluded.settings`);
}

/** Adds the tenant only if its id is free, in one statement (two nodes seeding at once add it once). */
export async function insertTenantIfMissing(db: Runner, t: Tenant): Promise<boolean> {
  return (await run(db, sql`INSERT INTO tenants (id, name, verified_domains, settings)
    VALUES (${t.id}, ${t.name}, ${domainsText(t.verifiedDomains)}, ${JSON.stringify(t.settings)})
    ON CONFLICT (id) DO NOTHING`)) === 1;
}

/** Name and domains from the configuration, the settings left as they are (one statement). */
export async function writeTenantNameAndDomains(db: Runner, id: string, name: string, domains: readonly string[]): Promise<boolean> {
  return (await run(db, sql`UPDATE tenants SET name = ${name}, verified_domains = ${domainsText(domains)} WHERE id = ${id}`)) === 1;
}

export async function writeTenantDomains(db: Runner, id: string, domains: readonly string[]): Promise<void> {
  await run(db, sql`UPDATE tenants SET verified_domains = ${domainsText(domains)} WHERE id = ${id}`);
}

export async function writeTenantSettings(db: Runner, id: string, settings: TenantSettings): Promise<void> {
  await run(db, sql`UPDATE tenants SET settings = ${JSON.stringify(settings)} WHERE id = ${id}`);
}
