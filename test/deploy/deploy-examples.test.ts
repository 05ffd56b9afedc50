// The files of deploy/ that no other test runs as they are: the systemd unit (systemd does not run in a
// container, but systemd-analyze verifies a unit without it) and the configuration example, each checked
// for what an operator relies on: the hardening is there, and the three files agree with each other and
// with the relay (its port, its data folder, its drain time, its largest request).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { deviceImportLimits, userImportLimits } from '#protocol';
import { loadConfig } from '#relay/config.js';
import { relayNodeFlags } from '#relay/node-flags.js';

const unitFile = 'deploy/remote-help.service';
const configExample = 'deploy/config.example.yaml';
const nginxSite = 'deploy/nginx/remote-help.conf';
const systemdAnalyze = ['/usr/bin/systemd-analyze', '/bin/systemd-analyze'].find((p) => existsSync(p));

type Unit = Map<string, Map<string, string[]>>;

/** systemd's unit syntax, as far as these files use it: [Section], Key=value (a key may repeat), # comments. */
function parseUnit(text: string): Unit {
  const unit: Unit = new Map();
  let section: Map<string, string[]> | undefined;
  for (const [i, raw] of text.split('\n').entries()) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const header = /^\[([A-Za-z]+)\]$/.exec(line);
    if (header) {
      section = new Map();
      unit.set(header[1]!, section);
      continue;
    }
    const eq = line.indexOf('=');
    if (!section || eq <= 0) throw new Error(`${unitFile}:${i + 1}: not a Key=value line in a section: ${line}`);
    const key = line.slice(0, eq).trim();
    section.set(key, [...(section.get(key) ?? []), line.slice(eq + 1).trim()]);
  }
  return unit;
}

/** The one value of a [Service] key (its last, as systemd reads a repeated one). */
function service(unit: Unit, key: string): string | undefined {
  return unit.get('Service')?.get(key)?.at(-1);
}

/** systemd's time span as seconds: 20, 20s, 1min 30s. */
function seconds(span: string): number {
  let total = 0;
  for (const [, n, unitName] of span.matchAll(/(\d+)\s*(ms|s|sec|min|m)?/g)) {
    const factor = unitName === 'ms' ? 0.001 : unitName === 'min' || unitName === 'm' ? 60 : 1;
    total += Number(n) * factor;
  }
  return total;
}

describe('the systemd unit and the configuration example (deploy/)', () => {
  const unit = parseUnit(readFileSync(unitFile, 'utf8'));

  it('is hardened: a dynamic user, a read-only system, its own state folder, no privileges to gain', () => {
    const expected: Record<string, string> = {
      DynamicUser: 'yes',
      StateDirectory: 'remote-help',
      StateDirectoryMode: '0700',
      ProtectSystem: 'strict',
      ProtectHome: 'yes',
      PrivateTmp: 'yes',
      NoNewPrivileges: 'yes',
      CapabilityBoundingSet: '',
      RestrictAddressFamilies: 'AF_INET AF_INET6 AF_UNIX',
      SystemCallFilter: '@system-service',
      Restart: 'on-failure',
    };
    for (const [key, value] of Object.entries(expected)) assert.equal(service(unit, key), value, `${key}=${value}`);
    // V8 writes the machine code it then runs: with this set, node would abort at start.
    assert.equal(service(unit, 'MemoryDenyWriteExecute'), undefined, 'MemoryDenyWriteExecute must not be set');
  });

  it('starts the relay\u2019s own entry point from the checkout, on the configuration the example shows', () => {
    const [node, ...args] = (service(unit, 'ExecStart') ?? '').split(/\s+/);
    assert.equal(node, '/usr/bin/node', 'Debian\u2019s (and NodeSource\u2019s) node');
    // The garbage collector's tuning first (relay/src/node-flags.ts: npm start and the load benchmark run the same).
    assert.deepEqual(args.slice(0, relayNodeFlags.length), relayNodeFlags, 'the relay\u2019s Node.js flags, as relay/src/node-flags.ts has them');
    assert.deepEqual(args.slice(relayNodeFlags.length, relayNodeFlags.length + 2), ['--import', 'tsx'], 'through tsx, as npm run relay does');
    const script = args.at(-1) ?? '';
    // WorkingDirectory is the checkout; here, the repository the tests run in.
    assert.equal(service(unit, 'WorkingDirectory'), '/opt/remote-help');
    assert.ok(existsSync(resolve(script)), `${script} exists in the checkout`);
    assert.ok(existsSync(resolve('node_modules/tsx/package.json')), 'tsx is installed by npm ci');
    const environment = unit.get('Service')?.get('Environment') ?? [];
    assert.ok(environment.includes('RH_CONFIG=/etc/remote-help/config.yaml'), 'RH_CONFIG names the installed example');
  });

  it('runs the relay with the same Node.js flags as `npm run relay` does', () => {
    const scripts = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> }).scripts;
    const relay = scripts['relay']?.split(' && ').at(-1)?.split(/\s+/) ?? [];
    assert.deepEqual(relay, ['node', ...relayNodeFlags, '--import', 'tsx', 'relay/src/main.ts']);
  });

  it('waits for the relay\u2019s drain before it kills it', () => {
    // relay/src/main.ts: a stop (SIGTERM) drains, and exits anyway after stopTimeoutMs.
    const drainMs = Number(/const stopTimeoutMs = ([\d_]+);/.exec(readFileSync('relay/src/main.ts', 'utf8'))?.[1]?.replaceAll('_', ''));
    assert.ok(drainMs > 0, 'relay/src/main.ts names its stop timeout');
    assert.equal(service(unit, 'KillSignal'), 'SIGTERM');
    assert.ok(seconds(service(unit, 'TimeoutStopSec') ?? '0') * 1000 > drainMs, `TimeoutStopSec is longer than the relay's ${drainMs} ms`);
  });

  it('passes systemd-analyze verify with nothing to say', function () {
    if (!systemdAnalyze) this.skip(); // no systemd on this machine; the checks above still ran
    const dir = mkdtempSync(join(tmpdir(), 'rh-unit-'));
    try {
      // The unit's name is what it is installed as; a node elsewhere than /usr/bin (a test machine's own
      // build) is the only thing changed, since verify checks that ExecStart's program exists.
      const file = join(dir, 'remote-help.service');
      if (existsSync('/usr/bin/node')) copyFileSync(unitFile, file);
      else writeFileSync(file, readFileSync(unitFile, 'utf8').replace('ExecStart=/usr/bin/node ', `ExecStart=${process.execPath} `));
      const run = spawnSync(systemdAnalyze!, ['verify', file], { encoding: 'utf8' });
      assert.equal(run.status, 0, run.stderr);
      // Unknown keys and bad values are only warnings to verify, with exit code 0: they must not be there.
      assert.equal(`${run.stdout}${run.stderr}`.trim(), '', 'no warning about the unit');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('has a configuration example the relay accepts: behind the proxy, on nginx\u2019s upstream port, in the state folder', () => {
    const config = loadConfig({ RH_CONFIG: configExample, GLOBEX_SCIM_TOKEN: 'x'.repeat(40), INITECH_WEB_SECRET: 'initech-secret' });
    assert.equal(config.plainHttp, true, 'no tls: nginx ends TLS');
    assert.equal(config.trustProxy, true);
    assert.equal(config.listenHost, '127.0.0.1', 'reached by nginx on this host only');
    assert.equal(config.publicUrl, 'https://help.example.com');
    assert.equal(config.dataDir, `/var/lib/${service(unit, 'StateDirectory')}`, 'the unit\u2019s StateDirectory');
    const site = readFileSync(nginxSite, 'utf8');
    assert.match(site, new RegExp(`server 127\\.0\\.0\\.1:${config.port};`), 'nginx\u2019s upstream is the relay\u2019s port');
    assert.match(site, /server_name help\.example\.com;/, 'nginx serves the publicUrl\u2019s host');
  });

  it('lets through nginx the largest request the relay reads, and keeps a quiet WebSocket open longer than the relay would', () => {
    const site = readFileSync(nginxSite, 'utf8');
    const bodyMb = Number(/client_max_body_size (\d+)m;/.exec(site)?.[1]);
    // relay/src/admin/admin-routes.ts: an import file of up to maxBytes, sent as a JSON string, up to three times its size.
    const largest = 3 * Math.max(deviceImportLimits.maxBytes, userImportLimits.maxBytes);
    assert.ok(bodyMb * 1024 * 1024 >= largest, `client_max_body_size ${bodyMb}m holds ${largest} bytes`);
    const socketBlock = /location \/socket\.io\/ \{([^}]*)\}/.exec(site)?.[1] ?? '';
    const readTimeout = Number(/proxy_read_timeout (\d+)s;/.exec(socketBlock)?.[1]);
    // The slowest pings the relay accepts: a socket silent longer than interval + timeout is dead to it.
    const slowest = loadConfig({ RH_PING_INTERVAL_MS: '60000', RH_PING_TIMEOUT_MS: '60000' });
    assert.ok(readTimeout * 1000 >= slowest.pingIntervalMs + slowest.pingTimeoutMs, `proxy_read_timeout ${readTimeout}s for /socket.io/`);
  });
});
