// Figures of the load benchmarks: percentiles of many samples (tens of thousands: no spread into
// Math.min), a relay process's CPU time from /proc, and the rows they end up in.
import { readFileSync } from 'node:fs';
import { percentile, type Measure } from '../stats.js';

/** A Measure of many samples: the percentiles, and every 100th sample kept for the JSON. */
export function bigMeasure(name: string, samples: number[], target?: string): Measure {
  const sorted = Float64Array.from(samples).sort();
  const at = (p: number) => (sorted.length ? Math.round(sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]! * 100) / 100 : NaN);
  return {
    name, unit: 'ms', samples: samples.filter((_, i) => i % 100 === 0).map((x) => Math.round(x * 100) / 100),
    median: at(50), p95: at(95), p99: at(99), min: at(0.0001), max: sorted.length ? Math.round(sorted[sorted.length - 1]! * 100) / 100 : NaN,
    ...(target ? { target } : {}),
  };
}

export { percentile };

/** User + system CPU time of a process, in ms (clock ticks of 10 ms: read it over a window of seconds). */
export function cpuMsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces): state is field 3, utime 14, stime 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return ticks * 10;
}

/** The first CLI flag `--name=value` of the process, or undefined. */
export function flag(name: string): string | undefined {
  return process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
}

/** The whole machine's CPU time so far, from /proc/stat: busy and total, in clock ticks over all cores. */
export function machineTicks(): { busy: number; total: number } {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!.trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal (guest time is inside user already).
  const total = fields.slice(0, 8).reduce((a, b) => a + b, 0);
  const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
  return { busy: total - idle, total };
}
