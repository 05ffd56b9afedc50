// Figures and the shape every benchmark reports: a table row per measure, one JSON file per benchmark.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface Measure {
  name: string;
  unit: 'ms';
  samples: number[];
  median: number;
  p95: number;
  /** Of few samples, the largest: read it with the number of runs. */
  p99: number;
  min: number;
  max: number;
  /** What the figure promises, for the table (e.g. "≤ 1000"). */
  target?: string;
}

export interface BenchResult {
  name: string;
  description: string;
  measures: Measure[];
  /** Anything a reader needs to judge the figures (machine, runs, how time was taken). */
  notes: string[];
}

/** Nearest-rank percentile: with few samples it reports a value that was really seen. */
export function percentile(samples: number[], p: number): number {
  if (samples.length === 0) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export function measure(name: string, samples: number[], target?: string): Measure {
  return {
    name, unit: 'ms', samples,
    median: percentile(samples, 50),
    p95: percentile(samples, 95),
    p99: percentile(samples, 99),
    min: Math.min(...samples),
    max: Math.max(...samples),
    ...(target ? { target } : {}),
  };
}

export const resultsDir = join(dirname(fileURLToPath(import.meta.url)), 'results');

export function writeResult(result: BenchResult): string {
  mkdirSync(resultsDir, { recursive: true });
  const path = join(resultsDir, `${result.name}.json`);
  writeFileSync(path, `${JSON.stringify({ ...result, at: new Date().toISOString() }, null, 2)}\n`);
  return path;
}

export function table(results: BenchResult[]): string {
  const rows = [['benchmark', 'measure', 'runs', 'median ms', 'p95 ms', 'p99 ms', 'min ms', 'max ms', 'target']];
  for (const r of results) {
    for (const m of r.measures) {
      rows.push([r.name, m.name, String(m.samples.length), String(m.median), String(m.p95), String(m.p99), String(m.min), String(m.max), m.target ?? '']);
    }
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => [...row[i]!].length)));
  const line = (row: string[]) => row.map((c, i) => (i >= 2 && i <= 6 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ');
  return [line(rows[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
}
