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
    if (m === 'profile-start') void session.post('Profiler.enable').then(() => session.post('Profiler.start'));
    if (typeof m === 'string' && m.startsWith('profile-stop:')) {
      const window = m.slice('profile-stop:'.length).replace(/[^a-z-]/g, '');
      void session.post('Profiler.stop').then(({ profile }) => {
        writeFileSync(`${profileDir}/${window}-window-${process.pid}.cpuprofile`, JSON.stringify(profile));
      });
    }
  });
}
