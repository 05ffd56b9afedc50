// The operator's configuration file (DESIGN §11), read as the relay reads it at start: one YAML or JSON
// file named by RH_CONFIG, `${VAR}` from the environment, environment variables above the file, and
// every bad key named in one message.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '#relay/config.js';
import { applyConfiguredTenants } from '#relay/directory/configured-tenants.js';
import { createDirectory } from '#relay/directory/index.js';

// As DESIGN §11 writes it: a bare ${VAR} even inside { }, and text from the environment where a number goes.
const globex = `
publicUrl: https://help.globex.example
port: \${GLOBEX_PORT}
dataDir: /var/lib/remote-help
tls: { certFile: \${GLOBEX_CERT}, keyFile: tls/relay.key }
tenants:
  - id: globex
    name: Globex
    verifiedDomains: [globex.example, globex-corp.example]
    settings: { remoteHelp: true, unenrolledHelp: true, chat: false }
    identity: { type: embedded }
`;
const globexEnv = { GLOBEX_PORT: '9443', GLOBEX_CERT: '/etc/remote-help/tls.crt' };
/** Behind a TLS-terminating proxy: the other way for an organization to serve a real certificate. */
const proxied = 'trustProxy: true\npublicUrl: https://help.globex.example\n';

describe('the operator configuration file (RH_CONFIG)', () => {
  let dir: string;
  const file = (name: string, text: string): string => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };
  const problemsOf = (env: Record<string, string>): string => {
    try {
      loadConfig(env);
    } catch (e) {
      assert.ok(e instanceof ConfigError, `a ConfigError, got ${String(e)}`);
      return e.message;
    }
    assert.fail('the configuration was accepted');
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rh-config-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('runs the demo without it, listening where RH_HOST says', () => {
    assert.equal(loadConfig({}).tenants, undefined);
    assert.equal(loadConfig({}).tls, undefined);
    assert.equal(loadConfig({}).listenHost, 'localhost');
  });

  it('reads a YAML file: address, TLS files, data folder and the tenants, ${VAR} from the environment', () => {
    const config = loadConfig({ RH_CONFIG: file('relay.yaml', globex), ...globexEnv });
    assert.equal(config.publicUrl, 'https://help.globex.example');
    assert.equal(config.port, 9443);
    assert.equal(config.dataDir, '/var/lib/remote-help');
    // A relative path is read from the file's folder, wherever the relay is started from.
    assert.deepEqual(config.tls, { certFile: '/etc/remote-help/tls.crt', keyFile: join(dir, 'tls/relay.key'), caFile: undefined });
    assert.equal(config.listenHost, '0.0.0.0', 'an operator\'s relay listens where its publicUrl can reach it');
    assert.equal(config.tenants?.length, 1);
    const [t] = config.tenants!;
    assert.equal(t!.id, 'globex');
    assert.deepEqual(t!.verifiedDomains, ['globex.example', 'globex-corp.example']);
    assert.deepEqual(t!.settings, { remoteHelp: true, unenrolledHelp: true, chat: false });
  });

  it('keeps a literal ${ written as $${, and never lets a variable change the file\'s structure', () => {
    const text = `${proxied}tenants:\n  - { id: globex, name: "Costs $\${COST}", verifiedDomains: [globex.example], identity: { type: embedded } }\nhost: \${HOSTNAME_VALUE}\n`;
    const config = loadConfig({ RH_CONFIG: file('literal.yaml', text), HOSTNAME_VALUE: 'relay.globex.example\nlisten: 0.0.0.0' });
    assert.equal(config.tenants?.[0]?.name, 'Costs ${COST}');
    assert.equal(config.host, 'relay.globex.example\nlisten: 0.0.0.0', 'the value stays one value');
  });

  it('reads JSON the same way', () => {
    const json = JSON.stringify({ port: 8444, trustProxy: true, publicUrl: 'https://help.initech.example', tenants: [{ id: 'initech', name: 'Initech', verifiedDomains: ['initech.example'], identity: { type: 'embedded' } }] });
    const config = loadConfig({ RH_CONFIG: file('relay.json', json) });
    assert.equal(config.port, 8444);
    assert.equal(config.tenants?.[0]?.name, 'Initech');
  });

  it('wants the organization\'s certificate or a proxy: the local CA is the demo\'s only', () => {
    const tenants = 'tenants: [{ id: globex, name: Globex, verifiedDomains: [globex.example], identity: { type: embedded } }]\n';
    assert.match(problemsOf({ RH_CONFIG: file('bare.yaml', tenants) }), /- tls: give certFile and keyFile, or set trustProxy: true behind a TLS-terminating proxy/);
    assert.match(problemsOf({ RH_CONFIG: file('nourl.yaml', `trustProxy: true\n${tenants}`) }), /- publicUrl: behind a proxy, name the https:\/\/ address people reach/);
    const behind = loadConfig({ RH_CONFIG: file('proxied.yaml', `${proxied}${tenants}`) });
    assert.equal(behind.plainHttp, true, 'the proxy ends TLS; the relay speaks HTTP to it');
    assert.equal(behind.listenHost, '127.0.0.1', 'plain HTTP on the loopback only, unless listen says otherwise');
    assert.equal(loadConfig({ RH_CONFIG: file('tls.yaml', globex), ...globexEnv }).plainHttp, false);
    assert.equal(loadConfig({ RH_TRUST_PROXY: 'true' }).plainHttp, false, 'the demo behind a proxy keeps its local CA');
  });

  it('lets an environment variable override the file', () => {
    const config = loadConfig({ RH_CONFIG: file('relay.yaml', globex), ...globexEnv, RH_PORT: '7443', RH_DATA_DIR: dir, RH_LISTEN: '127.0.0.1' });
    assert.equal(config.port, 7443);
    assert.equal(config.dataDir, dir);
    assert.equal(config.listenHost, '127.0.0.1');
    assert.equal(config.publicUrl, 'https://help.globex.example', 'what the environment does not set still comes from the file');
  });

  it('names every bad key at once, and starts nothing', () => {
    const bad = `
port: "four four three"
tlss: { certFile: a }
tenants:
  - id: "globex corp"
    name: Globex
    verifiedDomains: [not a domain]
    settings: { chat: maybe }
    identity: { type: embedded }
`;
    const message = problemsOf({ RH_CONFIG: file('bad.yaml', bad) });
    assert.match(message, /bad\.yaml/);
    assert.match(message, /- port: /);
    assert.match(message, /- tlss: unknown key/);
    assert.match(message, /- tenants\[0\]\.id: must be 1 to 64 letters/);
    assert.match(message, /- tenants\[0\]\.verifiedDomains\[0\]: must be a domain name/);
    assert.match(message, /- tenants\[0\]\.settings\.chat: /);
  });

  it('reads the organization\'s branding: name, accent and a logo file next to the configuration, as a data URL', async () => {
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a5f1b6e70000000049454e44ae426082', 'hex');
    writeFileSync(join(dir, 'globex-logo.png'), png);
    const branded = globex.replace('settings: { remoteHelp: true, unenrolledHelp: true, chat: false }',
      'settings: { chat: false, branding: { organizationName: Globex Corporation, logoFile: globex-logo.png, accentColor: "#7a1fa2" } }');
    const [t] = loadConfig({ RH_CONFIG: file('relay.yaml', branded), ...globexEnv }).tenants!;
    assert.deepEqual(t!.settings.branding, { organizationName: 'Globex Corporation', logoFile: 'globex-logo.png', accentColor: '#7a1fa2' });
    assert.equal(t!.logo, `data:image/png;base64,${png.toString('base64')}`);
    // A new tenant starts with it; its administrators change it in the console afterwards.
    const directory = createDirectory({ dataDir: join(dir, 'data') });
    try {
      await applyConfiguredTenants(directory, [t!]);
      assert.deepEqual((await directory.tenant('globex'))!.settings.branding, { organizationName: 'Globex Corporation', logo: t!.logo, accentColor: '#7a1fa2' });
      assert.equal((await directory.tenant('globex'))!.settings.chatEnabled, false);
    } finally {
      directory.close();
    }
  });

  it('names a branding logo that is missing, too large or not an image, and a colour that is not #rrggbb', () => {
    writeFileSync(join(dir, 'big.png'), Buffer.alloc(70_000, 1));
    writeFileSync(join(dir, 'logo.gif'), 'GIF89a');
    const tenantWith = (id: string, domain: string, branding: string) => `
  - id: ${id}
    name: ${id}
    verifiedDomains: [${domain}]
    settings: { branding: ${branding} }
    identity: { type: embedded }`;
    const config = `trustProxy: true\npublicUrl: https://help.globex.example\ntenants:${
      tenantWith('a', 'a.example', '{ logoFile: nowhere.png }')}${
      tenantWith('b', 'b.example', '{ logoFile: big.png }')}${
      tenantWith('c', 'c.example', '{ logoFile: logo.gif }')}\n`;
    const message = problemsOf({ RH_CONFIG: file('relay.yaml', config) });
    assert.match(message, /- tenants\[0\]\.settings\.branding\.logoFile: cannot read .*nowhere\.png \(ENOENT\)/);
    assert.match(message, /- tenants\[1\]\.settings\.branding\.logoFile: .*big\.png is larger than 64 KB/);
    assert.match(message, /- tenants\[2\]\.settings\.branding\.logoFile: .*logo\.gif must be a \.png, \.jpg, \.webp or \.svg file/);
    const colour = problemsOf({ RH_CONFIG: file('colour.yaml', `${proxied}tenants:${tenantWith('d', 'd.example', '{ accentColor: purple }')}\n`) });
    assert.match(colour, /- tenants\[0\]\.settings\.branding\.accentColor: /);
  });

  it('names the key and the variable when a ${VAR} is not set, never a value', () => {
    const message = problemsOf({ RH_CONFIG: file('relay.yaml', globex), GLOBEX_PORT: 'port-secret-xyz' });
    assert.match(message, /- tls\.certFile: the environment variable GLOBEX_CERT is not set/);
    assert.match(message, /- port: /, 'a port that is not a number is named');
    assert.doesNotMatch(message, /port-secret-xyz/, 'what a variable holds is never repeated');
  });

  it('refuses a tenant id the relay uses for its own paths, a publicUrl with a path, and a short SCIM token', () => {
    const text = `publicUrl: https://example.com/help
tenants:
  - { id: Auth, name: Globex, verifiedDomains: [globex.example], identity: { type: embedded }, scim: { token: "too-short" } }
`;
    const message = problemsOf({ RH_CONFIG: file('relay.yaml', text) });
    assert.match(message, /- tenants\[0\]\.id: must not be one of the relay's own paths/);
    assert.match(message, /- publicUrl: must be an https:\/\/ origin without a path/);
    assert.match(message, /- tenants\[0\]\.scim\.token: must be at least 32 characters/);
    assert.doesNotMatch(message, /too-short/, 'a token is never repeated');
  });

  it('gives each tenant\'s SCIM token, from the environment, to the relay', () => {
    const text = `${globex}    scim: { token: \${GLOBEX_SCIM_TOKEN} }
  - { id: initech, name: Initech, verifiedDomains: [initech.example], identity: { type: embedded } }
`;
    const token = 'globex-scim-0123456789abcdef0123456789abcdef';
    const config = loadConfig({ RH_CONFIG: file('relay.yaml', text), ...globexEnv, GLOBEX_SCIM_TOKEN: token });
    assert.deepEqual(config.scimTokens, { globex: token });
    assert.deepEqual(loadConfig({}).scimTokens, {}, 'the demo has no SCIM');
  });

  it('checks the keys of an oidc or entra tenant, naming each bad one', () => {
    const oidc = `
tenants:
  - id: globex
    name: Globex
    verifiedDomains: [globex.example]
    identity: { type: oidc, issuer: http://idp.globex.example/, clientId: web, clientSecret: s, consoleClientId: console, audience: remote-help, claims: { title: job } }
  - id: contoso
    name: Contoso
    verifiedDomains: [contoso.example]
    identity: { type: entra, tenantId: contoso, clientId: a, clientSecret: s, consoleClientId: b, audience: api://remote-help }
`;
    const message = problemsOf({ RH_CONFIG: file('relay.yaml', oidc) });
    assert.match(message, /- tenants\[0\]\.identity\.issuer: must be an https:\/\/ URL/);
    assert.match(message, /- tenants\[0\]\.identity\.claims\.title: unknown key/);
    assert.match(message, /- tenants\[1\]\.identity\.tenantId: must be the directory \(tenant\) ID, a GUID/);
  });

  it('reads an oidc and an entra tenant with their defaults: Entra\'s public cloud and Graph', () => {
    const text = `${proxied}
tenants:
  - id: globex
    name: Globex
    verifiedDomains: [globex.example]
    identity: { type: oidc, issuer: https://idp.globex.example/, clientId: web, clientSecret: \${GLOBEX_SECRET}, consoleClientId: console, audience: remote-help,
                claims: { jobTitle: title }, roles: { claim: member_of, map: { rh-admins: Remote Help Administrator } } }
  - id: contoso
    name: Contoso
    verifiedDomains: [contoso.example]
    identity: { type: entra, tenantId: 00000000-0000-0000-0000-000000000000, clientId: a, clientSecret: s, consoleClientId: b, audience: api://remote-help }
`;
    const tenants = loadConfig({ RH_CONFIG: file('relay.yaml', text), GLOBEX_SECRET: 'from-the-environment' }).tenants ?? [];
    const [globex, contoso] = tenants.map((t) => t.identity);
    assert.equal(globex?.type === 'oidc' && globex.clientSecret, 'from-the-environment');
    assert.deepEqual(globex?.type === 'oidc' && globex.roles, { claim: 'member_of', map: { 'rh-admins': 'Remote Help Administrator' } });
    assert.equal(contoso?.type === 'entra' && contoso.authorityHost, 'https://login.microsoftonline.com');
    assert.equal(contoso?.type === 'entra' && contoso.graphUrl, 'https://graph.microsoft.com');
  });

  it('refuses two tenants on one identity provider, or with one SCIM token: each would take the other\'s people', () => {
    const token = 'a-scim-token-of-at-least-thirty-two-characters';
    const twice = `${proxied}
tenants:
  - { id: globex, name: Globex, verifiedDomains: [globex.example], scim: { token: ${token} },
      identity: { type: oidc, issuer: https://idp.example/realms/one, clientId: w, clientSecret: s, consoleClientId: c, audience: a } }
  - { id: hooli, name: Hooli, verifiedDomains: [hooli.example], scim: { token: ${token} },
      identity: { type: oidc, issuer: https://idp.example/realms/one/, clientId: w, clientSecret: s, consoleClientId: c, audience: a } }
`;
    const message = problemsOf({ RH_CONFIG: file('twice.yaml', twice) });
    assert.match(message, /tenants\[1\]\.identity: the identity provider https:\/\/idp\.example\/realms\/one\/ is already the tenant globex's/);
    assert.match(message, /tenants\[1\]\.scim\.token: the same token as the tenant globex's/);
  });

  it('refuses two tenants with one id or one verified domain', () => {
    const twice = `
tenants:
  - { id: globex, name: Globex, verifiedDomains: [globex.example], identity: { type: embedded } }
  - { id: GLOBEX, name: Globex again, verifiedDomains: [globex.example], identity: { type: embedded } }
`;
    const message = problemsOf({ RH_CONFIG: file('relay.yaml', twice) });
    assert.match(message, /tenants\[1\]\.id: "GLOBEX" is already the id of tenants\[0\]/);
    assert.match(message, /the domain globex\.example is verified by both globex and GLOBEX/);
  });

  it('reads how long a session waits for a member who went (sessions.reconnectGraceSeconds), under RH_RECONNECT_GRACE_MS', () => {
    assert.equal(loadConfig({}).reconnectGraceMs, 120_000, 'two minutes by default');
    assert.equal(loadConfig({ RH_RECONNECT_GRACE_MS: '0' }).reconnectGraceMs, 0);
    const path = file('grace.yaml', `${globex}sessions: { reconnectGraceSeconds: \${GRACE} }\n`);
    assert.equal(loadConfig({ RH_CONFIG: path, GRACE: '45', ...globexEnv }).reconnectGraceMs, 45_000);
    assert.equal(loadConfig({ RH_CONFIG: path, GRACE: '45', ...globexEnv, RH_RECONNECT_GRACE_MS: '1500' }).reconnectGraceMs, 1500, 'the environment wins');
    assert.match(problemsOf({ RH_CONFIG: file('long.yaml', `${globex}sessions: { reconnectGraceSeconds: 7200 }\n`), ...globexEnv }), /sessions\.reconnectGraceSeconds/);
    assert.match(problemsOf({ RH_CONFIG: file('typo.yaml', `${globex}sessions: { graceSeconds: 10 }\n`), ...globexEnv }), /sessions\.graceSeconds: unknown key/);
    assert.match(problemsOf({ RH_RECONNECT_GRACE_MS: String(31 * 60_000) }), /RH_RECONNECT_GRACE_MS must be an integer from 0 to 1800000/);
  });

  it('reads the Redis of several nodes (redis, RH_REDIS_URL), and refuses what is not a Redis URL', () => {
    assert.equal(loadConfig({}).redisUrl, undefined, 'one node, in memory, by default');
    assert.equal(loadConfig({ RH_REDIS_URL: 'redis://127.0.0.1:6380' }).redisUrl, 'redis://127.0.0.1:6380');
    const path = file('redis.yaml', `${globex}redis: \${REDIS}\n`);
    assert.equal(loadConfig({ RH_CONFIG: path, REDIS: 'rediss://cache.globex.example:6380', ...globexEnv }).redisUrl, 'rediss://cache.globex.example:6380');
    assert.equal(loadConfig({ RH_CONFIG: path, REDIS: 'redis://a:1', ...globexEnv, RH_REDIS_URL: 'redis://b:2' }).redisUrl, 'redis://b:2', 'the environment wins');
    assert.match(problemsOf({ RH_CONFIG: file('bad-redis.yaml', `${globex}redis: http://cache.globex.example\n`), ...globexEnv }), /- redis: must be a redis:\/\/ or rediss:\/\/ URL/);
    assert.match(problemsOf({ RH_REDIS_URL: '127.0.0.1:6379' }), /RH_REDIS_URL must be a redis:\/\/ or rediss:\/\/ URL/);
  });

  it('reads where the kept data lives (database, RH_DATABASE_URL): sqlite or a PostgreSQL URL', () => {
    assert.equal(loadConfig({}).databaseUrl, undefined, 'SQLite in the data folder by default');
    assert.equal(loadConfig({ RH_CONFIG: file('sqlite.yaml', `${globex}database: sqlite\n`), ...globexEnv }).databaseUrl, undefined);
    const path = file('pg.yaml', `${globex}database: \${DB}\n`);
    const url = 'postgres://relay:s3cret@db.globex.example/remote_help';
    assert.equal(loadConfig({ RH_CONFIG: path, DB: url, ...globexEnv }).databaseUrl, url);
    assert.equal(loadConfig({ RH_CONFIG: path, DB: url, ...globexEnv, RH_DATABASE_URL: 'postgresql://other/rh' }).databaseUrl, 'postgresql://other/rh', 'the environment wins');
    assert.equal(loadConfig({ RH_DATABASE_URL: 'postgresql://127.0.0.1:5433/rh' }).databaseUrl, 'postgresql://127.0.0.1:5433/rh');
    assert.match(problemsOf({ RH_CONFIG: file('bad-db.yaml', `${globex}database: mysql://db.globex.example\n`), ...globexEnv }), /- database: must be sqlite or a postgres:\/\/ or postgresql:\/\/ URL/);
    const bad = problemsOf({ RH_DATABASE_URL: 'mysql://relay:s3cret@db/rh' });
    assert.match(bad, /RH_DATABASE_URL must be sqlite or a postgres:\/\/ or postgresql:\/\/ URL, got "mysql:\/\/relay:\*\*\*@db\/rh"/);
    assert.doesNotMatch(bad, /s3cret/, 'never the password');
  });

  it('reads the limits per person, the node\'s capacity, ICE and TURN, the log level and the metrics token, the environment winning', () => {
    const d = loadConfig({});
    assert.deepEqual(d.personLimits, {
      connectionsPerUser: 20, connectionsPerAddress: 1000, liveSessionsPerHelper: 10, resumeChatPageBytes: 32_768, resumeChatHeldBytes: 262_144, connectionLeaseMs: 60_000,
    });
    assert.deepEqual(d.capacity, { maxConnections: 10_000, overloadLagMs: 200, resumesPerSecond: 50 });
    assert.equal(d.turn, undefined, 'no TURN server of its own by default');
    assert.equal(d.logLevel, 'info');
    assert.equal(d.metricsToken, undefined, '/metrics for loopback clients only by default');
    const path = file('ops.yaml', globex + [
      'limits: { connectionsPerUser: 5, connectionsPerAddress: 50, liveSessionsPerHelper: 3, resumeChatPageBytes: 4096, resumeChatHeldBytes: 65536, connectionLeaseSeconds: 30 }',
      'capacity: { maxConnections: 3000, overloadLagMs: 150, resumesPerSecond: 20 }',
      'iceServers: [{ urls: "stun:stun.globex.example:3478" }]',
      'turn: { secret: ${TURN_SECRET}, urls: ["turn:turn.globex.example:3478", "turns:turn.globex.example:443?transport=tcp"], ttlSeconds: 600 }',
      'log: { level: warn }',
      'metrics: { token: ${METRICS_TOKEN} }',
    ].join('\n') + '\n');
    const env = { RH_CONFIG: path, TURN_SECRET: 'a-turn-secret-of-32-characters!!', METRICS_TOKEN: 'scrape-token-0123456789', ...globexEnv };
    const c = loadConfig(env);
    assert.deepEqual(c.personLimits, {
      connectionsPerUser: 5, connectionsPerAddress: 50, liveSessionsPerHelper: 3, resumeChatPageBytes: 4096, resumeChatHeldBytes: 65_536, connectionLeaseMs: 30_000,
    });
    assert.deepEqual(c.capacity, { maxConnections: 3000, overloadLagMs: 150, resumesPerSecond: 20 });
    assert.deepEqual(c.iceServers, [{ urls: 'stun:stun.globex.example:3478' }]);
    assert.deepEqual(c.turn, { secret: 'a-turn-secret-of-32-characters!!', urls: ['turn:turn.globex.example:3478', 'turns:turn.globex.example:443?transport=tcp'], ttlSeconds: 600 });
    assert.equal(c.logLevel, 'warn');
    assert.equal(c.metricsToken, 'scrape-token-0123456789');
    const over = loadConfig({ ...env, RH_CONNECTIONS_PER_USER: '7', RH_MAX_CONNECTIONS: '100', RH_LOG_LEVEL: 'debug' });
    assert.equal(over.personLimits.connectionsPerUser, 7, 'the environment wins');
    assert.equal(over.capacity.maxConnections, 100);
    assert.equal(over.logLevel, 'debug');
    assert.match(problemsOf({ ...env, RH_CONFIG: file('bad-ops.yaml', `${globex}limits: { connectionsPerUsr: 5 }\nturn: { secret: short, urls: [http://turn] }\n`) }), /limits\.connectionsPerUsr: unknown key[\s\S]*turn\.secret: must be at least 16 characters[\s\S]*turn\.urls\[0\]: must be a turn: or turns: URL/);
    assert.match(problemsOf({ RH_TURN_SECRET: 'a-turn-secret-of-32-characters!!' }), /RH_TURN_URLS: name the TURN server/);
    assert.match(problemsOf({ RH_LOG_LEVEL: 'verbose' }), /RH_LOG_LEVEL must be debug, info, warn or error/);
    assert.match(problemsOf({ RH_MAX_CONNECTIONS: '0' }), /RH_MAX_CONNECTIONS must be an integer from 1/);
    assert.equal(loadConfig({ ...env, RH_RESUMES_PER_SECOND: '0' }).capacity.resumesPerSecond, 0, 'none let in past capacity');
    assert.match(problemsOf({ RH_RESUMES_PER_SECOND: '-1' }), /RH_RESUMES_PER_SECOND must be an integer from 0/);
    assert.equal(loadConfig({ ...env, RH_RESUME_HELD_BYTES: '8192' }).personLimits.resumeChatHeldBytes, 8192, 'the environment wins');
    assert.match(problemsOf({ RH_CONNECTION_LEASE_SECONDS: '1' }), /RH_CONNECTION_LEASE_SECONDS must be an integer from 3/);
  });

  it('reads the ICE transport policy (all by default, relay from the file or RH_ICE_TRANSPORT_POLICY) and refuses relay with no TURN server', () => {
    assert.equal(loadConfig({}).iceTransportPolicy, 'all', 'the best path ICE finds by default');
    const turn = 'turn: { secret: ${TURN_SECRET}, urls: ["turns:turn.globex.example:443?transport=tcp"] }';
    const env = { TURN_SECRET: 'a-turn-secret-of-32-characters!!', ...globexEnv };
    assert.equal(loadConfig({ ...env, RH_CONFIG: file('relay-only.yaml', `${globex}${turn}\niceTransportPolicy: relay\n`) }).iceTransportPolicy, 'relay');
    const fromFileAll = { ...env, RH_CONFIG: file('relay-all.yaml', `${globex}${turn}\niceTransportPolicy: all\n`) };
    assert.equal(loadConfig({ ...fromFileAll, RH_ICE_TRANSPORT_POLICY: 'relay' }).iceTransportPolicy, 'relay', 'the environment wins');
    assert.equal(loadConfig({ RH_ICE_SERVERS: '[{"urls":"turn:turn.example:3478","username":"u","credential":"p"}]', RH_ICE_TRANSPORT_POLICY: 'relay' }).iceTransportPolicy, 'relay', 'a TURN server in iceServers is enough');
    assert.match(problemsOf({ RH_ICE_TRANSPORT_POLICY: 'relay-only' }), /RH_ICE_TRANSPORT_POLICY must be all or relay/);
    assert.match(problemsOf({ ...env, RH_CONFIG: file('bad-policy.yaml', `${globex}iceTransportPolicy: none\n`) }), /- iceTransportPolicy: /);
    assert.match(problemsOf({ RH_ICE_TRANSPORT_POLICY: 'relay', RH_ICE_SERVERS: '[{"urls":"stun:stun.example:3478"}]' }), /RH_ICE_TRANSPORT_POLICY: relay needs a TURN server/);
    // A URL no page would take is refused at start, not handed out.
    assert.match(problemsOf({ RH_ICE_SERVERS: '[{"urls":"https://turn.example"}]' }), /RH_ICE_SERVERS: must be a stun:, stuns:, turn: or turns: URL/);
    assert.match(problemsOf({ ...env, RH_CONFIG: file('bad-ice.yaml', `${globex}iceServers: [{ urls: [stun.example:3478] }]\n`) }), /iceServers\[0\]\.urls.*must be a stun:, stuns:, turn: or turns: URL/);
  });

  it('says so when the file cannot be read or is not YAML', () => {
    assert.match(problemsOf({ RH_CONFIG: join(dir, 'missing.yaml') }), /RH_CONFIG: cannot read .*missing\.yaml \(ENOENT\)/);
    assert.match(problemsOf({ RH_CONFIG: file('broken.yaml', 'tenants: [ { id: globex\n') }), /broken\.yaml is not valid YAML or JSON/);
    assert.match(problemsOf({ RH_CONFIG: file('twice.yaml', 'port: 1\nport: 2\ntenants: []\n') }), /not valid YAML or JSON/);
  });
});
