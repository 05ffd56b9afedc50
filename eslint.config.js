// Lint, and the import rules of DESIGN §2: what each folder may import is checked here
// (and by each folder's tsconfig lib/types), not left to goodwill.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const nodeAndElectron = [
  { group: ['node:*'], message: 'DESIGN §2: this folder may not use Node built-ins.' },
  { group: ['electron', 'electron/*'], message: 'DESIGN §2: this folder may not import electron.' },
];
const folder = (name) => ({ group: [`**/${name}/**`, `**/${name}`], message: `DESIGN §2: may not import ${name}/.` });
const restrict = (files, patterns) => ({
  files,
  rules: { 'no-restricted-imports': ['error', { patterns }] },
});

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'data/**', '.data/**', 'bench/results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  { files: ['**/*.mjs'], languageOptions: { globals: { process: 'readonly', console: 'readonly' } } },
  restrict(['protocol/**/*.ts'], [...nodeAndElectron, folder('ui'), folder('relay'), folder('desktop'), folder('sharer-web'), { group: ['lit', 'lit/*'], message: 'DESIGN §2: protocol is plain contracts.' }]),
  restrict(['ui/**/*.ts'], [...nodeAndElectron, folder('relay'), folder('desktop'), folder('sharer-web')]),
  restrict(['relay/**/*.ts'], [folder('desktop'), folder('sharer-web'), folder('ui'), { group: ['electron'], message: 'DESIGN §2' }]),
  restrict(['desktop/main/**/*.ts'], [folder('renderer'), folder('preload'), folder('ui'), folder('relay'), folder('sharer-web')]),
  restrict(['desktop/preload/**/*.ts'], [{ group: ['node:*'], message: 'DESIGN §2' }, folder('main'), folder('renderer'), folder('ui'), folder('relay'), folder('sharer-web'), { group: ['lit', 'lit/*', 'socket.io-client'], message: 'DESIGN §2: preload is the bridge only.' }]),
  restrict(['desktop/renderer/**/*.ts', 'sharer-web/**/*.ts'], [...nodeAndElectron, folder('main'), folder('preload'), folder('relay')]),
);
