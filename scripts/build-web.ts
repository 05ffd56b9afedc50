// Builds the browser bundles: the web pages /rh, /rhh and /enroll into dist/web, and the console renderer
// (when present) into dist/console. `npm run build`; exits non-zero on any build error.
// Usage: tsx scripts/build-web.ts [--dev] [--out=DIR]   (--dev: no minification; --out: instead of dist/)
import { build, type BuildOptions } from 'esbuild';
import { copyFileSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outRoot = resolve(process.argv.find((a) => a.startsWith('--out='))?.slice('--out='.length) ?? join(root, 'dist'));
const production = !process.argv.includes('--dev') && process.env['NODE_ENV'] !== 'development';

const common: BuildOptions = {
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: ['es2022', 'chrome109', 'edge109', 'firefox122', 'safari16.4'],
  minify: production,
  sourcemap: true,
  legalComments: 'linked',
  logLevel: 'warning',
  define: { 'process.env.NODE_ENV': JSON.stringify(production ? 'production' : 'development') },
};

function copy(from: string, to: string): void {
  mkdirSync(dirname(to), { recursive: true });
  copyFileSync(from, to);
}

/** The design system's stylesheets (ui/src/design): tokens and page base, linked by every page. */
function copyDesign(assets: string): void {
  for (const file of ['tokens.css', 'page.css']) copy(join(root, 'ui/src/design', file), join(assets, file));
}

async function main(): Promise<void> {
  const web = join(outRoot, 'web');
  // Chunks are named by their hash: without a clean folder, every build would leave the last one's behind.
  rmSync(join(web, 'assets'), { recursive: true, force: true });
  await build({
    ...common,
    entryPoints: { rh: join(root, 'sharer-web/src/rh.ts'), rhh: join(root, 'sharer-web/src/rhh.ts'), enroll: join(root, 'sharer-web/src/enroll.ts') },
    outdir: join(web, 'assets'),
    // The two pages share most code (lit, protocol, ui): one shared chunk, cached once.
    splitting: true,
    chunkNames: 'chunk-[hash]',
  });
  copy(join(root, 'sharer-web/rh.html'), join(web, 'rh.html'));
  copy(join(root, 'sharer-web/rhh.html'), join(web, 'rhh.html'));
  copy(join(root, 'sharer-web/enroll.html'), join(web, 'enroll.html'));
  copyDesign(join(web, 'assets'));
  console.log(`built ${web} (rh, rhh, enroll)`);

  const rendererMain = join(root, 'desktop/renderer/src/main.ts');
  if (existsSync(rendererMain)) {
    const out = join(outRoot, 'console');
    rmSync(join(out, 'assets'), { recursive: true, force: true });
    // Each language is a chunk of its own, fetched only when chosen.
    await build({ ...common, entryPoints: { app: rendererMain }, outdir: join(out, 'assets'), splitting: true, chunkNames: 'chunk-[hash]' });
    const indexHtml = join(root, 'desktop/renderer/index.html');
    if (existsSync(indexHtml)) copy(indexHtml, join(out, 'index.html'));
    copyDesign(join(out, 'assets'));
    console.log(`built ${out} (app)`);
  }
}

main().catch((err: unknown) => {
  // esbuild has already printed the located errors; this line says the build as a whole failed.
  console.error(`build failed: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
  process.exit(1);
});
