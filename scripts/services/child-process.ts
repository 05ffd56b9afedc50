// Long-running children of a command (services, relay nodes): wait for the line that says one is
// ready, and stop one by its PID with a deadline.
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import type { Writable } from 'node:stream';

/** Resolves once `pattern` appears in what the child writes (stdout and stderr), copying all of it to
 * `log`; rejects with the last output when the child exits first or `timeoutMs` passes. */
export function readyLine(child: ChildProcess, pattern: RegExp, log: Writable, what: string, timeoutMs = 60_000): Promise<string> {
  let output = '';
  let ready = false;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} was not ready within ${timeoutMs / 1000} s:\n${output.slice(-2000)}`)), timeoutMs);
    const onData = (d: Buffer) => {
      log.write(d);
      // Once ready, the output only goes on to the log: a long-running child's is not kept here.
      if (ready) return;
      output += d.toString();
      const match = pattern.exec(output);
      if (match) {
        ready = true;
        clearTimeout(timer);
        resolve(match[1] ?? match[0]);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${what} stopped (${signal ?? `exit code ${code}`}) before it was ready:\n${output.slice(-2000)}`));
    });
    child.once('error', (e) => {
      clearTimeout(timer);
      reject(new Error(`${what} did not start: ${e.message}`));
    });
  });
}

export const hasExited = (child: ChildProcess): boolean => child.exitCode !== null || child.signalCode !== null;

/** Sends `signal`, and SIGKILL if the child is still there after `graceMs`; resolves once it is gone. */
export async function stopChild(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM', graceMs = 15_000): Promise<void> {
  if (hasExited(child)) return;
  const gone = once(child, 'exit');
  const force = setTimeout(() => child.kill('SIGKILL'), graceMs);
  child.kill(signal);
  await gone;
  clearTimeout(force);
}
