// Installs what the project needs beyond npm: with --test, Debian's chromium (end-to-end tests),
// redis-server, postgresql-15 and nginx with its stream module (multi-node tests: nodes behind a load
// balancer, throw-away PostgreSQL clusters), coturn (TURN end to end) and the Noto fonts for CJK and
// Arabic (locale screenshots).
// With --cluster (npm run demo:cluster): redis-server and postgresql-15 only.
// Skips what is already there; needs root (as in CI) to install.
import { execSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const wantTest = process.argv.includes('--test');
const wantCluster = wantTest || process.argv.includes('--cluster');
const missing = [];
if (wantTest && !existsSync('/usr/bin/chromium')) missing.push('chromium');
if (wantCluster && !existsSync('/usr/bin/redis-server')) missing.push('redis-server');
if (wantTest && !existsSync('/usr/sbin/nginx')) missing.push('nginx');
if (wantTest && !existsSync('/usr/lib/nginx/modules/ngx_stream_module.so')) missing.push('libnginx-mod-stream');
// A TURN server for the firewall test (test/support/coturn.ts starts its own on loopback ports; the
// package's service is not started where there is no systemd, as in CI, and the test needs none).
if (wantTest && !existsSync('/usr/bin/turnserver')) missing.push('coturn');
// Throw-away PostgreSQL clusters for the tests of several nodes (test/support/postgres-server.ts), and
// the demo's kept one.
if (wantCluster && !existsSync('/usr/lib/postgresql/15/bin/initdb')) missing.push('postgresql-15');
// Japanese, Chinese and Arabic drawn with real glyphs in the screenshots the locale tests save.
if (wantTest && !existsSync('/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc')) missing.push('fonts-noto-cjk');
if (wantTest && !existsSync('/usr/share/fonts/truetype/noto/NotoSansArabic-Regular.ttf')) missing.push('fonts-noto-core');
if (missing.length) {
  console.log(`setup: installing ${missing.join(', ')} from Debian packages`);
  const sudo = process.getuid && process.getuid() === 0 ? '' : 'sudo ';
  execSync(`${sudo}apt-get update -qq && ${sudo}env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ${missing.join(' ')}`, { stdio: 'inherit' });
}
if (!existsSync('node_modules/.package-lock.json')) {
  const r = spawnSync('npm', ['ci'], { stdio: 'inherit', env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' } });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
