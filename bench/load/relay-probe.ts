// Loaded into the relay process by the load benchmark only (node --import), never by the relay itself:
// answers the benchmark's "probe" over the IPC channel with the process's CPU time and its heap after
// a full collection (the relay runs with --expose-gc for it).
import { join } from 'node:path';
import { writeHeapSnapshot } from 'node:v8';

const snapshotDir = process.env['BENCH_HEAP_SNAPSHOT'];
const gc = (globalThis as { gc?: () => void }).gc;

process.on('message', (m: unknown) => {
  // BENCH_HEAP_SNAPSHOT set: "snapshot:<label>" writes a heap snapshot (after a full collection) into
  // that folder, and answers with its path; heap-breakdown.ts compares two of them.
  if (typeof m === 'string' && m.startsWith('snapshot:') && snapshotDir) {
    gc?.();
    const file = writeHeapSnapshot(join(snapshotDir, `${m.slice('snapshot:'.length)}-${process.pid}.heapsnapshot`));
    process.send?.({ snapshot: file });
    return;
  }
  if (m !== 'probe') return;
  // The CPU time before the collection this probe causes.
  const cpu = process.cpuUsage();
  if (gc) {
    gc();
    gc();
  }
  const mem = process.memoryUsage();
  process.send?.({ probe: { heapUsed: mem.heapUsed, rss: mem.rss, external: mem.external, cpuUserUs: cpu.user, cpuSystemUs: cpu.system, gc: gc !== undefined } });
});
// The channel must not keep a relay alive that is asked to stop.
process.channel?.unref();

// BENCH_CPU_PROF set: "profile-start" / "profile-stop" take a V8 CPU profile of just that window (the
// chat, without start-up and ramp) into that folder.
const profileDir = process.env['BENCH_CPU_PROF'];
if (profileDir) {
  const { Session } = await import('node:inspector/promises');
  const { writeFileSync } = await import('node:fs');
  const session = new Session();
  session.connect();
  // "profile-stop:<window>" names the file after the window profiled (holding, chat).
  process.on('message', (m: unknown) => {
    if (m === 'profile-start') {
      void session.post('Profiler.enable').then(() => session.post('Profiler.start'));
      // BENCH_ALLOC_PROF too: what the window allocates, by function, garbage included.
      if (process.env['BENCH_ALLOC_PROF']) void session.post('HeapProfiler.startSampling', { samplingInterval: 8192, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true } as object);
    }
    if (typeof m === 'string' && m.startsWith('profile-stop:')) {
      const window = m.slice('profile-stop:'.length).replace(/[^a-z-]/g, '');
      void session.post('Profiler.stop').then(({ profile }) => {
        writeFileSync(`${profileDir}/${window}-window-${process.pid}.cpuprofile`, JSON.stringify(profile));
      });
      if (process.env['BENCH_ALLOC_PROF']) {
        void session.post('HeapProfiler.stopSampling').then(({ profile }) => {
          writeFileSync(`${profileDir}/${window}-window-${process.pid}.heapprofile`, JSON.stringify(profile));
        });
      }
    }
  });
}

// BENCH_STALLS=<file>: every turn of the event loop later than 40 ms (a 5 ms timer that fired late) and
// every garbage collection, with their wall-clock times, appended to that file as JSON lines when the
// relay stops, so a slow ack can be laid beside what the relay was doing then.
const stallsFile = process.env['BENCH_STALLS'];
if (stallsFile) {
  const { appendFileSync } = await import('node:fs');
  const { PerformanceObserver, performance } = await import('node:perf_hooks');
  const lines: string[] = [];
  const wall = (t: number) => Math.round(performance.timeOrigin + t);
  // The monotonic clock (a CPU profile's timestamps, µs) against the wall clock, to lay a profile beside these lines.
  lines.push(JSON.stringify({ clock: wall(performance.now()), hrUs: Number(process.hrtime.bigint() / 1000n) }));
  // With each stall, the CPU the main thread (from /proc, 10 ms ticks) and the whole process used over
  // it: a loop busy all along used about its length; one that waited for a core used much less.
  const { readFileSync } = await import('node:fs');
  const mainThreadCpuMs = () => {
    const fields = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  };
  let last = performance.now();
  let lastMain = mainThreadCpuMs();
  let lastAll = process.cpuUsage();
  setInterval(() => {
    const now = performance.now();
    const main = mainThreadCpuMs();
    const all = process.cpuUsage(lastAll);
    if (now - last > 45) lines.push(JSON.stringify({ stall: wall(last), ms: Math.round(now - last - 5), mainCpuMs: main - lastMain, allCpuMs: Math.round((all.user + all.system) / 1000) }));
    last = now;
    lastMain = main;
    lastAll = process.cpuUsage();
  }, 5).unref();
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) if (e.duration > 5) lines.push(JSON.stringify({ gc: wall(e.startTime), ms: Math.round(e.duration), kind: (e as { detail?: { kind?: number } }).detail?.kind }));
  }).observe({ entryTypes: ['gc'] });
  process.on('exit', () => appendFileSync(stallsFile, lines.map((l) => `${l}\n`).join('')));
}
