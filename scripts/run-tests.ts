// Runs every mocha test and ends with the line CI reads: `N passed, N failed`.
// Usage: tsx scripts/run-tests.ts [file-or-folder…] [--grep=text] [--jobs=N]
//   (default: every *.test.ts under test/, in 2 processes on a machine with 2 or more cores)
//
// Most of a test's time is waiting (a relay starting, a sign-in, a grace period, Chromium painting), so
// two mocha processes side by side take much less than one after the other. The files are dealt to the
// processes by their last measured durations (test/durations.json, rewritten by each whole run), the
// longest first, each to the process with the least so far. Every test stays in one process with its
// own hooks; no test shares a port (they all listen on port 0 or ask for a free one; one, TURN/TLS in
// test/e2e/turn-relay.test.ts, takes 443 itself where it may, and no other test listens there).
import Mocha from 'mocha';
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, relative } from 'node:path';

const args = process.argv.slice(2);
const patterns = args.filter((a) => !a.startsWith('-'));
const option = (name: string): string | undefined => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const grep = option('grep');
const testFiles = (p: string): string[] =>
  statSync(p).isDirectory()
    ? readdirSync(p, { recursive: true }).map(String).filter((f) => f.endsWith('.test.ts')).map((f) => join(p, f))
    : [p];
const files = (patterns.length ? patterns : ['test']).flatMap(testFiles).map((f) => relative('.', f)).sort();
const durationsFile = 'test/durations.json';
const wholeRun = patterns.length === 0 && !grep;

const shardFiles = option('files'); // set by the parent for a child process: its share of the files
const jobs = shardFiles !== undefined ? 1 : Number(option('jobs') ?? process.env['RH_TEST_JOBS'] ?? (wholeRun ? Math.min(2, availableParallelism()) : 1));

if (shardFiles !== undefined) await runMocha(shardFiles.split(',').filter(Boolean), true);
else if (jobs <= 1 || files.length < 2) await runMocha(files, false);
else await runShards(files, jobs);

/** One mocha run. A child reports its counts and each file's seconds on its last line, for the parent. */
async function runMocha(list: string[], asChild: boolean): Promise<void> {
  const mocha = new Mocha({ reporter: 'spec', timeout: 60_000, slow: 5_000, ...(grep ? { grep } : {}) });
  for (const f of list) mocha.addFile(f);
  await mocha.loadFilesAsync();
  let passed = 0;
  let failed = 0;
  const failures: string[] = [];
  const seconds: Record<string, number> = {};
  const started = new Map<Mocha.Suite, number>();
  const runner = mocha.run(() => {
    if (asChild) console.log(`\n@@shard ${JSON.stringify({ passed, failed, failures, seconds })}`);
    else {
      if (wholeRun) writeDurations(seconds);
      printFailures(failures);
      console.log(`\n${passed} passed, ${failed} failed`);
    }
    process.exit(failed || (passed === 0 && !asChild ? 1 : 0));
  });
  runner.on('pass', () => passed++);
  runner.on('fail', (test, error: unknown) => {
    failed++;
    failures.push(failureLine(test, error));
  });
  // A file's time is the time of its top-level suites, hooks included (starting a relay is most of it).
  runner.on('suite', (s) => {
    if (s.file && s.parent?.root) started.set(s, Date.now());
  });
  runner.on('suite end', (s) => {
    const t = started.get(s);
    if (t !== undefined && s.file) seconds[relative('.', s.file)] = (seconds[relative('.', s.file)] ?? 0) + (Date.now() - t) / 1000;
  });
}

/** The files dealt to `jobs` child processes; their output as it comes, each line marked with its process. */
async function runShards(list: string[], count: number): Promise<void> {
  const known = readDurations();
  const unknownSeconds = 5;
  const shards = Array.from({ length: count }, () => ({ files: [] as string[], seconds: 0 }));
  for (const f of [...list].sort((a, b) => (known[b] ?? unknownSeconds) - (known[a] ?? unknownSeconds))) {
    const lightest = shards.reduce((a, b) => (b.seconds < a.seconds ? b : a));
    lightest.files.push(f);
    lightest.seconds += known[f] ?? unknownSeconds;
  }
  console.log(`Running ${list.length} test files in ${count} processes (about ${shards.map((s) => Math.round(s.seconds)).join(' s and ')} s by the last run's times).`);
  const results = await Promise.all(shards.map((s, i) => runChild(s.files, i + 1)));
  const passed = results.reduce((n, r) => n + r.passed, 0);
  const failed = results.reduce((n, r) => n + r.failed, 0);
  const crashed = results.filter((r) => r.crashed).length;
  if (wholeRun && !crashed) writeDurations(Object.assign({}, ...results.map((r) => r.seconds)) as Record<string, number>);
  if (crashed) console.log(`\n${crashed} test process(es) ended without reporting: counted as one failure each.`);
  printFailures(results.flatMap((r) => r.failures));
  console.log(`\n${passed} passed, ${failed + crashed} failed`);
  process.exit(failed + crashed ? 1 : passed === 0 ? 1 : 0);
}

interface ShardResult { passed: number; failed: number; failures: string[]; seconds: Record<string, number>; crashed: boolean }

/** A failed test in one line: its file, its full title and the start of its error. */
function failureLine(test: Mocha.Runnable, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const file = test.file ? relative('.', test.file) : '?';
  return `${file}: ${test.fullTitle()}: ${message.replace(/\s+/g, ' ').slice(0, 300)}`;
}

/** The failed tests again, gathered just above the closing line: the end of a long, interleaved log
 * (often all a CI report keeps) names them. */
function printFailures(failures: string[]): void {
  if (failures.length === 0) return;
  console.log(`\nFailed (${failures.length}):`);
  for (const f of failures) console.log(`  - ${f}`);
}

function runChild(list: string[], n: number): Promise<ShardResult> {
  const child = spawn(process.execPath, [...process.execArgv, process.argv[1]!, `--files=${list.join(',')}`, ...(grep ? [`--grep=${grep}`] : [])], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, FORCE_COLOR: process.env['FORCE_COLOR'] ?? '0' },
  });
  let result: ShardResult = { passed: 0, failed: 0, failures: [], seconds: {}, crashed: true };
  const lines = (stream: NodeJS.ReadableStream, write: (s: string) => void) => {
    let rest = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      const parts = (rest + chunk).split('\n');
      rest = parts.pop() ?? '';
      for (const line of parts) {
        if (line.startsWith('@@shard ')) result = { ...(JSON.parse(line.slice(8)) as Omit<ShardResult, 'crashed'>), crashed: false };
        else write(`[${n}] ${line}\n`);
      }
    });
    stream.on('end', () => rest && write(`[${n}] ${rest}\n`));
  };
  lines(child.stdout, (s) => process.stdout.write(s));
  lines(child.stderr, (s) => process.stderr.write(s));
  return new Promise((resolve) => child.on('close', () => resolve(result)));
}

function readDurations(): Record<string, number> {
  try {
    return JSON.parse(readFileSync(durationsFile, 'utf8')) as Record<string, number>;
  } catch {
    return {};
  }
}

function writeDurations(seconds: Record<string, number>): void {
  const rounded = Object.fromEntries(Object.entries(seconds).sort(([a], [b]) => a.localeCompare(b)).map(([f, s]) => [f, Math.round(s * 10) / 10]));
  try {
    writeFileSync(durationsFile, `${JSON.stringify(rounded, null, 2)}\n`);
  } catch {
    // A read-only checkout still runs its tests; the next run deals the files by the old times.
  }
}
