// Type-checks each folder under its own tsconfig: the per-folder `lib`/`types` are what keep
// node out of protocol/ui/web code and the DOM out of the relay (DESIGN §2).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const projects = ['protocol', 'ui', 'sharer-web', 'relay', 'desktop/main', 'desktop/preload', 'desktop/renderer', 'test', 'scripts', 'bench'];
let failed = 0;
for (const p of projects) {
  if (!existsSync(`${p}/tsconfig.json`)) continue;
  const r = spawnSync('npx', ['tsc', '-p', p], { stdio: 'inherit' });
  if (r.status !== 0) { failed++; console.error(`typecheck failed: ${p}`); }
}
process.exit(failed ? 1 : 0);
