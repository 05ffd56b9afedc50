// The organization's tenants from the operator's configuration (DESIGN §11), put in the directory at
// start: a new tenant is added with the configured initial settings; an existing one takes the
// configured name and verified domains and keeps the settings its administrators have changed since.
import type { ConfiguredTenant } from '../operator-config.js';
import type { Tenant, TenantSettings } from '../ports.js';
import { demoTenants } from './demo-data.js';
import { defaultTenantSettings, type DirectoryStore } from './sqlite-directory.js';

const demoIds = new Set<string>(Object.values(demoTenants).map((t) => t.id));

export class ConfiguredTenantsError extends Error {}

/** The tenant to be made new is in the data folder already (made meanwhile by another run). */
export class TenantExistsError extends ConfiguredTenantsError {
  constructor(readonly tenantId: string) {
    super(`The data folder has a tenant "${tenantId}" already.`);
  }
}

function initialSettings(t: ConfiguredTenant): TenantSettings {
  const s = t.settings;
  return {
    ...defaultTenantSettings,
    ...(s.remoteHelp !== undefined ? { remoteHelpEnabled: s.remoteHelp } : {}),
    ...(s.unenrolledHelp !== undefined ? { allowUnenrolled: s.unenrolledHelp } : {}),
    ...(s.chat !== undefined ? { chatEnabled: s.chat } : {}),
    branding: {
      organizationName: s.branding?.organizationName ?? '',
      logo: t.logo ?? '',
      accentColor: s.branding?.accentColor ?? '',
    },
  };
}

/**
 * Only the configured tenants may exist. A tenant in the data folder that the configuration does not
 * name (the demo's, or one removed from the file) stops the start with its name, rather than being
 * deleted with its users and reports, or being served without the operator knowing.
 */
export async function applyConfiguredTenants(
  directory: DirectoryStore, tenants: readonly ConfiguredTenant[], opts: { newTenant?: string } = {},
): Promise<void> {
  const held = await directory.tenants();
  // The demo's users have passwords printed in the README: its data folder is never an organization's.
  if (held.some((t) => demoIds.has(t.id))) {
    throw new ConfiguredTenantsError('The data folder holds the embedded demo (its users\' passwords are public). Start with another dataDir.');
  }
  const named = new Set(tenants.map((t) => t.id));
  const strangers = held.filter((t) => !named.has(t.id));
  if (strangers.length) {
    const list = strangers.map((t) => `${t.name} (${t.id})`).join(', ');
    throw new ConfiguredTenantsError(
      `The data folder holds tenants that the configuration does not name: ${list}. Add them to tenants, or start with another dataDir.`,
    );
  }
  // The new tenant first: refused, it leaves the others as they were.
  const newFirst = [...tenants].sort((a, b) => Number(b.id === opts.newTenant) - Number(a.id === opts.newTenant));
  for (const t of newFirst) {
    const tenant: Tenant = { id: t.id, name: t.name, verifiedDomains: [...t.verifiedDomains], settings: initialSettings(t) };
    // Each a single directory step, never a read here and a write later: an administrator's settings
    // changed meanwhile on another node are kept, and two runs of tenant:create (`newTenant`) cannot both
    // make the same tenant.
    if (await directory.addTenantIfMissing(tenant)) continue;
    if (t.id === opts.newTenant) throw new TenantExistsError(t.id);
    await directory.setTenantNameAndDomains(t.id, t.name, t.verifiedDomains);
  }
}

/** Without a configuration the relay seeds the demo; never into an organization's data folder. */
export async function assertDemoDataFolder(directory: DirectoryStore): Promise<void> {
  const others = (await directory.tenants()).filter((t) => !demoIds.has(t.id));
  if (others.length) {
    throw new ConfiguredTenantsError(
      `The data folder holds an organization's tenants (${others.map((t) => t.name).join(', ')}): start with its RH_CONFIG, or use another data folder for the demo.`,
    );
  }
}
