// Lint, and the import rules of DESIGN §2: what each folder may import is checked here (and by each
// folder's tsconfig lib/types and project references), not left to goodwill.
//
// Parts reach each other through the package.json `imports` aliases (#protocol, #ui/…, #relay/…);
// a relative path that climbs out of one part into another is refused, so every cross-part import
// is visible by its name. Each rule names both the alias and the path, so neither form slips through.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** A part of the tree: its alias and the relative paths that would reach it. */
const parts = {
  protocol: { alias: '#protocol(/|$)', path: ['**/protocol/src/**'] },
  ui: { alias: '#ui/', path: ['**/ui/src/**'] },
  relay: { alias: '#relay/', path: ['**/relay/src/**'] },
  'sharer-web': { alias: '#sharer-web/', path: ['**/sharer-web/src/**'] },
  'desktop/main': { alias: '#desktop/main/', path: ['**/desktop/main/**'] },
  'desktop/preload': { alias: '#desktop/preload/', path: ['**/desktop/preload/**'] },
  'desktop/renderer': { alias: '#desktop/renderer/', path: ['**/desktop/renderer/**'] },
};
// Aliases are matched by regex: in the gitignore syntax of `group`, a leading # starts a comment.
const never = (name) => [
  { regex: `^${parts[name].alias}`, message: `DESIGN §2: this folder may not import ${name}/.` },
  { group: parts[name].path, message: `DESIGN §2: this folder may not import ${name}/.` },
];
const nodeBuiltins = { group: ['node:*'], message: 'DESIGN §2: this folder may not use Node built-ins.' };
const electron = { group: ['electron', 'electron/*'], message: 'DESIGN §2: electron is imported only under desktop/main/electron/ and by the preload.' };
// A relative path that leaves its part: use the alias instead (`#protocol`, `#ui/chat.js`, …).
const climbsOut = {
  regex: String.raw`^(\.\./)+(protocol|ui|relay|sharer-web)/src/|^(\.\./)+desktop/(main|preload|renderer)/|^(\.\./)+(scripts|bench)/`,
  message: 'Cross-part imports use the package.json alias (#protocol, #ui/…, #relay/…, #desktop/…, #test/…), not a relative path.',
};

// Product code never reaches into the test, script or benchmark folders.
const notTooling = { regex: '^#(test|scripts|bench)/', message: 'DESIGN §2: product code never imports tests, scripts or benchmarks.' };
const productFolders = ['protocol/**/*.ts', 'ui/**/*.ts', 'relay/**/*.ts', 'desktop/**/*.ts', 'sharer-web/**/*.ts'];

/** One no-restricted-imports rule per file set (ESLint keeps only the last matching one, so each set lists all it refuses). */
const restrict = (files, patterns, ignores = []) => ({
  files,
  ignores,
  rules: {
    'no-restricted-imports': ['error', {
      patterns: [climbsOut, ...(files.some((f) => productFolders.some((p) => f.startsWith(p.split('/')[0]))) ? [notTooling] : []), ...patterns.flat()],
    }],
  },
});

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'data/**', '.data/**', '.tsbuild/**', 'bench/results/**', 'ui/src/i18n/generated/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  { files: ['**/*.mjs'], languageOptions: { globals: { process: 'readonly', console: 'readonly' } } },
  // The kept data and the live state answer Promises (SQLite or PostgreSQL, memory or Redis): a store call
  // that is not awaited, or a Promise read as a boolean (`if (directory.isActive(…))`), is a bug the
  // types alone let through. These two rules read the types, so they run on the Node side only.
  // Handing an async function to an event emitter or a middleware slot is allowed (checksVoidReturn).
  {
    files: ['relay/**/*.ts', 'desktop/main/**/*.ts', 'scripts/**/*.ts', 'bench/**/*.ts', 'test/relay/**/*.ts', 'test/support/**/*.ts', 'test/fixtures/**/*.ts', 'test/scripts/**/*.ts', 'test/desktop/main/**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
    },
  },
  // The rules below read static imports; a dynamic import() in product code would pass them unseen. The
  // one exception: a locale's generated catalogue, a sibling module loaded only when that language is
  // chosen (ui/src/i18n/locales.ts), which cannot reach outside its folder.
  {
    files: productFolders,
    rules: { 'no-restricted-syntax': ['error', { selector: 'ImportExpression:not([source.value=/^\\.\\/generated\\/[a-zA-Z-]+\\.js$/])', message: 'DESIGN §2: product code imports statically, so the import rules can check it.' }] },
  },
  // Everything outside the rows below: no electron, and cross-part imports by alias.
  restrict(['**/*.ts'], [electron]),
  restrict(['protocol/**/*.ts'], [
    nodeBuiltins, electron, never('ui'), never('relay'), never('desktop/main'), never('desktop/preload'), never('desktop/renderer'), never('sharer-web'),
    { group: ['lit', 'lit/*', 'socket.io-client', 'socket.io'], message: 'DESIGN §2: protocol is plain contracts (and the schema library).' },
  ]),
  restrict(['ui/**/*.ts'], [nodeBuiltins, electron, never('relay'), never('desktop/main'), never('desktop/preload'), never('desktop/renderer'), never('sharer-web')]),
  restrict(['relay/**/*.ts'], [electron, never('ui'), never('desktop/main'), never('desktop/preload'), never('desktop/renderer'), never('sharer-web')]),
  restrict(['desktop/main/**/*.ts'], [electron, never('ui'), never('relay'), never('desktop/preload'), never('desktop/renderer'), never('sharer-web')], ['desktop/main/electron/**']),
  restrict(['desktop/main/electron/**/*.ts'], [never('ui'), never('relay'), never('desktop/preload'), never('desktop/renderer'), never('sharer-web')]),
  restrict(['desktop/preload/**/*.ts'], [
    nodeBuiltins, never('ui'), never('relay'), never('desktop/main'), never('desktop/renderer'), never('sharer-web'),
    { group: ['lit', 'lit/*', 'socket.io-client'], message: 'DESIGN §2: preload is the bridge only.' },
  ]),
  // The two browser apps share code through ui/ and protocol/, never through each other.
  restrict(['desktop/renderer/**/*.ts'], [nodeBuiltins, electron, never('desktop/main'), never('desktop/preload'), never('relay'), never('sharer-web')]),
  restrict(['sharer-web/**/*.ts'], [nodeBuiltins, electron, never('desktop/main'), never('desktop/preload'), never('desktop/renderer'), never('relay')]),
);
