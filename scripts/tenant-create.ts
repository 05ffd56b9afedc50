// Creates an embedded tenant and its first administrator: `npm run tenant:create -- --name Globex
// --domain globex.example --admin admin@globex.example [--admin-name "Ada Lovelace"] [--id globex]
// [--config /etc/remote-help/relay.yaml] [--cert FILE --key FILE | --trust-proxy --public-url URL]`. Prints a one-time link where the administrator chooses their
// password (nothing is ever made up or sent in clear).
//
// With a configuration file only the tenants it names exist (DESIGN §11; the relay refuses a data folder
// holding others), so the tenant is written to that file — the operator's one record of the organization —
// as well as to the data folder's directory. The file is RH_CONFIG or --config; it is made with defaults
// when missing, and otherwise edited in place with its comments kept. The demo's data folder (public
// passwords) is never used, and an id or domain that exists already is refused.
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { isSeq, parseDocument } from 'yaml';
import { publicUrlOf } from '#relay/config.js';
import { applyConfiguredTenants, ConfiguredTenantsError, TenantExistsError } from '#relay/directory/configured-tenants.js';
import { loadConfigOrRefuse, openDirectoryOrRefuse, looksLikeEmail, makeAdmin, Refusal, runCommand } from './tenant-admin-steps.js';

const usage = 'Usage: npm run tenant:create -- --name NAME --domain DOMAIN --admin ADDRESS [--admin-name "FULL NAME"] [--id ID] [--config FILE]\n'
  + '       a new configuration file also needs --cert FILE --key FILE, or --trust-proxy --public-url https://…';

/** What a configuration made by this command starts with: the certificate the operator named (or the
 * proxy in front), the port and the data folder; the rest the operator adds. */
function newConfigText(req: Request): string {
  const serving = req.serving.kind === 'tls'
    ? `tls: { certFile: ${JSON.stringify(req.serving.certFile)}, keyFile: ${JSON.stringify(req.serving.keyFile)} }`
    : 'trustProxy: true                             # a TLS-terminating proxy in front speaks to the relay in HTTP';
  return `# Remote Help relay configuration (DESIGN §11), made by \`npm run tenant:create\`.
# Start the relay with RH_CONFIG naming this file.
${req.publicUrl ? `publicUrl: ${req.publicUrl}` : '# publicUrl: https://help.example.com        # what users reach'}
${serving}
port: 8443
dataDir: ./data                              # relative to this file: the directory, reports, keys
`;
}

/** The demo's data folder (npm start without a configuration): its users' passwords are public. */
const demoDataDir = resolve('data/relay');

interface Request {
  name: string;
  domain: string;
  id: string;
  admin: string;
  adminName: string;
  configFile: string;
  /** For a new file: the organization's certificate, or the proxy that serves it. */
  serving: { kind: 'tls'; certFile: string; keyFile: string } | { kind: 'proxy' };
  publicUrl: string | undefined;
}

function readArgs(env: NodeJS.ProcessEnv): Request {
  let values;
  try {
    values = parseArgs({
      options: {
        name: { type: 'string' }, domain: { type: 'string' }, admin: { type: 'string' }, 'admin-name': { type: 'string' },
        id: { type: 'string' }, config: { type: 'string' },
        cert: { type: 'string' }, key: { type: 'string' }, 'trust-proxy': { type: 'boolean' }, 'public-url': { type: 'string' },
      },
    }).values;
  } catch (e) {
    throw new Refusal(`${(e as Error).message}\n${usage}`);
  }
  const name = values.name?.trim();
  const domain = values.domain?.trim().toLowerCase();
  const admin = values.admin?.trim();
  if (!name || !domain || !admin) throw new Refusal(usage);
  if (!looksLikeEmail(admin)) throw new Refusal(`--admin: "${admin}" is not an email address`);
  if (admin.split('@')[1]!.toLowerCase() !== domain) throw new Refusal(`--admin: ${admin} is not at ${domain}, the tenant's domain`);
  const configFile = values.config ?? env['RH_CONFIG']?.trim();
  if (!configFile) {
    throw new Refusal('tenant:create writes the tenant into the relay\'s configuration file, where the organization\'s tenants are named: '
      + 'set RH_CONFIG to its path or pass --config FILE (the file is made if it does not exist).');
  }
  // The id is part of the tenant's issuer URL: the name made URL-safe unless the operator chose one.
  const id = values.id ?? name.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 64);
  if (!id) throw new Refusal(`--name: "${name}" gives no URL-safe id; choose one with --id`);
  const local = admin.split('@')[0]!;
  if ((values.cert === undefined) !== (values.key === undefined)) throw new Refusal('--cert and --key go together: the certificate and its key');
  const serving = values.cert && values.key
    ? { kind: 'tls' as const, certFile: resolve(values.cert), keyFile: resolve(values.key) }
    : { kind: 'proxy' as const };
  if (!existsSync(resolve(configFile)) && !values.cert && !values['trust-proxy']) {
    throw new Refusal(`${resolve(configFile)} does not exist yet: say how the relay serves HTTPS in it, with --cert FILE --key FILE `
      + '(the organization\'s certificate) or --trust-proxy --public-url https://… (a TLS-terminating proxy in front).\n' + usage);
  }
  return {
    name, domain, id, admin, adminName: values['admin-name']?.trim() || local, configFile: resolve(configFile), serving,
    publicUrl: values['public-url']?.trim() || undefined,
  };
}

// ${VAR} is not YAML: held as plain text while the document is edited, put back when it is written
// (the same reading as the relay's, relay/src/operator-config.ts).
const placeholder = (n: number) => `__rh_tenant_create_${n}_`;

/** The configuration file with the new tenant added, comments and ${VAR}s kept; refuses an id or domain it has. */
function withTenant(text: string, req: Request): string {
  const held: string[] = [];
  const doc = parseDocument(text.replace(/\$?\$\{[A-Za-z_][A-Za-z0-9_]*\}/g, (whole) => placeholder(held.push(whole) - 1)));
  if (doc.errors.length) throw new Refusal(`${req.configFile} is not valid YAML: ${doc.errors[0]!.message.split('\n')[0]}`);
  const existing = (doc.toJS() as { tenants?: { id?: unknown; verifiedDomains?: unknown }[] } | null)?.tenants ?? [];
  for (const t of Array.isArray(existing) ? existing : []) {
    if (String(t.id).toLowerCase() === req.id.toLowerCase()) throw new Refusal(`--id: the configuration has a tenant "${req.id}" already`);
    const domains = Array.isArray(t.verifiedDomains) ? t.verifiedDomains.map((d) => String(d).toLowerCase()) : [];
    if (domains.includes(req.domain)) throw new Refusal(`--domain: ${req.domain} is verified by the tenant "${String(t.id)}" already`);
  }
  const tenant = doc.createNode({ id: req.id, name: req.name, verifiedDomains: [req.domain], identity: { type: 'embedded' } });
  const tenants = doc.get('tenants');
  if (isSeq(tenants)) tenants.add(tenant);
  else doc.set('tenants', doc.createNode([tenant]));
  return doc.toString().replace(/__rh_tenant_create_(\d+)_/g, (_w, n: string) => held[Number(n)] ?? '');
}

async function main(): Promise<void> {
  const req = readArgs(process.env);
  const fresh = !existsSync(req.configFile);
  const next = withTenant(fresh ? newConfigText(req) : readFileSync(req.configFile, 'utf8'), req);
  // Written beside the file and checked as the relay will read it; it replaces the file only once the
  // directory has the tenant too, so a refusal leaves both as they were.
  const draft = resolve(dirname(req.configFile), `.${process.pid}.tenant-create.yaml`);
  writeFileSync(draft, next, { mode: 0o640 });
  try {
    const config = loadConfigOrRefuse({ ...process.env, RH_CONFIG: draft });
    if (config.dataDir === demoDataDir) {
      throw new Refusal(`The data folder ${config.dataDir} is the embedded demo's: set dataDir in ${req.configFile} (or RH_DATA_DIR) to the organization's own folder.`);
    }
    const { directory, close } = await openDirectoryOrRefuse(config);
    try {
      if (await directory.tenant(req.id)) throw new Refusal(`--id: the data folder has a tenant "${req.id}" already`);
      const owner = await directory.tenantByDomain(req.domain);
      if (owner) throw new Refusal(`--domain: ${req.domain} is verified by the tenant "${owner.id}" already`);
      try {
        // Refuses the demo's data, or tenants the file does not name, before it writes anything.
        await applyConfiguredTenants(directory, config.tenants!, { newTenant: req.id });
      } catch (e) {
        if (e instanceof TenantExistsError) throw new Refusal(`--id: the data folder has a tenant "${req.id}" already`);
        throw e instanceof ConfiguredTenantsError ? new Refusal(e.message) : e;
      }
      renameSync(draft, req.configFile);
      console.log(`${fresh ? 'Made' : 'Updated'} ${req.configFile}: tenant ${req.name} (${req.id}), verified domain ${req.domain}, embedded sign-in.`);
      const lines = await makeAdmin(directory, { tenantId: req.id, email: req.admin, name: req.adminName, jobTitle: undefined }, publicUrlOf(config, config.port));
      for (const line of lines) console.log(line);
      console.log(`Start the relay with RH_CONFIG=${req.configFile} (or restart it) to serve the new tenant.`);
    } finally {
      await close();
    }
  } finally {
    rmSync(draft, { force: true });
  }
}

runCommand(main);
