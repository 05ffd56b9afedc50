// Gives an embedded tenant an administrator: `npm run tenant:admin -- --tenant globex --email
// admin@globex.example --name "Ada Lovelace"`. Makes the user a Remote Help Administrator (or finds
// them), and prints a one-time link, valid 24 hours, where they choose their own password: no password
// is ever made up, printed or sent. Reads the same configuration as the relay (RH_CONFIG, RH_DATA_DIR…),
// so it works on a fresh install before the relay's first start, and beside a running relay.
import { parseArgs } from 'node:util';
import { publicUrlOf } from '#relay/config.js';
import { applyConfiguredTenants, ConfiguredTenantsError } from '#relay/directory/configured-tenants.js';
import { loadConfigOrRefuse, openDirectoryOrRefuse, looksLikeEmail, makeAdmin, Refusal, runCommand, type AdminRequest } from './tenant-admin-steps.js';

const usage = 'Usage: npm run tenant:admin -- --tenant ID --email ADDRESS --name "FULL NAME" [--job-title TITLE]';

function readArgs(): AdminRequest {
  let values;
  try {
    values = parseArgs({ options: { tenant: { type: 'string' }, email: { type: 'string' }, name: { type: 'string' }, 'job-title': { type: 'string' } } }).values;
  } catch (e) {
    throw new Refusal(`${(e as Error).message}\n${usage}`);
  }
  const { tenant, email, name } = values;
  if (!tenant || !email || !name?.trim()) throw new Refusal(usage);
  if (!looksLikeEmail(email)) throw new Refusal(`--email: "${email}" is not an email address`);
  return { tenantId: tenant, email, name: name.trim(), jobTitle: values['job-title'] };
}

async function main(): Promise<void> {
  const req = readArgs();
  const config = loadConfigOrRefuse(process.env);
  const configured = config.tenants?.find((t) => t.id === req.tenantId);
  if (configured && configured.identity.type !== 'embedded') {
    throw new Refusal(`--tenant: ${req.tenantId} signs in with ${configured.identity.type}, where its own administrators are managed`);
  }
  const { directory, close } = await openDirectoryOrRefuse(config);
  try {
    try {
      if (config.tenants) await applyConfiguredTenants(directory, config.tenants);
    } catch (e) {
      throw e instanceof ConfiguredTenantsError ? new Refusal(e.message) : e;
    }
    const lines = await makeAdmin(directory, req, publicUrlOf(config, config.port));
    for (const line of lines) console.log(line);
  } finally {
    await close();
  }
}

runCommand(main);
