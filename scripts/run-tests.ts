// Runs every mocha test and ends with the line CI reads: `N passed, N failed`.
// Usage: tsx scripts/run-tests.ts [file-or-folder…] [--grep=text]   (default: every *.test.ts under test/)
import Mocha from 'mocha';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const patterns = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const grep = process.argv.find((a) => a.startsWith('--grep='))?.slice('--grep='.length);
const testFiles = (p: string): string[] =>
  statSync(p).isDirectory()
    ? readdirSync(p, { recursive: true }).map(String).filter((f) => f.endsWith('.test.ts')).map((f) => join(p, f))
    : [p];
const files = (patterns.length ? patterns : ['test']).flatMap(testFiles).sort();

const mocha = new Mocha({ reporter: 'spec', timeout: 60_000, slow: 5_000, ...(grep ? { grep } : {}) });
for (const f of files) mocha.addFile(f);
await mocha.loadFilesAsync();

let passed = 0;
let failed = 0;
const runner = mocha.run((failures) => {
  console.log(`\n${passed} passed, ${failed} failed`);
  process.exit(failures || (passed === 0 ? 1 : 0));
});
runner.on('pass', () => passed++);
runner.on('fail', () => failed++);
