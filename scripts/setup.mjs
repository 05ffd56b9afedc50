// Installs what the project needs beyond npm: with --test, Debian's chromium (end-to-end tests),
// redis-server and postgresql-15 (multi-node tests) and the Noto fonts for CJK and Arabic (locale screenshots). Skips what is already there; needs root (as in CI) to install.
import { execSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const wantTest = process.argv.includes('--test');
const missing = [];
if (wantTest && !existsSync('/usr/bin/chromium')) missing.push('chromium');
if (wantTest && !existsSync('/usr/bin/redis-server')) missing.push('redis-server');
// Throw-away PostgreSQL clusters for the tests of several nodes (test/support/postgres-server.ts).
if (wantTest && !existsSync('/usr/lib/postgresql/15/bin/initdb')) missing.push('postgresql-15');
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
