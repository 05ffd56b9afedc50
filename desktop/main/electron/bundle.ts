// Bundles the Electron entry points (not run by npm start: no Electron binary on build machines).
// Usage: tsx desktop/main/electron/bundle.ts   → dist/desktop/electron-main.cjs + dist/desktop/preload.cjs
// Then `npx electron-builder` packages them with dist/console (see electron-builder.yml).
import { build } from 'esbuild';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const out = join(root, 'dist/desktop');

await build({
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node22', // Electron 45's Node
  // better-sqlite3 is native: it ships in node_modules, rebuilt for Electron by electron-builder.
  external: ['electron', 'better-sqlite3'],
  entryPoints: { 'electron-main': join(root, 'desktop/main/electron/main.ts') },
  outdir: out,
  outExtension: { '.js': '.cjs' },
  logLevel: 'warning',
});
// A sandboxed preload may require only electron's own modules: everything else is bundled in.
await build({
  bundle: true,
  platform: 'browser',
  format: 'cjs',
  target: 'chrome140',
  external: ['electron'],
  entryPoints: { preload: join(root, 'desktop/preload/preload.ts') },
  outdir: out,
  outExtension: { '.js': '.cjs' },
  logLevel: 'warning',
});
console.log('built dist/desktop (electron-main.cjs, preload.cjs)');
